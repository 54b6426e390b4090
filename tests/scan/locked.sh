#!/bin/sh
# A service another process already supervises, one hotsv-scan cannot see
# (a hotsv-supervise outside its PID namespace, as in another container
# sharing the volume, holds supervise/lock): hotsv-scan's supervisor says
# so on the channel before it exits, and hotsv-scan says once that it
# tries again every second, without taking it for a crash; once the
# other supervisor is gone, its own takes the service.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/a"

say "a supervisor started by hand holds the service"
hotsv-supervise "$SCANDIR/a" 2>>"$WORK/hand.err" &
hand=$!
wait_events "start a " 1
first=$(start_pid a)

say "hotsv-scan, in a PID namespace of its own, finds it locked"
unshare --pid --fork --kill-child hotsv-scan "$SCANDIR" \
	>>"$WORK/scan.out" 2>>"$WORK/scan.err" &
SCAN=$!
# inner_pid: the pid of hotsv-scan, unshare's child.
inner_pid() {
	_inner=$(cat "/proc/$SCAN/task/$SCAN/children" 2>/dev/null)
	[ -n "$_inner" ]
}
wait_for 30 "hotsv-scan to start under unshare" inner_pid
inner=${_inner% }
wait_for 30 "hotsv-scan (pid $inner) listening" scanner_listening "$inner"
wait_for 30 "hotsv-scan to say a is supervised by another process" \
	has_lines "$WORK/scan.err" "a: supervised by another process" 1
# It keeps trying: wait for a few more of its supervisors to find the
# lock held, then the hand one still runs the only run.
wait_for 30 "three more attempts" has_lines "$WORK/scan.err" \
	"supervise.*already supervised" 4
pid_alive "$first" || fail "the run of the supervisor started by hand died"
expect_events "start a " 1

say "the other supervisor goes: hotsv-scan's takes the service"
kill -TERM "$hand"
wait_for 30 "the supervisor started by hand (pid $hand) to end" pid_gone "$hand"
wait_events "start a " 2
# Its $$ is a pid of the scanner's namespace: find the run by its mark.
# one_run: exactly one run of a is alive.
one_run() {
	[ "$(running_services)" = a ]
}
wait_for 30 "the run of hotsv-scan's supervisor" one_run

[ "$(count_lines "$WORK/scan.err" "a: supervised by another process")" = 1 ] ||
	fail "the lock was reported more than once: $(cat "$WORK/scan.err")"
[ "$(count_lines "$WORK/scan.err" "died")" = 0 ] ||
	fail "a locked-out supervisor was taken for a crash: $(cat "$WORK/scan.err")"
kill -TERM "$inner"
scanner_exits 0
