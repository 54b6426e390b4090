#!/bin/sh
# With a terminal, the main command is its foreground process group:
# Ctrl-C typed on it (a pseudo-terminal here) interrupts the main command
# and neither the services nor hotsv-scan; hotsv-scan then stops the
# services and exits with the main command's code (5, from its SIGINT
# trap, half a second later: nothing stops meanwhile).  Without a main
# command, Ctrl-C makes hotsv-scan shut down (the services get SIGTERM,
# not SIGINT).  Both as PID 1 of a namespace and as the terminal's
# session leader.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
need_pty
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a b
# ctrl_c CODE STARTS [CMD...]: run hotsv-scan SCANDIR [-- CMD] on a
# terminal ($WRAP before it), type Ctrl-C once STARTS runs have started,
# and expect hotsv-scan to exit CODE having stopped both services, which
# did not get the SIGINT.
ctrl_c() {
	_code=$1
	_starts=$2
	shift 2
	on_terminal "$SCANDIR" ${1:+--} "$@"
	wait_events "start " "$_starts" 10
	type_keys '\003'
	terminal_exits "$_code"
	expect_events "INT [ab]" 0
	expect_events "stop [ab]" 2
}

for WRAP in "unshare --pid --fork --mount-proc" ""; do
	how="as the session leader"
	[ -z "$WRAP" ] || how="as PID 1 under unshare"
	say "hotsv-scan $how"
	say "Ctrl-C reaches CMD"
	ctrl_c 5 3 "$WORK/trapper" main quick 5
	expect_events "INT main" 1
	expect_events "stop main" 0
	# Nothing stopped before the main command's end.
	line_of "exit main" tail
	main_exit=$LINE_NO
	line_of "stop [ab]" head
	[ "$main_exit" -lt "$LINE_NO" ] ||
		fail "services stopped before CMD's exit: $(cat "$WORK/events")"
	say "without CMD, Ctrl-C makes hotsv-scan shut down"
	ctrl_c 0 2
done
exit 0
