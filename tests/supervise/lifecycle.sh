#!/bin/sh
# The supervisor's own life: SIGTERM brings the service down, runs finish
# and exits 0; SIGHUP leaves the service running and exits (0) when it next
# dies on its own, without restarting it; a second hotsv-supervise on the
# same directory exits 100 saying it is already supervised, and the first
# one keeps working.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

S=$WORK/svc
make_service "$S" "echo \$\$ >>$WORK/pids; exec sleep 100000"
make_finish "$S" "echo \"\$@\" >>$WORK/finish.args"

# SIGTERM.
start_supervisor sup "$S"
wait_lines "$WORK/pids" . 1
run=$(last_line "$WORK/pids")
stop_supervisor
pid_alive "$run" && fail "run survived the supervisor's SIGTERM"
[ "$(cat "$WORK/finish.args" 2>/dev/null)" = "256 15 $S $run" ] ||
	fail "finish after SIGTERM: '$(cat "$WORK/finish.args" 2>/dev/null)'"
expect_exit 1 "status after the supervisor left" hv status "$S"
output_has "not supervised" "status after the supervisor left"

# SIGHUP: keeps running until run dies by itself.
start_supervisor sup "$S"
wait_lines "$WORK/pids" . 2
run=$(last_line "$WORK/pids")
wait_exec "$run" sleep
kill -HUP "$SUP"
# Once it has handled SIGHUP, it has signalled run if it was to.
wait_settled "$SUP"
no_signal_pending "$run" || fail "run died on the supervisor's SIGHUP"
expect_field "$S" state up
kill -USR1 "$run"
wait_gone "$SUP" "supervisor after SIGHUP and run's death"
wait "$SUP" || fail "supervisor exited $? after SIGHUP"
[ "$(count_lines "$WORK/pids" .)" = 2 ] || fail "run restarted after SIGHUP"
[ "$(last_line "$WORK/finish.args")" = "256 10 $S $run" ] ||
	fail "finish after SIGHUP: '$(last_line "$WORK/finish.args")'"

# A second supervisor on the same directory.
start_supervisor sup "$S"
wait_lines "$WORK/pids" . 3
expect_exit 100 "second hotsv-supervise" hotsv-supervise "$S"
output_has "already supervised" "second hotsv-supervise"
[ "$(wc -l <"$WORK/cmd.out")" = 1 ] || fail "second supervisor said more than one line"
[ "$(count_lines "$WORK/pids" .)" = 3 ] || fail "the second supervisor started run"
hv restart "$S" || fail "hotsv restart exited $?"
wait_lines "$WORK/pids" . 4
wait_field "$S" pid "$(last_line "$WORK/pids")"
stop_supervisor
exit 0
