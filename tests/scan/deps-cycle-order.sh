#!/bin/sh
# A dependency cycle of three (a depends on b, b on c, c on a), and d,
# which depends on a but is in no cycle: one line reports the cycle,
# naming it in order from its first name, "cycle: a -> b -> c -> a", and
# no other line speaks of a cycle; a, b and c start without waiting for
# each other, and d once a is ready.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
for svc in a b c d; do
	make_ready_service "$SCANDIR/$svc" "$svc"
done
echo b >"$SCANDIR/a/dependencies"
echo c >"$SCANDIR/b/dependencies"
echo a >"$SCANDIR/c/dependencies"
echo a >"$SCANDIR/d/dependencies"
start_scanner "$SCANDIR"
for svc in a b c d; do
	wait_field "$svc" state ready
done
expect_stamps_ordered "ready a" "start d"
[ "$(count_lines "$WORK/scan.err" \
	"^hotsv-scan: warning: cycle: a -> b -> c -> a (started without waiting for each other)\$")" = 1 ] &&
	[ "$(count_lines "$WORK/scan.err" cycle)" = 1 ] ||
	fail "the cycle is not reported once, in order: $(cat "$WORK/scan.err")"
stop_scanner
exit 0
