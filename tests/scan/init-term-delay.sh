#!/bin/sh
# hotsv-scan --term-delay, as PID 1 of a namespace: on SIGTERM, hotsv
# check fails at once while the service runs on (its pid alive, no
# SIGTERM yet); a service killed meanwhile is restarted as usual, and
# one that appears in SCANDIR meanwhile is started; the
# service gets its SIGTERM no sooner than the delay after ours (a lower
# bound, the contract; 500 ms of margin for the clocks), and hotsv-scan
# exits 0 as usual.  A second SIGTERM ends a 60 s delay at once, and so
# does a SIGINT (Ctrl-C) on its own: both well under the delay.  Each
# new hotsv-scan passes hotsv check before its SIGTERM: it removed the
# .hotsv/stopping its predecessor left.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
# web: a shell marked HOTSV_TEST_SVC=web (its sleep is not) that
# writes the time (ms) to $WORK/termed on SIGTERM.
make_service "$SCANDIR/web" "[ \"\${HOTSV_TEST_SVC:-}\" = web ] || HOTSV_TEST_SVC=web exec ./run
trap 'echo \$((\$(date +%s%N) / 1000000)) >\"$WORK/termed\"; exit 0' TERM
env -u HOTSV_TEST_SVC sleep 100000 &
wait"

# web_pid: web's pid, as this namespace sees it.
web_pid() {
	pid_of_tag web
}

# web_started: web has written its pid and is alive.
web_started() {
	_pid=$(web_pid)
	[ -n "$_pid" ] && pid_alive "$_pid"
}

# web_restarted OLD: web runs with a pid other than OLD.
web_restarted() {
	web_started && [ "$(web_pid)" != "$1" ]
}

# check_fails: hotsv check exits 1.
check_fails() {
	hotsv check >"$WORK/check.out" 2>&1
	[ $? = 1 ]
}

# start_web OPTION...: a fresh start_init with web up and passing check.
start_web() {
	rm -f "$WORK/termed"
	start_init "$@" "$SCANDIR"
	wait_for 30 "web to start" web_started
	expect_exit 0 "hotsv check before the SIGTERM" hotsv check
}

DELAY=10000
say "SIGTERM with --term-delay $DELAY: check fails, web runs on"
start_web --term-delay "$DELAY"
first=$(web_pid)
signal_scanner TERM
wait_for 5 "hotsv check to fail after SIGTERM" check_fails
[ -e "$WORK/termed" ] && fail "web got SIGTERM during the delay"
pid_alive "$first" || fail "web ($first) is gone during the delay"
grep -q stopping "$WORK/check.out" ||
	fail "hotsv check does not say why: $(cat "$WORK/check.out")"

say "a service killed during the delay is restarted"
kill -KILL "$first"
wait_for 20 "web to restart during the delay" web_restarted "$first"
expect_exit 1 "hotsv check during the delay, web back" hotsv check

say "a service that appears during the delay is started"
make_service "$WORK/late" "echo started >'$WORK/late.started'
exec sleep 100000"
mv "$WORK/late" "$SCANDIR/late"
wait_for 20 "late to start during the delay" test -e "$WORK/late.started"
[ -e "$WORK/termed" ] && fail "web got SIGTERM during the delay"
init_exits 0 40
[ -s "$WORK/termed" ] || fail "web never got its SIGTERM"
waited=$(($(cat "$WORK/termed") - START_MS))
say "web got SIGTERM $waited ms after hotsv-scan"
[ "$waited" -ge $((DELAY - 500)) ] ||
	fail "web got SIGTERM $waited ms after hotsv-scan, before the delay ($DELAY ms)"
grep -q "draining" "$WORK/scan.err" || fail "no line says it drains"

rm -rf "$SCANDIR/late"

say "a second SIGTERM ends a 60 s delay"
start_web --term-delay 60000
signal_scanner TERM
wait_for 10 "hotsv check to fail after SIGTERM" check_fails
kill -TERM "$SCAN"
init_exits 0 40
expect_elapsed 0 30000 "shutdown after a second SIGTERM"
[ -s "$WORK/termed" ] || fail "web never got its SIGTERM"

say "SIGINT (Ctrl-C) does not wait for the delay"
start_web --term-delay 60000
signal_scanner INT
init_exits 0 40
expect_elapsed 0 30000 "shutdown after SIGINT"
[ -s "$WORK/termed" ] || fail "web never got its SIGTERM"
exit 0
