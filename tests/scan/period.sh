#!/bin/sh
# hotsv-scan -t MS reads SCANDIR again every MS milliseconds, for file
# systems that send no inotify events: a service that appears without any
# event (mounted over an empty directory of SCANDIR) starts with no rescan
# asked for, and so does a second one later.  Without -t, hotsv-scan has
# no timeout in its wait (nothing periodic).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/a"

say "without -t: no periodic wake-up"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"
wait_settled "$SCAN"
stop_scanner

say "-t 200: a service no event announced starts by itself"
# (A periodic scanner is never without a deadline: no wait_supervision.)
start_scanner -t 200 "$SCANDIR"
wait_for 30 "a supervised" supervision_exact "$SCANDIR"
hide_service h1
wait_events "start h1 " 1
wait_field h1 state up
say "and a second one, later"
hide_service h2
wait_events "start h2 " 1
wait_for 30 "a, h1 and h2 supervised" supervision_exact "$SCANDIR"
expect_events "start a " 2
expect_events "start h1 " 1
grep -q 'rescan\|unknown' "$WORK/scan.err" &&
	fail "hotsv-scan said: $(cat "$WORK/scan.err")"
stop_scanner
exit 0
