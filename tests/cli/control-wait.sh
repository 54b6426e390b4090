#!/bin/sh
# hotsv up|down|restart --wait: up --wait returns with the service ready
# (readiness takes 0.3 s), down --wait with run dead and finish done,
# restart --wait with a new run that is ready; a service that fails
# permanently makes up --wait exit 1; once --wait is refused (100).
# They subscribe before they send: with a run that is ready at once, or
# has no readiness, and no finish, each of many rounds returns (a 'u' or
# 'U' missed would hang it).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

R=$WORK/r
make_ready_service "$R" r
make_finish "$R" "sleep 0.3; echo \"finish r \$(date +%s%N)\" >>'$WORK/events'"
touch "$R/down"
for n in 1 2 3 4 5 6; do
	make_service "$WORK/i$n" "echo >&3; exec sleep 100000"
	echo 3 >"$WORK/i$n/notification-fd"
	make_service "$WORK/p$n" "exec sleep 100000"
done
make_service "$WORK/f" "exit 1"
make_finish "$WORK/f" "exit 125"
echo 3 >"$WORK/f/notification-fd"
touch "$WORK/f/down"
start_supervisors r f i1 i2 i3 i4 i5 i6 p1 p2 p3 p4 p5 p6

# hv_wait COMMAND DIR: hotsv COMMAND --wait DIR must exit 0 (given 10 s).
hv_wait() {
	timeout 10 hotsv "$1" --wait "$2" >"$WORK/cmd.out" 2>&1 ||
		fail "hotsv $1 --wait $2: exit $? ($(cat "$WORK/cmd.out"))"
}

say "up --wait: ready when it returns"
hv_wait up "$R"
expect_field "$R" state ready
expect_events "ready r " 1

say "down --wait: finish done when it returns"
hv_wait down "$R"
expect_field "$R" state down
expect_events "exit r " 1
expect_events "finish r " 1

say "restart --wait: a new run, ready"
hv_wait up "$R"
pid=$(status_field "$R" pid)
hv_wait restart "$R"
expect_field "$R" state ready
[ "$(status_field "$R" pid)" != "$pid" ] || fail "restart --wait: same pid $pid"
expect_events "ready r " 3
expect_events "finish r " 2

# up_a_second DIR: DIR's run has been up for a second or more (one that
# dies younger is restarted only a second later: the throttle).
up_a_second() {
	[ "$(status_field "$1" seconds)" -ge 1 ]
}

# cycle SERVICE STATE [restart]: (restart --wait SERVICE: a new run in
# STATE), down --wait (down), up --wait (STATE again).  A run up for a
# second comes back at once after a restart (STATE: ready, or up for a
# service without readiness).
cycle() {
	if [ -n "${3:-}" ]; then
		wait_for 10 "$1 up for a second" up_a_second "$WORK/$1"
		_pid=$(status_field "$WORK/$1" pid)
		hv_wait restart "$WORK/$1"
		[ "$(status_field "$WORK/$1" pid)" != "$_pid" ] ||
			fail "restart --wait of $1: same pid $_pid"
		expect_field "$WORK/$1" state "$2"
	fi
	hv_wait down "$WORK/$1"
	expect_field "$WORK/$1" state down
	hv_wait up "$WORK/$1"
	expect_field "$WORK/$1" state "$2"
}

say "instant changes: ready at once, or no readiness; no finish"
cycle p1 up restart
for round in 1 2; do
	for n in 1 2 3 4 5 6; do
		cycle "i$n" ready restart
		cycle "p$n" up
	done
done

say "up --wait on a service that fails permanently: 1"
expect_exit 1 "hotsv up --wait, finish exits 125" timeout 10 hotsv up --wait "$WORK/f"
output_has "failed permanently" "hotsv up --wait, finish exits 125"
expect_exit 100 "hotsv once --wait" hv once --wait "$R"
exit 0
