#!/bin/sh
# COUNT services (default 1,000; bench/ goes further): hotsv-scan raises
# its open-file limit itself (started with a soft limit of 1024, it needs
# two descriptors per service: the directory and the supervisor's report
# socket, so 1,000 services need twice the limit, as 2,000 did four
# times: without the raise, hundreds of them could not start), starts
# every service, and stops exactly those whose directories are then
# removed (half of them, by one rm -rf).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

: "${COUNT:=1000}"
# SCANDIR on a tmpfs: creating and removing the service directories and
# the supervisors' files in them (ten inodes a service) is slow on the
# disk of a loaded VM, and proves no more there.
mount_tmpfs "$WORK/fs" 262144
use_scandir "$WORK/fs/scan"
make_marked_service "$WORK/template"
run=$(cat "$WORK/template/run")
seq -f "$SCANDIR/s%g" 1 "$COUNT" >"$WORK/names"
xargs mkdir <"$WORK/names" || fail "mkdir of $COUNT services"
while read -r dir; do
	printf '%s\n' "$run" >"$dir/run"
done <"$WORK/names"
sed 's|$|/run|' "$WORK/names" | xargs chmod 755 || fail "chmod of every run"

hard=$(ulimit -H -n)
[ "$hard" = unlimited ] || [ "$hard" -gt $((COUNT + 100)) ] ||
	skip "the hard open-file limit ($hard) is too low for $COUNT services"
ulimit -S -n 1024
start_scanner "$SCANDIR"
soft=$(sed -n 's/^Max open files *\([0-9a-z]*\) .*/\1/p' "/proc/$SCAN/limits")
[ "$soft" = "$hard" ] ||
	fail "hotsv-scan's open-file limit is $soft, not raised to $hard"

# count_is N: N supervisors and N runs are alive.
count_is() {
	[ "$(count_supervisors)" = "$1" ] &&
		[ "$(running_services | wc -l)" = "$1" ]
}

say "starting $COUNT services"
# Counting start lines is cheap; reading /proc for 10,000 processes is not.
wait_for 120 "$COUNT runs started" has_lines "$WORK/events" '^start ' "$COUNT"
wait_for 30 "$COUNT supervisors and runs alive" count_is "$COUNT"
expect_supervision "$SCANDIR"

say "removing half of them"
sed -n 'p;n' "$WORK/names" | xargs rm -rf
remaining=$((COUNT - (COUNT + 1) / 2))
[ "$(service_names "$SCANDIR" | wc -l)" = "$remaining" ] ||
	fail "rm -rf left $(service_names "$SCANDIR" | wc -l) services"
wait_for 120 "$remaining services running" count_is "$remaining"
wait_scan_settled
expect_supervision "$SCANDIR"
[ "$(event_count start)" = "$COUNT" ] ||
	fail "$(event_count start) starts for $COUNT services"
stop_scanner
exit 0
