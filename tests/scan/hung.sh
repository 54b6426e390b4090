#!/bin/sh
# Supervisors that do not read their socket.  A hung one's run ends with
# it: it never reads the scanner's K (SIGKILL your run's group), so once
# the scanner SIGKILLs that supervisor for not exiting, it SIGKILLs the
# process group of the run the supervisor last reported too, both when
# the service was removed (kill grace -k, twice) and at the end of a
# shutdown's grace time.  The run here ignores SIGTERM.  The hang is a
# ptrace stop (state "t"): unlike SIGSTOP, the scanner's SIGCONT does not
# end it, and only SIGKILL does.  A request comes with SIGCONT only to a
# stopped supervisor (state "T"), which it wakes, not to a traced one
# (a SIGCONT would cancel a stop a tracer had asked for).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
need_python

mkdir "$WORK/out"
# $WORK/tracer PID MARK: hang PID (ptrace seize and interrupt), write MARK
# once it is stopped, and wait for it to die (the scanner reaps it once
# its tracer has).
cat >"$WORK/tracer" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
                        ctypes.c_void_p]
PTRACE_SEIZE, PTRACE_INTERRUPT, WALL = 0x4206, 0x4207, 0x40000000
pid = int(sys.argv[1])
for request in (PTRACE_SEIZE, PTRACE_INTERRUPT):
    if libc.ptrace(request, pid, None, None) != 0:
        sys.exit("ptrace: " + os.strerror(ctypes.get_errno()))
_, status = os.waitpid(pid, WALL)
if os.WIFSTOPPED(status):
    with open(sys.argv[2], "w") as mark:
        mark.write("stopped\n")
while not (os.WIFEXITED(status) or os.WIFSIGNALED(status)):
    _, status = os.waitpid(pid, WALL)
PY

# hang_stubborn: start a scanner (options "$@") on a new SCANDIR with the
# service "stubborn" (its run ignores SIGTERM, as does the child in its
# group), wait for its run and hang its supervisor; RUN and CHILD are
# the run's and the child's pids, SUP the supervisor's.
hang_stubborn() {
	use_scandir "$WORK/scan.$1"
	rm -f "$WORK/events" "$WORK/hung"
	make_service "$SCANDIR/stubborn" "trap '' TERM
HOTSV_TEST_SVC=stubborn sleep 100000 &
echo \"child \$!\" >>$WORK/events
trap 'echo \"stop stubborn \$\$\" >>$WORK/events' TERM
echo \"start stubborn \$\$\" >>$WORK/events
while :; do wait; done"
	start_scanner "$@" "$SCANDIR"
	wait_events "start stubborn " 1
	wait_events "child " 1
	RUN=$(sed -n 's/^start stubborn //p' "$WORK/events")
	CHILD=$(sed -n 's/^child //p' "$WORK/events")
	SUP=$(supervisor_of stubborn)
	[ -n "$SUP" ] || fail "no supervisor for stubborn"
	"$PYTHON" "$WORK/tracer" "$SUP" "$WORK/hung" 2>"$WORK/tracer.err" &
	TRACER=$!
	if ! poll_until 10 test -e "$WORK/hung"; then
		grep -q 'ptrace' "$WORK/tracer.err" &&
			skip "ptrace refused: $(cat "$WORK/tracer.err")"
		fail "the supervisor $SUP was not stopped"
	fi
	[ "$(proc_state "$SUP")" = t ] ||
		fail "supervisor $SUP is in state '$(proc_state "$SUP")', not t"
}

# expect_all_gone WHEN: the run, its child and the supervisor end.
expect_all_gone() {
	wait_gone "$RUN" "run, $1"
	wait_gone "$CHILD" "child in the run's group, $1"
	wait_gone "$SUP" "supervisor, $1"
	wait "$TRACER" || fail "tracer: $(cat "$WORK/tracer.err")"
	grep -q "supervisor $SUP did not exit: SIGKILL" "$WORK/scan.err" ||
		fail "hotsv-scan did not say it killed supervisor $SUP"
}

# end_stubborn: SIGKILL the run and its child, which ignore the stop,
# wait for the supervisor to exit, and stop the scanner.
end_stubborn() {
	kill -KILL "$RUN" "$CHILD"
	wait_gone "$SUP" "supervisor, its run killed"
	stop_scanner
}

say "removed while its supervisor hangs, -k 500"
hang_stubborn -k 500
mv "$SCANDIR/stubborn" "$WORK/out/stubborn"
expect_all_gone "removed"
wait_supervision "$SCANDIR"
[ -z "$(running_services)" ] || fail "still running: $(running_services)"
stop_scanner

say "a request to a traced supervisor comes without SIGCONT, -k 600000"
hang_stubborn -k 600000
mv "$SCANDIR/stubborn" "$WORK/out/stubborn.2"
# c is made after the removal: once c runs, the request has been sent.
make_marked_service "$SCANDIR/c" c
wait_events "start c " 1
pending=$(proc_status "$SUP" ShdPnd) ||
	fail "no ShdPnd for supervisor $SUP"
[ -n "$pending" ] || fail "no ShdPnd for supervisor $SUP"
pending=$((0x$pending | 0x$(proc_status "$SUP" SigPnd)))
[ $((pending >> 17 & 1)) = 0 ] ||
	fail "supervisor $SUP (state t) was sent SIGCONT with the request"
# Untraced, it reads the stop: the run gets its down-signal.
kill "$TRACER"
wait "$TRACER" 2>/dev/null || :
wait_events "stop stubborn " 1
end_stubborn

say "a stopped supervisor (SIGSTOP) is woken by the request, -k 600000"
hang_stubborn -k 600000
kill "$TRACER"
wait "$TRACER" 2>/dev/null || :
kill -STOP "$SUP"
wait_for 10 "supervisor $SUP stopped" proc_state_is "$SUP" T
mv "$SCANDIR/stubborn" "$WORK/out/stubborn.3"
wait_events "stop stubborn " 1
end_stubborn

say "a shutdown while its supervisor hangs, -g 1000"
hang_stubborn -g 1000
kill -TERM "$SCAN"
expect_all_gone "in a shutdown"
# SIGKILL came with the supervisor's, before the sweep's SIGTERM.
expect_events "stop stubborn " 0
scanner_exits 0
exit 0
