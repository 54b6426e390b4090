#!/bin/sh
# hotsv-scan --wait-ready SCANDIR -- CMD starts CMD only once every
# service wanted up is up and, where it has readiness, ready: a and b
# (0.3 s and 0.6 s to be ready), e (depends on b, so starts after it),
# c (no readiness); d is down by design and never ready, and does not
# hold CMD back.  CMD's time stamp comes after every ready stamp, and
# hotsv check run by CMD passes.  With --wait-ready=MS and a service n
# that never becomes ready: hotsv-scan names n (and only n: a, whose 0.3
# s to be ready leave MS several seconds of margin), stops every service,
# never runs CMD, and exits 1.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_ready_service "$SCANDIR/a" a
make_ready_service "$SCANDIR/b" b 0.6
make_ready_service "$SCANDIR/e" e
echo b >"$SCANDIR/e/dependencies"
make_marked_service "$SCANDIR/c"
make_service "$SCANDIR/d" "echo \"start d \$\$\" >>'$WORK/events'; exec sleep 100000"
echo 3 >"$SCANDIR/d/notification-fd"
touch "$SCANDIR/d/down"
# shellcheck disable=SC2016
main='echo "main $(date +%s%N)" >>"$1/events"
hotsv check >"$1/check.out" 2>&1
echo "check $?" >>"$1/events"'

# scan_main CODE OPTION: run hotsv-scan OPTION SCANDIR -- CMD (given 60
# s), and fail unless it exits CODE.
scan_main() {
	timeout 60 hotsv-scan "$2" "$SCANDIR" -- sh -c "$main" sh "$WORK" \
		>>"$WORK/scan.out" 2>>"$WORK/scan.err"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan $2 exited $_rc, expected $1"
}

say "--wait-ready: CMD once all are ready"
scan_main 0 --wait-ready
for svc in a b e; do
	expect_stamps_ordered "ready $svc" main
done
expect_stamps_ordered "ready b" "start e"
expect_before "start c " "main "
expect_events "check 0" 1
expect_events "start d " 0
expect_events "exit " 3

say "--wait-ready=5000, n never ready: exit 1, no CMD"
rm -rf "$SCANDIR/b" "$SCANDIR/e"
make_service "$SCANDIR/n" "echo \"start n \$\$\" >>'$WORK/events'; exec sleep 100000"
echo 3 >"$SCANDIR/n/notification-fd"
: >"$WORK/events"
: >"$WORK/scan.err"
scan_main 1 --wait-ready=5000
expect_events "main" 0
expect_events "start n " 1
expect_events "exit " 1
grep -q 'not ready in time: n$' "$WORK/scan.err" ||
	fail "hotsv-scan did not name n alone: $(cat "$WORK/scan.err")"
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervisor_list)"
[ -z "$(running_services)" ] || fail "services left: $(running_services)"
exit 0
