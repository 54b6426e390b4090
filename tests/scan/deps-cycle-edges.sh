#!/bin/sh
# Only the dependencies that make a cycle are ignored: a depends on b and
# d, b on a (the cycle), c on a.  b starts without waiting for a, but a
# waits for d, and c for a.  On SIGTERM, c stops before a, a before d,
# and b (whose one dependent, a, is in the cycle) at once, without
# waiting for a.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_ready_service "$SCANDIR/a" a
printf 'b\nd\n' >"$SCANDIR/a/dependencies"
make_ready_service "$SCANDIR/b" b
echo a >"$SCANDIR/b/dependencies"
make_ready_service "$SCANDIR/c" c
echo a >"$SCANDIR/c/dependencies"
make_ready_service "$SCANDIR/d" d
start_scanner "$SCANDIR"

say "start: b at once; a after d; c after a"
wait_events "ready c " 1
expect_stamps_ordered "start b" "ready a"
expect_stamps_ordered "ready d" "start a"
expect_stamps_ordered "ready a" "start c"

say "SIGTERM: c before a, a before d; b at once"
stop_scanner
expect_stamps_ordered "exit c" "stop a"
expect_stamps_ordered "exit a" "stop d"
expect_stamps_ordered "stop b" "exit a"
expect_events "exit " 4
exit 0
