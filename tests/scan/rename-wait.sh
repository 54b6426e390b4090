#!/bin/sh
# A service renamed within SCANDIR (a -> b) starts under its new name
# only once its old name's supervisor is gone, so that two supervisors
# never run one directory at once.  The directory is read-only, so its
# supervise/ lives in STATEDIR/NAME: the new name's lock cannot tell
# that the old name's supervisor still runs, only the scanner can.  The
# entry is a symbolic link renamed in SCANDIR (a read-only mount point
# cannot be renamed).  a's finish blocks until the test releases it:
# while it runs, hotsv-scan starts no supervisor for b (checked once a
# service c made after the rename has started: the scanner handled the
# rename before) and there is no second run; once released, b starts
# under a new supervisor, in STATEDIR/b.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
STATEDIR=$WORK/state
mkfifo "$WORK/release"
# The run's parent is its supervisor: "start SUPERVISOR RUN".
make_service "$WORK/svc" "echo \"start \$PPID \$\$\" >>$WORK/events
exec sleep 100000"
make_finish "$WORK/svc" "echo \"finish \$PPID\" >>$WORK/events
read go <$WORK/release"
echo 0 >"$WORK/svc/timeout-finish"
bind_readonly "$WORK/svc"
ln -s "$WORK/svc" "$SCANDIR/a"
# -k: the kill grace must not end the blocked finish.
start_scanner -v -k 600000 -s "$STATEDIR" "$SCANDIR"
wait_events "start " 1
first_sup=$(sed -n 's/^start \([0-9]*\) .*/\1/p' "$WORK/events")
first_run=$(sed -n 's/^start [0-9]* //p' "$WORK/events")
[ -d "$STATEDIR/a/supervise" ] || fail "a's supervise/ is not in $STATEDIR/a"

say "rename a to b while a's finish blocks"
mv "$SCANDIR/a" "$SCANDIR/b"
wait_events "finish $first_sup" 1
# c is made after the rename: once c runs, a start of b would be logged.
make_marked_service "$SCANDIR/c" c
wait_events "start c " 1
pid_alive "$first_sup" || fail "a's supervisor $first_sup ended early"
if grep "started [^ ]*hotsv-supervise [0-9]* for .*/b\$" "$WORK/scan.err" \
	>"$WORK/b.started"; then
	fail "b's supervisor started while a's runs: $(cat "$WORK/b.started")"
fi
expect_events "start [0-9]" 1

say "release a's finish: b starts"
echo go >"$WORK/release"
wait_gone "$first_sup" "a's supervisor"
wait_events "start [0-9]" 2
second_sup=$(sed -n 's/^start \([0-9]*\) .*/\1/p' "$WORK/events" | tail -n 1)
[ "$second_sup" != "$first_sup" ] || fail "b runs under a's supervisor"
pid_gone "$first_run" || fail "a's run $first_run still runs"
[ "$(supervisor_of b)" = "$second_sup" ] ||
	fail "b's supervisor is '$(supervisor_of b)', not $second_sup"
[ -d "$STATEDIR/b/supervise" ] || fail "b's supervise/ is not in $STATEDIR/b"
stop_scanner
exit 0
