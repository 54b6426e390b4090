# test.sh's helpers that tell when a hotsv program has done all
# that was due (asleep in its ppoll without a timeout), or has taken so
# many turns: what a test waits for before checking that something did
# not happen.

# all_settled PID...: every PID, a hotsv program, sleeps (state S: not
# woken) in its ppoll without a timeout (/proc/PID/syscall: the timeout
# and signal mask arguments NULL, the mask size 8).  Nothing is due in
# it, nothing it polls is ready (else ppoll would not sleep), so it does
# nothing more until something from outside (a signal, a write, a
# child's death) wakes it; a restart throttle, a kill timeout or a retry
# shows as a timeout.  Else the first that does not goes to
# $WORK/unsettled.out (shown if the test fails).  One awk for them all:
# hotsv-scan may have thousands of supervisors.
all_settled() {
	awk -v out="$WORK/unsettled.out" 'BEGIN {
		for (i = 1; i < ARGC; i++) {
			proc = "/proc/" ARGV[i]
			line = state = call = ""
			if ((getline line <(proc "/stat")) > 0) {
				sub(/^.*\) /, "", line)
				state = substr(line, 1, 1)
			}
			close(proc "/stat")
			getline call <(proc "/syscall")
			close(proc "/syscall")
			n = split(call, arg, " ")
			if (state != "S" || n < 6 || arg[4] != "0x0" ||
			    arg[5] != "0x0" || arg[6] != "0x8") {
				print "pid " ARGV[i] ", state " state ": " call >out
				exit 1
			}
		}
		exit 0
	}' "$@"
}

# no_deadline PID: PID waits without a deadline (see all_settled).
no_deadline() {
	all_settled "$1"
}

# wait_settled PID...: wait (30 s) until every PID waits without a
# deadline at once: what was due in them has been done, so that a check
# that nothing more happened means something.
wait_settled() {
	wait_for 30 "pids $* ($(cat /proc/"$1"/comm 2>/dev/null)...) to wait without a deadline" \
		all_settled "$@"
}

# hotsv_children PID: the children of PID that are hotsv programs (a
# supervisor, or a child of hotsv-scan not yet one), not the orphans it
# reaps.
hotsv_children() {
	awk '{
		for (i = 1; i <= NF; i++) {
			comm = ""
			getline comm <("/proc/" $i "/comm")
			close("/proc/" $i "/comm")
			if (comm ~ /^hotsv-/)
				print $i
		}
	}' "/proc/$1/task/$1/children" 2>/dev/null
}

# turns_of PID: how many times PID has gone to sleep (its voluntary
# context switches): each turn of a hotsv program's loop adds one.
turns_of() {
	sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$1/status" \
		2>/dev/null
}

# has_turns PID N: PID has gone to sleep N times or more (see turns_of).
has_turns() {
	[ "$(turns_of "$1")" -ge "$2" ]
}

# wait_turns N PID...: wait (30 s) until each PID has woken and gone
# back to sleep N more times (counted from now, for all at once): a
# retry it had due has been made, each needing a wake-up (and a line it
# would log for it, logged).
wait_turns() {
	_n=$1
	shift
	_goals=
	for _pid; do
		_goals="$_goals $_pid:$(($(turns_of "$_pid") + _n))"
	done
	for _goal in $_goals; do
		wait_for 30 "pid ${_goal%:*} ($(cat "/proc/${_goal%:*}/comm" 2>/dev/null)) to take $_n more turns" \
			has_turns "${_goal%:*}" "${_goal#*:}"
	done
}

# scan_settled: hotsv-scan $SCAN and its supervisors wait without a
# deadline (see no_deadline).
scan_settled() {
	all_settled "$SCAN" $(hotsv_children "$SCAN")
}

# wait_scan_settled: wait (30 s) until scan_settled: whatever hotsv-scan
# and its supervisors had to do has been done (the runs' own doings
# aside), so that a check that nothing more happened means something.
wait_scan_settled() {
	wait_for 30 "hotsv-scan (pid $SCAN) and its supervisors to wait without a deadline" \
		scan_settled
}
