# What the integration tests (test.sh, sh) and the benchmarks
# (bench/lib.sh, bash) both use: messages, waiting for a condition,
# readers of /proc, namespaces, service directories.  POSIX sh, so that
# dash runs it; local variables are prefixed with _ instead of "local".

# The script's name, for its messages (add, init-bench).
SCRIPT_NAME=$(basename "$0" .sh)

# Print a line prefixed with the script's name.
say() {
	printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
}

# poll_until SECONDS COMMAND...: poll until COMMAND succeeds (true), for
# SECONDS of sleeping between tries at most (false then).  The first
# tries come 10 ms apart, then ever less often, up to POLL_PAUSE_MAX
# times 10 ms (default 160 ms): a quick condition is seen at once, and
# a long wait leaves the CPU to the programs under test (a loaded
# machine's time goes to them, not to polling).
poll_until() {
	_left=$(($1 * 100))
	_pause=1
	shift
	while ! "$@" 2>/dev/null; do
		[ "$_left" -gt 0 ] || return 1
		sleep "0.$((_pause / 10))$((_pause % 10))"
		_left=$((_left - _pause))
		[ "$_pause" -ge "${POLL_PAUSE_MAX:-16}" ] || _pause=$((_pause * 2))
	done
}

# proc_state PID: the one-letter state in /proc/PID/stat (R, S, T, Z...).
proc_state() {
	sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null
}

# proc_status PID FIELD: a field of /proc/PID/status (SigBlk, PPid...).
proc_status() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null
}

# rss_kb PID: the resident set size of PID, in KiB.
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$1/status"
}

# cpu_ticks PID...: the CPU time the PIDs used so far, in clock ticks.
cpu_ticks() {
	for _p in "$@"; do
		sed 's/^.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	_state=$(proc_state "$1")
	[ -n "$_state" ] && [ "$_state" != Z ]
}

# pid_gone PID: the process has ended (or is a zombie).
pid_gone() {
	! pid_alive "$1"
}

# comm_is PID PROG: PID runs the program PROG.
comm_is() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# child_of PID [COMM]: the pid of a child of PID (running COMM), if any;
# false if there is none.
child_of() {
	# shellcheck disable=SC2013 # pids, one word each
	for _child in $(cat "/proc/$1/task/"*/children 2>/dev/null); do
		if [ -z "${2:-}" ] || comm_is "$_child" "$2"; then
			echo "$_child"
			return 0
		fi
	done
	return 1
}

# catches PID SIG: PID blocks or catches signal number SIG (a PID
# namespace's pid 1 drops a signal it has neither blocked nor caught).
catches() {
	_blk=$(proc_status "$1" SigBlk)
	_cgt=$(proc_status "$1" SigCgt)
	[ -n "$_blk" ] && [ -n "$_cgt" ] &&
		[ $(((0x$_blk | 0x$_cgt) & (1 << ($2 - 1)))) != 0 ]
}

# holds_fd PID PATTERN: one of PID's descriptors leads to a path (or
# anon_inode:...) that matches the shell pattern PATTERN.
holds_fd() {
	for _fd in "/proc/$1/fd/"*; do
		# shellcheck disable=SC2254 # $2 is a pattern
		case $(readlink "$_fd" 2>/dev/null) in
		$2) return 0 ;;
		esac
	done
	return 1
}

# scanner_listening PID: hotsv-scan PID holds its control FIFO open (its
# signals are blocked by then), or PID is gone (start_scanner says so).
scanner_listening() {
	holds_fd "$1" '*/.hotsv/control' || pid_gone "$1"
}

# scanner_ready PID: hotsv-scan PID has blocked its signals (so that, as
# PID 1 of a namespace, it does not drop one) and listens on its control
# FIFO; or it is gone.
scanner_ready() {
	_blk=$(proc_status "$1" SigBlk | tr -d 0)
	{ [ -n "$_blk" ] && scanner_listening "$1"; } || pid_gone "$1"
}

# namespaces_refused: why this process cannot make PID and mount
# namespaces (unshare --pid --fork --mount-proc), in a few words; false
# and nothing said if it can.
namespaces_refused() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root for unshare"
	elif ! command -v unshare >/dev/null 2>&1; then
		echo "needs unshare (util-linux)"
	elif ! unshare --pid --fork --mount --mount-proc true 2>/dev/null; then
		echo "unshare --pid --mount-proc is not allowed here"
	else
		return 1
	fi
}

# make_service DIR [SCRIPT]: a service whose run executes SCRIPT (sh).
make_service() {
	mkdir -p "$1" &&
		printf '#!/bin/sh\n%s\n' "${2:-exec sleep 100000}" >"$1/run" &&
		chmod +x "$1/run"
}

# make_finish DIR SCRIPT: give service DIR a finish that runs SCRIPT (sh).
make_finish() {
	printf '#!/bin/sh\n%s\n' "$2" >"$1/finish" &&
		chmod +x "$1/finish"
}
