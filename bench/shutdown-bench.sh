#!/bin/bash
# shellcheck disable=SC2317 # functions called through wait_until
# shutdown-bench.sh: the shutdown of 50 services that each need 1 s after
# SIGTERM, hotsv-scan against s6-svscan, each as pid 2 of a PID namespace
# (unshare --pid --fork, whose pid 1 is a shell), with a /proc of its
# own (--mount-proc) and with the host's, side by side in one run.  Not
# a test (make check does not run it).
#
# Usage:
#   bench/shutdown-bench.sh [-n TRIALS] [-b DIR] [--quick] [-k]
#
#   -n TRIALS  trials of each system with each /proc (default 7; 3 with
#              --quick)
#   -b DIR     also run the hotsv-scan and hotsv-supervise of DIR (a
#              build of an earlier commit, say), as the "before" column
#   --quick    fewer trials, shorter waits for a quiet machine
#   -k         keep the temporary directory (its path is printed)
#
# It takes about 2 minutes, 1 with --quick, more when it has to wait for
# a quiet machine.
#
# Run it as root (it needs unshare --pid) from the top of a build tree:
#   cd /tmp/build && /path/to/hotsv/bench/shutdown-bench.sh
# The hotsv programs are taken from $HOTSV_BUILDDIR/src (HOTSV_BUILDDIR
# defaults to the current directory, so ./src; a directory that holds the
# programs itself is accepted too).  s6-svscan (Debian package s6) is
# taken from $PATH; cc builds bench/init-bench-helper.c, whose "signal"
# command times the end, into the temporary directory.
#
# Each trial: a fresh scan directory of 50 services whose run traps
# SIGTERM, kills its sleep, sleeps 1 s, writes a marker and exits 0; the
# scanner (hotsv-scan with its defaults, -g 7000; s6-svscan as it comes)
# runs as pid 2, under timeout(1) and "unshare --pid --fork [--mount-proc]
# --kill-child sh -c 'SCANNER & wait'".  Once the 50 are up, SIGTERM goes
# to the scanner and the time until it has ended (a pidfd) is taken.
# s6-svscan 2.11 takes SIGTERM as "s6-svscanctl -t": it sends SIGTERM to
# every s6-supervise, each brings its service down and exits once it is
# (its finish done), and s6-svscan waits for them all, then exits; that
# is the job hotsv-scan does on SIGTERM, so both stop the same way, the
# s6 way for s6.  The floor is 1 s.  Also recorded: how many services
# wrote their marker (stopped gracefully).  Trials go system after
# system within a group (one trial of each system with each /proc),
# after a wait (30 s at most; 9 s with --quick) for the CPUs to be less
# than 25 % busy.  Median of the trials, and every value.  Exit status:
# 0, or 1 if a trial failed.

set -u

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
HELPER_SRC=$(dirname "$SELF")/init-bench-helper.c
SERVICES=50
BOUND_MS=20000 # how long a shutdown may take before the trial fails
SIGTERM_NUM=15

BENCH_NAME=shutdown-bench
BENCH_DIR=$(dirname "$SELF")
. "$BENCH_DIR/lib.sh"

# scanner_started: the namespace's pid 2 runs the expected scanner and
# blocks or catches SIGTERM; sets SCANNER (a host pid).
scanner_started() {
	local tmo unshare pid1
	tmo=$(child_of "$JOB") && unshare=$(child_of "$tmo") &&
		pid1=$(child_of "$unshare") && SCANNER=$(child_of "$pid1") &&
		comm_is "$SCANNER" "$SCANNER_COMM" &&
		catches "$SCANNER" "$SIGTERM_NUM"
}

# all_up: every service has written its "up" marker.
all_up() {
	have_files "$W/marks" '*.up' "$SERVICES"
}

# prepare: the service directories for a trial under $W.
prepare() {
	local i
	mkdir -p "$W/scan" "$W/marks" "$W/state" || return 1
	for i in $(seq 1 "$SERVICES"); do
		make_graceful_service "$W/scan/s$i" "$W/marks" "s$i" || return 1
	done
}

# stop_timeout: SIGTERM to the timeout(1) of $JOB, which passes it on to
# unshare, whose --kill-child ends the namespace.
stop_timeout() {
	kill -TERM "$(child_of "$JOB")" 2>/dev/null
}

# trial SYS PROC DIR: one trial of SYS (hotsv, before, s6) with PROC
# (own: --mount-proc; host: the host's /proc) in DIR.
trial() {
	local ok=0 cmd out mount_proc=
	SYS=$1 W=$3 SCANNER=
	case $2 in own) mount_proc=--mount-proc ;; esac
	case $SYS in
	hotsv | before)
		cmd=("$HOTSV_BIN/hotsv-scan" -s "$W/state" "$W/scan")
		[ "$SYS" = before ] && cmd[0]=$BEFORE_BIN/hotsv-scan
		SCANNER_COMM=hotsv-scan
		;;
	s6)
		cmd=(s6-svscan "$W/scan")
		SCANNER_COMM=s6-svscan
		;;
	esac
	mkdir -p "$W" && prepare || return 1
	# In a subshell whose own standard error is /dev/null: when the
	# namespace is killed, bash would print a "Killed" notice.
	(
		timeout -k 5 $((BOUND_MS / 1000 + 60)) unshare --pid --fork \
			$mount_proc --kill-child sh -c '"$@" & wait $!' sh \
			"${cmd[@]}" </dev/null >"$W/scanner.log" 2>&1
		exit $?
	) 2>/dev/null &
	JOB=$!
	if wait_until 30 "$SCANNER_COMM as pid 2" scanner_started &&
		wait_until 60 "$SERVICES services to start" all_up; then
		out=$("$HELPER" signal "$SCANNER" "$SIGTERM_NUM" "$BOUND_MS")
		case $out in
		'' | timeout) say "$SYS $2: still running $BOUND_MS ms after SIGTERM" ;;
		*) record "term_$2" "$out" && ok=1 ;;
		esac
	fi
	record "graceful_$2" "$(count_files "$W/marks" '*.stopped')"
	if ! wait_until 10 "the namespace to end" pid_gone "$JOB"; then
		stop_timeout
		wait_until 10 "timeout to end" pid_gone "$JOB"
	fi
	wait "$JOB"
	JOB=
	[ "$ok" = 1 ]
}

TRIALS=
QUICK=0
KEEP=0
BEFORE_BIN=
while [ $# -gt 0 ]; do
	case $1 in
	-n)
		[ $# -ge 2 ] || die "-n needs a number"
		TRIALS=$2
		shift
		;;
	-b)
		[ $# -ge 2 ] || die "-b needs a directory"
		BEFORE_BIN=$(cd "$2" && pwd) || die "no directory $2"
		[ -x "$BEFORE_BIN/hotsv-scan" ] && [ -x "$BEFORE_BIN/hotsv-supervise" ] ||
			die "no hotsv-scan and hotsv-supervise in $2"
		shift
		;;
	*) bench_option "$1" || die "usage: shutdown-bench.sh [-n TRIALS] [-b DIR] [--quick] [-k]" ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then
	: "${TRIALS:=3}"
	QUIET_TRIES=3
else
	: "${TRIALS:=7}"
	QUIET_TRIES=10
fi
case $TRIALS in
'' | *[!0-9]* | 0) die "not a positive number: $TRIALS" ;;
esac

need_root_and_namespaces
find_hotsv hotsv-scan hotsv-supervise
need_tools "s6: apt-get install s6" s6-svscan s6-supervise unshare timeout \
	cc awk find
SYSTEMS="hotsv s6"
[ -n "$BEFORE_BIN" ] && SYSTEMS="hotsv before s6"

# On the way out, end a namespace still running (started by this script).
bench_begin stop_timeout

say "hotsv from $HOTSV_BIN${BEFORE_BIN:+, before from $BEFORE_BIN};" \
	"$TRIALS trials of $SYSTEMS, with their own /proc and the host's"
FAILED=0
for rep in $(seq 1 "$TRIALS"); do
	run_group own "$rep" "$SYSTEMS"
	run_group host "$rep" "$SYSTEMS"
done

echo
echo "shutdown-bench: $(uname -sr), $(nproc) CPUs," \
	"$(date -u '+%Y-%m-%d %H:%M UTC');" \
	"$("$HOTSV_BIN/hotsv-scan" -V 2>/dev/null | head -n 1)," \
	"s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null)"
echo "$SERVICES services needing 1 s after SIGTERM; scanner as pid 2;" \
	"$TRIALS trials; median shown; load average $LOAD_START at the" \
	"start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
awk -v nsvc="$SERVICES" -v before="$BEFORE_BIN" -f "$BENCH_DIR/table.awk" \
	-f <(printf %s '
function median(s, k,    v, n) {
	n = sorted(s, k, v)
	if (n == 0) return ""
	if (v[1] < 0) return "timeout"
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function least(s, k,    v) { return sorted(s, k, v) ? v[1] : "" }
function ratio(a, b) {
	if (a == "" || b == "" || b == 0 || a ~ /t/ || b ~ /t/) return "-"
	return sprintf("%+.1f %%", 100 * (a - b) / b)
}
function ms(x) { return x == "" || x ~ /t/ ? x : x / 1e6 }
{ val[$1, $2, ++cnt[$1, $2]] = $3 }
END {
	printf "%-44s %8s %8s %8s %12s\n", "SIGTERM to exit (ms)", "hotsv",
	    "s6", before != "" ? "before" : "", "hotsv vs s6"
	split("own host", P, " ")
	label["own"] = "pid 2, its own /proc"
	label["host"] = "pid 2, the host'"'"'s /proc"
	for (pi = 1; pi <= 2; pi++) {
		p = P[pi]
		h = ms(median("hotsv", "term_" p)); s = ms(median("s6", "term_" p))
		b = before != "" ? fmt(ms(median("before", "term_" p))) : ""
		printf "%-44s %8s %8s %8s %12s\n", label[p], fmt(h), fmt(s), b,
		    ratio(h, s)
	}
	for (pi = 1; pi <= 2; pi++) {
		p = P[pi]
		b = before != "" ? fmt(least("before", "graceful_" p)) : ""
		printf "%-44s %8s %8s %8s\n", "stopped gracefully, " p \
		    " /proc (worst, of " nsvc ")", fmt(least("hotsv", \
		    "graceful_" p)), fmt(least("s6", "graceful_" p)), b
	}
	print ""
	print "every value (ms; services stopped gracefully; busy: CPU % in" \
	    " the second before each group):"
	split("hotsv before s6", S, " ")
	split("term_own term_host graceful_own graceful_host busy_own" \
	    " busy_host", K, " ")
	for (si = 1; si <= 3; si++)
		for (ki = 1; ki <= 6; ki++) {
			k = K[ki]
			if (cnt[S[si], k] == 0) continue
			line = sprintf("%-7s %-14s", S[si], k)
			for (i = 1; i <= cnt[S[si], k]; i++) {
				x = val[S[si], k, i]
				line = line " " (k ~ /^term/ ? sprintf("%.1f", x / 1e6) : x)
			}
			print line
		}
}') "$BENCH_TMP/results"
exit "$FAILED"
