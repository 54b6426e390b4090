# Shared helpers for the integration tests.  Source it first:
#   . "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
#
# Each test re-executes itself as PID 1 of a new PID namespace (with its
# own /proc and mount namespace), so that every process it starts dies
# with it, whatever happens.  Tests wait for conditions with generous
# deadlines; they never assert on speed.

set -u

: "${HOTSV_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${HOTSV_BUILDDIR:=$HOTSV_SRCDIR}"
export HOTSV_SRCDIR HOTSV_BUILDDIR
PATH="$HOTSV_BUILDDIR/src:$PATH"
export PATH

# Exit codes understood by the automake test driver.
SKIP=77
HARD=99

TEST_NAME=$(basename "$0" .sh)

# Print a line prefixed with the test's name.
say() {
	printf '%s: %s\n' "$TEST_NAME" "$*" >&2
}

# Fail the test with a message.  In a pipeline stage or a subshell,
# exit ends only that subshell (dash runs every stage of a pipeline in
# one), so fail also leaves a mark that the EXIT trap and the namespace
# wrapper turn into the test's failure.
fail() {
	say "FAIL: $*"
	[ -z "${HOTSV_TEST_MARKS:-}" ] || echo "$*" >>"$HOTSV_TEST_MARKS/failed"
	exit 1
}

# failed_somewhere: fail was called, in this shell or in any subshell.
failed_somewhere() {
	[ -n "${HOTSV_TEST_MARKS:-}" ] && [ -s "$HOTSV_TEST_MARKS/failed" ]
}

# Skip the test with a reason.
skip() {
	say "SKIP: $*"
	exit "$SKIP"
}

# Re-run this script as PID 1 of its own PID and mount namespaces.
enter_namespace() {
	if [ "${HOTSV_IN_NAMESPACE:-}" = 1 ]; then
		return
	fi
	[ "$(id -u)" = 0 ] || skip "needs root for unshare"
	command -v unshare >/dev/null 2>&1 || skip "needs unshare (util-linux)"
	unshare --pid --fork --mount --mount-proc true 2>/dev/null ||
		skip "unshare --pid --mount-proc is not allowed here"
	# The test leaves marks here for this wrapper: "failed" (see fail)
	# and "workdir" (see make_workdir).
	HOTSV_TEST_MARKS=$(mktemp -d "${TMPDIR:-/tmp}/hotsv-$TEST_NAME.marks.XXXXXX") ||
		exit "$HARD"
	export HOTSV_TEST_MARKS
	# The watchdog: a test still running after HOTSV_TEST_TIMEOUT seconds
	# (default 600; set it before this call) is killed with its whole
	# namespace (--kill-child) instead of holding up "make check" for ever.
	HOTSV_IN_NAMESPACE=1 timeout -k 5 "$HOTSV_TEST_TIMEOUT" \
		unshare --pid --fork --kill-child --mount --mount-proc \
		--propagation private "$SHELL_FOR_TESTS" "$0" "$@"
	_rc=$?
	case $_rc in
	124 | 137)
		# Killed with its namespace, the test ran no EXIT trap.
		say "FAIL: killed after ${HOTSV_TEST_TIMEOUT}s (hung?); its work directory is left: $(cat "$HOTSV_TEST_MARKS/workdir" 2>/dev/null || echo none)"
		;;
	0 | "$SKIP")
		if failed_somewhere; then
			say "FAIL: exited $_rc after a failed check: $(head -n 1 "$HOTSV_TEST_MARKS/failed")"
			_rc=1
		fi
		;;
	esac
	rm -rf "$HOTSV_TEST_MARKS"
	exit "$_rc"
}
: "${HOTSV_TEST_TIMEOUT:=600}"
SHELL_FOR_TESTS=${SHELL_FOR_TESTS:-/bin/sh}

# Make a fresh work directory, removed when the test exits.
make_workdir() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hotsv-$TEST_NAME.XXXXXX") ||
		exit "$HARD"
	[ -z "${HOTSV_TEST_MARKS:-}" ] || echo "$WORK" >"$HOTSV_TEST_MARKS/workdir"
	trap 'cleanup_workdir' EXIT
}

# Remove the work directory (kills nothing: the namespace does that),
# or keep it and show its logs if the test failed, even where only a
# subshell knew (the test then exits 1 whatever its last command said).
cleanup_workdir() {
	rc=$?
	if [ "$rc" = 0 ] || [ "$rc" = "$SKIP" ]; then
		if failed_somewhere; then
			say "FAIL: a check failed in a subshell or pipeline: $(head -n 1 "$HOTSV_TEST_MARKS/failed")"
			rc=1
		fi
	fi
	if [ "$rc" != 0 ] && [ "$rc" != "$SKIP" ] && [ -n "${WORK:-}" ]; then
		say "work directory kept for inspection: $WORK"
		for f in "$WORK"/*.err "$WORK"/*.out; do
			[ -f "$f" ] || continue
			say "---- $f"
			tail -n 30 "$f" >&2
		done
		exit "$rc"
	fi
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
	_limit=$1
	_what=$2
	shift 2
	_tries=$((_limit * 20))
	while [ "$_tries" -gt 0 ]; do
		if "$@" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
		_tries=$((_tries - 1))
	done
	fail "timed out after ${_limit}s waiting for: $_what"
}

# make_service DIR [SCRIPT]: a service whose run executes SCRIPT (sh).
make_service() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "${2:-exec sleep 100000}" >"$1/run"
	chmod +x "$1/run"
}

# make_finish DIR SCRIPT: give service DIR a finish that runs SCRIPT (sh).
make_finish() {
	printf '#!/bin/sh\n%s\n' "$2" >"$1/finish"
	chmod +x "$1/finish"
}

# status_field DIR FIELD: one field of "hotsv status --json" for DIR.
status_field() {
	hv status --json "$1" 2>/dev/null |
		sed -n "s/.*\"$2\":\\(\"[^\"]*\"\\|[^,}]*\\).*/\\1/p" | tr -d '"'
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	_state=$(proc_state "$1")
	[ -n "$_state" ] && [ "$_state" != Z ]
}

# count_lines FILE PATTERN: how many lines of FILE match PATTERN.
count_lines() {
	if [ -f "$1" ]; then
		grep -c -- "$2" "$1" || true
	else
		echo 0
	fi
}

# hv ARG...: hotsv, with -s "$STATEDIR" when the test set STATEDIR.
hv() {
	hotsv ${STATEDIR:+-s "$STATEDIR"} "$@"
}

# field_is DIR FIELD VALUE: "hotsv status --json" shows FIELD = VALUE.
field_is() {
	[ "$(status_field "$1" "$2")" = "$3" ]
}

# wait_field DIR FIELD VALUE: wait (10 s) until FIELD of DIR is VALUE.
wait_field() {
	wait_for 10 "$1: $2 = $3" field_is "$1" "$2" "$3"
}

# expect_field DIR FIELD VALUE: FIELD of DIR is VALUE now.
expect_field() {
	_got=$(status_field "$1" "$2")
	[ "$_got" = "$3" ] || fail "$1: $2 is '$_got', expected '$3'"
}

# listening PID: PID holds a supervise/control FIFO open.
listening() {
	for _fd in /proc/"$1"/fd/*; do
		case $(readlink "$_fd" 2>/dev/null) in
		*/supervise/control) return 0 ;;
		esac
	done
	return 1
}

# await_supervisor PID: wait until hotsv-supervise PID is listening (its
# signals are blocked by then, so a signal sent to it is not lost).
await_supervisor() {
	wait_for 10 "hotsv-supervise (pid $1) listening" listening "$1"
}

# start_supervisor LOG [OPTION...] DIR: start hotsv-supervise in the
# background, stdout and stderr in $WORK/LOG.out and $WORK/LOG.err; set
# SUP to its pid and return once it listens.
start_supervisor() {
	_log=$1
	shift
	hotsv-supervise "$@" >"$WORK/$_log.out" 2>"$WORK/$_log.err" &
	SUP=$!
	await_supervisor "$SUP"
}

# start_supervisors NAME...: start_supervisor NAME $WORK/NAME for each,
# adding their pids to SUPS.
start_supervisors() {
	for _name; do
		start_supervisor "$_name" "$WORK/$_name"
		SUPS="${SUPS:-} $SUP"
	done
}

# stop_supervisors: stop_supervisor each of $SUPS.
stop_supervisors() {
	for _sup in ${SUPS:-}; do
		stop_supervisor "$_sup"
	done
	SUPS=
}

# stop_supervisor [PID]: SIGTERM hotsv-supervise (default $SUP), wait
# (20 s) for it and fail unless it exits 0.
stop_supervisor() {
	_pid=${1:-$SUP}
	kill -TERM "$_pid"
	wait_for 20 "hotsv-supervise (pid $_pid) to exit on SIGTERM" \
		pid_gone "$_pid"
	wait "$_pid"
	_rc=$?
	[ "$_rc" = 0 ] || fail "hotsv-supervise (pid $_pid) exited $_rc on SIGTERM"
}

# control DIR LETTERS: write LETTERS to DIR/supervise/control as s6-svc
# does (no hotsv), giving up after 5 s if nobody reads.
control() {
	timeout 5 sh -c 'printf %s "$2" >"$1"' sh "$1/supervise/control" "$2" ||
		fail "cannot write '$2' to $1's control FIFO"
}

# proc_state PID: the one-letter state in /proc/PID/stat (R, S, T, Z...).
proc_state() {
	sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null
}

# cpu_ticks PID...: the CPU time the PIDs used so far, in clock ticks.
cpu_ticks() {
	for _p in "$@"; do
		sed 's/^.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

# proc_state_is PID STATE: /proc/PID/stat says STATE.
proc_state_is() {
	[ "$(proc_state "$1")" = "$2" ]
}

# proc_status PID FIELD: a field of /proc/PID/status (SigBlk, PPid...).
proc_status() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null
}

# proc_fds PID: the open descriptors of PID, sorted, on one line.
proc_fds() {
	ls "/proc/$1/fd" | sort -n | tr '\n' ' ' | sed 's/ $//'
}

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

# procs_of DIR: the live processes that work in DIR (their current
# directory) or have it as an argument (a supervisor, or its child not
# yet a run), but this shell.
procs_of() {
	for _p in /proc/[0-9]*; do
		_pid=${_p#/proc/}
		[ "$_pid" != $$ ] && pid_alive "$_pid" || continue
		case " $(tr '\0' ' ' <"$_p/cmdline" 2>/dev/null)" in
		*" $1 "*)
			echo "$_pid"
			continue
			;;
		esac
		[ "$(readlink "$_p/cwd" 2>/dev/null)" != "$1" ] || echo "$_pid"
	done
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

# no_signal_pending PID: PID is alive with no signal waiting to reach it
# (one sent is delivered when it next runs: a killed process lives on
# until then).
no_signal_pending() {
	pid_alive "$1" &&
		[ "$(proc_status "$1" SigPnd)$(proc_status "$1" ShdPnd)" = \
			00000000000000000000000000000000 ]
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

# pid_gone PID: the process has ended (or is a zombie).
pid_gone() {
	! pid_alive "$1"
}

# wait_gone PID WHAT: wait (10 s) until PID has ended.
wait_gone() {
	wait_for 10 "$2 (pid $1) to end" pid_gone "$1"
}

# has_lines FILE PATTERN N: FILE has at least N lines matching PATTERN.
has_lines() {
	[ "$(count_lines "$1" "$2")" -ge "$3" ]
}

# wait_lines FILE PATTERN N: wait (10 s) for N lines matching PATTERN.
wait_lines() {
	wait_for 10 "$3 lines matching '$2' in $1" has_lines "$1" "$2" "$3"
}

# last_line FILE: the last line of FILE.
last_line() {
	tail -n 1 "$1"
}

# comm_is PID PROG: PID runs the program PROG.
comm_is() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# wait_exec PID PROG: wait (10 s) until PID has exec'd PROG.
wait_exec() {
	wait_for 10 "pid $1 to exec $2" comm_is "$1" "$2"
}

# listen_events EVENTDIR OUT: listen on a fifodir as s6-svwait does,
# appending every event letter to OUT; the FIFO is held open read+write so
# that it always has a reader.  Sets LISTENER to the reader's pid.
listen_events() {
	_fifo="$1/ftrig1:@hotsvtest0000000000000000000000"
	mkfifo -m 0600 "$_fifo" || fail "mkfifo $_fifo"
	sh -c 'exec 3<>"$1"; exec cat <&3 >>"$2"' sh "$_fifo" "$2" &
	LISTENER=$!
	wait_for 10 "event listener opening $_fifo" sh -c \
		'ls -l /proc/$1/fd 2>/dev/null | grep -q ftrig1' sh "$LISTENER"
}

# has_event OUT LETTER: the listener's output holds LETTER.
has_event() {
	grep -q "$2" "$1" 2>/dev/null
}

# sig_mask_zero PID: SigBlk and SigIgn of PID are all zero.
sig_mask_zero() {
	_blk=$(proc_status "$1" SigBlk)
	_ign=$(proc_status "$1" SigIgn)
	[ -n "$_blk" ] && [ "$(echo "$_blk$_ign" | tr -d 0)" = "" ] ||
		fail "pid $1 ($(cat /proc/"$1"/comm)): SigBlk $_blk SigIgn $_ign"
}

# expect_exit CODE WHAT COMMAND...: run COMMAND (stdout and stderr in
# $WORK/cmd.out) and fail unless it exits CODE.
expect_exit() {
	_want=$1
	_what=$2
	shift 2
	"$@" >"$WORK/cmd.out" 2>&1
	_rc=$?
	[ "$_rc" = "$_want" ] ||
		fail "$_what: exited $_rc, expected $_want ($(cat "$WORK/cmd.out"))"
}

# output_has PATTERN WHAT: the last expect_exit's output matches PATTERN.
output_has() {
	grep -q -- "$1" "$WORK/cmd.out" ||
		fail "$2: output '$(cat "$WORK/cmd.out")' lacks '$1'"
}

# ---- hotsv-scan: the scanner and the set of services it runs ----

# scanner_listening PID: hotsv-scan PID holds its control FIFO open (its
# signals are blocked by then), or PID is gone (start_scanner says so).
scanner_listening() {
	ls -l "/proc/$1/fd" 2>/dev/null | grep -q '/\.hotsv/control$' ||
		pid_gone "$1"
}

# start_scanner [OPTION...] SCANDIR: start hotsv-scan in the background,
# stdout and stderr appended to $WORK/scan.out and $WORK/scan.err; set
# SCAN to its pid and return once it listens.
start_scanner() {
	hotsv-scan "$@" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	SCAN=$!
	wait_for 10 "hotsv-scan (pid $SCAN) listening" scanner_listening "$SCAN"
	if pid_gone "$SCAN"; then
		wait "$SCAN"
		fail "hotsv-scan exited $? at start"
	fi
}

# scanner_exits CODE [SECONDS]: wait (30 s) for hotsv-scan $SCAN to exit
# and fail unless it exits CODE.
scanner_exits() {
	wait_for "${2:-30}" "hotsv-scan (pid $SCAN) to exit" pid_gone "$SCAN"
	wait "$SCAN"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan exited $_rc, expected $1"
}

# stop_scanner: SIGTERM hotsv-scan and fail unless it exits 0.
stop_scanner() {
	kill -TERM "$SCAN"
	scanner_exits 0
}

# supervisor_list: "PID NAME" for every live hotsv-supervise, NAME being
# the base name of the directory it supervises (zombies have no cmdline).
supervisor_list() {
	grep -a -H '' /proc/[0-9]*/cmdline 2>/dev/null | tr '\0' ' ' |
		sed -n 's|^/proc/\([0-9]*\)/cmdline:hotsv-supervise .*/\([^ /]*\) $|\1 \2|p'
}

# supervised_names: the names live supervisors run for, sorted.
supervised_names() {
	supervisor_list | sed 's/^[0-9]* //' | sort
}

# count_supervisors: how many hotsv-supervise processes are alive.
count_supervisors() {
	supervisor_list | wc -l
}

# running_services: the tags of the live run processes made by
# make_marked_service or make_trapping_service, sorted, duplicates kept.
running_services() {
	cat /proc/[0-9]*/environ 2>/dev/null | tr '\0' '\n' |
		sed -n 's/^HOTSV_TEST_SVC=//p' | sort
}

# service_names SCANDIR: the services SCANDIR holds, sorted (an empty
# directory is none: see hide_service).
service_names() {
	ls "$1" | while IFS= read -r _name; do
		[ -n "$(ls -A "$1/$_name" 2>/dev/null)" ] ||
			[ ! -d "$1/$_name" ] && echo "$_name"
	done | sort
}

# make_marked_service DIR [TAG]: a service whose run appends "start TAG
# PID" to $WORK/events, then becomes a sleep whose environment holds
# HOTSV_TEST_SVC=TAG (see running_services).  TAG defaults to the base
# name of the directory run starts in (the target, for a symlink).
make_marked_service() {
	_tag=${2:-'${PWD##*/}'}
	make_service "$1" "tag=$_tag
echo \"start \$tag \$\$\" >>'$WORK/events'
HOTSV_TEST_SVC=\$tag
export HOTSV_TEST_SVC
exec sleep 100000"
}

# make_trapping_service DIR TAG [GROUP]: a service whose run appends
# "start TAG PID" to $WORK/events, and "stop TAG PID" when SIGTERM
# reaches it (then exits 0); its finish appends "finish TAG".  Before it
# starts, run appends "overlap TAG PID" if an instance of GROUP (default
# TAG) is still alive: two of them must never run at once.
make_trapping_service() {
	_group=$WORK/group.${3:-$2}
	make_service "$1" "trap 'echo \"stop $2 \$\$\" >>\"$WORK/events\"; [ -z \"\$!\" ] || kill \$! 2>/dev/null; exit 0' TERM
for pid in \$(cat '$_group' 2>/dev/null); do
	kill -0 \$pid 2>/dev/null && echo \"overlap $2 \$\$ \$pid\" >>'$WORK/events'
done
echo \$\$ >>'$_group'
HOTSV_TEST_SVC=$2 sleep 100000 &
echo \"start $2 \$\$\" >>'$WORK/events'
wait"
	printf '#!/bin/sh\necho "finish %s $1 $2" >>"%s"\n' "$2" \
		"$WORK/events" >"$1/finish"
	chmod +x "$1/finish"
}

# start_pid TAG: the pid of TAG's newest run (from the start lines
# make_trapping_service's runs write to $WORK/events).
start_pid() {
	sed -n "s/^start $1 \\([0-9]*\\).*/\\1/p" "$WORK/events" | tail -n 1
}

# event_count LINE: how many lines of $WORK/events start with LINE.
event_count() {
	count_lines "$WORK/events" "^$1"
}

# wait_events LINE N [SECONDS]: wait (30 s) until N lines of
# $WORK/events start with LINE.
wait_events() {
	wait_for "${3:-30}" "$2 lines '$1' in $WORK/events" has_lines \
		"$WORK/events" "^$1" "$2"
}

# expect_events LINE N: exactly N lines of $WORK/events start with LINE.
expect_events() {
	_got=$(event_count "$1")
	[ "$_got" = "$2" ] ||
		fail "$_got lines '$1' in $WORK/events, expected $2: $(cat "$WORK/events")"
}

# supervision_lists SCANDIR [TAG...]: write what should run and what
# runs to $WORK/want.list, sup.list (supervisors), tags.list and run.list
# (marked runs); how they differ goes to $WORK/supervision.out, which a
# failing test shows.
supervision_lists() {
	service_names "$1" >"$WORK/want.list"
	supervised_names >"$WORK/sup.list"
	running_services >"$WORK/run.list"
	shift
	expected_tags "$(cat "$WORK/want.list")" "$@" >"$WORK/tags.list"
	{
		echo "supervisors: $(list_diff want sup)"
		echo "runs: $(list_diff tags run)"
	} >"$WORK/supervision.out"
}

# supervision_exact SCANDIR [TAG...]: the live supervisors are exactly
# one per service of SCANDIR, and the live marked run processes exactly
# one per TAG (by default, one per service, tagged with its name).
supervision_exact() {
	supervision_lists "$@"
	cmp -s "$WORK/want.list" "$WORK/sup.list" &&
		cmp -s "$WORK/tags.list" "$WORK/run.list"
}

# expected_tags NAMES [TAG...]: the TAGs sorted, one a line, else NAMES.
expected_tags() {
	if [ $# -gt 1 ]; then
		shift
		printf '%s\n' "$@" | sort
	else
		printf '%s\n' "$1" | sed '/^$/d'
	fi
}

# expect_supervision SCANDIR [TAG...]: as supervision_exact, or fail
# saying how they differ.
expect_supervision() {
	supervision_lists "$@"
	cmp -s "$WORK/want.list" "$WORK/sup.list" ||
		fail "supervisors differ from SCANDIR: $(list_diff want sup)"
	cmp -s "$WORK/tags.list" "$WORK/run.list" ||
		fail "run processes differ from what should run: $(list_diff tags run)"
}

# list_diff A B: how $WORK/B.list differs from $WORK/A.list, on a line.
list_diff() {
	files_diff "$WORK/$1.list" "$WORK/$2.list"
}

# files_diff A B: how file B differs from file A, on a line (cut short).
files_diff() {
	diff "$1" "$2" | grep '^[<>]' | head -n 20 | tr '\n' ' '
}

# wait_supervision SCANDIR [TAG...]: wait ($SUPERVISION_WAIT s, default
# 30) until supervision is exact, then check that it still is once
# hotsv-scan and its supervisors have nothing due (no late stray).
wait_supervision() {
	wait_for "${SUPERVISION_WAIT:-30}" "one supervisor per service of $1, one run per tag" \
		supervision_exact "$@"
	wait_scan_settled
	expect_supervision "$@"
}

# bind_mount SOURCE DIR: mount SOURCE on DIR (in the test's mount
# namespace: inotify reports nothing), unmounted when the test exits.
bind_mount() {
	mount --bind "$1" "$2" || fail "cannot bind-mount $1 on $2"
	MOUNTS="$2 ${MOUNTS:-}"
	trap '_rc=$?; for _m in $MOUNTS; do umount -l "$_m"; done; (exit $_rc); cleanup_workdir' EXIT
}

# bind_readonly DIR [SOURCE]: mount SOURCE (default DIR itself) on DIR,
# read-only, unmounted when the test exits.
bind_readonly() {
	bind_mount "${2:-$1}" "$1"
	mount -o remount,bind,ro "$1" || fail "cannot make $1 read-only"
}

# unmount DIR: detach what bind_mount or mount_tmpfs put on DIR (lazily:
# a supervisor may hold a directory inside).
unmount() {
	umount -l "$1" || fail "cannot unmount $1"
	_left=
	for _m in $MOUNTS; do
		[ "$_m" = "$1" ] || _left="$_left $_m"
	done
	MOUNTS=$_left
}

# scanner_watches DIR: hotsv-scan $SCAN has an inotify watch on DIR (its
# inode is in the scanner's /proc/PID/fdinfo).
scanner_watches() {
	_ino=$(printf '%x' "$(stat -c %i "$1")")
	grep -qs "^inotify wd:[0-9]* ino:$_ino " /proc/"$SCAN"/fdinfo/*
}

# hide_service NAME: a marked service (see make_marked_service) that
# only a rescan can see: the empty directory SCANDIR/NAME (moved in unless
# it exists: hotsv-scan lets a directory made in place settle, and then
# looks again), once hotsv-scan $SCAN watches it, gets the service
# bind-mounted over it, which sends no inotify event.
hide_service() {
	if [ ! -d "$SCANDIR/$1" ]; then
		mkdir "$WORK/empty.$1" && mv "$WORK/empty.$1" "$SCANDIR/$1" ||
			fail "cannot move an empty $1 into $SCANDIR"
	fi
	wait_for 10 "hotsv-scan to watch $SCANDIR/$1" scanner_watches \
		"$SCANDIR/$1"
	make_marked_service "$WORK/hidden/$1"
	bind_mount "$WORK/hidden/$1" "$SCANDIR/$1"
}

# expect_rescan_sees NAME: hotsv rescan starts the hidden service NAME
# (see hide_service).
expect_rescan_sees() {
	hide_service "$1"
	expect_exit 0 "hotsv rescan" hv rescan
	wait_events "start $1 " 1
	wait_field "$1" state up
}

# supervisor_of NAME: the pid of the live supervisor of NAME.
supervisor_of() {
	supervisor_list | sed -n "s/^\([0-9]*\) $1\$/\1/p"
}

# line_of LINE head|tail: set LINE_NO to the number of the first (head)
# or last (tail) line of $WORK/events starting with LINE (fails if there
# is none).
line_of() {
	LINE_NO=$(grep -n "^$1" "$WORK/events" | "$2" -n 1 | cut -d: -f1)
	[ -n "$LINE_NO" ] || fail "no line '$1' in $WORK/events"
}

# expect_before FIRST SECOND: the first line FIRST comes before the last
# line SECOND in $WORK/events.
expect_before() {
	line_of "$1" head
	_first=$LINE_NO
	line_of "$2" tail
	[ "$_first" -lt "$LINE_NO" ] ||
		fail "'$2' came before '$1': $(cat "$WORK/events")"
}

# expect_no_overlap: no run of make_trapping_service started while
# another instance of its group was alive.
expect_no_overlap() {
	! grep -q '^overlap' "$WORK/events" ||
		fail "two instances ran at once: $(cat "$WORK/events")"
}

# remove_tree DIR: rm -rf DIR, again while a supervisor racing it
# recreates something inside (rm then fails with ENOTEMPTY).
remove_tree() {
	_tries=50
	until rm -rf "$1" 2>/dev/null && [ ! -e "$1" ]; do
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || fail "cannot remove $1"
		sleep 0.1
	done
}

# use_scandir DIR: make DIR the scan directory of the test (SCANDIR, and
# HOTSV_SCANDIR for hotsv), creating it.
use_scandir() {
	SCANDIR=$1
	HOTSV_SCANDIR=$1
	export HOTSV_SCANDIR
	mkdir -p "$1" || fail "cannot create $1"
}

# ---- random inputs ----

# use_seed: set SEED, from which every random choice of the test is made
# (seeded_bytes, seeded_shuf): $HOTSV_TEST_SEED to replay a failure, else
# a new one; the test's log says which.
use_seed() {
	SEED=${HOTSV_TEST_SEED:-$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')}
	say "random seed $SEED (replay: HOTSV_TEST_SEED=$SEED make check TESTS=tests/$TEST_NAME.sh)"
}

# seeded_bytes KEY N: N pseudo-random bytes made from SEED and KEY (a
# number, one per choice, so that each choice gets bytes of its own).
seeded_bytes() {
	awk -v seed="$SEED" -v key="$1" -v n="$2" 'BEGIN {
		srand(seed % 1000000007 + key * 7919)
		for (i = 0; i < n; i++)
			printf "%c", int(rand() * 256)
	}'
}

# seeded_shuf KEY ARG...: shuf ARG..., choosing with seeded_bytes KEY.
seeded_shuf() {
	_source=$WORK/random.$1
	seeded_bytes "$1" 4096 >"$_source"
	shift
	shuf --random-source="$_source" "$@"
	rm -f "$_source"
}

# ---- hotsv-scan as init, PID 1 or subreaper (tests/init-*.sh) ----

# now_ms: the time in milliseconds (to measure a shutdown's length).
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# child_of PID [COMM]: the pid of a child of PID (named COMM), if any.
child_of() {
	cat /proc/[0-9]*/stat 2>/dev/null |
		sed -n "s/^\([0-9]*\) (${2:-.*}) . $1 .*/\1/p" | head -n 1
}

# scanner_ready PID: hotsv-scan PID has blocked its signals (so that, as
# PID 1 of a namespace, it does not drop one) and listens on its control
# FIFO; or it is gone.
scanner_ready() {
	_blk=$(proc_status "$1" SigBlk | tr -d 0)
	{ [ -n "$_blk" ] && scanner_listening "$1"; } || pid_gone "$1"
}

# init_started: unshare ($INIT) has started hotsv-scan (SCAN is its pid),
# or unshare is gone already.
init_started() {
	SCAN=$(child_of "$INIT")
	[ -n "$SCAN" ] && [ "$(cat "/proc/$SCAN/comm")" = hotsv-scan ] ||
		pid_gone "$INIT"
}

# start_init [OPTION...] SCANDIR [-- CMD...]: start hotsv-scan as PID 1 of
# a new PID namespace (under unshare, then $INIT_WRAP if set, e.g. "env
# --block-signal"), stdin from $INIT_STDIN (default /dev/null), stdout and
# stderr appended to $WORK/scan.out and scan.err.  Sets INIT to unshare's
# pid (see init_exits) and SCAN to hotsv-scan's, as this namespace sees
# it, and returns once hotsv-scan is ready or gone.
start_init() {
	unshare --pid --fork --mount-proc ${INIT_WRAP:-} hotsv-scan "$@" \
		<"${INIT_STDIN:-/dev/null}" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	INIT=$!
	wait_for 30 "unshare (pid $INIT) to start hotsv-scan" init_started
	[ -z "$SCAN" ] ||
		wait_for 30 "hotsv-scan (pid $SCAN) ready" scanner_ready "$SCAN"
}

# init_exits CODE [SECONDS]: wait (30 s) for the hotsv-scan of start_init
# to end, and fail unless it (unshare, which passes it on) exits CODE.
# Sets ELAPSED to the milliseconds since START_MS, when the test set it.
init_exits() {
	wait_for "${2:-30}" "hotsv-scan under unshare (pid $INIT) to exit" \
		pid_gone "$INIT"
	ELAPSED=$(($(now_ms) - ${START_MS:-0}))
	wait "$INIT"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan (as PID 1) exited $_rc, expected $1"
}

# signal_scanner SIG: send SIG to hotsv-scan $SCAN and set START_MS.
signal_scanner() {
	START_MS=$(now_ms)
	kill -"$1" "$SCAN" || fail "cannot send SIG$1 to hotsv-scan ($SCAN)"
}

# zombies_under PID: how many zombies PID has among its descendants (as
# PID 1 of a namespace, every zombie of that namespace).
zombies_under() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
	{ pid = $1; sub(/^.*\) /, ""); state[pid] = $1; parent[pid] = $2 }
	END {
		n = 0
		for (p in state) {
			if (state[p] != "Z")
				continue
			for (q = parent[p]; q > 1 && q != root; q = parent[q])
				;
			if (q == root)
				n++
		}
		print n
	}'
}

# no_zombies_under PID: PID has no zombie among its descendants.
no_zombies_under() {
	[ "$(zombies_under "$1")" = 0 ]
}

# write_trapper: $WORK/trapper TAG [quick|gated|deaf] [INTCODE], a run
# that appends "start TAG PID" to $WORK/events, then "SIG TAG" for each
# of HUP INT QUIT USR1 USR2 WINCH ALRM that reaches it (and, given
# INTCODE, half a second after SIGINT, "exit TAG" and exits INTCODE); on
# SIGTERM it appends "stop TAG" and exits 0, at once (quick) or once
# $WORK/gate exists (gated: "term TAG" first), or ignores it (deaf).  Its
# sleep's environment holds HOTSV_TEST_SVC=TAG.
write_trapper() {
	[ -x "$WORK/trapper" ] && return
	cat >"$WORK/trapper" <<TRAPPER
#!/bin/sh
tag=\$1
note() { echo "\$1 \$tag" >>'$WORK/events'; }
for sig in HUP INT QUIT USR1 USR2 WINCH ALRM; do
	trap "note \$sig" "\$sig"
done
[ -z "\${3:-}" ] || trap "note INT; sleep 0.5; note exit; exit \$3" INT
case \${2:-quick} in
quick) trap 'note stop; kill \$! 2>/dev/null; exit 0' TERM ;;
gated) trap 'note term; until [ -e "$WORK/gate" ]; do sleep 0.05; done
	note stop; kill \$! 2>/dev/null; exit 0' TERM ;;
deaf) trap '' TERM ;;
esac
HOTSV_TEST_SVC=\$tag sleep 100000 &
echo "start \$tag \$\$" >>'$WORK/events'
while kill -0 \$! 2>/dev/null; do
	wait \$!
done
TRAPPER
	chmod +x "$WORK/trapper"
}

# make_signal_service DIR TAG [quick|gated|deaf]: a service whose run is
# the trapper (see write_trapper) and whose finish appends "finish TAG
# EXIT SIG" to $WORK/events.
make_signal_service() {
	write_trapper
	make_service "$1" "exec '$WORK/trapper' '$2' ${3:-quick}"
	make_finish "$1" "echo \"finish $2 \$1 \$2\" >>'$WORK/events'"
}

# make_hook SCANDIR DIR NAME SCRIPT: the executable scanner hook
# SCANDIR/DIR/NAME (DIR: .hotsv or .s6-svscan) running SCRIPT (sh).
make_hook() {
	mkdir -p "$1/$2"
	printf '#!/bin/sh\n%s\n' "$4" >"$1/$2/$3"
	chmod +x "$1/$2/$3"
}

# expect_elapsed MIN MAX WHAT: MIN <= $ELAPSED < MAX (milliseconds).
expect_elapsed() {
	say "$3 took $ELAPSED ms"
	[ "$ELAPSED" -ge "$1" ] && [ "$ELAPSED" -lt "$2" ] ||
		fail "$3 took $ELAPSED ms, expected at least $1 and less than $2"
}

# need_pty: need_python, and python3's pty module, or skip.
need_pty() {
	need_python
	"$PYTHON" -c 'import pty' 2>/dev/null || skip "needs python3's pty module"
}

# on_terminal ARG...: run hotsv-scan ARG... ($WRAP before it, e.g.
# "unshare --pid --fork --mount-proc") on a new pseudo-terminal, whose
# output goes to $WORK/pty.out, with $WORK/events emptied; sets TYPIST
# to the pid of the python3 program (see need_pty) that holds the
# terminal, types on it (type_keys) and exits with hotsv-scan's code.
on_terminal() {
	cat >"$WORK/typist.py" <<'PY'
import os, pty, select, sys

keys, argv = sys.argv[1], sys.argv[2:]
pid, master = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
with open(os.path.join(os.path.dirname(keys), "pty.out"), "ab") as out:
    while True:
        if os.path.exists(keys):
            with open(keys, "rb") as f:
                os.write(master, f.read())
            os.unlink(keys)
        if select.select([master], [], [], 0.05)[0]:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: every end of the terminal is closed
                break
            if not data:
                break
            out.write(data)
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(code if code >= 0 else 128 - code)
PY
	: >"$WORK/events"
	"$PYTHON" "$WORK/typist.py" "$WORK/keys" ${WRAP:-} hotsv-scan "$@" &
	TYPIST=$!
}

# type_keys TEXT: type TEXT (a printf format: '\003' is Ctrl-C) on the
# terminal of on_terminal; returns once it is typed.
type_keys() {
	printf "$1" >"$WORK/keys.new" && mv "$WORK/keys.new" "$WORK/keys"
	wait_for 10 "the typist to type" sh -c '! [ -e "$1" ]' sh "$WORK/keys"
}

# terminal_exits CODE: wait (30 s) for hotsv-scan on the terminal to
# exit, and fail unless it exits CODE.
terminal_exits() {
	wait_for 30 "hotsv-scan on the terminal to exit" pid_gone "$TYPIST"
	wait "$TYPIST"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan exited $_rc, expected $1"
}

# make_forker_service DIR TAG N: a service whose run double-forks N
# short-lived children (orphans, for the reaper), appends "forked TAG" to
# $WORK/events, leaves behind a process in a session of its own that
# appends "leftover TAG PID" and, 0.2 s after SIGTERM reaches it, "swept
# TAG", then becomes the trapper (see write_trapper) tagged TAG.
make_forker_service() {
	write_trapper
	make_service "$1" "i=0
while [ \$i -lt $3 ]; do
	(: &)
	i=\$((i + 1))
done
echo 'forked $2' >>'$WORK/events'
setsid sh -c 'trap \"sleep 0.2; echo swept $2 >>$WORK/events; exit 0\" TERM
echo \"leftover $2 \$\$\" >>$WORK/events
sleep 100000 & wait' &
exec '$WORK/trapper' '$2'"
}

# pid_of_tag TAG: the pid of a live process whose environment holds
# HOTSV_TEST_SVC=TAG (see make_marked_service).
pid_of_tag() {
	grep -lxz "HOTSV_TEST_SVC=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | head -n 1
}

# make_signal_services NAME...: make_signal_service $SCANDIR/NAME NAME,
# for each NAME.
make_signal_services() {
	for _name; do
		make_signal_service "$SCANDIR/$_name" "$_name"
	done
}

# ---- logged services: log/, its pipe, --prefix (tests/logsvc-*.sh) ----

# make_counting_service DIR TAG LAST [CHUNK [PACE]]: a service whose run
# writes the lines "TAG N" on stdout, N from 1 to LAST, then idles.  N
# survives restarts in $WORK/TAG.next, so that "every line exactly once"
# means something: SIGTERM only sets a flag the loop looks at between
# lines, and the one way out of the loop saves N.  A line written and N
# saved therefore cannot diverge across a stop (SIGKILL would break
# this: nothing in these tests sends it to a run).  Each run also ends by
# itself after the multiple of CHUNK (default LAST) that comes next, and
# runs PACE (sh, e.g. "sleep 0.02") after each line.  $WORK/events gets
# "start TAG PID N" and "saved TAG PID N chunk|term".
make_counting_service() {
	make_service "$1" "next='$WORK/$2.next'
n=1
[ -f \"\$next\" ] && n=\$(cat \"\$next\")
chunk=${4:-$3}
end=\$(((n - 1) / chunk * chunk + chunk))
[ \$end -le $3 ] || end=$3
why=chunk
trap 'why=term' TERM
echo \"start $2 \$\$ \$n\" >>'$WORK/events'
while [ \$why = chunk ] && [ \$n -le \$end ]; do
	echo \"$2 \$n\"
	n=\$((n + 1))
	${5:-:}
done
echo \$n >\"\$next.new\" && mv \"\$next.new\" \"\$next\"
echo \"saved $2 \$\$ \$n \$why\" >>'$WORK/events'
[ \$why = term ] || [ \$n -le $3 ] || exec sleep 100000
exit 0"
}

# make_log_run LOGDIR OUTDIR [OPTION...]: a log/ directory (LOGDIR, made
# here) whose run is "exec hotsv-log OPTION... OUTDIR".  OUTDIR lies
# outside the service, so that it outlives an rm -rf of the service.
make_log_run() {
	_logdir=$1
	_out=$2
	shift 2
	mkdir -p "${_out%/*}"
	make_service "$_logdir" "exec hotsv-log $* '$_out'"
}

# counted_lines TAG: stdin's lines, "TAG N" turned into N (others kept,
# so that expect_numbers shows them).
counted_lines() {
	sed "s/^$1 \\([0-9]*\\)\$/\\1/"
}

# expect_numbers WHAT FIRST LAST FILE: FILE holds the numbers FIRST to
# LAST, one a line, each once and in order; else fail saying how it
# differs.  (FILE, not stdin: piped into, it would run in a subshell.)
expect_numbers() {
	seq "$2" "$3" >"$WORK/seq.list"
	cmp -s "$WORK/seq.list" "$4" && return 0
	fail "$1: not $2 to $3 once each in order ($(wc -l <"$4") lines, $(sort "$4" | uniq -d | wc -l) repeated): $(files_diff "$WORK/seq.list" "$4")"
}

# next_number TAG: the N at which the counting service TAG resumes.
next_number() {
	cat "$WORK/$1.next"
}

# expect_saves TAG TERMS: every run of the counting service TAG saved N
# (none died in between), and TERMS of them on SIGTERM.
expect_saves() {
	expect_events "saved $1 .* term" "$2"
	[ "$(event_count "start $1 ")" = "$(event_count "saved $1 ")" ] ||
		fail "a run of $1 ended without saving N: $(cat "$WORK/events")"
}

# logger_pid NAME: the pid of NAME's logger, as hotsv status says.
logger_pid() {
	status_field "$1/log" pid
}

# new_logger NAME OLD: NAME's logger runs, and is not pid OLD.
new_logger() {
	_pid=$(logger_pid "$1")
	[ -n "$_pid" ] && [ "$_pid" != 0 ] && [ "$_pid" != "$2" ] &&
		pid_alive "$_pid"
}

# syscall_of PID: the number of the system call PID is in (the first
# field of /proc/PID/syscall: -1 in user space, "running" on a CPU).
syscall_of() {
	cut -d ' ' -f 1 "/proc/$1/syscall" 2>/dev/null
}

# wchar PID: how many bytes PID has written so far.
wchar() {
	sed -n 's/^wchar: //p' "/proc/$1/io" 2>/dev/null
}

# learn_idle_syscall NAME: set IDLE_SYSCALL to the system call in which
# NAME's logger, given no input, sleeps: its ppoll (learnt, not taken
# from a table of numbers per architecture).
learn_idle_syscall() {
	wait_for 10 "a logger for $1" new_logger "$1" 0
	_pid=$(logger_pid "$1")
	[ -r "/proc/$_pid/syscall" ] || skip "no /proc/PID/syscall on this kernel"
	wait_settled "$_pid"
	IDLE_SYSCALL=$(syscall_of "$_pid")
}

# kill_logger_idle NAME: SIGKILL NAME's logger (hotsv kill NAME/log) at a
# moment it holds no line read and not yet written: freeze it with
# SIGSTOP until it is caught in $IDLE_SYSCALL (see learn_idle_syscall),
# where it waits for input with its batch written.  Then wait for its
# supervisor to start another.
kill_logger_idle() {
	_old=$(logger_pid "$1")
	_tries=2000
	while :; do
		kill -STOP "$_old" || fail "cannot stop $1's logger $_old"
		wait_for 10 "$1's logger $_old stopped" proc_state_is "$_old" T
		[ "$(syscall_of "$_old")" = "$IDLE_SYSCALL" ] && break
		kill -CONT "$_old"
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || fail "$1's logger never caught idle"
	done
	hv kill "$1/log" || fail "hotsv kill $1/log exited $?"
	wait_for 10 "a new logger for $1" new_logger "$1" "$_old"
}

# chatty_pad: the awk function giving the length of line N's padding in
# the lines of make_chatty_service: 100 to 6,000 bytes, longer than
# PIPE_BUF (4096) for about a third of them.
chatty_pad() {
	echo 'function pad_length(n) { return 100 + n * 997 % 5901 }'
}

# make_chatty_service DIR TAG N: a service writing "TAG I out PAD" on
# stdout and "TAG I err PAD" on stderr for I from 1 to N, as fast as it
# can, once $WORK/go exists, PAD being a run of TAG's first letter (see
# chatty_pad); then "done TAG" in $WORK/events.  Both streams are flushed
# after each line, so that the service itself never mixes two lines.
make_chatty_service() {
	make_service "$1" "until [ -e '$WORK/go' ]; do sleep 0.05; done
awk -v tag=$2 -v n=$3 '$(chatty_pad)
BEGIN {
	pad = substr(tag, 1, 1)
	while (length(pad) < 6000)
		pad = pad pad
	for (i = 1; i <= n; i++) {
		printf \"%s %d out %s\\n\", tag, i, substr(pad, 1, pad_length(i))
		fflush()
		printf \"%s %d err %s\\n\", tag, i, substr(pad, 1, pad_length(i)) >\"/dev/stderr\"
		fflush(\"/dev/stderr\")
	}
}'
echo 'done $2' >>'$WORK/events'
exec sleep 100000"
}

# expect_prefixed FILE N TAG...: every line of FILE is a line of a
# make_chatty_service TAG behind "TAG: ", whole, and each of their
# streams is there in order from 1 to N; else fail, showing the first
# bad lines (cut short).
expect_prefixed() {
	_file=$1
	_n=$2
	shift 2
	awk -v tags="$*" -v n="$_n" "$(chatty_pad)"'
	BEGIN {
		split(tags, list, " ")
		for (t in list) {
			p = substr(list[t], 1, 1)
			while (length(p) < 6000)
				p = p p
			pad[list[t]] = p
		}
	}
	{
		tag = $2
		if (NF != 5 || $1 != tag ":" || !(tag in pad) ||
		    ($4 != "out" && $4 != "err") || $3 != ++seen[tag " " $4] ||
		    $5 != substr(pad[tag], 1, pad_length($3))) {
			if (bad++ < 3)
				print "bad line " NR ": " substr($0, 1, 70) "..."
			seen[tag " " $4] = $3
		}
	}
	END {
		for (t in pad)
			for (s = 1; s <= 2; s++) {
				k = t " " (s == 1 ? "out" : "err")
				if (seen[k] != n)
					print k ": ends at " seen[k] + 0 ", not " n
			}
		if (bad)
			print bad " bad lines in " NR
	}' "$_file" >"$WORK/complaints"
	[ ! -s "$WORK/complaints" ] ||
		fail "$_file: $(cat "$WORK/complaints")"
}

# ---- readiness, dependencies, hotsv wait and check (tests/ready-*.sh) ----

# make_ready_service DIR TAG [DELAY]: a service with notification-fd 3
# whose run appends "start TAG NS" to $WORK/events (NS: nanoseconds since
# the epoch), takes DELAY seconds (default 0.3), appends "ready TAG NS"
# and writes its readiness line, then idles as a sleep whose environment
# holds HOTSV_TEST_SVC=TAG.  SIGTERM makes it append "stop TAG NS", take
# 0.3 s, append "exit TAG NS" and exit 0: a service stopped only after
# TAG exited has a "stop" stamp after TAG's "exit" stamp.
make_ready_service() {
	make_service "$1" "trap 'echo \"stop $2 \$(date +%s%N)\" >>\"$WORK/events\"
sleep 0.3
echo \"exit $2 \$(date +%s%N)\" >>\"$WORK/events\"
[ -z \"\$!\" ] || kill \$! 2>/dev/null
exit 0' TERM
echo \"start $2 \$(date +%s%N)\" >>'$WORK/events'
sleep ${3:-0.3}
echo \"ready $2 \$(date +%s%N)\" >>'$WORK/events'
echo >&3
HOTSV_TEST_SVC=$2 sleep 100000 &
wait"
	echo 3 >"$1/notification-fd"
}

# make_gated_service DIR TAG: a service with notification-fd 3 whose run
# appends "start TAG PID" to $WORK/events and is ready once
# $WORK/TAG.go exists; its finish appends "finish TAG EXIT" and returns
# once $WORK/TAG.fin exists (timeout-finish 0: no limit).
make_gated_service() {
	make_service "$1" "echo \"start $2 \$\$\" >>'$WORK/events'
while [ ! -e '$WORK/$2.go' ]; do sleep 0.05; done
echo >&3
exec sleep 100000"
	echo 3 >"$1/notification-fd"
	make_finish "$1" "echo \"finish $2 \$1\" >>'$WORK/events'
while [ ! -e '$WORK/$2.fin' ]; do sleep 0.05; done"
	echo 0 >"$1/timeout-finish"
}

# stamp_of LINE: set STAMP to the last field (a time stamp) of the first
# line of $WORK/events that starts with "LINE " (fails if there is none).
stamp_of() {
	STAMP=$(sed -n "s/^$1 .* \\([0-9]*\\)\$/\\1/p; s/^$1 \\([0-9]*\\)\$/\\1/p" \
		"$WORK/events" | head -n 1)
	[ -n "$STAMP" ] || fail "no line '$1' in $WORK/events: $(cat "$WORK/events")"
}

# expect_stamps_ordered FIRST SECOND: the stamp of line FIRST is not
# later than that of line SECOND (see stamp_of).
expect_stamps_ordered() {
	stamp_of "$1"
	_first=$STAMP
	stamp_of "$2"
	[ "$_first" -le "$STAMP" ] ||
		fail "'$2' ($STAMP) came before '$1' ($_first): $(cat "$WORK/events")"
}

# start_waiter NAME COMMAND...: run COMMAND in the background, output in
# $WORK/NAME.out, exit code (once it ends) in $WORK/NAME.rc; the pid of
# the shell that runs it in $WORK/NAME.pid.
start_waiter() {
	_name=$1
	shift
	rm -f "$WORK/$_name.rc"
	{
		"$@" >"$WORK/$_name.out" 2>&1
		echo $? >"$WORK/$_name.rc.new"
		mv "$WORK/$_name.rc.new" "$WORK/$_name.rc"
	} &
	echo $! >"$WORK/$_name.pid"
}

# waiter_ended NAME: the waiter NAME has ended.
waiter_ended() {
	[ -f "$WORK/$1.rc" ]
}

# waiter_blocked NAME PID...: the waiter NAME has ended, or its command
# sleeps (state S: it has taken in all that was written to it) while the
# hotsv programs PID... have nothing due (see no_deadline): whatever they
# had to say has been said, and the waiter has heard it.
waiter_blocked() {
	waiter_ended "$1" && return 0
	_shell=$(cat "$WORK/$1.pid")
	_cmds=$(cat "/proc/$_shell/task/$_shell/children" 2>/dev/null)
	[ -n "$_cmds" ] || return 1
	for _cmd in $_cmds; do
		proc_state_is "$_cmd" S || return 1
	done
	shift
	all_settled "$@"
}

# expect_waiting NAME WHAT PID...: the waiter NAME, once blocked (see
# waiter_blocked), is still waiting.
expect_waiting() {
	_name=$1
	_what=$2
	shift 2
	wait_for 10 "$_what: the waiter to block" waiter_blocked "$_name" "$@"
	! waiter_ended "$_name" ||
		fail "$_what: ended early, exit $(cat "$WORK/$_name.rc"): $(cat "$WORK/$_name.out")"
}

# waiter_exits NAME CODE WHAT [PATTERN]: wait (10 s) for the waiter NAME
# to end, and fail unless it exits CODE (and its output matches PATTERN).
waiter_exits() {
	wait_for 10 "$3 to end" waiter_ended "$1"
	[ "$(cat "$WORK/$1.rc")" = "$2" ] ||
		fail "$3: exited $(cat "$WORK/$1.rc"), expected $2: $(cat "$WORK/$1.out")"
	[ -z "${4:-}" ] || grep -q -- "$4" "$WORK/$1.out" ||
		fail "$3: output '$(cat "$WORK/$1.out")' lacks '$4'"
}

# listeners DIR: how many FIFOs listen in DIR/event (s6-svwait's and
# hotsv wait's subscriptions).
listeners() {
	find "$1/event" -maxdepth 1 -name 'ftrig1:@*' 2>/dev/null | wc -l
}

# wait_listeners DIR N: wait (10 s) until N FIFOs listen in DIR/event.
wait_listeners() {
	wait_for 10 "$2 listeners in $1/event" \
		sh -c '[ "$(find "$1/event" -maxdepth 1 -name "ftrig1:@*" | wc -l)" -ge "$2" ]' \
		sh "$1" "$2"
}

# need_python: set PYTHON to python3's own executable (not a wrapper
# script, so that the sender's pid is the one that execs), or skip.
need_python() {
	PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
	[ -n "$PYTHON" ] && [ -x "$PYTHON" ] || skip "needs python3"
}

# write_notifyd: $WORK/notifyd TAG, a run (python3; call need_python
# first) for a service with notify-socket.  It appends "start TAG PID" to
# $WORK/events; sends each message the test gives it (see run_says) to
# $NOTIFY_SOCKET itself, or, for a message starting with "child:", from
# a child in its process group that lives until run ends; RELOADING=1 on
# SIGHUP; STOPPING=1 on SIGTERM, then exits once $WORK/TAG.letgo exists.
write_notifyd() {
	[ -x "$WORK/notifyd" ] && return
	cat >"$WORK/notifyd" <<NOTIFYD
#!$PYTHON
import os, signal, socket, sys, time

work, tag = "$WORK", sys.argv[1]
addr = os.environ["NOTIFY_SOCKET"]
if addr.startswith("@"):
    addr = "\\0" + addr[1:]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
flags = set()

def note(line):
    with open(work + "/events", "a") as f:
        f.write(line + "\\n")

def child_send(data):
    if os.fork() == 0:
        sock.sendto(data, addr)
        while os.getppid() != 1 and not os.path.exists(work + "/" + tag + ".letgo"):
            time.sleep(0.05)
        os._exit(0)

signal.signal(signal.SIGTERM, lambda s, f: flags.add("term"))
signal.signal(signal.SIGHUP, lambda s, f: flags.add("hup"))
note("start %s %d" % (tag, os.getpid()))
while True:
    try:
        with open(work + "/say." + tag, "rb") as f:
            data = f.read()
        os.unlink(work + "/say." + tag)
        if data.startswith(b"child:"):
            child_send(data[6:])
        else:
            sock.sendto(data, addr)
        note("sent " + tag)
    except FileNotFoundError:
        pass
    if "hup" in flags:
        flags.discard("hup")
        sock.sendto(b"RELOADING=1", addr)
        note("reloading " + tag)
    if "term" in flags:
        sock.sendto(b"STOPPING=1", addr)
        note("stopping " + tag)
        while not os.path.exists(work + "/" + tag + ".letgo"):
            time.sleep(0.05)
        sys.exit(0)
    time.sleep(0.05)
NOTIFYD
	chmod +x "$WORK/notifyd"
}

# make_notify_service DIR TAG: a service with notify-socket whose run is
# $WORK/notifyd TAG (see write_notifyd).
make_notify_service() {
	write_notifyd
	make_service "$1" "exec '$WORK/notifyd' '$2'"
	: >"$1/notify-socket"
}

# run_says TAG MESSAGE: the run of notify service TAG sends MESSAGE (a
# printf format, as 'READY=1\nSTATUS=up') as one datagram; returns once
# it has been sent.
run_says() {
	_sent=$(event_count "sent $1\$")
	printf "$2" >"$WORK/say.$1.new" && mv "$WORK/say.$1.new" "$WORK/say.$1"
	wait_events "sent $1\$" $((_sent + 1)) 10
}

# outsider_says SOCKET MESSAGE: a process outside any service sends
# MESSAGE (a printf format) to the datagram socket SOCKET.
outsider_says() {
	printf "$2" >"$WORK/outsider.msg"
	"$PYTHON" -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(
    sys.stdin.buffer.read(), sys.argv[1])' "$1" <"$WORK/outsider.msg" ||
		fail "cannot send to $1"
}

# padded_message SIZE TEXT: TEXT, a newline and "X=aaa..." up to SIZE
# bytes in all (a variable sd_notify ignores).
padded_message() {
	printf '%s\nX=' "$2"
	head -c $(($1 - ${#2} - 3)) /dev/zero | tr '\0' a
}

# status_note DIR: the NOTE column of DIR's row in "hotsv status".
status_note() {
	hv status "$1" 2>/dev/null | sed -n '2s/^.* [0-9][0-9]*  //p'
}

# note_is DIR TEXT: the NOTE column of DIR is TEXT.
note_is() {
	[ "$(status_note "$1")" = "$2" ]
}

# wait_note DIR TEXT: wait (10 s) until DIR's NOTE column is TEXT.
wait_note() {
	wait_for 10 "$1: status note '$2'" note_is "$1" "$2"
}

# status_flags DIR: the flags byte of DIR/supervise/status, in decimal.
status_flags() {
	od -An -tu1 -j34 -N1 "$1/supervise/status" | tr -d ' '
}

# status_stamp_ns DIR OFFSET: set STAMP_NS to the TAI64N stamp at OFFSET
# (0: up/down, 12: readiness) of DIR/supervise/status, as Unix
# nanoseconds (TAI64 label 2^62 + 37 + Unix seconds, as s6 writes it).
status_stamp_ns() {
	_hex=$(od -An -tx1 -j"$2" -N12 "$1/supervise/status" | tr -d ' \n')
	[ ${#_hex} = 24 ] || fail "cannot read the stamp at $2 in $1/supervise/status"
	_secs=$((0x${_hex%????????} - 4611686018427387904 - 37))
	STAMP_NS=$((_secs * 1000000000 + 0x${_hex#????????????????}))
}


# ---- reliability: adoption, faults, churn, bad input (tests/rel-*.sh) ----

# tag_count TAG: how many live processes carry HOTSV_TEST_SVC=TAG (see
# running_services).
tag_count() {
	running_services | grep -cx -- "$1" || true
}

# start_dup_watch: in the background, every 20 ms, append to $WORK/dups
# every tag that two live processes carry at once (see running_services),
# and a line to $WORK/dup.samples per look.  Sets DUP_WATCH to its pid.
start_dup_watch() {
	: >"$WORK/dups"
	: >"$WORK/dup.samples"
	(
		while :; do
			running_services | uniq -d >>"$WORK/dups"
			echo >>"$WORK/dup.samples"
			sleep 0.02
		done
	) &
	DUP_WATCH=$!
}

# stop_dup_watch: stop the watcher of start_dup_watch (after one more look).
stop_dup_watch() {
	_looks=$(wc -l <"$WORK/dup.samples")
	wait_for 10 "the duplicate watcher to look once more" sh -c \
		'[ "$(wc -l <"$1")" -gt "$2" ]' sh "$WORK/dup.samples" "$_looks"
	kill "$DUP_WATCH"
	wait "$DUP_WATCH" 2>/dev/null
	DUP_WATCH=
}

# expect_no_dups: the watcher never saw two processes with one tag.
expect_no_dups() {
	[ ! -s "$WORK/dups" ] ||
		fail "two runs at once, in $(wc -l <"$WORK/dup.samples") looks: $(sort "$WORK/dups" | uniq -c | tr '\n' ' ')"
}

# supervisors_are N: N hotsv-supervise processes are alive (counted by
# their argv[0], so that a service name holding a newline counts too).
supervisors_are() {
	[ "$(grep -l '^hotsv-supervise' /proc/[0-9]*/cmdline 2>/dev/null | wc -l)" = "$1" ]
}

# new_supervisor NAME OLD: NAME has a live supervisor that is not pid OLD.
new_supervisor() {
	_new=$(supervisor_of "$1")
	[ -n "$_new" ] && [ "$_new" != "$2" ]
}

# mount_tmpfs DIR KIB: mount a tmpfs of KIB KiB on DIR (made if need be),
# unmounted when the test exits.
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=${2}k,mode=0755" tmpfs "$1" ||
		skip "cannot mount a tmpfs on $1"
	MOUNTS="$1 ${MOUNTS:-}"
	trap '_rc=$?; for _m in $MOUNTS; do umount -l "$_m"; done; (exit $_rc); cleanup_workdir' EXIT
}

# fill_fs DIR: fill the filesystem of DIR to the last byte (DIR/filler).
fill_fs() {
	dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null
	dd if=/dev/zero of="$1/filler2" bs=1 2>/dev/null
	: >"$1/probe" 2>/dev/null && echo x >"$1/probe" 2>/dev/null &&
		fail "$1 still takes writes"
	rm -f "$1/probe"
}

# make_pool PREFIX N: N marked services, PREFIX1 to PREFIXN, in
# $WORK/pool (outside SCANDIR); their names in NAMES.
make_pool() {
	mkdir "$WORK/pool"
	NAMES=$(seq -f "$1%g" 1 "$2")
	for _n in $NAMES; do
		make_marked_service "$WORK/pool/$_n"
	done
}

# built_with_asan: the programs under test use AddressSanitizer
# (--enable-sanitizers): no valgrind, and resident memory grows with its
# quarantine of freed blocks.
built_with_asan() {
	grep -qa __asan_init "$(command -v hotsv-scan)"
}

# rss_kb PID: the resident set size of PID, in KiB.
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$1/status"
}

# claim_uid UID...: this test runs processes as each (unprivileged) UID,
# which no other test may use (tests run side by side; lib-selftest
# checks that no two claim one uid; new tests take theirs in 62000-62999)
# and no process may hold now.  Call it before enter_namespace, whose
# /proc shows only the test's own processes.
claim_uid() {
	[ "${HOTSV_IN_NAMESPACE:-}" != 1 ] || return 0
	for _uid; do
		[ "$(uid_procs "$_uid")" = 0 ] ||
			fail "uid $_uid is in use: each test needs uids of its own"
	done
}

# uid_procs UID: how many processes run with the real uid UID.
uid_procs() {
	cat /proc/[0-9]*/status 2>/dev/null |
		awk -v uid="$1" '$1 == "Uid:" && $2 == uid { n++ } END { print n + 0 }'
}

# json_lines_valid FILE: every line of FILE is one JSON object in strict
# UTF-8, as "python3 -m json.tool" reads it (call need_python first).
json_lines_valid() {
	_n=0
	while IFS= read -r _line; do
		_n=$((_n + 1))
		printf '%s\n' "$_line" |
			PYTHONIOENCODING=utf-8:strict "$PYTHON" -m json.tool \
				>/dev/null 2>"$WORK/json.err" ||
			fail "line $_n of $1 is not valid JSON: $(printf '%s' "$_line" | od -c | head -n 5 | tr -s ' \n' ' ') ($(tail -n 1 "$WORK/json.err"))"
	done <"$1"
	[ "$_n" -gt 0 ] || fail "$1 is empty"
}

# ---- the examples (tests/example-*.sh) ----

# enter_network_namespace ARG...: call after enter_namespace, with the
# script's arguments: re-run the script, still PID 1 of its namespace,
# in a network namespace of its own with the loopback interface up, so
# that a server it starts can take any port (80) on 127.0.0.1.
enter_network_namespace() {
	if [ "${HOTSV_IN_NETNS:-}" != 1 ]; then
		command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
		unshare --net true 2>/dev/null ||
			skip "unshare --net is not allowed here"
		HOTSV_IN_NETNS=1 exec unshare --net "$SHELL_FOR_TESTS" "$0" "$@"
	fi
	ip link set lo up || fail "cannot bring the loopback interface up"
}

# dockerfile_args DOCKERFILE INSTRUCTION: the elements of the JSON array
# of INSTRUCTION (as in ENTRYPOINT ["hotsv-scan", "/service"]), one a
# line; no element may hold a quote, a comma or a newline.
dockerfile_args() {
	_array=$(sed -n "s/^$2 *\\[\\(.*\\)\\] *\$/\\1/p" "$1")
	[ -n "$_array" ] || fail "$1: no '$2 [...]' line"
	printf '%s\n' "$_array" | sed 's/" *, *"/\n/g; s/^ *"//; s/" *$//'
}

# expect_no_sigkill: hotsv-scan ($WORK/scan.err) sent no SIGKILL: every
# process it stopped ended within its time.
expect_no_sigkill() {
	! grep -q 'SIGKILL' "$WORK/scan.err" ||
		fail "hotsv-scan had to kill: $(grep 'SIGKILL' "$WORK/scan.err")"
}
