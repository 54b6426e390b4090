#!/bin/sh
# Never a second copy, even with a full state filesystem: the service of a
# read-only directory, whose supervise/ is in STATEDIR (a tiny tmpfs), is
# restarted while STATEDIR is full, so that neither supervise/status nor
# supervise/run-id can name its new run.  Its supervisor is then killed
# with SIGKILL: the supervisor hotsv-scan starts in its place must not
# start a second run beside the one still running (each run checks at its
# start that no earlier one is alive, and a watcher counts them every
# 20 ms).  Once space is back, "hotsv status" shows the one run.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
STATEDIR=$WORK/state
mount_tmpfs "$STATEDIR" 256
make_trapping_service "$SCANDIR/a" a
bind_readonly "$SCANDIR/a"

start_scanner -s "$STATEDIR" "$SCANDIR"
wait_supervision "$SCANDIR"
wait_field a pid "$(start_pid a)"
start_dup_watch

say "a restart with the state filesystem full"
fill_fs "$STATEDIR"
hv restart a || fail "hotsv restart a exited $?"
wait_events "start a " 2
run=$(start_pid a)
wait_for 10 "a's run $run up" pid_alive "$run"
wait_lines "$WORK/scan.err" "a: warning: write .*/run-id: No space left on device" 1

say "its supervisor killed"
old=$(supervisor_of a)
kill -KILL "$old"
wait_for 30 "a new supervisor for a" new_supervisor a "$old"
await_supervisor "$(supervisor_of a)"
# A second start would have begun by the time hotsv-scan has nothing
# due and the new supervisor has taken two turns (it retries writing its
# status every second).
wait_settled "$SCAN"
wait_turns 2 "$(supervisor_of a)"
pid_alive "$run" || fail "a's run $run died"
[ "$(tag_count a)" = 1 ] || fail "$(tag_count a) runs of a: $(cat "$WORK/events")"
expect_events "start a " 2
expect_no_overlap

say "space is back"
rm -f "$STATEDIR/filler" "$STATEDIR/filler2"
wait_field a pid "$run"
expect_field a state up
stop_dup_watch
expect_no_dups
expect_no_overlap
stop_scanner
exit 0
