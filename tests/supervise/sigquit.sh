#!/bin/sh
# Signals to hotsv-supervise itself (started with SIGINT and SIGQUIT at
# their defaults, as hotsv-scan starts it; a shell starts a background
# job with them ignored).  SIGINT acts as SIGTERM: run gets its
# down-signal (SIGUSR1 here) and SIGCONT, finish runs, and the supervisor
# exits 0.  SIGQUIT acts as SIGHUP: run is not signalled, the supervisor
# exits 0 once run has died, without restarting it; and its descriptors
# 0, 1 and 2 point at /dev/null at once.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# start_plain_supervisor NAME: hotsv-supervise $WORK/NAME with SIGINT and
# SIGQUIT at their defaults, stdin from $WORK/NAME.in, output in
# $WORK/NAME.out and .err; sets SUP once it listens.
start_plain_supervisor() {
	: >"$WORK/$1.in"
	env --default-signal=INT,QUIT hotsv-supervise "$WORK/$1" \
		<"$WORK/$1.in" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	SUP=$!
	await_supervisor "$SUP"
}

# fds_null PID: descriptors 0, 1 and 2 of PID are /dev/null.
fds_null() {
	for _fd in 0 1 2; do
		[ "$(readlink "/proc/$1/fd/$_fd")" = /dev/null ] || return 1
	done
}

make_service "$WORK/int" "trap 'echo \"usr1 int \$\$\" >>\"$WORK/events\"; exit 0' USR1
echo \"start int \$\$\" >>'$WORK/events'
sleep 100000 &
wait"
echo SIGUSR1 >"$WORK/int/down-signal"
make_finish "$WORK/int" "echo \"finish int \$1 \$2\" >>'$WORK/events'"
make_marked_service "$WORK/quit" quit

say "SIGINT: as SIGTERM"
start_plain_supervisor int
wait_events "start int " 1
run=$(start_pid int)
wait_field "$WORK/int" pid "$run"
kill -INT "$SUP"
wait_events "usr1 int $run" 1
wait_events "finish int 0 0" 1
wait_gone "$SUP" "hotsv-supervise after SIGINT"
wait "$SUP"
rc=$?
[ "$rc" = 0 ] || fail "hotsv-supervise exited $rc on SIGINT"
expect_events "start int " 1

say "SIGQUIT: as SIGHUP, and /dev/null on 0, 1 and 2"
start_plain_supervisor quit
wait_events "start quit " 1
run=$(start_pid quit)
wait_field "$WORK/quit" pid "$run"
fds_null "$SUP" && fail "the supervisor's descriptors were /dev/null already"
kill -QUIT "$SUP"
wait_for 10 "the supervisor's 0, 1 and 2 on /dev/null" fds_null "$SUP"
wait_settled "$SUP"
no_signal_pending "$run" || fail "run was signalled on the supervisor's SIGQUIT"
pid_alive "$SUP" || fail "hotsv-supervise exited on SIGQUIT while run was up"
kill "$run"
wait_gone "$SUP" "hotsv-supervise once run died"
wait "$SUP"
rc=$?
[ "$rc" = 0 ] || fail "hotsv-supervise exited $rc after SIGQUIT"
[ -z "$(procs_of "$WORK/quit")" ] ||
	fail "quit started again: $(procs_of "$WORK/quit")"
expect_events "start quit " 1
exit 0
