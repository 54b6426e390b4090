#!/bin/sh
# hotsv-scan as PID 1 of a namespace stops its services all at once: 50
# services that each take a second to handle SIGTERM all do (each writes
# its "stop" line), and the shutdown ends well inside the grace time
# (-g 5000: in less than 4 s), not one service after another.
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
i=0
while [ "$i" -lt 50 ]; do
	make_signal_service "$SCANDIR/s$i" "s$i" slow
	i=$((i + 1))
done
start_init -g 5000 "$SCANDIR"
wait_events "start " 50
signal_scanner TERM
init_exits 0
expect_elapsed 1000 4000 "stopping 50 services with -g 5000"
expect_events "stop s" 50
expect_events "finish s[0-9]* 0 0" 50
exit 0
