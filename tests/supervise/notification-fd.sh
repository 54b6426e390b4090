#!/bin/sh
# Readiness through notification-fd, as s6: run's first newline on that fd
# makes it ready (bytes without one do not); hotsv status goes from
# "starting" to "ready", supervise/status gets the ready flag and a
# readiness stamp taken when the line came, and event/ gets 'U' once,
# after 'u'.  A run that closes the fd without a newline is never ready;
# a new run is not ready until it says so again.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

S=$WORK/svc
make_service "$S" "echo \$\$ >>'$WORK/svc.pids'
printf 'almost' >&3
echo \"half \$\$\" >>'$WORK/events'
while [ ! -e '$WORK/go' ]; do sleep 0.05; done
printf ' there\\n' >&3
exec sleep 100000"
echo 3 >"$S/notification-fd"
make_service "$WORK/mute" "exec 3>&-
echo \"closed \$\$\" >>'$WORK/events'
exec sleep 100000"
echo 3 >"$WORK/mute/notification-fd"

# settled: the supervisor has read all run wrote and written its status
# and events, and the event listener has copied them to $WORK/letters.
settled() {
	all_settled "$sup" && proc_state_is "$LISTENER" S
}

mkdir -p "$S/event"
listen_events "$S/event" "$WORK/letters"
start_supervisor svc "$S"
sup=$SUP
wait_events "half " 1
wait_for 10 "the supervisor and the listener asleep" settled
expect_field "$S" state starting
expect_field "$S" ready false
[ $(($(status_flags "$S") & 8)) = 0 ] ||
	fail "ready flag set before the newline: flags $(status_flags "$S")"
status_stamp_ns "$S" 0
up_ns=$STAMP_NS
has_event "$WORK/letters" U && fail "event U before the newline"

before=$(date +%s%N)
touch "$WORK/go"
wait_field "$S" state ready
expect_field "$S" ready true
expect_field "$S" pid "$(last_line "$WORK/svc.pids")"
[ $(($(status_flags "$S") & 12)) = 12 ] ||
	fail "supervise/status flags $(status_flags "$S"), want up and ready set"
status_stamp_ns "$S" 12
ready_ns=$STAMP_NS
[ "$ready_ns" -ge "$before" ] && [ "$ready_ns" -le "$(date +%s%N)" ] ||
	fail "readiness stamp $ready_ns not between $before and now"
status_stamp_ns "$S" 0
[ "$STAMP_NS" = "$up_ns" ] ||
	fail "the up stamp changed when the service became ready"
wait_for 10 "event U" has_event "$WORK/letters" U
wait_for 10 "the supervisor and the listener asleep" settled
[ "$(tr -cd uU <"$WORK/letters")" = uU ] ||
	fail "events '$(cat "$WORK/letters")', expected u then U, once each"

say "a new run is not ready until it says so"
rm "$WORK/go"
hv restart "$S"
wait_lines "$WORK/svc.pids" . 2
wait_events "half " 2
wait_field "$S" pid "$(last_line "$WORK/svc.pids")"
wait_for 10 "the supervisor and the listener asleep" settled
expect_field "$S" state starting
expect_field "$S" ready false
touch "$WORK/go"
wait_field "$S" state ready
status_stamp_ns "$S" 12
[ "$STAMP_NS" -gt "$ready_ns" ] ||
	fail "the readiness stamp of the second run is not newer"

say "end of file without a newline: never ready"
start_supervisor mute "$WORK/mute"
wait_events "closed " 1
wait_settled "$SUP"
hv wait -t 500 ready "$WORK/mute" >"$WORK/cmd.out" 2>&1
[ $? = 99 ] || fail "hotsv wait ready on a mute service: $(cat "$WORK/cmd.out")"
expect_field "$WORK/mute" state starting
expect_field "$WORK/mute" ready false
stop_supervisor
stop_supervisor "$sup"
exit 0
