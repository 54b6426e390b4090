#!/bin/sh
# The on-exit file.  halt: a service whose run exits 3 on its own has
# its finish run, then hotsv-scan stops every other service (their
# finish runs) and exits 3 (unless a code was given before with hotsv
# shutdown -c); killed by a SIGKILL hotsv did not send, 137.
# "hotsv down" and "hotsv restart" of a halt service halt nothing: a
# stop asked for is not the run's own end.  halt-on-failure: a death by
# a signal hotsv sent (hotsv kill) is no failure, the service restarts;
# by a SIGKILL hotsv did not send, 137; an exit 0 leaves the service
# down, "done", not restarted, and the scanner running; hotsv status
# shows the policy.  A garbage word gets one line naming the file, and the default.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"

# make_halting DIR TAG POLICY: a service whose run appends "start TAG
# PID" to $WORK/events and exits with the number in $WORK/TAG.code once
# that file exists; its finish appends "finish TAG EXIT SIG".
make_halting() {
	make_service "$1" "echo \"start $2 \$\$\" >>'$WORK/events'
while [ ! -e '$WORK/$2.code' ]; do sleep 0.05; done
exit \$(cat '$WORK/$2.code')"
	printf '#!/bin/sh\necho "finish %s $1 $2" >>"%s"\n' "$2" \
		"$WORK/events" >"$1/finish"
	chmod +x "$1/finish"
	echo "$3" >"$1/on-exit"
}

say "on-exit halt, run exits 3: finish, the others stopped, exit 3"
make_halting "$SCANDIR/app" app halt
make_trapping_service "$SCANDIR/other" other
start_scanner "$SCANDIR"
wait_events "start app" 1
wait_events "start other" 1
wait_note app "on-exit halt"
wait_note other ""
expect_field app on_exit halt
expect_field other on_exit restart
echo 3 >"$WORK/app.code"
scanner_exits 3
expect_events "finish app 3 0" 1
expect_events "stop other" 1
expect_events "finish other 0 0" 1
expect_events "start app" 1
expect_before "finish app 3" "stop other"

say "a code given before (hotsv shutdown -c's e letter) wins over the halt's"
rm -rf "$SCANDIR" "$WORK/app.code"
: >"$WORK/events"
mkdir "$SCANDIR"
make_halting "$SCANDIR/app" app halt
start_scanner "$SCANDIR"
wait_events "start app" 1
# The code alone, then an unknown byte: its line says the code was read.
printf 'e\005Z' >"$SCANDIR/.hotsv/control"
wait_lines "$WORK/scan.err" 'control: ignored 1 unknown byte (first 0x5a)' 1
echo 3 >"$WORK/app.code"
scanner_exits 5
expect_events "finish app 3 0" 1

say "on-exit halt, run killed by a SIGKILL hotsv did not send: 137"
rm -rf "$SCANDIR" "$WORK/app.code"
: >"$WORK/events"
mkdir "$SCANDIR"
make_halting "$SCANDIR/app" app halt
make_trapping_service "$SCANDIR/other" other
start_scanner "$SCANDIR"
wait_events "start app" 1
wait_events "start other" 1
kill -KILL "$(start_pid app)"
scanner_exits 137
expect_events "finish app 256 9" 1
expect_events "finish other 0 0" 1

say "hotsv down of a halt service stops it alone; restart does not halt"
rm -rf "$SCANDIR"
: >"$WORK/events"
mkdir "$SCANDIR"
# Its run exits 7 on SIGTERM: a halt would make hotsv-scan exit 7.
make_service "$SCANDIR/app" "trap 'exit 7' TERM
echo \"start app \$\$\" >>'$WORK/events'
sleep 100000 &
wait"
make_finish "$SCANDIR/app" "echo \"finish app \$1 \$2\" >>'$WORK/events'"
echo halt >"$SCANDIR/app/on-exit"
make_trapping_service "$SCANDIR/other" other
start_scanner "$SCANDIR"
wait_events "start app" 1
wait_events "start other" 1
hv restart app
wait_events "start app" 2
expect_events "finish app 7 0" 1
hv down app
wait_events "finish app 7 0" 2
wait_field app state down
# Still running its services: up starts app again, and the end is 0.
hv up app
wait_events "start app" 3
expect_events "stop other" 0
stop_scanner

say "halt-on-failure: hotsv kill is no failure; a SIGKILL hotsv did not send is"
rm -rf "$SCANDIR" "$WORK/app.code"
: >"$WORK/events"
mkdir "$SCANDIR"
make_halting "$SCANDIR/app" app halt-on-failure
make_trapping_service "$SCANDIR/other" other
start_scanner "$SCANDIR"
wait_events "start app" 1
wait_events "start other" 1
hv kill app
wait_events "start app" 2
expect_events "finish app 256 9" 1
pid_alive "$SCAN" || fail "hotsv-scan ended after hotsv kill"
expect_events "stop other" 0
kill -KILL "$(start_pid app)"
scanner_exits 137
expect_events "finish app 256 9" 2
expect_events "finish other 0 0" 1

say "halt-on-failure, exit 0: down, done, not restarted; the scanner goes on"
rm -rf "$SCANDIR" "$WORK/job.code"
: >"$WORK/events"
mkdir "$SCANDIR"
make_halting "$SCANDIR/job" job halt-on-failure
make_trapping_service "$SCANDIR/other" other
mkdir "$SCANDIR/bad"
make_trapping_service "$SCANDIR/bad" bad
echo explode >"$SCANDIR/bad/on-exit"
start_scanner "$SCANDIR"
wait_events "start job" 1
wait_events "start other" 1
wait_events "start bad" 1
wait_note job "on-exit halt-on-failure"
echo 0 >"$WORK/job.code"
wait_events "finish job 0 0" 1
wait_field job state "done"
expect_field job want down
expect_field job exitcode 0
expect_field job health ok
# "want down" is the supervisor's decision not to restart it.
expect_events "start job" 1
pid_alive "$SCAN" || fail "hotsv-scan ended after an exit 0"
expect_events "stop other" 0

say "a garbage word: one line naming the file, and the default (restart)"
expect_field bad on_exit restart
wait_lines "$WORK/scan.err" 'on-exit: unknown word ("explode"); using restart' 1
kill -KILL "$(start_pid bad)"
wait_events "start bad" 2
pid_alive "$SCAN" || fail "hotsv-scan ended after a garbage on-exit"
[ "$(count_lines "$WORK/scan.err" "on-exit: unknown word")" = 1 ] ||
	fail "the garbage word was reported more than once: $(cat "$WORK/scan.err")"
stop_scanner
exit 0
