#!/bin/sh
# hotsv-scan sets HOTSV_SCANDIR and HOTSV_STATEDIR to the absolute paths
# of its scan and state directories (given here as relative paths, and
# neither variable set beforehand) in the environment of all it starts:
# supervisors, services and their finish, the main command and the
# .hotsv/finish hook.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
unset HOTSV_SCANDIR HOTSV_STATEDIR

SCANDIR=$WORK/scan
mkdir "$SCANDIR" "$WORK/state"
# record WHO: the shell line that appends WHO's HOTSV_* variables, sorted
# and on one line, to $WORK/env.
record() {
	echo "echo \"$1 \$(env | grep -E '^HOTSV_(SCAN|STATE)DIR=' | sort | tr '\\n' ' ')\" >>'$WORK/env'"
}
make_service "$SCANDIR/a" "$(record run)
echo \"start a \$\$\" >>'$WORK/events'
exec sleep 100000"
make_finish "$SCANDIR/a" "$(record finish)"
make_hook "$SCANDIR" .hotsv finish "$(record hook)
exit \$1"
cat >"$WORK/main" <<MAIN
#!/bin/sh
$(record main)
until [ -e '$WORK/go' ]; do sleep 0.05; done
MAIN
chmod +x "$WORK/main"

cd "$WORK" || fail "cd $WORK"
start_scanner -s state scan -- "$WORK/main"
wait_events "start a " 1
wait_lines "$WORK/env" '^main ' 1
sup=$(supervisor_of a)
tr '\0' '\n' <"/proc/$sup/environ" | grep -E '^HOTSV_(SCAN|STATE)DIR=' | sort |
	tr '\n' ' ' >"$WORK/sup.env"
touch "$WORK/go"
scanner_exits 0
cd / || fail "cd /"

want="HOTSV_SCANDIR=$SCANDIR HOTSV_STATEDIR=$WORK/state "
[ "$(cat "$WORK/sup.env")" = "$want" ] ||
	fail "a's supervisor has '$(cat "$WORK/sup.env")', not '$want'"
for who in run finish main hook; do
	wait_lines "$WORK/env" "^$who " 1
	[ "$(sed -n "s/^$who //p" "$WORK/env")" = "$want" ] ||
		fail "$who has '$(sed -n "s/^$who //p" "$WORK/env")', not '$want'"
done
exit 0
