#!/bin/sh
# The s6 restart throttle and readiness.  A run that exits at once is
# started about once a second (2 to 5 starts in 3 s, not a tight loop),
# and so is one that was never ready; one that had written readiness to
# notification-fd at least 1 s before it died starts again at once.
# Readiness moves "hotsv status" from starting to ready and sends event U
# to the event/ fifodir.
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
enter_namespace "$@"
make_workdir

# stamp_service DIR: runs 1.5 s, logging its start and exit times in ns;
# ready at once when DIR/notification-fd names fd 3.
stamp_service() {
	make_service "$1" "echo start \$(date +%s%N) >>$1.log
[ -e notification-fd ] && echo >&3
sleep 1.5
echo exit \$(date +%s%N) >>$1.log"
}

# restart_gap_ms LOG: ms between the first exit and the second start.
restart_gap_ms() {
	_exit=$(sed -n 's/^exit //p' "$1" | head -n 1)
	_start=$(sed -n 's/^start //p' "$1" | sed -n 2p)
	echo $(((_start - _exit) / 1000000))
}

make_service "$WORK/crash" "echo x >>$WORK/crash.starts"
stamp_service "$WORK/slow"
stamp_service "$WORK/fast"
echo 3 >"$WORK/fast/notification-fd"
make_service "$WORK/notify" "echo \$\$ >$WORK/notify.pid
while [ ! -e $WORK/go ]; do sleep 0.05; done
echo ready >&3
exec sleep 100000"
echo 3 >"$WORK/notify/notification-fd"
mkdir -m 03730 "$WORK/notify/event"
listen_events "$WORK/notify/event" "$WORK/notify.events"

start_supervisors crash slow fast notify

# A run that exits at once: about one start a second.
wait_for 10 "crash started" test -s "$WORK/crash.starts"
sleep 3
n=$(count_lines "$WORK/crash.starts" x)
[ "$n" -ge 2 ] && [ "$n" -le 5 ] ||
	fail "run exiting at once started $n times in 3 s (expected 2..5)"

# Readiness: starting, then ready with event U.
wait_for 10 "notify started" test -s "$WORK/notify.pid"
expect_field "$WORK/notify" state starting
expect_field "$WORK/notify" ready false
has_event "$WORK/notify.events" U && fail "event U before readiness"
touch "$WORK/go"
wait_field "$WORK/notify" state ready
expect_field "$WORK/notify" ready true
expect_field "$WORK/notify" pid "$(cat "$WORK/notify.pid")"
wait_for 10 "event U" has_event "$WORK/notify.events" U
grep -q s "$WORK/notify.events" || fail "no event s (supervisor started)"

# Never ready: throttled.  Ready for 1.5 s: restarted at once.
wait_lines "$WORK/slow.log" '^start' 2
wait_lines "$WORK/fast.log" '^start' 2
gap=$(restart_gap_ms "$WORK/slow.log")
[ "$gap" -ge 900 ] || fail "never-ready run restarted after ${gap} ms (< 1 s)"
gap=$(restart_gap_ms "$WORK/fast.log")
[ "$gap" -lt 900 ] || fail "run ready for 1.5 s restarted after ${gap} ms"

stop_supervisors
exit 0
