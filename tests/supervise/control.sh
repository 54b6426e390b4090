#!/bin/sh
# The letters that change what is wanted, through hotsv and raw writes to
# supervise/control: a ./down service is not started until "hotsv up";
# r restarts; d/u stop and start; D/U also create/remove ./down; o runs
# once (no restart after death); O and Q want down but leave run alone (Q
# also creates ./down); x makes the supervisor exit (exit 0) once the
# service is down; unknown bytes give one warning and change nothing.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# pid_service NAME: $WORK/NAME, whose runs log their pids in
# $WORK/NAME.pids.
pid_service() {
	make_service "$WORK/$1" "echo \$\$ >>$WORK/$1.pids; exec sleep 100000"
}

# starts NAME: how many times NAME's run was started.
starts() {
	count_lines "$WORK/$1.pids" .
}

# restarted_by N COMMAND...: COMMAND restarts svc's run as start number N.
restarted_by() {
	_n=$1
	shift
	_old=$(last_line "$WORK/svc.pids")
	"$@" || fail "$*: exited $?"
	wait_lines "$WORK/svc.pids" . "$_n"
	wait_gone "$_old" "run before a restart"
}

# kill_run NAME: kill NAME's run behind the supervisor's back.
kill_run() {
	wait_field "$WORK/$1" pid "$(last_line "$WORK/$1.pids")"
	kill -TERM "$(last_line "$WORK/$1.pids")"
	wait_field "$WORK/$1" state down
}

S=$WORK/svc
for s in svc once1 once2 big-o big-q xs; do
	pid_service "$s"
done
touch "$S/down" "$WORK/once1/down" "$WORK/once2/down"
start_supervisors svc once1 once2 big-o big-q

# ./down: not started; hotsv up starts it.
expect_field "$S" state down
expect_field "$S" normally down
expect_field "$S" want down
hv up "$S" || fail "hotsv up exited $?"
wait_lines "$WORK/svc.pids" . 1
wait_field "$S" state up
expect_field "$S" want up
expect_field "$S" normally down

# r: restart, through hotsv then raw.
restarted_by 2 hv restart "$S"
expect_field "$S" signal SIGTERM
restarted_by 3 control "$S" r

# d / u.
hv down "$S"
wait_field "$S" state down
expect_field "$S" want down
hv up "$S"
wait_lines "$WORK/svc.pids" . 4
control "$S" d
wait_field "$S" state down
control "$S" u
wait_lines "$WORK/svc.pids" . 5
wait_field "$S" state up

# D / U: as d / u, with ./down.
rm -f "$S/down"
control "$S" D
wait_field "$S" state down
[ -e "$S/down" ] || fail "D did not create ./down"
expect_field "$S" normally down
control "$S" U
wait_lines "$WORK/svc.pids" . 6
[ -e "$S/down" ] && fail "U did not remove ./down"
expect_field "$S" normally up
expect_field "$S" want up

# Unknown bytes: one warning line, and the supervisor still obeys.
control "$S" 'zZ?'
wait_lines "$WORK/svc.err" unknown 1
restarted_by 7 control "$S" r
[ "$(count_lines "$WORK/svc.err" unknown)" = 1 ] ||
	fail "unknown bytes: $(count_lines "$WORK/svc.err" unknown) warnings"

# o from down, through hotsv and raw; O and Q on running services.
hv once "$WORK/once1" || fail "hotsv once exited $?"
control "$WORK/once2" o
wait_lines "$WORK/big-o.pids" . 1
control "$WORK/big-o" O
wait_lines "$WORK/big-q.pids" . 1
control "$WORK/big-q" Q
for s in once1 once2 big-o big-q; do
	wait_lines "$WORK/$s.pids" . 1
	wait_field "$WORK/$s" want down
	expect_field "$WORK/$s" state up
done
[ -e "$WORK/big-q/down" ] || fail "Q did not create ./down"
[ -e "$WORK/big-o/down" ] && fail "O created ./down"

# x while up: the supervisor stays until the service is down.
start_supervisor xs "$WORK/xs"
wait_lines "$WORK/xs.pids" . 1
hv exit "$WORK/xs" || fail "hotsv exit exited $?"

# Deaths now: a restart would come 1 s later, so look once their
# supervisors have nothing due.
for s in once1 once2 big-o big-q; do
	kill_run "$s"
done
wait_settled $(supervisor_of once1) $(supervisor_of once2) \
	$(supervisor_of big-o) $(supervisor_of big-q)
for s in once1 once2 big-o big-q; do
	[ "$(starts "$s")" = 1 ] || fail "$s: restarted after o, O or Q"
done
pid_alive "$SUP" || fail "supervisor exited on x while the service was up"
expect_field "$WORK/xs" state up
hv down "$WORK/xs"
wait_gone "$SUP" "supervisor after x and down"
wait "$SUP" || fail "supervisor exited $? after x"
pid_alive "$(last_line "$WORK/xs.pids")" && fail "service outlived x"

# x when already down: it exits at once.
start_supervisor xs "$WORK/xs"
wait_lines "$WORK/xs.pids" . 2
control "$WORK/xs" dx
wait_gone "$SUP" "supervisor after d then x"
wait "$SUP" || fail "supervisor exited $? after dx"

# A letter after x in the same write, while down: the supervisor exits
# and starts nothing (a "u" would otherwise leave a run nobody watches).
touch "$WORK/xs/down"
start_supervisor xs "$WORK/xs"
control "$WORK/xs" xu
wait_gone "$SUP" "supervisor after xu"
wait "$SUP" || fail "supervisor exited $? after xu"
# A run it started would be alive now (as a child still being set up, or
# as run, whose working directory is the service's).
[ -z "$(procs_of "$WORK/xs")" ] || fail "xu started a run: $(procs_of "$WORK/xs")"
[ "$(wc -l <"$WORK/xs.pids")" = 2 ] || fail "xu started a run"

stop_supervisors
exit 0
