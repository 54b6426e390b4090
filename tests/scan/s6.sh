#!/bin/sh
# s6-svscanctl drives hotsv-scan through SCANDIR/.s6-svscan: -a rescans
# (seeing a directory mounted over a service, which inotify does not
# report), -t stops every service and makes the scanner exit 0.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
command -v s6-svscanctl >/dev/null 2>&1 || skip "needs s6-svscanctl (s6)"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_trapping_service "$SCANDIR/a" a
make_trapping_service "$SCANDIR/b" b
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"

say "s6-svscanctl -a"
make_trapping_service "$WORK/a2" a2 a
bind_mount "$WORK/a2" "$SCANDIR/a"
# inotify says nothing of a mount: only a rescan can see it.
wait_scan_settled
expect_events "start a2 " 0
expect_exit 0 "s6-svscanctl -a" s6-svscanctl -a "$SCANDIR"
wait_events "start a2 " 1
expect_before "stop a " "start a2 "
wait_supervision "$SCANDIR" a2 b
expect_no_overlap

say "s6-svscanctl -t"
expect_exit 0 "s6-svscanctl -t" s6-svscanctl -t "$SCANDIR"
scanner_exits 0
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
[ -z "$(running_services)" ] || fail "services left: $(running_services)"
expect_events "stop a2 " 1
expect_events "stop b " 1
exit 0
