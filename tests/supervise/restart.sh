#!/bin/sh
# The s6 restart throttle and readiness.  A run that exits at once is
# started again no sooner than a second after it ended (not a tight
# loop), and so is one that was never ready; one that had written
# readiness to notification-fd at least 1 s before it died starts again
# at once: its supervisor is never seen asleep with a timeout between the
# two runs.  Readiness moves "hotsv status" from starting to ready and
# sends event U to the event/ fifodir.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# stamp_service DIR [SCRIPT]: runs SCRIPT (default: sleep 1.5), logging
# its start time and, just before it exits, its exit time (ns) in
# DIR.log; ready at once when DIR/notification-fd names fd 3.
stamp_service() {
	make_service "$1" "echo start \$(date +%s%N) >>$1.log
[ -e notification-fd ] && echo >&3
${2:-sleep 1.5}
echo exit \$(date +%s%N) >>$1.log"
}

# expect_throttled NAME: each start of NAME after the first came 1 s or
# more after the exit before it (the exit stamp is taken before run
# exits, the start stamp after the next run started: no margin needed,
# but 10 ms for the wall clock's slewing).
expect_throttled() {
	awk '$1 == "exit" { ended = $2 }
	$1 == "start" && ended && ($2 - ended) / 1000000 < 990 && n++ < 3 {
		printf "started %d ms after the exit before it; ", ($2 - ended) / 1000000
	}' "$WORK/$1.log" >"$WORK/complaints"
	[ ! -s "$WORK/complaints" ] || fail "$1: $(cat "$WORK/complaints")"
}

# watch_timeouts PID: in the background, note in $WORK/timeouts each
# time PID is seen asleep in its ppoll (system call $IDLE_CALL) with a
# timeout, until $WORK/timeouts.stop exists.
watch_timeouts() {
	(
		while [ ! -e "$WORK/timeouts.stop" ]; do
			read -r _stat <"/proc/$1/stat"
			read -r _call _fds _n _timeout _rest <"/proc/$1/syscall"
			case ${_stat#*) } in
			S*) [ "$_call" != "$IDLE_CALL" ] || [ "$_timeout" = 0x0 ] ||
				echo "$_call $_timeout" >>"$WORK/timeouts" ;;
			esac
			sleep 0.01
		done
	) &
	TIMEOUT_WATCH=$!
}

stamp_service "$WORK/crash" :
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

# A run that exits at once: throttled.
wait_lines "$WORK/crash.log" '^start' 3
expect_throttled crash

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

# Never ready: throttled.
wait_lines "$WORK/slow.log" '^start' 2
expect_throttled slow
# Ready for 1.5 s: restarted at once.  Its supervisor, idle while run
# runs, shows which system call is its ppoll; from then until the second
# start it must never sleep in it with a timeout (the throttle's).
fast_sup=$(supervisor_of fast)
wait_settled "$fast_sup"
read -r IDLE_CALL _rest <"/proc/$fast_sup/syscall"
watch_timeouts "$fast_sup"
starts=$(count_lines "$WORK/fast.log" '^start')
wait_lines "$WORK/fast.log" '^start' $((starts + 1))
touch "$WORK/timeouts.stop"
wait "$TIMEOUT_WATCH"
[ ! -s "$WORK/timeouts" ] ||
	fail "fast's supervisor waited with a timeout before restarting it: $(sort "$WORK/timeouts" | uniq -c)"

stop_supervisors
exit 0
