#!/bin/sh
# The signal table of hotsv-scan as PID 1 of a namespace: TERM, INT and
# QUIT each stop every service (through its supervisor: its run gets
# SIGTERM, not the signal itself) and make hotsv-scan exit 0; HUP, USR1,
# USR2 and WINCH reach the run of every service; ALRM makes it rescan
# SCANDIR and see a directory mounted over a service, which inotify does
# not report.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
command -v nsenter >/dev/null 2>&1 || skip "needs nsenter (util-linux)"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a b

for sig in TERM INT QUIT; do
	say "SIG$sig: graceful shutdown"
	: >"$WORK/events"
	start_init "$SCANDIR"
	wait_events "start " 2
	signal_scanner "$sig"
	init_exits 0
	expect_events "stop " 2
	expect_events "finish [ab] 0 0" 2
	expect_events "$sig " 0
done

say "HUP, USR1, USR2, WINCH reach every service's run"
: >"$WORK/events"
start_init "$SCANDIR"
wait_events "start " 2
for sig in HUP USR1 USR2 WINCH; do
	signal_scanner "$sig"
	wait_events "$sig a" 1
	wait_events "$sig b" 1
done
expect_events "stop " 0

say "ALRM: a full rescan"
make_signal_service "$WORK/a2" a2
# In hotsv-scan's own mount namespace: inotify says nothing of a mount.
nsenter -t "$SCAN" -m mount --bind "$WORK/a2" "$SCANDIR/a" ||
	fail "cannot mount $WORK/a2 on $SCANDIR/a for hotsv-scan"
sup=$(supervisor_of a)
wait_scan_settled
[ "$(supervisor_of a)" = "$sup" ] || fail "a's supervisor changed without a rescan"
expect_events "start a2 " 0
signal_scanner ALRM
wait_events "start a2 " 1
expect_events "stop a" 1
signal_scanner TERM
init_exits 0
expect_events "stop a2" 1
expect_events "stop b" 1
expect_events "ALRM " 0
exit 0
