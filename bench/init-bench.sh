#!/bin/bash
# shellcheck disable=SC2317 # functions called through wait_until
# init-bench.sh: hotsv-scan as PID 1 against s6-svscan, tini and
# dumb-init as PID 1, on the same machine in one run.  Not a test (make
# check does not run it).
#
# Usage:
#   bench/init-bench.sh [-n TRIALS] [-m TRIALS] [--quick] [-k] [-b DIR]
#
#   -n TRIALS  reap-storm trials per system (default 7; 3 with --quick)
#   -m TRIALS  trials of each shutdown round per system (default 3; 1
#              with --quick)
#   --quick    fewer trials, shorter waits for a quiet machine
#   -k         keep the temporary directory (its path is printed)
#   -b DIR     also measure an earlier build of hotsv (DIR/src or DIR
#              holds its programs) as the system "before", in the same
#              rounds (the storm both as a service and as the main
#              command, "before --", and both shutdown rounds), and end
#              with a table of the two side by side
#
# It takes about 4 minutes (the 20 s bound on s6 with a service that
# ignores SIGTERM dominates), 1.5 with --quick, more when it has to wait
# for a quiet machine; -b adds about a third.
#
# Run it as root (it needs unshare --pid) from the top of a build tree:
#   cd /tmp/build && /path/to/hotsv/bench/init-bench.sh
# The hotsv programs are taken from $HOTSV_BUILDDIR/src (HOTSV_BUILDDIR
# defaults to the current directory, so ./src; a directory that holds the
# programs itself is accepted too).  s6-svscan (Debian package s6), tini
# and dumb-init (packages tini and dumb-init) are taken from $PATH; tini
# and dumb-init are optional (their columns show "-" without them); cc
# builds the helper bench/init-bench-helper.c into the temporary
# directory.
#
# Every system runs as PID 1 of its own PID namespace (unshare --pid
# --fork --mount-proc --kill-child, under timeout(1)), so everything it
# started dies with it; nothing is killed by name, only the unshare
# processes this script started, and only when a deadline has passed.
#
# What it measures (progress on stderr, the table on stdout):
#  (a) reap storm: a process makes 2,000 orphans by double forks (a
#      child forks a grandchild and exits, so the grandchild's parent
#      becomes PID 1), in two phases.  In the first the grandchildren
#      exit at once: the time from the first fork until PID 1 has reaped
#      every one (kill(pid, 0) fails with ESRCH: a zombie still exists),
#      the part of it after the last fork, and how many were not reaped
#      yet at the last fork.  In the second ("burst") the 2,000 wait on a
#      pipe and all exit together when it is closed: the time from the
#      close until all are reaped.  For both, the CPU time PID 1 used
#      (/proc/1/schedstat); at the end, the zombies the namespace's /proc
#      still shows (after 1 s at most).  The storm is a service for
#      hotsv-scan and s6-svscan, the main command for tini and dumb-init
#      (which are not supervisors), and, for comparison with those, also
#      the main command of hotsv-scan (the "hotsv --" column).  Median of
#      -n trials, each in a fresh namespace.
#  (b) shutdown of 50 services whose run traps SIGTERM, sleeps 1 s,
#      writes a marker and exits: the time from SIGTERM to PID 1 until
#      PID 1 has ended (a pidfd), and how many services wrote their
#      marker (stopped gracefully).  hotsv-scan runs with its default
#      grace (-g 7000).  s6-svscan gets SIGTERM, which in s6 2.11 acts
#      as "s6-svscanctl -t": it stops every service and waits for the
#      supervisors, with no deadline.
#  (c) shutdown with one service that ignores SIGTERM: the same time,
#      for hotsv-scan -g 3000, for s6-svscan as it comes (no deadline:
#      the wait is bounded to 20 s, and a trial that reaches the bound
#      shows as ">20000" and is killed), and for s6-svscan with the
#      service's own timeout-kill file set to 3000 (s6-supervise sends
#      SIGKILL 3 s after SIGTERM), which is s6's nearest equivalent.
# Before each group of trials (one trial of every system) it waits (30 s
# at most; 10 s with --quick) until the CPUs are less than 25 % busy,
# and records how busy they were.  The table ends with every value.
# Exit status: 0, or 1 if a trial failed (other than reaching the 20 s
# bound in (c), which is a result).

set -u

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
HELPER_SRC=$(dirname "$SELF")/init-bench-helper.c
ORPHANS=2000
SERVICES=50
GRACE_MS=3000 # hotsv-scan -g in round (c)
BOUND_S=20 # how long round (c) waits for PID 1 to exit
STORM_LIMIT_S=70 # the helper gives up after 60 s itself
SIGTERM_NUM=15

BENCH_NAME=init-bench
BENCH_DIR=$(dirname "$SELF")
. "$BENCH_DIR/lib.sh"

# find_unshare: set TMO and UNSHARE, the pids of our timeout and unshare
# (children of JOB and TMO); fail if they are not there yet.
find_unshare() {
	TMO=$(child_of "$JOB") && UNSHARE=$(child_of "$TMO")
}

# init_started: the namespace's PID 1 runs the expected program; sets
# TMO, UNSHARE and INIT (host PIDs).
init_started() {
	find_unshare || return 1
	INIT=$(child_of "$UNSHARE") || return 1
	comm_is "$INIT" "$INIT_COMM"
}

# term_ready: PID 1 blocks or catches SIGTERM (a namespace's PID 1
# drops a signal it has neither blocked nor caught).
term_ready() {
	catches "$INIT" "$SIGTERM_NUM"
}

# prepare: the service directories of $ROUND for $SYS under $W.
prepare() {
	local i
	mkdir -p "$W/scan" "$W/marks" "$W/state"
	case $ROUND in
	storm)
		case $SYS in hotsv | before | s6)
			make_service "$W/scan/storm" "exec '$HELPER' storm $ORPHANS \
'$W/storm.result' hold" ;;
		esac
		;;
	many)
		for i in $(seq 1 "$SERVICES"); do
			make_graceful_service "$W/scan/s$i" "$W/marks" "s$i"
		done
		;;
	stubborn)
		make_service "$W/scan/stubborn" "trap '' TERM
: >\"$W/marks/stubborn.up\"
exec sleep 100000"
		if [ "$SYS" = s6tk ]; then
			echo "$GRACE_MS" >"$W/scan/stubborn/timeout-kill"
		fi
		;;
	esac
}

# init_command: the command line of PID 1 for $SYS and $ROUND in CMD.
init_command() {
	local storm=("$HELPER" storm "$ORPHANS" "$W/storm.result")
	local scan=$HOTSV_SCAN
	case $SYS in before*) scan=$HOTSV_SCAN_BEFORE ;; esac
	case $SYS in
	hotsv | before)
		CMD=("$scan" -s "$W/state")
		[ "$ROUND" = stubborn ] && CMD+=(-g "$GRACE_MS")
		CMD+=("$W/scan")
		INIT_COMM=hotsv-scan
		;;
	hotsv-main | before-main)
		CMD=("$scan" -s "$W/state" "$W/scan" -- "${storm[@]}")
		INIT_COMM=hotsv-scan
		;;
	s6 | s6tk)
		CMD=(s6-svscan "$W/scan")
		INIT_COMM=s6-svscan
		;;
	tini)
		CMD=(tini -- "${storm[@]}")
		INIT_COMM=tini
		;;
	dumb-init)
		CMD=(dumb-init "${storm[@]}")
		INIT_COMM=dumb-init
		;;
	esac
}

# kill_namespace: SIGKILL to our unshare, whose --kill-child makes the
# kernel SIGKILL PID 1, and with it the namespace; if its pid is not
# known, SIGTERM to our timeout, which passes it on to unshare.
kill_namespace() {
	[ -n "${UNSHARE:-}" ] || find_unshare
	if [ -n "${UNSHARE:-}" ]; then
		say "$SYS $ROUND: killing unshare ($UNSHARE)"
		kill -KILL "$UNSHARE" 2>/dev/null
	elif [ -n "${TMO:-}" ]; then
		say "$SYS $ROUND: stopping timeout ($TMO)"
		kill -TERM "$TMO" 2>/dev/null
	fi
}

# finish_trial: make sure the namespace is gone, and record the exit
# status of PID 1 (as passed on by unshare and timeout).
finish_trial() {
	local rc
	if pid_alive "$JOB" && ! wait_until 10 "PID 1 to exit" pid_gone "$JOB"; then
		kill_namespace
		wait_until 10 "unshare to die" pid_gone "$JOB"
	fi
	wait "$JOB"
	rc=$?
	record "exit_$ROUND" "$rc"
	JOB=
	if [ -s "$W/init.log" ] && grep -qiv 'shutting down\|exiting\|main command' "$W/init.log"; then
		say "$SYS $ROUND: PID 1 said (first lines):"
		grep -iv 'shutting down\|exiting\|main command' "$W/init.log" |
			head -n 5 | sed 's/^/    /' >&2
	fi
}

# stop_init MS KEY: SIGTERM to PID 1, record the time until it ended (or
# -1 after MS ms) under KEY; on a timeout, kill the namespace and fail.
stop_init() {
	local out
	out=$("$HELPER" signal "$INIT" "$SIGTERM_NUM" "$1")
	case $out in
	'' | timeout)
		record "$2" -1
		say "$SYS $ROUND: PID 1 still running $1 ms after SIGTERM"
		kill_namespace
		return 1
		;;
	*) record "$2" "$out" ;;
	esac
}

# trial SYS ROUND DIR: one trial in a fresh namespace.
trial() {
	local ok=0 limit
	SYS=$1 ROUND=$2 W=$3 TMO='' UNSHARE='' INIT=
	mkdir -p "$W" && prepare && init_command || return 1
	case $ROUND in
	storm) limit=$((STORM_LIMIT_S + 30)) ;;
	*) limit=$((BOUND_S + 60)) ;;
	esac
	# In a subshell that exits with timeout's status, its own standard
	# error (not the init's) to /dev/null: when PID 1 is killed, unshare
	# and timeout die of the same signal, and bash would print a
	# "Killed" notice.
	(
		timeout -k 5 "$limit" unshare --pid --fork --mount-proc \
			--kill-child "${CMD[@]}" </dev/null >"$W/init.log" 2>&1
		exit $?
	) 2>/dev/null &
	JOB=$!
	case $SYS in tini | dumb-init | *-main)
		# PID 1 ends with the storm: wait for the result only.
		if wait_until "$STORM_LIMIT_S" "the storm's result" \
			test -s "$W/storm.result"; then ok=1; fi
		;;
	*)
		wait_until 10 "$INIT_COMM to start" init_started &&
			wait_until 10 "$INIT_COMM to handle SIGTERM" term_ready &&
			ok=1
		;;
	esac
	if [ "$ok" = 1 ]; then
		ok=0
		case $ROUND in
		storm)
			case $SYS in
			hotsv | before | s6)
				wait_until "$STORM_LIMIT_S" "the storm's result" \
					test -s "$W/storm.result" && ok=1
				stop_init 10000 storm_stop_ns
				;;
			*) ok=1 ;;
			esac
			;;
		many)
			wait_until 30 "$SERVICES services to start" \
				have_files "$W/marks" '*.up' "$SERVICES" &&
				stop_init "$((BOUND_S * 1000))" many_ns && ok=1
			record many_graceful "$(count_files "$W/marks" '*.stopped')"
			;;
		stubborn)
			wait_until 30 "the service to start" \
				test -e "$W/marks/stubborn.up" &&
				{ stop_init "$((BOUND_S * 1000))" stub_ns; ok=1; }
			# Reaching the bound is a result here (s6 has no
			# deadline), not a failure.
			;;
		esac
	fi
	finish_trial
	if [ "$ROUND" = storm ]; then
		if [ -s "$W/storm.result" ]; then
			read -r fork zero backlog cpu burst bcpu zombies failed \
				<"$W/storm.result"
			record storm_fork_ns "$fork"
			record storm_zero_ns "$zero"
			if [ "$zero" -ge 0 ]; then
				record storm_tail_ns $((zero - fork))
			else
				record storm_tail_ns -1
			fi
			record storm_backlog "$backlog"
			record storm_cpu_ns "$cpu"
			record burst_ns "$burst"
			record burst_cpu_ns "$bcpu"
			record zombies_end "$zombies"
			record storm_failed_forks "$failed"
			[ "$zero" -ge 0 ] && [ "$burst" -ge 0 ] || ok=0
		else
			record storm_zero_ns -1
			ok=0
		fi
	fi
	[ "$ok" = 1 ]
}

# ---------------------------------------------------------------------
# Check the tools, run every round, print the table.
# ---------------------------------------------------------------------

TRIALS=
MTRIALS=
QUICK=0
KEEP=0
BEFORE=
while [ $# -gt 0 ]; do
	case $1 in
	-b)
		[ $# -ge 2 ] || die "-b needs a directory"
		BEFORE=$2
		shift
		;;
	-n | -m)
		[ $# -ge 2 ] || die "$1 needs a number"
		if [ "$1" = -n ]; then TRIALS=$2; else MTRIALS=$2; fi
		shift
		;;
	*) bench_option "$1" || die "usage: init-bench.sh [-n TRIALS] [-m TRIALS] [--quick] [-k] [-b DIR]" ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then
	: "${TRIALS:=3}" "${MTRIALS:=1}"
	QUIET_TRIES=3
else
	: "${TRIALS:=7}" "${MTRIALS:=3}"
	QUIET_TRIES=10
fi
for n in "$TRIALS" "$MTRIALS"; do
	case $n in
	'' | *[!0-9]* | 0) die "not a positive number: $n" ;;
	esac
done

need_root_and_namespaces
HOTSV_SCAN_BEFORE=
[ -z "$BEFORE" ] || find_before "$BEFORE"
find_hotsv hotsv-scan hotsv-supervise
HOTSV_SCAN=$HOTSV_BIN/hotsv-scan
need_tools "s6: apt-get install s6" s6-svscan s6-supervise unshare timeout \
	cc awk find
# "before" follows hotsv in every round it is in (-b).
HOTSV_SYSTEMS=hotsv${BEFORE:+ before}
STORM_SYSTEMS="$HOTSV_SYSTEMS s6"
for t in tini dumb-init; do
	if command -v "$t" >/dev/null; then
		STORM_SYSTEMS="$STORM_SYSTEMS $t"
	else
		say "$t is missing (apt-get install $t): its column stays empty"
	fi
done
STORM_SYSTEMS="$STORM_SYSTEMS hotsv-main${BEFORE:+ before-main}"

TMO=
UNSHARE=
# On the way out, end the namespace still running, if any: its unshare
# was started by this script (through a subshell and timeout).
bench_begin kill_namespace

say "hotsv from $HOTSV_BIN${BEFORE:+, before from ${HOTSV_SCAN_BEFORE%/*}};" \
	"storm: $TRIALS trials of $STORM_SYSTEMS;" \
	"shutdown: $MTRIALS trials"
FAILED=0
for rep in $(seq 1 "$TRIALS"); do
	run_group storm "$rep" "$STORM_SYSTEMS"
done
for rep in $(seq 1 "$MTRIALS"); do
	run_group many "$rep" "$HOTSV_SYSTEMS s6"
done
for rep in $(seq 1 "$MTRIALS"); do
	run_group stubborn "$rep" "$HOTSV_SYSTEMS s6 s6tk"
done

echo
echo "init-bench: $(uname -sr), $(nproc) CPUs," \
	"$(date -u '+%Y-%m-%d %H:%M UTC');" \
	"$("$HOTSV_SCAN" -V 2>/dev/null | head -n 1)," \
	"${BEFORE:+before: $("$HOTSV_SCAN_BEFORE" -V 2>/dev/null | head -n 1) from $BEFORE,}" \
	"s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null)," \
	"tini $(dpkg-query -W -f '${Version}' tini 2>/dev/null)," \
	"dumb-init $(dpkg-query -W -f '${Version}' dumb-init 2>/dev/null)"
echo "storm: $ORPHANS orphans, $TRIALS trials; shutdown: $MTRIALS trials;" \
	"median shown; load average $LOAD_START at the start," \
	"$(cut -d' ' -f1-3 /proc/loadavg) at the end"
awk -v bound="$BOUND_S" -v grace="$GRACE_MS" -v nsvc="$SERVICES" \
	-v orphans="$ORPHANS" -f "$BENCH_DIR/table.awk" \
	-f "$BENCH_DIR/init-table.awk" "$BENCH_TMP/results"
exit "$FAILED"
