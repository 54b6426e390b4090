#!/bin/sh
# The letters that signal run, through hotsv and through raw writes to
# supervise/control: a b q h t i 1 2 y reach a run that traps them (each
# one twice), k kills it (and it restarts); p stops it (state T, "paused")
# and c resumes it; d sends the signal named in ./down-signal; a run that
# ignores SIGTERM is SIGKILLed after timeout-kill ms on "hotsv down".
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

make_service "$WORK/trap" "for s in ALRM ABRT QUIT HUP TERM INT USR1 USR2 WINCH
do trap \"echo \$s >>$WORK/marks\" \$s; done
echo \$\$ >>$WORK/trap.pids
while :; do sleep 1 & wait \$!; done"
echo 1000 >"$WORK/trap/timeout-kill" # it traps SIGTERM: for the end
make_service "$WORK/pz" "echo \$\$ >$WORK/pz.pid; exec sleep 100000"
make_service "$WORK/hup" "echo \$\$ >>$WORK/hup.pids; exec sleep 100000"
echo HUP >"$WORK/hup/down-signal"
make_service "$WORK/stub" \
	"trap '' TERM; echo \$\$ >$WORK/stub.pid; exec sleep 100000"
echo 200 >"$WORK/stub/timeout-kill"
start_supervisors trap pz hup stub

# Each signal letter, once through hotsv and once raw.
wait_lines "$WORK/trap.pids" . 1
for pair in alrm:a:ALRM abort:b:ABRT quit:q:QUIT hup:h:HUP term:t:TERM \
	int:i:INT usr1:1:USR1 usr2:2:USR2 winch:y:WINCH; do
	cmd=${pair%%:*}
	letter=${pair#*:}
	letter=${letter%:*}
	sig=${pair##*:}
	hv "$cmd" "$WORK/trap" || fail "hotsv $cmd exited $?"
	wait_lines "$WORK/marks" "^$sig\$" 1
	control "$WORK/trap" "$letter"
	wait_lines "$WORK/marks" "^$sig\$" 2
done
hv signal USR1 "$WORK/trap" || fail "hotsv signal USR1 exited $?"
wait_lines "$WORK/marks" '^USR1$' 3
[ "$(count_lines "$WORK/trap.pids" .)" = 1 ] || fail "trap run restarted"
[ "$(wc -l <"$WORK/marks")" = 19 ] || fail "unexpected marks: $(cat "$WORK/marks")"

# k kills: SIGKILL, then a new run.
hv kill "$WORK/trap" || fail "hotsv kill exited $?"
wait_lines "$WORK/trap.pids" . 2
# run can be faster than its supervisor, which writes status after it
# started run: wait for the status to say it.
wait_field "$WORK/trap" signal SIGKILL
control "$WORK/trap" k
wait_lines "$WORK/trap.pids" . 3
wait_field "$WORK/trap" deaths 2

# p / c: stopped (T) and resumed, through hotsv then raw.
wait_lines "$WORK/pz.pid" . 1
pid=$(cat "$WORK/pz.pid")
wait_exec "$pid" sleep
for way in hotsv raw; do
	if [ "$way" = hotsv ]; then hv pause "$WORK/pz"; else control "$WORK/pz" p; fi
	wait_for 10 "run stopped ($way)" proc_state_is "$pid" T
	wait_field "$WORK/pz" state paused
	expect_field "$WORK/pz" paused true
	if [ "$way" = hotsv ]; then hv cont "$WORK/pz"; else control "$WORK/pz" c; fi
	wait_for 10 "run resumed ($way)" proc_state_is "$pid" S
	wait_field "$WORK/pz" state up
	expect_field "$WORK/pz" paused false
done
expect_field "$WORK/pz" pid "$pid"

# down-signal HUP, through hotsv then raw d.
wait_lines "$WORK/hup.pids" . 1
hv down "$WORK/hup" || fail "hotsv down exited $?"
wait_field "$WORK/hup" state down
expect_field "$WORK/hup" signal SIGHUP
hv up "$WORK/hup"
wait_lines "$WORK/hup.pids" . 2
control "$WORK/hup" d
wait_field "$WORK/hup" deaths 2
wait_field "$WORK/hup" state down
expect_field "$WORK/hup" signal SIGHUP

# timeout-kill: SIGTERM is ignored, SIGKILL follows.
wait_lines "$WORK/stub.pid" . 1
wait_exec "$(cat "$WORK/stub.pid")" sleep
hv down "$WORK/stub" || fail "hotsv down exited $?"
wait_field "$WORK/stub" state down
expect_field "$WORK/stub" signal SIGKILL
grep -q 'timeout-kill' "$WORK/stub.err" || fail "no log line for timeout-kill"

stop_supervisors
exit 0
