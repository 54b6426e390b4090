#!/bin/sh
# SCANDIR itself removed (rm -rf): every service is stopped, the scanner
# keeps running; SCANDIR created again, then filled, or moved in whole
# with its services, at once or later: they start again, and hotsv
# rescan works again (it starts a service no inotify event announced).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir "$WORK/prep" "$WORK/prepscan"
make_marked_service "$SCANDIR/a"
make_marked_service "$SCANDIR/b"
make_trapping_service "$SCANDIR/c" c
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"

# all_stopped: no supervisor and no run is left.
all_stopped() {
	[ "$(count_supervisors)" = 0 ] && [ -z "$(running_services)" ]
}

say "rm -rf SCANDIR"
remove_tree "$SCANDIR"
wait_for 30 "every service stopped" all_stopped
expect_events "stop c " 1
pid_alive "$SCAN" || fail "hotsv-scan exited when SCANDIR went away"

say "SCANDIR created again, then services moved in"
mkdir "$SCANDIR"
make_marked_service "$WORK/prep/a"
make_marked_service "$WORK/prep/d"
mv "$WORK/prep/a" "$WORK/prep/d" "$SCANDIR/"
wait_supervision "$SCANDIR"
expect_events "start a " 2
expect_events "start d " 1
expect_rescan_sees h1

say "rm -rf SCANDIR, then a full one moved in its place"
unmount "$SCANDIR/h1"
remove_tree "$SCANDIR"
wait_for 30 "every service stopped" all_stopped
make_marked_service "$WORK/prepscan/x"
make_marked_service "$WORK/prepscan/y"
mv "$WORK/prepscan" "$SCANDIR"
wait_supervision "$SCANDIR"
expect_events "start x " 1
expect_events "start y " 1
expect_rescan_sees h2

say "rm -rf SCANDIR and a full one moved in at once"
mkdir "$WORK/prepscan"
make_marked_service "$WORK/prepscan/x"
make_marked_service "$WORK/prepscan/z"
unmount "$SCANDIR/h2"
remove_tree "$SCANDIR"
mv "$WORK/prepscan" "$SCANDIR"
wait_supervision "$SCANDIR"
expect_events "start x " 2
expect_events "start y " 1
expect_events "start z " 1
expect_rescan_sees h3
stop_scanner
exit 0
