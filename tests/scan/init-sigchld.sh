#!/bin/sh
# hotsv-scan started with SIGCHLD ignored (inherited across exec, as a
# careless parent may leave it) must still see its children end: as PID 1
# of a namespace, the main command's exit 3 ends it with 3, after its
# services are stopped.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a
INIT_WRAP="env --ignore-signal=CHLD" start_init "$SCANDIR" -- \
	sh -c "while [ ! -e '$WORK/go' ]; do sleep 0.05; done; exit 3"
wait_events "start a" 1
touch "$WORK/go"
# On failure, end hotsv-scan (and its namespace) before the work
# directory is removed.
if ! (wait_for 5 "hotsv-scan to exit" pid_gone "$INIT"); then
	kill -KILL "$SCAN"
	wait "$INIT"
	fail "hotsv-scan did not see its main command end"
fi
init_exits 3
expect_events "stop a" 1
expect_events "finish a 0 0" 1
exit 0
