#!/bin/sh
# A supervisor killed with SIGKILL is replaced by a new one, and the
# service then runs exactly once: the new supervisor either adopts the run
# its predecessor left, or it starts run again after that one has been
# stopped; never both.  hotsv status shows the run that is alive, and the
# new supervisor controls it (down, up).  Other services are untouched.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# live_run TAG: the pids of TAG's runs that are alive, from its start lines.
live_run() {
	for _pid in $(sed -n "s/^start $1 //p" "$WORK/events"); do
		pid_alive "$_pid" && echo "$_pid"
	done
}

# replaced NAME OLD: NAME has a live supervisor other than pid OLD.
replaced() {
	_new=$(supervisor_of "$1")
	[ -n "$_new" ] && [ "$_new" != "$2" ]
}

use_scandir "$WORK/scan"
make_trapping_service "$SCANDIR/a" a
make_marked_service "$SCANDIR/b"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"
old=$(supervisor_of a)
[ -n "$old" ] || fail "no supervisor for a"

kill -KILL "$old"
wait_for 30 "a new supervisor for a" replaced a "$old"
wait_supervision "$SCANDIR"
run=$(live_run a)
[ "$(echo "$run" | wc -w)" = 1 ] || fail "runs of a alive: '$run'"
wait_field a pid "$run"
expect_no_overlap
starts=$(event_count "start a ")
# Once nothing is due, another start would have begun: none has.
wait_scan_settled
expect_events "start a " "$starts"
expect_events "start b " 1
expect_supervision "$SCANDIR"
[ "$(live_run a)" = "$run" ] || fail "a restarted: $(cat "$WORK/events")"

say "the new supervisor controls the run"
expect_exit 0 "hotsv down a" hv down a
wait_events "stop a $run" 1
wait_gone "$run" "run of a"
wait_field a state down
expect_exit 0 "hotsv up a" hv up a
wait_events "start a " $((starts + 1))
wait_supervision "$SCANDIR"
expect_no_overlap
stop_scanner
exit 0
