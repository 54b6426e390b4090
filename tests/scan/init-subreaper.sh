#!/bin/sh
# hotsv-scan not PID 1 is a child subreaper: the orphan of a service is
# reparented to it and reaped when it ends (no zombie), 200 double-forked
# children leave no zombie, and at shutdown a descendant that left its
# service's session gets SIGTERM, and the time to act on it; one that
# ignores SIGTERM is killed (and reaped) before hotsv-scan exits.  A
# real-time signal (SIGRTMIN, SIGRTMIN+3 as systemd-style images stop
# with, SIGRTMAX) is ignored: hotsv-scan still starts a service added
# after it, rather than dying of the signal's default action.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_forker_service "$SCANDIR/forker" forker 200
write_trapper
make_service "$SCANDIR/parent" "(sh -c 'echo \"orphan \$\$\" >>$WORK/events
	while [ ! -e $WORK/go ]; do sleep 0.05; done' &)
setsid sh -c 'trap \"\" TERM; echo \"deaf \$\$\" >>$WORK/events
	exec sleep 100000' &
exec '$WORK/trapper' parent"
start_scanner "$SCANDIR"
wait_events "orphan " 1
orphan=$(sed -n 's/^orphan //p' "$WORK/events")
wait_for 10 "the orphan (pid $orphan) to be hotsv-scan's child" sh -c \
	"[ \"\$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$orphan/status)\" = $SCAN ]"
touch "$WORK/go"
wait_for 10 "the orphan (pid $orphan) to be reaped" test ! -e "/proc/$orphan"

wait_events "forked forker" 1
wait_events "start forker" 1
wait_events "leftover forker" 1
wait_events "deaf " 1
deaf=$(sed -n 's/^deaf //p' "$WORK/events")
wait_for 10 "no zombie under hotsv-scan" no_zombies_under "$SCAN"
leftover=$(sed -n 's/^leftover forker //p' "$WORK/events")
pid_alive "$leftover" || fail "the leftover (pid $leftover) is gone already"

for rt in 34 37 64; do
	kill -"$rt" "$SCAN" || fail "cannot send signal $rt to hotsv-scan"
	make_service "$WORK/after$rt" "echo \"start after$rt\" >>'$WORK/events'
exec sleep 100000"
	mv "$WORK/after$rt" "$SCANDIR/"
	wait_events "start after$rt" 1
	pid_alive "$SCAN" || fail "hotsv-scan died of signal $rt"
done
stop_scanner
expect_events "swept forker" 1
expect_before "stop forker" "swept forker"
wait_for 10 "the leftover (pid $leftover) to be gone" \
	test ! -e "/proc/$leftover"
wait_for 10 "the leftover ignoring SIGTERM (pid $deaf) to be gone" \
	test ! -e "/proc/$deaf"
exit 0
