#!/bin/sh
# A dependency cycle (a depends on b, b on a) is reported once, naming
# each of its services, and ignored: both start, and on SIGTERM both stop
# without waiting for each other (each exits by itself, within its 0.3 s,
# none is left for the grace time's SIGKILL).  It stays reported once
# through a rescan and a respawned supervisor of a.
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_ready_service "$SCANDIR/a" a
echo b >"$SCANDIR/a/dependencies"
make_ready_service "$SCANDIR/b" b
echo a >"$SCANDIR/b/dependencies"
start_scanner "$SCANDIR"

# cycle_lines NAME: how many lines of scan.err report NAME in a cycle.
cycle_lines() {
	count_lines "$WORK/scan.err" "^hotsv-scan: \\(warning: \\)*$1: .*cycle"
}

# reported_once: a and b are each named in one cycle line, and the
# lines about cycles are those two.
reported_once() {
	[ "$(cycle_lines a)" = 1 ] && [ "$(cycle_lines b)" = 1 ] &&
		[ "$(count_lines "$WORK/scan.err" cycle)" = 2 ] ||
		fail "cycle not reported once per service: $(cat "$WORK/scan.err")"
}

# new_supervisor NAME OLD: NAME has a live supervisor, and it is not OLD.
new_supervisor() {
	_pid=$(supervisor_of "$1")
	[ -n "$_pid" ] && [ "$_pid" != "$2" ]
}

say "both start; the cycle is reported"
wait_events "ready a " 1
wait_events "ready b " 1
wait_field a state ready
wait_field b state ready
expect_field a waiting_for null
expect_field b waiting_for null
reported_once

say "still reported once after a rescan and a new supervisor"
hv rescan || fail "hotsv rescan exited $?"
old=$(supervisor_of a)
kill -KILL "$old"
wait_for 10 "a new supervisor for a" new_supervisor a "$old"
wait_field a state ready
wait_scan_settled
reported_once

say "SIGTERM: a and b stop at once, each by itself"
: >"$WORK/events"
stop_scanner
expect_events "stop a " 1
expect_events "stop b " 1
expect_events "exit a " 1
expect_events "exit b " 1
expect_stamps_ordered "stop a" "exit b"
expect_stamps_ordered "stop b" "exit a"
exit 0
