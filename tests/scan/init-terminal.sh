#!/bin/sh
# hotsv-scan on a terminal (a pseudo-terminal here), as the session
# leader and as PID 1 under unshare.  Ctrl-Z stops the main command (its
# process group is the terminal's foreground group) and neither the
# services nor hotsv-scan; once it is continued, Ctrl-C ends it and
# hotsv-scan exits with its code.  The services' standard input is
# /dev/null when hotsv-scan's is a terminal, and hotsv-scan's own
# otherwise (a file here).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
need_pty
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a b
make_service "$SCANDIR/in" "echo \"stdin \$(readlink /proc/\$\$/fd/0)\" >>'$WORK/events'
exec sleep 100000"
# tagged TAG: the pid of the live process tagged TAG (as this namespace
# sees it), once there is one.
tagged() {
	wait_for 10 "a process tagged $1" sh -c \
		'grep -lxz "HOTSV_TEST_SVC=$1" /proc/[0-9]*/environ >/dev/null 2>&1' \
		sh "$1"
	pid_of_tag "$1"
}

for WRAP in "" "unshare --pid --fork --mount-proc"; do
	how="as the session leader"
	[ -z "$WRAP" ] || how="as PID 1 under unshare"

	say "$how: Ctrl-Z stops CMD only"
	on_terminal "$SCANDIR" -- "$WORK/trapper" main quick 5
	wait_events "start " 3
	main=$(tagged main)
	a=$(tagged a)
	b=$(tagged b)
	type_keys '\032'
	wait_for 10 "CMD stopped by Ctrl-Z" proc_state_is "$main" T
	for pid in "$a" "$b"; do
		no_signal_pending "$pid" && ! proc_state_is "$pid" T ||
			fail "a service got Ctrl-Z: pid $pid, state $(proc_state "$pid")"
	done
	scan=$(child_of "$TYPIST")
	[ -z "$WRAP" ] || scan=$(child_of "$scan")
	proc_state_is "$scan" T && fail "hotsv-scan stopped on Ctrl-Z"
	/bin/kill -CONT -- "-$(sed 's/^.*) //' "/proc/$main/stat" | cut -d' ' -f3)"
	wait_for 10 "CMD continued" proc_state_is "$main" S
	type_keys '\003'
	terminal_exits 5
	expect_events "INT main" 1
	expect_events "INT [ab]" 0
	expect_events "stop [ab]" 2

	say "$how: the services' stdin is /dev/null"
	on_terminal "$SCANDIR"
	wait_events "stdin " 1
	type_keys '\003'
	terminal_exits 0
	expect_events "stdin /dev/null" 1
done

say "hotsv-scan's stdin a file: the services' too"
: >"$WORK/events"
: >"$WORK/input"
# (An explicit redirection: a background job's stdin is /dev/null.)
hotsv-scan "$SCANDIR" <"$WORK/input" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
SCAN=$!
wait_events "stdin " 1
expect_events "stdin $WORK/input" 1
stop_scanner
exit 0
