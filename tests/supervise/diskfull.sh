#!/bin/sh
# The state directory's filesystem is full: a read-only service directory
# keeps its supervise/ in STATEDIR, here a tiny tmpfs, which is then filled
# to the last byte.  Restarts of the service go on (its runs start and
# stop as asked, one at a time), while supervise/status cannot be written:
# one line says so, however many changes fail.  Once space is freed, the
# supervisor writes it again by itself, without a further change of the
# service: "hotsv status" shows the run that is up, and one line says the
# status is written again.  Another service, whose directory is writable,
# is untouched throughout.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
STATEDIR=$WORK/state
mount_tmpfs "$STATEDIR" 256
make_trapping_service "$SCANDIR/a" a
bind_readonly "$SCANDIR/a"
make_marked_service "$SCANDIR/b"

start_scanner -s "$STATEDIR" "$SCANDIR"
wait_supervision "$SCANDIR"
[ -f "$STATEDIR/a/supervise/status" ] || fail "a's status is not in $STATEDIR"
wait_field a pid "$(start_pid a)"

say "the state filesystem is full"
fill_fs "$STATEDIR"
# Two restarts, each a few status writes that fail, and the retries
# below: one line per failure would show as many lines (a third restart
# would prove it no better, and costs a second of restart throttle).
for n in 2 3; do
	hv restart a || fail "hotsv restart a exited $?"
	wait_events "start a " "$n"
	wait_for 10 "a's run $(start_pid a) up" pid_alive "$(start_pid a)"
done
wait_lines "$WORK/scan.err" "a: warning: write $STATEDIR/a/supervise/status: No space left on device" 1
# It tries again every second: two more tries, and still one line.
wait_turns 2 "$(supervisor_of a)"
[ "$(count_lines "$WORK/scan.err" "supervise/status")" = 1 ] ||
	fail "not one line for the failing status writes: $(cat "$WORK/scan.err")"
[ "$(tag_count a)" = 1 ] || fail "runs of a: $(running_services)"
expect_field b state up
run=$(start_pid a)

say "space is back: the status is right again"
rm -f "$STATEDIR/filler" "$STATEDIR/filler2"
wait_lines "$WORK/scan.err" "a: $STATEDIR/a/supervise/status: written again" 1
expect_field a pid "$run"
expect_field a state up
pid_alive "$run" || fail "a's run $run died"
expect_events "start a " 3
expect_no_overlap
wait_supervision "$SCANDIR"
stop_scanner
exit 0
