#!/bin/sh
# hotsv-scan under valgrind (memcheck, --leak-check=full): a shorter
# churn than churn-memory's (CYCLES, default 6, of 12 services moved in and
# out, some with a logger, a dependency, a symlink, a rename), with a
# supervisor killed (its run adopted, then reaped by hotsv-scan), a
# rescan and an unknown control letter, then SIGTERM.  It exits cleanly
# and valgrind finds no error and no leak (nothing definitely, indirectly
# or possibly lost).  Skipped without valgrind.  About 10 seconds.
# Valgrind reports each lost block and each bad access the first time
# it happens, so one pass over a path is enough: of 6 cycles, three
# wait for every service to run (and kill a supervisor), three do not.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
command -v valgrind >/dev/null 2>&1 || skip "needs valgrind"
valgrind --version >/dev/null 2>&1 || skip "valgrind does not run here"
# A sanitizer build (--enable-sanitizers) cannot run under valgrind.
built_with_asan &&
	skip "hotsv-scan is built with AddressSanitizer"

: "${CYCLES:=6}"
use_scandir "$WORK/scan"
mkdir "$WORK/pool" "$WORK/targets"
NAMES=$(seq -f 'v%g' 1 12)
# Tagged by name, not by the directory's path when run starts: v6 may
# start while it is renamed v6b on its way out, and be kept when it is
# back before its stop (the same directory: the same service).
for name in $NAMES; do
	make_marked_service "$WORK/pool/$name" "$name"
done
for name in v2 v5; do
	make_service "$WORK/pool/$name/log" "exec cat >/dev/null"
done
echo v1 >"$WORK/pool/v3/dependencies"
echo 3 >"$WORK/pool/v4/notification-fd"
make_marked_service "$WORK/targets/t1" t1

# move_in: move every service into SCANDIR, and link t1 as "link".
move_in() {
	for _n in $NAMES; do
		mv "$WORK/pool/$_n" "$SCANDIR/" || fail "mv $_n in"
	done
	ln -s "$WORK/targets/t1" "$SCANDIR/link"
}

# move_out: move every service out of SCANDIR (v6 renamed on the way).
move_out() {
	mv "$SCANDIR/v6" "$SCANDIR/v6b"
	rm "$SCANDIR/link"
	for _n in $(ls "$SCANDIR"); do
		mv "$SCANDIR/$_n" "$WORK/pool/${_n%b}" || fail "mv $_n out"
	done
}

# all_running: a supervisor for each service, link and both loggers, and
# one run each (what was seen last is in $WORK/seen.out, which a failing
# test shows).
all_running() {
	_sups=$(supervised_names | tr '\n' ' ')
	_runs=$(running_services | tr '\n' ' ')
	printf 'supervisors: %s\nruns: %s\n' "$_sups" "$_runs" >"$WORK/seen.out"
	[ "$_sups" = "$SUPS" ] && [ "$_runs" = "$TAGS" ]
}
SUPS="$(printf '%s\n' $NAMES link log log | sort | tr '\n' ' ')"
TAGS="$(printf '%s\n' $NAMES t1 | sort | tr '\n' ' ')"

# all_gone: no supervisor and no run is left.
all_gone() {
	[ "$(count_supervisors)" = 0 ] && [ -z "$(running_services)" ]
}

valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,indirect,possible \
	--error-exitcode=42 --log-file="$WORK/valgrind.%p" \
	hotsv-scan "$SCANDIR" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
SCAN=$!
wait_for 60 "hotsv-scan under valgrind listening" scanner_listening "$SCAN"
pid_alive "$SCAN" || fail "hotsv-scan under valgrind exited at start"
wait_for 30 "hotsv-scan's signals blocked" scanner_ready "$SCAN"

i=1
while [ "$i" -le "$CYCLES" ]; do
	move_in
	if [ $((i % 2)) = 1 ]; then
		wait_for 60 "every service running" all_running
		hv rescan || fail "hotsv rescan exited $?"
		old=$(supervisor_of v7)
		kill -KILL "$old"
		wait_for 30 "a new supervisor for v7" new_supervisor v7 "$old"
		printf 'Z' >"$SCANDIR/.hotsv/control"
	fi
	move_out
	[ $((i % 2)) = 1 ] && wait_for 60 "every service stopped" all_gone
	i=$((i + 1))
done
move_in
wait_for 60 "every service running" all_running
sleep 1
all_running || fail "supervisors $(supervised_names | tr '\n' ' '), runs $(running_services | tr '\n' ' ')"
say "SIGTERM"
kill -TERM "$SCAN"
wait_for 120 "hotsv-scan under valgrind to exit" pid_gone "$SCAN"
wait "$SCAN"
rc=$?
# Its own log: children between vfork (a fork under valgrind) and exec
# write theirs to valgrind.PID too.
VGLOG=$WORK/valgrind.$SCAN
[ -s "$VGLOG" ] || fail "no valgrind log for hotsv-scan (pid $SCAN)"
grep -q "ERROR SUMMARY: 0 errors" "$VGLOG" ||
	fail "valgrind: $(grep -A 12 'ERROR SUMMARY\|Invalid\|uninitialised\|lost in' "$VGLOG" | head -n 40)"
for kind in "definitely lost" "indirectly lost" "possibly lost"; do
	! grep "$kind:" "$VGLOG" | grep -vq "$kind: 0 bytes" ||
		fail "valgrind: $(grep -B 2 -A 14 'are definitely lost\|are indirectly lost\|are possibly lost' "$VGLOG" | head -n 40)"
done
[ "$rc" = 0 ] || fail "hotsv-scan under valgrind exited $rc: $(tail -n 5 "$VGLOG")"
say "$(grep 'in use at exit\|still reachable:\|All heap blocks' "$VGLOG" | sed 's/^==[0-9]*== *//' | tr '\n' ' ')"
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
exit 0
