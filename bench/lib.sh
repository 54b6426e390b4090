# bench/lib.sh: what the benchmark scripts share; sourced by them (bash),
# after they set BENCH_NAME (their name: scan-bench).  What the tests use
# too (say, waiting, /proc, namespaces, service directories) comes from
# the tests' shell library, tests/lib/base.sh; this file keeps what only
# benchmarking needs: the built programs, trials, a quiet machine, the
# results.
. "$(dirname "${BASH_SOURCE[0]}")/../tests/lib/base.sh"

# Polls 20 ms apart at most (base.sh's poll_until): a benchmark's waits
# are short and its machine quiet.
POLL_PAUSE_MAX=2

# die WORDS...: say it and exit 1.
die() {
	say "$*"
	exit 1
}

# wait_until SECONDS WHAT COMMAND...: poll COMMAND (poll_until); after
# SECONDS, say what was not seen and return 1.
wait_until() {
	local limit=$1 what=$2
	shift 2
	poll_until "$limit" "$@" && return 0
	say "$SYS${ROUND:+ $ROUND}: timed out waiting for $what"
	return 1
}

# need_root_and_namespaces: root, and unshare --pid allowed.
need_root_and_namespaces() {
	local why
	if why=$(namespaces_refused); then
		die "$why"
	fi
}

# need_tools HINT TOOL...: every TOOL is on $PATH, else die with HINT.
need_tools() {
	local hint=$1 t
	shift
	for t in "$@"; do
		command -v "$t" >/dev/null || die "$t is missing ($hint)"
	done
}

# find_hotsv PROGRAM...: set HOTSV_BIN to the directory of the built
# programs, $HOTSV_BUILDDIR/src or $HOTSV_BUILDDIR (default .).
find_hotsv() {
	local d p found
	HOTSV_BUILDDIR=${HOTSV_BUILDDIR:-.}
	for d in "$HOTSV_BUILDDIR/src" "$HOTSV_BUILDDIR"; do
		found=$d
		for p in "$@"; do
			[ -x "$d/$p" ] || found=
		done
		if [ -n "$found" ]; then
			HOTSV_BIN=$(cd "$d" && pwd)
			return 0
		fi
	done
	die "no $1 in $HOTSV_BUILDDIR/src: set HOTSV_BUILDDIR"
}

# find_before DIR: set HOTSV_SCAN_BEFORE to the hotsv-scan of the earlier
# build of hotsv in DIR/src or DIR (option -b), leaving HOTSV_BIN as it
# was.
find_before() {
	local HOTSV_BIN
	HOTSV_BUILDDIR=$1 find_hotsv hotsv-scan hotsv-supervise
	HOTSV_SCAN_BEFORE=$HOTSV_BIN/hotsv-scan
}

# make_bench_tmp: BENCH_TMP, a fresh directory under $TMPDIR.
make_bench_tmp() {
	BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$BENCH_NAME.XXXXXX") || exit 1
}

# build_helper SOURCE: compile SOURCE into $BENCH_TMP/helper (static if
# possible) and set HELPER to it.
build_helper() {
	HELPER=$BENCH_TMP/helper
	cc -O2 -static -o "$HELPER" "$1" 2>"$BENCH_TMP/cc.log" ||
		cc -O2 -o "$HELPER" "$1" 2>>"$BENCH_TMP/cc.log" ||
		die "cannot build $1: $(cat "$BENCH_TMP/cc.log")"
}

# busy_pct: how busy the CPUs were (percent) over the next second.
busy_pct() {
	local a b
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		busy = y[1] - x[1]; idle = y[2] - x[2]
		print (busy + idle > 0) ? int(100 * busy / (busy + idle)) : 0 }'
}

# wait_quiet: wait (QUIET_TRIES tries of about 3 s) until the machine is
# less than 25 % busy, so that other work does not stand in the figures;
# print the last reading.
wait_quiet() {
	local tries=$QUIET_TRIES pct
	while pct=$(busy_pct) && [ "$pct" -ge 25 ] && [ "$tries" -gt 0 ]; do
		[ "$tries" = "$QUIET_TRIES" ] &&
			say "machine busy ($pct %): waiting for quiet"
		sleep 2
		tries=$((tries - 1))
	done
	echo "$pct"
}

# count_files DIR PATTERN: how many files of DIR match PATTERN.
count_files() {
	find "$1" -maxdepth 1 -name "$2" 2>/dev/null | grep -c .
}

# have_files DIR PATTERN N: at least N files of DIR match PATTERN.
have_files() {
	[ "$(count_files "$1" "$2")" -ge "$3" ]
}

# make_graceful_service DIR MARKS NAME: a service that writes
# MARKS/NAME.up once started and, on SIGTERM, takes a second to stop,
# then writes MARKS/NAME.stopped and exits 0.
make_graceful_service() {
	make_service "$1" "trap 'kill \$p 2>/dev/null; sleep 1
: >\"$2/$3.stopped\"; exit 0' TERM
sleep 100000 &
p=\$!
: >\"$2/$3.up\"
wait"
}

# on_exit_end_job STOP: on the way out, if the job $JOB (a namespace this
# script started) still runs, call STOP to end it; then remove $BENCH_TMP,
# or with KEEP=1 say where it is kept.  INT and TERM exit 130.
on_exit_end_job() {
	BENCH_STOP=$1
	trap end_job_and_tmp EXIT
	trap 'exit 130' INT TERM
}

# end_job_and_tmp: what on_exit_end_job set up.
end_job_and_tmp() {
	if [ -n "${JOB:-}" ] && pid_alive "$JOB"; then
		"$BENCH_STOP"
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		say "kept $BENCH_TMP"
	else
		rm -rf "$BENCH_TMP"
	fi
}

# record KEY VALUE: a measurement of the system $SYS, one line in
# $BENCH_TMP/results ("SYS KEY VALUE") for the table.
record() {
	echo "$SYS $1 $2" >>"$BENCH_TMP/results"
}

# bench_option ARG: take ARG if it is one of the options every script
# has (--quick, -k, -h or --help, which prints the comments at the head
# of $SELF but shellcheck's, and exits); false for any other.
bench_option() {
	case $1 in
	--quick) QUICK=1 ;;
	-k) KEEP=1 ;;
	-h | --help)
		sed -n '2,/^$/{/^# shellcheck/d; s/^# \{0,1\}//p; }' "$SELF"
		exit 0
		;;
	*) return 1 ;;
	esac
}

# bench_begin STOP: the temporary directory, the exit trap that calls
# STOP for a namespace still running (see on_exit_end_job), the helper
# built from $HELPER_SRC, an empty results file, and LOAD_START, the
# load average at the start.
bench_begin() {
	make_bench_tmp
	JOB=
	on_exit_end_job "$1"
	build_helper "$HELPER_SRC"
	LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
	: >"$BENCH_TMP/results"
}

# run_group ROUND REP SYSTEMS: one trial of each of SYSTEMS (trial SYS
# ROUND DIR, defined by the script) after waiting for a quiet machine,
# trial after trial so that the figures of one row are taken close
# together in time; sets FAILED=1 if one fails.
run_group() {
	local round=$1 rep=$2 systems=$3 busy sys
	busy=$(wait_quiet)
	for sys in $systems; do
		echo "$sys busy_$round $busy" >>"$BENCH_TMP/results"
		say "$sys: $round #$rep (machine $busy % busy)"
		if ! trial "$sys" "$round" "$BENCH_TMP/$sys.$round.$rep"; then
			say "$sys: $round #$rep failed"
			FAILED=1
		fi
		rm -rf "$BENCH_TMP/$sys.$round.$rep"
	done
}
