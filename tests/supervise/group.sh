#!/bin/sh
# The whole process group: when timeout-kill runs out after the
# down-signal, SIGKILL reaches run and a child of run that ignores
# SIGTERM too; when timeout-finish runs out, SIGKILL reaches finish and
# its child that ignores SIGTERM.  And a paused run is not left stopped
# with its down-signal pending: r and d send SIGCONT after it, so that a
# stopped run handles SIGTERM, exits, and (r) starts again or (d) stays
# down.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# deaf_child TAG: the shell lines that start a child ignoring SIGTERM,
# tagged TAG (see pid_of_tag), in the caller's process group.
deaf_child() {
	echo "trap '' TERM
HOTSV_TEST_SVC=$1 sleep 100000 &
echo \"child $1 \$!\" >>'$WORK/events'"
}

# child_pid TAG: the pid of TAG's deaf child.
child_pid() {
	sed -n "s/^child $1 //p" "$WORK/events" | tail -n 1
}

make_service "$WORK/tk" "$(deaf_child tk-child)
echo \"start tk \$\$\" >>'$WORK/events'
exec sleep 100000"
echo 300 >"$WORK/tk/timeout-kill"
make_service "$WORK/tf" "echo \"start tf \$\$\" >>'$WORK/events'"
make_finish "$WORK/tf" "$(deaf_child tf-child)
echo \"finish tf \$\$\" >>'$WORK/events'
exec sleep 100000"
echo 300 >"$WORK/tf/timeout-finish"
touch "$WORK/tf/down"
make_trapping_service "$WORK/pc" pc
start_supervisors tk tf pc

say "timeout-kill: SIGKILL to run's process group"
wait_events "start tk " 1
wait_events "child tk-child " 1
child=$(child_pid tk-child)
hv down "$WORK/tk" || fail "hotsv down exited $?"
wait_field "$WORK/tk" state down
expect_field "$WORK/tk" signal SIGKILL
wait_gone "$child" "run's child that ignores SIGTERM"

say "timeout-finish: SIGKILL to finish's process group"
hv once "$WORK/tf" || fail "hotsv once exited $?"
wait_events "finish tf " 1
wait_events "child tf-child " 1
child=$(child_pid tf-child)
wait_field "$WORK/tf" state down
wait_gone "$child" "finish's child that ignores SIGTERM"
grep -q 'timeout-finish' "$WORK/tf.err" || fail "no line for the finish timeout"

say "r and d reach a paused run"
wait_events "start pc " 1
run=$(start_pid pc)
wait_field "$WORK/pc" pid "$run"
hv pause "$WORK/pc" || fail "hotsv pause exited $?"
wait_for 10 "pc's run stopped" proc_state_is "$run" T
hv restart "$WORK/pc" || fail "hotsv restart exited $?"
wait_events "stop pc $run" 1
wait_events "start pc " 2
wait_field "$WORK/pc" state up
expect_field "$WORK/pc" paused false
run=$(start_pid pc)
wait_field "$WORK/pc" pid "$run"
control "$WORK/pc" p
wait_for 10 "pc's run stopped" proc_state_is "$run" T
control "$WORK/pc" d
wait_events "stop pc $run" 1
wait_field "$WORK/pc" state down
expect_events "start pc " 2

stop_supervisors
exit 0
