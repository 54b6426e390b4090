#!/bin/sh
# hotsv check under hotsv-scan: exit 0 when every service wanted up (or
# every named one) is up and, where it has readiness, ready; else exit 1
# and exactly one line per failing service saying why: starting (up but
# not ready), restarting (it died: deaths, last exit), waiting for a
# dependency, not supervised (a directory without run yet, or outside
# the scan directory), no such service.  A service down by design (./down) passes
# unless named.  Once all is well, exit 0 and no output.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_ready_service "$SCANDIR/good" good 0
make_marked_service "$SCANDIR/plain"
make_gated_service "$SCANDIR/slow" slow
touch "$WORK/slow.fin"
make_service "$SCANDIR/crash" "echo \"start crash \$\$\" >>'$WORK/events'; exit 1"
echo 3 >"$SCANDIR/crash/notification-fd"
make_marked_service "$SCANDIR/off"
touch "$SCANDIR/off/down"
make_marked_service "$SCANDIR/dep"
echo slow >"$SCANDIR/dep/dependencies"
mkdir "$SCANDIR/unsup"
mkdir "$WORK/elsewhere"
start_scanner "$SCANDIR"

wait_field good state ready
wait_field plain state up
wait_field slow state starting
wait_field dep state waiting
wait_field off state down
# crash_restarting: crash has died twice at least.
crash_restarting() {
	[ "$(status_field crash deaths)" -ge 2 ]
}
wait_for 10 "crash restarting" crash_restarting

# check_lines CODE PATTERN... : hotsv check (ARGS in CHECK_ARGS) exits
# CODE and prints exactly one line per PATTERN, each matching it.
check_lines() {
	_code=$1
	shift
	# shellcheck disable=SC2086
	hv check ${CHECK_ARGS:-} >"$WORK/check.out" 2>&1
	_rc=$?
	[ "$_rc" = "$_code" ] ||
		fail "hotsv check ${CHECK_ARGS:-}: exit $_rc, expected $_code: $(cat "$WORK/check.out")"
	[ "$(wc -l <"$WORK/check.out")" = $# ] ||
		fail "hotsv check ${CHECK_ARGS:-}: not $# lines: $(cat "$WORK/check.out")"
	for _pattern; do
		grep -q -- "$_pattern" "$WORK/check.out" ||
			fail "hotsv check ${CHECK_ARGS:-}: no line '$_pattern': $(cat "$WORK/check.out")"
	done
}

say "every service: one line per failing one"
check_lines 1 '^slow: up for [0-9]*s but not ready$' '^crash: ' \
	'^dep: waiting for slow$' '^unsup: not supervised$'

say "named services"
CHECK_ARGS="good plain" check_lines 0
CHECK_ARGS="off" check_lines 1 '^off: down for [0-9]*s'
CHECK_ARGS="good off plain" check_lines 1 '^off: '
CHECK_ARGS="dep" check_lines 1 '^dep: waiting for slow$'
CHECK_ARGS="unsup $WORK/elsewhere $WORK/nothing good" check_lines 1 \
	'^unsup: not supervised$' "^$WORK/elsewhere: not supervised\$" \
	"^$WORK/nothing: no such service\$"

say "crashed: restarting, deaths and last exit"
# crash_restarting_line: hotsv check crash says it restarts, and why.
crash_restarting_line() {
	hv check crash >"$WORK/crash.out"
	grep -q '^crash: restarting: died [0-9]* times, last exit 1$' \
		"$WORK/crash.out"
}
wait_for 10 "hotsv check crash saying it restarts" crash_restarting_line

say "all well: exit 0, nothing printed"
touch "$WORK/slow.go"
wait_field slow state ready
wait_field dep state up
rm -r "$SCANDIR/unsup"
remove_tree "$SCANDIR/crash"
check_lines 0
CHECK_ARGS="good plain slow dep" check_lines 0
stop_scanner
exit 0
