#!/bin/sh
# The shutdown's grace time, hotsv-scan being PID 1 of a namespace: a
# service that ignores SIGTERM is killed (SIGKILL, its finish runs) when
# the grace time (-g 3000) is over, not before, and not much later (8 s
# of margin for a loaded machine); a
# finish script that takes a second is waited for, one that hangs is
# killed with the rest; a service added meanwhile is not started.  A
# second SIGTERM during the shutdown kills at once, long before the grace
# time (-g 20000); .hotsv/finish still runs, given the code of the main
# command (ignoring SIGTERM too, so killed: 137), and its exit status is
# hotsv-scan's.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_service "$SCANDIR/hard" hard deaf
make_signal_service "$SCANDIR/soft" soft

say "SIGKILL at the end of the grace time; SCANDIR no longer followed"
make_signal_services slowfin hangfin
make_finish "$SCANDIR/slowfin" "sleep 1
echo 'finished slowfin' >>'$WORK/events'"
make_finish "$SCANDIR/hangfin" "echo 'finishing hangfin' >>'$WORK/events'
exec sleep 100000"
start_init -g 3000 "$SCANDIR"
wait_events "start " 4
signal_scanner TERM
wait_events "stop soft" 1
make_signal_service "$WORK/late" late
mv "$WORK/late" "$SCANDIR/late"
init_exits 0
expect_events "start late" 0
expect_elapsed 3000 11000 "shutdown with -g 3000"
expect_events "stop soft" 1
expect_events "finish soft 0 0" 1
expect_events "stop hard" 0
expect_events "finish hard 256 9" 1
expect_events "finished slowfin" 1
expect_events "finishing hangfin" 1
rm -rf "$SCANDIR/late" "$SCANDIR/slowfin" "$SCANDIR/hangfin"

say "a second SIGTERM: SIGKILL at once"
: >"$WORK/events"
make_hook "$SCANDIR" .hotsv finish \
	"echo \"hook \$1\" >>'$WORK/events'; exit \$1"
start_init -g 20000 "$SCANDIR" -- "$WORK/trapper" main deaf
wait_events "start " 3
signal_scanner TERM
# The shutdown has begun when a service got its SIGTERM.
wait_events "stop soft" 1
kill -TERM "$SCAN"
init_exits 137
expect_elapsed 0 10000 "shutdown with -g 20000 and a second SIGTERM"
expect_events "finish hard 256 9" 1
expect_events "hook 137" 1
exit 0
