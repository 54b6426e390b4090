#!/bin/sh
# Controlling hotsv-scan: a second scanner on the same SCANDIR exits 100
# and leaves the first one alone; hotsv rescan makes the scanner see what
# inotify does not report (a directory mounted over a service); hotsv
# shutdown -c 4 stops every service and makes the scanner exit 4.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir "$WORK/prep"
make_trapping_service "$SCANDIR/a" a
make_marked_service "$SCANDIR/b"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"

say "a second hotsv-scan on the same SCANDIR"
expect_exit 100 "a second hotsv-scan" hotsv-scan "$SCANDIR"
output_has "already scanned" "a second hotsv-scan"
pid_alive "$SCAN" || fail "the first hotsv-scan died"
make_marked_service "$WORK/prep/c"
mv "$WORK/prep/c" "$SCANDIR/c"
wait_supervision "$SCANDIR"
expect_events "start a " 1
expect_events "start b " 1

say "hotsv rescan sees a directory mounted over a service"
make_trapping_service "$WORK/a2" a2 a
bind_mount "$WORK/a2" "$SCANDIR/a"
# inotify says nothing of a mount: only a rescan can see it.
wait_scan_settled
expect_events "start a2 " 0
expect_exit 0 "hotsv rescan" hv rescan
wait_events "start a2 " 1
expect_before "stop a " "start a2 "
wait_supervision "$SCANDIR" a2 b c
expect_no_overlap

say "hotsv shutdown -c 4"
expect_exit 0 "hotsv shutdown -c 4" hv shutdown -c 4
scanner_exits 4
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
[ -z "$(running_services)" ] || fail "services left: $(running_services)"
expect_events "stop a2 " 1
exit 0
