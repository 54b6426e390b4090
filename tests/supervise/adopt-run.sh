#!/bin/sh
# Never a second copy, supervisor side: a hotsv-supervise killed with
# SIGKILL while its service runs is replaced by hotsv-scan, and the new
# supervisor adopts the run instead of starting another: the run keeps its
# pid, "hotsv status" shows it up with that pid, "hotsv restart" delivers
# the service's down-signal (SIGUSR1 here) to it, its finish is given the
# exit code the run really ended with (7, which only hotsv-scan, its
# reaper, knows), and it is restarted as usual.  Then two more kills in a
# row, and the last new supervisor brings the adopted run down and up
# again.  A watcher counts the
# service's processes every 20 ms, and each run checks at its start that
# no earlier one is alive: two never run at once.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# Run: on its down-signal (USR1) it notes it and exits 7; before it
# starts, it notes an overlap if an earlier run of a is still alive.
use_scandir "$WORK/scan"
make_service "$SCANDIR/a" "trap 'echo \"usr1 a \$\$\" >>\"$WORK/events\"; kill \$! 2>/dev/null; exit 7' USR1
for pid in \$(cat '$WORK/group.a' 2>/dev/null); do
	kill -0 \$pid 2>/dev/null && echo \"overlap a \$\$ \$pid\" >>'$WORK/events'
done
echo \$\$ >>'$WORK/group.a'
HOTSV_TEST_SVC=a sleep 100000 &
echo \"start a \$\$\" >>'$WORK/events'
wait"
echo USR1 >"$SCANDIR/a/down-signal"
make_finish "$SCANDIR/a" "echo \"finish a \$1 \$2\" >>'$WORK/events'"
make_marked_service "$SCANDIR/b"

# kill_and_adopt N: SIGKILL a's supervisor; wait for the N-th adoption
# line and for the new supervisor to listen; a's run is the same process.
kill_and_adopt() {
	_old=$(supervisor_of a)
	_run=$(start_pid a)
	[ -n "$_old" ] || fail "no supervisor for a"
	kill -KILL "$_old"
	wait_for 30 "a new supervisor for a" new_supervisor a "$_old"
	wait_lines "$WORK/scan.err" "a: run (pid [0-9]*) outlived its supervisor: adopted" "$1"
	grep "outlived its supervisor" "$WORK/scan.err" | tail -n 1 |
		grep -q "a: run (pid $_run) outlived" ||
		fail "adopted another process than $_run: $(cat "$WORK/scan.err")"
	await_supervisor "$(supervisor_of a)"
	pid_alive "$_run" || fail "a's run $_run died with its supervisor"
	[ "$(start_pid a)" = "$_run" ] || fail "a started again: $(cat "$WORK/events")"
}

start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"
start_dup_watch
run=$(start_pid a)
wait_field a pid "$run"

say "SIGKILL the supervisor of a running service"
kill_and_adopt 1
wait_field a state up
expect_field a pid "$run"
expect_field a deaths 0
# Once nothing is due in hotsv-scan or a supervisor, a second start would
# have begun (the supervisor writes the new pid first): none has.
wait_scan_settled
expect_field a pid "$run"
expect_events "start a " 1
expect_events "start b " 1
expect_supervision "$SCANDIR"

say "hotsv restart reaches the adopted run with its down-signal"
expect_exit 0 "hotsv restart a" hv restart a
wait_events "usr1 a $run" 1
wait_events "finish a " 1
expect_events "finish a 7 0" 1
wait_events "start a " 2
run2=$(start_pid a)
[ "$run2" != "$run" ] || fail "no new run"
wait_field a pid "$run2"
expect_field a exitcode 7
expect_field a deaths 1
grep -q "exit status is unknown" "$WORK/scan.err" &&
	fail "the supervisor did not learn how the adopted run ended"

say "again, twice"
kill_and_adopt 2
kill_and_adopt 3
wait_field a pid "$run2"
expect_exit 0 "hotsv down a" hv down a
wait_events "usr1 a $run2" 1
wait_field a state down
expect_events "finish a 7 0" 2
expect_field a want down
wait_scan_settled
expect_field a state down
expect_events "start a " 2
expect_exit 0 "hotsv up a" hv up a
wait_events "start a " 3
wait_field a pid "$(start_pid a)"

stop_dup_watch
expect_no_overlap
expect_no_dups
expect_supervision "$SCANDIR"
stop_scanner
exit 0
