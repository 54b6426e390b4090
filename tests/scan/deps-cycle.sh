#!/bin/sh
# A dependency cycle (a depends on b, b on a) is reported once, in one
# line naming it in order, and ignored: both start, and on SIGTERM both stop
# without waiting for each other (each, on SIGTERM, exits only once both
# have been told to stop: one stopped after the other would never end,
# and hotsv-scan would have to kill).  It stays reported once through a
# rescan and a respawned supervisor of a.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/reliability.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
# cycle_service NAME OTHER: a ready service that depends on OTHER and,
# on SIGTERM, appends "stop NAME", waits for OTHER's "stop" line, and
# appends "exit NAME".
cycle_service() {
	make_service "$SCANDIR/$1" "trap 'echo \"stop $1\" >>\"$WORK/events\"
until grep -q \"^stop $2\\\$\" \"$WORK/events\"; do sleep 0.05; done
echo \"exit $1\" >>\"$WORK/events\"
kill \$! 2>/dev/null
exit 0' TERM
echo \"ready $1 \$\$\" >>'$WORK/events'
echo >&3
sleep 100000 &
wait"
	echo 3 >"$SCANDIR/$1/notification-fd"
	echo "$2" >"$SCANDIR/$1/dependencies"
}

cycle_service a b
cycle_service b a
start_scanner "$SCANDIR"

# reported_once: one line reports the cycle, naming it in order, and it
# is the only line about cycles.
reported_once() {
	[ "$(count_lines "$WORK/scan.err" "^hotsv-scan: warning: cycle: a -> b -> a ")" = 1 ] &&
		[ "$(count_lines "$WORK/scan.err" cycle)" = 1 ] ||
		fail "cycle not reported once, in one line: $(cat "$WORK/scan.err")"
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
expect_events "exit a" 1
expect_events "exit b" 1
expect_no_sigkill
exit 0
