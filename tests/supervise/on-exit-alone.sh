#!/bin/sh
# on-exit and type under hotsv-supervise alone (no hotsv-scan, as with
# s6-svscan): a halt service whose run exits 3 has its finish run, then
# stays down (want down) with one line saying there is no hotsv-scan to
# shut down, and its supervisor goes on: "hotsv up" starts it again.  A
# one-shot that exits 0 is done and not restarted; hotsv restart runs it
# again.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

say "on-exit halt, alone: the service stays down, the supervisor goes on"
make_service "$WORK/app" "echo \"start app \$\$\" >>'$WORK/events'
exit 3"
make_finish "$WORK/app" "echo \"finish app \$1\" >>'$WORK/events'"
echo halt >"$WORK/app/on-exit"
start_supervisor app "$WORK/app"
wait_events "finish app 3" 1
wait_field "$WORK/app" want down
wait_lines "$WORK/app.err" "on-exit halt: no hotsv-scan to shut down; the service stays down" 1
pid_alive "$SUP" || fail "hotsv-supervise ended on an on-exit halt"
expect_events "start app" 1
hv up "$WORK/app"
wait_events "finish app 3" 2
wait_field "$WORK/app" want down
stop_supervisor

say "a one-shot, alone: done, not restarted; hotsv restart runs it again"
make_service "$WORK/job" "echo \"start job \$\$\" >>'$WORK/events'"
echo oneshot >"$WORK/job/type"
start_supervisor job "$WORK/job"
wait_field "$WORK/job" state "done"
expect_field "$WORK/job" want down
expect_events "start job" 1
hv restart "$WORK/job"
wait_events "start job" 2
wait_field "$WORK/job" state "done"
stop_supervisor
exit 0
