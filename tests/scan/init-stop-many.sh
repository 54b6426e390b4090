#!/bin/sh
# hotsv-scan as PID 1 of a namespace stops its services all at once, not
# one after another: 50 services that each hold on to SIGTERM until a
# gate opens all get it while none has ended (one stopped after another
# would get no further than the first), then all stop by themselves
# (their "stop" lines, finish 0 0) and hotsv-scan exits 0 without a
# SIGKILL.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
i=0
while [ "$i" -lt 50 ]; do
	make_signal_service "$SCANDIR/s$i" "s$i" gated
	i=$((i + 1))
done
start_init -g 600000 "$SCANDIR"
wait_events "start " 50
signal_scanner TERM
wait_events "term s" 50
expect_events "stop s" 0
touch "$WORK/gate"
init_exits 0
expect_events "stop s" 50
expect_events "finish s[0-9]* 0 0" 50
expect_no_sigkill
exit 0
