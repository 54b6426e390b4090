#!/bin/sh
# The health rule of hotsv check, of "health" in hotsv status --json and
# of hotsv-scan --wait-ready: a service whose run died under its
# supervisor is "restarting", not healthy, until it has stayed up (and
# ready, with readiness) for one second.  flap dies 300 ms after each
# start: hotsv check flap fails on each of at least 20 polls spread over
# two restarts from its first death, each saying "restarting: died N
# times, last exit 1", and the health key says "restarting" each time,
# while some polls see flap up.  steady never died and passes as soon as
# it is up.  A logger that exits 127 after 0.3 s makes hotsv check (every
# service) fail on every poll with one line naming it.  --wait-ready
# starts the main command only once a service that died once has been
# up a second (hotsv check, run by the main command, passes), though the
# last event (another service ready) came before that.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# poll_checks N STARTS LINE COMMAND...: run COMMAND until it has run N
# times and $WORK/events holds STARTS lines starting with LINE (at most
# 2000 runs); each run appends its exit code and its output, on one
# line, to $WORK/polls.  (Not named poll_until: that would replace the
# library's, which every wait_for calls.)  Two restarts are enough: from
# the first death on, the polls see flap down for the 1 s restart
# throttle, up for 0.3 s, down again, each phase sampled by several
# polls, and a check that passed in either phase fails the test.
poll_checks() {
	_n=$1
	_starts=$2
	_line=$3
	shift 3
	_runs=0
	: >"$WORK/polls"
	while [ "$_runs" -lt "$_n" ] ||
		[ "$(event_count "$_line")" -lt "$_starts" ]; do
		[ "$_runs" -lt 2000 ] || fail "no $_starts '$_line' in 2000 polls"
		"$@" >"$WORK/poll.out" 2>&1
		echo "$? $(tr '\n' '|' <"$WORK/poll.out")" >>"$WORK/polls"
		_runs=$((_runs + 1))
		sleep 0.05
	done
}

# expect_polls PATTERN WHAT: every line of $WORK/polls matches PATTERN.
expect_polls() {
	grep -v -- "$1" "$WORK/polls" >"$WORK/polls.bad"
	[ ! -s "$WORK/polls.bad" ] ||
		fail "$2: $(wc -l <"$WORK/polls.bad") of $(wc -l <"$WORK/polls") polls differ, such as: $(head -n 3 "$WORK/polls.bad")"
}

# died_once SERVICE: hotsv status counts a death of SERVICE.
died_once() {
	[ "$(status_field "$1" deaths)" -ge 1 ]
}

# check_and_status SERVICE: hotsv status --json SERVICE, then hotsv check
# SERVICE (a poll of poll_checks).
check_and_status() {
	hv status --json "$1"
	hv check "$1"
}

# --wait-ready (checked last) runs side by side with the rest: a
# hotsv-scan of its own, on a scan directory of its own, and lines of its
# own in $WORK/events (again, main, check).
use_scandir "$WORK/scan3"
make_service "$SCANDIR/once" "if [ -e '$WORK/died' ]; then
	echo \"again \$(date +%s%N)\" >>'$WORK/events'
	exec sleep 100000
fi
touch '$WORK/died'
exit 1"
# gate holds the main command back until once runs again, then is ready
# at once: from then on, only once's second of probation holds it back.
make_service "$SCANDIR/gate" "until grep -q '^again ' '$WORK/events'; do
	sleep 0.05
done
echo >&3
exec sleep 100000"
echo 3 >"$SCANDIR/gate/notification-fd"
# The main command asks hotsv check about once the moment it starts: the
# scanner's rule and hotsv check's are one rule, so check must pass and
# count the death.
# shellcheck disable=SC2016
timeout 60 hotsv-scan --wait-ready "$SCANDIR" -- \
	sh -c 'echo "main $(date +%s%N)" >>"$1/events"
		hotsv check once >"$1/check.out" 2>&1
		echo "check $?" >>"$1/events"
		hotsv status --json once >"$1/status.json"' sh "$WORK" \
	>>"$WORK/wait-ready.out" 2>>"$WORK/wait-ready.err" &
WAIT_READY=$!

use_scandir "$WORK/scan"
make_service "$SCANDIR/flap" "echo \"start flap \$\$\" >>'$WORK/events'
sleep 0.3
exit 1"
make_marked_service "$SCANDIR/steady"
start_scanner "$SCANDIR"

say "a service that never died passes as soon as it is up"
wait_field steady state up
expect_exit 0 "hotsv check steady" hv check steady
expect_field steady health ok

say "a service that died before fails every poll, over two restarts"
wait_for 10 "flap to die once" died_once flap
poll_checks 20 $(($(event_count "start flap ") + 2)) "start flap " \
	check_and_status flap
expect_polls '^1 {"name":"flap",.*"health":"restarting"}|flap: restarting: died [0-9]* times\?, last exit 1|$' \
	"hotsv check flap while flap restarts"
grep -q '"state":"up"' "$WORK/polls" ||
	fail "no poll saw flap up: $(head -n 5 "$WORK/polls")"
say "$(wc -l <"$WORK/polls") polls, $(grep -c '"state":"up"' "$WORK/polls") with flap up"
stop_scanner

say "a crash-looping logger fails hotsv check every time"
use_scandir "$WORK/scan2"
make_marked_service "$SCANDIR/web"
make_service "$SCANDIR/web/log" "echo \"start log \$\$\" >>'$WORK/events'
sleep 0.3
exec '$WORK/no-such-logger'"
start_scanner "$SCANDIR"
wait_for 10 "web/log to die once" died_once web/log
poll_checks 20 $(($(event_count "start log ") + 2)) "start log " hv check
expect_polls '^1 web/log: restarting: died [0-9]* times\?, last exit 127|$' \
	"hotsv check while web/log restarts"
stop_scanner

say "--wait-ready: the main command once a service that died is up 1 s"
wait "$WAIT_READY"
rc=$?
[ "$rc" = 0 ] || fail "hotsv-scan --wait-ready exited $rc, expected 0"
stamp_of again
again=$STAMP
stamp_of main
main=$STAMP
[ "$main" -gt "$again" ] ||
	fail "the main command came before once ran again"
grep -qx 'check 0' "$WORK/events" ||
	fail "hotsv check once failed as the main command started: $(cat "$WORK/check.out")"
grep -q '"deaths":1,' "$WORK/status.json" ||
	fail "once's death is not on record: $(cat "$WORK/status.json")"
say "the main command came $(((main - again) / 1000000)) ms after the restart; hotsv check passed"
exit 0
