#!/bin/sh
# s6's waiting tools against hotsv-supervise (skipped without s6):
# s6-svwait -U returns once run is up and ready (notification-fd, and
# READY=1 on the notify socket), not before; s6-svwait -D once run is
# down and finish is done, not before; s6-svwait -t times out with 99;
# s6-svc -wU -u and s6-svc -wD -d return with the service ready, or down
# with finish done.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
command -v s6-svwait >/dev/null 2>&1 || skip "s6 is not installed (s6-svwait)"
command -v s6-svc >/dev/null 2>&1 || skip "s6 is not installed (s6-svc)"
enter_namespace "$@"
make_workdir

G=$WORK/g
make_gated_service "$G" g
touch "$G/down"
start_supervisor g "$G"

say "s6-svwait -U: up is not enough, ready is"
start_waiter svwaitU s6-svwait -U "$G"
wait_listeners "$G" 1
hv up "$G"
wait_events "start g " 1
wait_field "$G" state starting
expect_waiting svwaitU "s6-svwait -U on a service not ready yet" "$SUP"
touch "$WORK/g.go"
waiter_exits svwaitU 0 "s6-svwait -U"
expect_field "$G" state ready

say "s6-svwait -D: down is not enough, finish must be done"
start_waiter svwaitD s6-svwait -D "$G"
wait_listeners "$G" 1
hv down "$G"
wait_events "finish g " 1
wait_field "$G" state finishing
expect_waiting svwaitD "s6-svwait -D while finish runs" "$SUP"
touch "$WORK/g.fin"
waiter_exits svwaitD 0 "s6-svwait -D"
expect_field "$G" state down

say "s6-svc -wU -u, s6-svc -wD -d"
rm "$WORK/g.go" "$WORK/g.fin"
start_waiter svcwU s6-svc -wU -u "$G"
wait_events "start g " 2
expect_waiting svcwU "s6-svc -wU -u on a service not ready yet" "$SUP"
touch "$WORK/g.go"
waiter_exits svcwU 0 "s6-svc -wU -u"
expect_field "$G" state ready
start_waiter svcwD s6-svc -wD -d "$G"
wait_events "finish g " 2
expect_waiting svcwD "s6-svc -wD -d while finish runs" "$SUP"
touch "$WORK/g.fin"
waiter_exits svcwD 0 "s6-svc -wD -d"
expect_field "$G" state down

say "s6-svwait -t: 99 for a service that is never ready"
rm "$WORK/g.go"
hv up "$G"
wait_events "start g " 3
expect_exit 99 "s6-svwait -t 300 -U, never ready" s6-svwait -t 300 -U "$G"
touch "$WORK/g.go"
stop_supervisor

if command -v python3 >/dev/null 2>&1; then
	need_python
	say "s6-svwait -U with READY=1 on the notify socket"
	make_notify_service "$WORK/n" n
	start_supervisor n "$WORK/n"
	wait_events "start n " 1
	start_waiter svwaitN s6-svwait -U "$WORK/n"
	wait_listeners "$WORK/n" 1
	expect_waiting svwaitN "s6-svwait -U before READY=1" "$SUP"
	run_says n 'READY=1'
	waiter_exits svwaitN 0 "s6-svwait -U, READY=1"
	touch "$WORK/n.letgo"
	stop_supervisor
fi
exit 0
