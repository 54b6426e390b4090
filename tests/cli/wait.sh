#!/bin/sh
# hotsv wait, for each goal, returns 0 once the goal is reached and not
# before: up (started, not yet ready), ready, down (run dead, finish still
# running), finished (finish done); -t MS gives up with 99 naming the
# service; --any returns when one of several is there; 1 when a service
# fails permanently (finish exits 125), when its supervisor exits
# (SIGTERM) or dies (SIGKILL), or when it is not supervised; 100 for a
# goal it does not know.
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
enter_namespace "$@"
make_workdir

A=$WORK/a
make_gated_service "$A" a
touch "$A/down"
make_gated_service "$WORK/b" b
make_service "$WORK/c" "echo \"start c \$\$\" >>'$WORK/events'; exec sleep 100000"
touch "$WORK/c/down"
make_service "$WORK/p" "echo \"start p \$\$\" >>'$WORK/events'
while [ ! -e '$WORK/p.die' ]; do sleep 0.05; done
exit 1"
echo 3 >"$WORK/p/notification-fd"
make_finish "$WORK/p" "exit 125"
make_gated_service "$WORK/g" g
start_supervisors a b c p

# waits_for NAME WHAT DIR COMMAND...: start the waiter NAME running
# COMMAND, which listens in DIR/event; once it listens, and has heard
# all that DIR's supervisor had to say, check that it is still waiting.
waits_for() {
	_name=$1
	_what=$2
	_dir=$3
	shift 3
	_before=$(listeners "$_dir")
	start_waiter "$_name" "$@"
	wait_listeners "$_dir" $((_before + 1))
	expect_waiting "$_name" "$_what" $(supervisor_of "${_dir##*/}")
}

say "up: returns once run started, ready or not"
waits_for up "hotsv wait up, service down" "$A" hv wait up "$A"
hv up "$A"
waiter_exits up 0 "hotsv wait up"
expect_field "$A" state starting

say "ready"
waits_for ready "hotsv wait ready, service starting" "$A" hv wait ready "$A"
touch "$WORK/a.go"
waiter_exits ready 0 "hotsv wait ready"
expect_field "$A" state ready

say "down: run dead, finish running; finished: finish done"
waits_for down "hotsv wait down, service up" "$A" hv wait down "$A"
waits_for finished "hotsv wait finished, service up" "$A" \
	hv wait finished "$A"
hv down "$A"
waiter_exits down 0 "hotsv wait down"
wait_events "finish a " 1
expect_field "$A" state finishing
expect_waiting finished "hotsv wait finished while finish runs" \
	"$(supervisor_of a)"
touch "$WORK/a.fin"
waiter_exits finished 0 "hotsv wait finished"
expect_field "$A" state down

say "-t: 99 when time runs out"
wait_events "start b " 1
expect_exit 99 "hotsv wait -t 300 ready, never ready" \
	hv wait -t 300 ready "$WORK/b"
output_has "b: not ready in time" "hotsv wait -t 300 ready"
expect_exit 99 "hotsv wait -t 300 up, down on purpose" hv wait -t 300 up "$A"

say "--any: one of them is enough; all of them without it"
waits_for any "hotsv wait --any up, both down" "$A" \
	hv wait --any up "$A" "$WORK/c"
hv up "$WORK/c"
waiter_exits any 0 "hotsv wait --any up"
expect_field "$A" pid null
expect_exit 99 "hotsv wait -t 300 up, one of two down" \
	hv wait -t 300 up "$A" "$WORK/c"
output_has "a: not up in time" "hotsv wait -t 300 up of two"

say "1: finish exits 125"
wait_events "start p " 1
waits_for perm "hotsv wait ready, run alive" "$WORK/p" hv wait ready "$WORK/p"
touch "$WORK/p.die"
waiter_exits perm 1 "hotsv wait ready, permanent failure" "failed permanently"
expect_exit 0 "hotsv wait finished, permanent failure" \
	hv wait -t 10000 finished "$WORK/p"

say "1: the supervisor exits, or dies"
touch "$WORK/g.fin"
start_supervisor g "$WORK/g"
wait_events "start g " 1
waits_for gone "hotsv wait ready, service starting" "$WORK/g" \
	hv wait ready "$WORK/g"
kill -TERM "$SUP"
waiter_exits gone 1 "hotsv wait ready, supervisor exits" "supervisor is gone"
wait_gone "$SUP" "supervisor of g"
start_supervisor g "$WORK/g"
wait_events "start g " 2
waits_for killed "hotsv wait ready, service starting" "$WORK/g" \
	hv wait ready "$WORK/g"
kill -KILL "$SUP"
waiter_exits killed 1 "hotsv wait ready, supervisor killed" "supervisor is gone"

say "1: not supervised; 100: usage"
mkdir "$WORK/never"
expect_exit 1 "hotsv wait up, never supervised" hv wait up "$WORK/never"
output_has "not supervised" "hotsv wait up, never supervised"
expect_exit 100 "hotsv wait sideways" hv wait sideways "$A"
expect_exit 100 "hotsv wait up, no service" hv wait up
exit 0
