#!/bin/sh
# hotsv-scan's hooks, hotsv-scan being PID 1 of a namespace.  When
# .hotsv/finish runs, the log says so, with the code it is given, and
# not "exiting" with a code the container will not have.  A hook that
# exists but cannot be executed (mode 0644) is named in one line with
# the error: .hotsv/SIGHUP, and SIGHUP gets its usual action (forwarded
# to the services); .hotsv/finish, which is fatal as in s6-svscan: exit
# 111, or .hotsv/crash runs with the reason "finish" and its status is
# hotsv-scan's; .hotsv/crash, and the exit is 111.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_service "$SCANDIR/svc" svc
make_hook "$SCANDIR" .hotsv finish \
	"echo \"finish \$1\" >>'$WORK/events'; exit 5"
make_hook "$SCANDIR" .hotsv SIGHUP "echo hooked >>'$WORK/events'"

# run_once CODE [ARG...]: run hotsv-scan SCANDIR ARG... (scan.err and
# events emptied first) and expect it to exit CODE.
run_once() {
	_code=$1
	shift
	: >"$WORK/scan.err"
	: >"$WORK/events"
	start_init "$SCANDIR" "$@"
	init_exits "$_code"
}

# said LINE: scan.err holds LINE (a pattern, from after "hotsv-scan: "),
# once.
said() {
	[ "$(count_lines "$WORK/scan.err" "^hotsv-scan: $1\$")" = 1 ] ||
		fail "not one line '$1': $(cat "$WORK/scan.err")"
}

say ".hotsv/finish runs, given 9: the log says so"
run_once 5 -- sh -c 'exit 9'
expect_events "finish 9" 1
said "running $SCANDIR/.hotsv/finish with 9"
[ "$(count_lines "$WORK/scan.err" exiting)" = 0 ] ||
	fail "the log says exiting: $(cat "$WORK/scan.err")"

say ".hotsv/SIGHUP and .hotsv/finish not executable: one line each"
chmod 0644 "$SCANDIR/.hotsv/SIGHUP" "$SCANDIR/.hotsv/finish"
: >"$WORK/scan.err"
: >"$WORK/events"
start_init "$SCANDIR"
wait_events "start svc" 1
signal_scanner HUP
wait_events "HUP svc" 1
said "warning: cannot run $SCANDIR/.hotsv/SIGHUP, so SIGHUP gets its usual action: Permission denied"
signal_scanner TERM
init_exits 111
said "warning: cannot run $SCANDIR/.hotsv/finish: Permission denied"
expect_events "hooked" 0
expect_events "finish [0-9]" 0

say "then .hotsv/crash runs, with 'finish'"
make_hook "$SCANDIR" .hotsv crash "echo \"crash \$1\" >>'$WORK/events'; exit 6"
run_once 6 -- sh -c 'exit 9'
said "warning: cannot run $SCANDIR/.hotsv/finish: Permission denied"
said "running $SCANDIR/.hotsv/crash with finish"
expect_events "crash finish" 1

say ".hotsv/crash not executable either: exit 111"
chmod 0644 "$SCANDIR/.hotsv/crash"
run_once 111 -- sh -c 'exit 9'
said "warning: cannot run $SCANDIR/.hotsv/finish: Permission denied"
said "warning: cannot run $SCANDIR/.hotsv/crash: Permission denied"
expect_events "crash" 0
exit 0
