#!/bin/sh
# The letters of .hotsv/control that hotsv-scan(8) lists besides a and t,
# written as s6-svscanctl writes them (no hotsv): h, n and N read SCANDIR
# again (each starts a service that no inotify event announced); z reaps
# (taken as a command, not logged as an unknown byte); i shuts down; q
# shuts down, loggers too; b aborts: hotsv-scan exits at once, leaving
# supervisors and services as they are, or executes .hotsv/finish with
# the code.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# letter L: write L to hotsv-scan's control FIFO, giving up after 5 s.
letter() {
	timeout 5 sh -c 'printf %s "$2" >"$1"' sh "$SCANDIR/.hotsv/control" "$1" ||
		fail "cannot write '$1' to hotsv-scan's control FIFO"
}

# all_up: a, l and l's logger are up, once hotsv-scan and its supervisors
# have nothing due (wait_supervision knows nothing of loggers).
all_up() {
	for _svc in a l l/log; do
		wait_field "$_svc" state up
	done
	wait_scan_settled
}

# all_stopped: no supervisor, no marked run, no logger left.
all_stopped() {
	[ "$(count_supervisors)" = 0 ] && [ -z "$(running_services)" ] &&
		[ -z "$(procs_of "$SCANDIR/l/log")" ]
}

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/a"
make_marked_service "$SCANDIR/l"
make_log_run "$SCANDIR/l/log" "$WORK/logs/l"
start_scanner "$SCANDIR"
all_up

for l in h n N; do
	say "$l: SCANDIR read again"
	hide_service "seen-by-$l"
	letter "$l"
	wait_events "start seen-by-$l " 1
done

say "z: reap now"
letter z
wait_scan_settled
pid_alive "$SCAN" || fail "hotsv-scan exited on z"
grep -q 'ignored\|unknown' "$WORK/scan.err" &&
	fail "a letter was not taken: $(cat "$WORK/scan.err")"

for l in i q; do
	say "$l: shut down"
	letter "$l"
	scanner_exits 0
	all_stopped || fail "left after $l: $(supervisor_list) $(running_services)"
	start_scanner "$SCANDIR"
	all_up
done

say "b: abort, leaving everything as it is"
sups=$(supervisor_list | sort)
runs=$(running_services)
letter b
scanner_exits 0
[ "$(supervisor_list | sort)" = "$sups" ] ||
	fail "supervisors changed: '$sups', now '$(supervisor_list | sort)'"
[ "$(running_services)" = "$runs" ] || fail "runs changed: $(running_services)"

say "b with .hotsv/finish: executed with the code"
make_hook "$SCANDIR" .hotsv finish "echo \"hook \$1\" >>'$WORK/events'; exit 7"
start_scanner "$SCANDIR"
all_up
letter b
scanner_exits 7
expect_events "hook 0" 1
[ "$(supervisor_list | sort)" = "$sups" ] ||
	fail "supervisors changed: '$sups', now '$(supervisor_list | sort)'"
grep -q 'ignored\|unknown' "$WORK/scan.err" &&
	fail "a letter was not taken: $(cat "$WORK/scan.err")"
exit 0
