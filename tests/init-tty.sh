#!/bin/sh
# With a terminal, the main command is its foreground process group:
# Ctrl-C typed on it (a pseudo-terminal here) interrupts the main command
# and neither the services nor hotsv-scan; hotsv-scan then stops the
# services and exits with the main command's code (5, from its SIGINT
# trap, half a second later: nothing stops meanwhile).  Without a main
# command, Ctrl-C makes hotsv-scan shut down (the services get SIGTERM,
# not SIGINT).  Both as PID 1 of a namespace and as the terminal's
# session leader.
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
need_python
"$PYTHON" -c 'import pty' 2>/dev/null || skip "needs python3's pty module"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a b
# typist.py FILE CMD...: run CMD on a new pseudo-terminal, copying its output
# to $WORK/pty.out; type Ctrl-C once FILE exists; exit with CMD's code.
cat >"$WORK/typist.py" <<'PY'
import os, pty, select, signal, sys, time

ctrl_c, argv = sys.argv[1], sys.argv[2:]
pid, master = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
sent = False
end = time.monotonic() + 30
with open(os.path.join(os.path.dirname(ctrl_c), "pty.out"), "ab") as out:
    while time.monotonic() < end:
        if not sent and os.path.exists(ctrl_c):
            os.write(master, b"\x03")
            sent = True
        if select.select([master], [], [], 0.05)[0]:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: every end of the terminal is closed
                break
            if not data:
                break
            out.write(data)
    else:
        os.kill(pid, signal.SIGKILL)
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(code if code >= 0 else 128 - code)
PY

# ctrl_c CODE STARTS [CMD...]: run hotsv-scan SCANDIR [-- CMD] on a
# terminal ($wrap before it), type Ctrl-C once STARTS runs have started,
# and expect hotsv-scan to exit CODE having stopped both services, which
# did not get the SIGINT.
ctrl_c() {
	_code=$1
	_starts=$2
	shift 2
	: >"$WORK/events"
	rm -f "$WORK/ctrl-c"
	"$PYTHON" "$WORK/typist.py" "$WORK/ctrl-c" $wrap \
		hotsv-scan "$SCANDIR" ${1:+--} "$@" &
	pty=$!
	wait_events "start " "$_starts" 10
	touch "$WORK/ctrl-c"
	wait_for 30 "hotsv-scan on the terminal to exit" pid_gone "$pty"
	wait "$pty"
	rc=$?
	[ "$rc" = "$_code" ] || fail "hotsv-scan exited $rc, expected $_code"
	expect_events "INT [ab]" 0
	expect_events "stop [ab]" 2
}

for wrap in "unshare --pid --fork --mount-proc" ""; do
	how="as the session leader"
	[ -z "$wrap" ] || how="as PID 1 under unshare"
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
