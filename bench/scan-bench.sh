#!/bin/bash
# shellcheck disable=SC2317 # functions called through wait_until
# scan-bench.sh: hotsv-scan against s6-svscan and runit's runsvdir, on the
# same machine in one run.  Not a test (make check does not run it).
#
# Usage:
#   bench/scan-bench.sh [-n TRIALS] [--quick] [-k] [-b DIR] [--no-runit]
#
#   -n TRIALS  add/remove trials per system (default 20; 5 with --quick)
#   --quick    fewer trials, start-up rounds once (not 3 times), and no
#              N=1000 round
#   -k         keep the temporary directory (its path is printed)
#   -b DIR     also measure an earlier build of hotsv (DIR/src or DIR
#              holds its programs) as the system "before", in the same
#              rounds, and end with a table of the two side by side
#   --no-runit leave runsvdir out (its 5 s polling takes most of the time)
#
# It takes about 9 minutes (runsvdir's 5 s polling dominates), 2 with
# --quick, more when it has to wait for a quiet machine.
#
# The service directories live under $TMPDIR (default /tmp), and every
# supervisor creates its files there, so the filesystem shows in the
# start-up figures; the table's header names it.  Containers keep
# supervise state on tmpfs (/run) or overlayfs; TMPDIR=/dev/shm measures
# the supervisors rather than the disk.  On ext4 without a journal, every
# inode deleted in the last minute is skipped, one lookup each, when a new
# one is allocated, so each round pays for the previous round's rm -rf.
#
# Run it as root (it needs unshare --pid) from the top of a build tree:
#   cd /tmp/build && /path/to/hotsv/bench/scan-bench.sh
# The hotsv programs are taken from $HOTSV_BUILDDIR/src (HOTSV_BUILDDIR
# defaults to the current directory, so ./src; a directory that holds the
# programs itself is accepted too).  s6-svscan, s6-svscanctl (Debian
# package s6) and runsvdir (package runit) are taken from $PATH; cc builds
# the timing helper bench/scan-bench-helper.c into the temporary directory.
#
# What it measures, per system (progress on stderr, the table on stdout):
#  - add latency: rename(2) of a prepared service directory into SCANDIR
#    (what mv does) until the service's run is executing.  run is the
#    static helper itself (hard-linked), whose first action writes
#    CLOCK_MONOTONIC to ./stamp; the helper takes the same clock just
#    before the rename.  For s6 the rename is followed by
#    "s6-svscanctl -a SCANDIR", inside the measured interval.
#  - removal latency: rename out of SCANDIR until the service process has
#    ended (a pidfd becomes readable), and until its supervisor has ended;
#    s6 gets "s6-svscanctl -an SCANDIR", the others nothing.  The service
#    dies at once on SIGTERM, so its own stop time is about zero.
#  - start-up with N = 100 and 1,000 prepared services: from the exec of
#    the scanner until the last run wrote its stamp; then the PSS
#    (/proc/PID/smaps_rollup) of the scanner and its children (the
#    supervisors, not the services) divided by N, and the CPU time
#    they used (/proc/PID/schedstat: it moves less than the wall-clock
#    time when the machine is shared).  Each start-up round
#    runs 3 times (once with --quick) and the table shows the median.
#  - idle: context switches (voluntary + involuntary, /proc/PID/status)
#    of the scanner and of each supervisor over 10 s with 100 idle
#    services, as wake-ups per minute (first repetition only).
# s6-svscan runs with its defaults, plus "-c N" when N exceeds its default
# limit of 500 services; runsvdir and hotsv-scan with their defaults
# (hotsv-scan gets -s for its state directory, under the temporary one).
# Trials are separated by a random pause (0-100 ms; 0-5 s for runsvdir,
# which polls every 5 s, so that its phase is random).  p90 is the
# nearest-rank percentile.  Every wait has a deadline; a trial that
# misses it counts as a timeout and shows as ">LIMIT".
#
# Before each round it waits (1 min at most; 15 s with --quick) until the
# CPUs are less than 25 % busy, and records how busy they were: on a
# shared machine the figures move with other work.  The table ends with
# every value measured.
#
# Each system and round runs in its own PID namespace (unshare --pid
# --fork --mount-proc --kill-child), so everything it started dies with
# it; nothing is killed by name.  Exit status: 0, or 1 if a round failed.

set -u

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
HELPER_SRC=$(dirname "$SELF")/scan-bench-helper.c
TIMEOUT_MS=15000 # deadline of one add or removal
START_TIMEOUT_MS=60000 # deadline of a start-up round
IDLE_SECONDS=10

BENCH_NAME=scan-bench
BENCH_DIR=$(dirname "$SELF")
. "$BENCH_DIR/lib.sh"

# ---------------------------------------------------------------------
# Inside a PID namespace: one round (lat or start) for one system.
# ---------------------------------------------------------------------

# result KEY VALUE...: record a measurement for the outer script.
result() {
	echo "$*" >>"$W/results"
}

# ms_sleep MS: sleep MS milliseconds.
ms_sleep() {
	sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"
}

# gap: the random pause between two steps of a trial.
gap() {
	ms_sleep $(((RANDOM * 32768 + RANDOM) % GAP_MS))
}


# scanner_set_up: the scanner has set itself up and listens.
scanner_set_up() {
	comm_is "$SCANNER" "$SCANNER_COMM" || return 1
	case $SYS in
	hotsv | before)
		holds_fd "$SCANNER" 'anon_inode:inotify' &&
			[ "$(proc_status "$SCANNER" SigBlk | tr -d 0)" != "" ]
		;;
	s6)
		holds_fd "$SCANNER" "*/.s6-svscan/control"
		;;
	runit)
		# Nothing to see from outside: give it its first scan.
		sleep 0.2
		;;
	esac
}

# start_scanner: start the system's scanner on $W/scan; t0 goes in $W/t0.
start_scanner() {
	local cmd
	case $SYS in
	hotsv | before)
		mkdir -p "$W/state"
		cmd=("$HOTSV_SCAN" -s "$W/state" "$W/scan")
		[ "$SYS" = hotsv ] ||
			cmd=("$HOTSV_SCAN_BEFORE" -s "$W/state" "$W/scan")
		SCANNER_COMM=hotsv-scan
		;;
	s6)
		# s6-svscan refuses more than 500 services unless told (-c).
		cmd=(s6-svscan "$W/scan")
		[ "${SERVICES:-0}" -le 500 ] ||
			cmd=(s6-svscan -c "$SERVICES" "$W/scan")
		SCANNER_COMM=s6-svscan
		;;
	runit)
		cmd=(runsvdir "$W/scan")
		SCANNER_COMM=runsvdir
		;;
	esac
	"$HELPER" exec "$W/t0" "${cmd[@]}" </dev/null >"$W/scanner.log" 2>&1 &
	SCANNER=$!
	wait_until 10 "$SYS scanner to set up" scanner_set_up
}

# new_service DIR: a service directory whose run is the helper.
new_service() {
	mkdir -p "$1" &&
		{ ln "$HELPER" "$1/run" 2>/dev/null || cp "$HELPER" "$1/run"; }
}

# one_trial I RECORD: add service I, then remove it; record unless 0.
one_trial() {
	local i=$1 rec=$2 out lat pid sup svc_ns sup_ns
	new_service "$W/stage/svc-$i" || return 1
	gap
	out=$("$HELPER" add "$W/stage/svc-$i" "$W/scan/svc-$i" \
		"$TIMEOUT_MS" "${CTL_ADD[@]}")
	if [ "$out" = timeout ] || [ -z "$out" ]; then
		say "$SYS: trial $i: run not started within $TIMEOUT_MS ms"
		[ "$rec" = 1 ] && result add_ns -1
		mv "$W/scan/svc-$i" "$W/out/svc-$i"
		"${CTL_RM[@]}" 2>/dev/null
		return 0
	fi
	read -r lat pid <<<"$out"
	sup=$(proc_status "$pid" PPid)
	[ "$rec" = 1 ] && result add_ns "$lat"
	[ "$i" = 1 ] && result supervisor_comm "$(cat /proc/"$sup"/comm)"
	gap
	out=$("$HELPER" rm "$W/scan/svc-$i" "$W/out/svc-$i" "$TIMEOUT_MS" \
		"$pid" "${sup:-0}" "${CTL_RM[@]}")
	read -r svc_ns sup_ns <<<"$out"
	: "${svc_ns:=-1}" "${sup_ns:=-1}"
	if [ "$svc_ns" = -1 ]; then
		say "$SYS: trial $i: service $pid still running" \
			"$TIMEOUT_MS ms after removal"
	fi
	if [ "$rec" = 1 ]; then
		result rm_ns "$svc_ns"
		result rmsup_ns "$sup_ns"
	fi
}

# round_lat: add/remove latency trials.
round_lat() {
	local i
	mkdir -p "$W/scan" "$W/stage" "$W/out"
	start_scanner || return 1
	one_trial 0 0 # warm-up, not recorded
	for i in $(seq 1 "$TRIALS"); do
		one_trial "$i" 1
		printf '.' >&2
	done
	printf '\n' >&2
}

# csw PID...: "PID COUNT" of context switches for each PID.
csw() {
	local p
	for p in "$@"; do
		awk -v p="$p" '/^(non)?voluntary_ctxt_switches:/ { n += $2 }
			END { print p, n + 0 }' /proc/"$p"/status 2>/dev/null
	done
}

# round_start N: start-up with N services, memory, idle wake-ups.
round_start() {
	local n=$1 i out t0 kids before after
	SERVICES=$n
	mkdir -p "$W/scan"
	for i in $(seq 1 "$n"); do
		new_service "$W/scan/s$i" || return 1
	done
	sync
	start_scanner || return 1
	t0=$(cat "$W/t0")
	out=$("$HELPER" waitall "$W/scan" "$n" "$t0" "$START_TIMEOUT_MS")
	case $out in
	timeout*)
		say "$SYS: only ${out#timeout } of $n services running" \
			"after $START_TIMEOUT_MS ms"
		result "start_ns_$n" -1
		;;
	*) result "start_ns_$n" "$out" ;;
	esac
	sleep 1
	kids=$(ps -o pid= --ppid "$SCANNER" | tr -d ' ')
	result "supervisors_$n" "$(echo "$kids" | grep -c .)"
	# shellcheck disable=SC2046,SC2086
	result "pss_kib_$n" "$(awk '/^Pss:/ { s += $2 } END { print s + 0 }' \
		/proc/"$SCANNER"/smaps_rollup $(printf '/proc/%s/smaps_rollup ' \
		$kids) 2>/dev/null)"
	result "pss_scanner_kib_$n" "$(awk '/^Pss:/ { print $2 }' \
		/proc/"$SCANNER"/smaps_rollup)"
	# CPU time so far: the first field of schedstat is the precise run
	# time in ns (utime + stime in stat is truncated to 10 ms per
	# process).  The services' own exec is theirs, not counted.
	# shellcheck disable=SC2046,SC2086
	result "cpu_ms_$n" "$(awk '{ t += $1 } END { printf "%.1f", t / 1e6 }' \
		/proc/"$SCANNER"/schedstat $(printf '/proc/%s/schedstat ' \
		$kids) 2>/dev/null)"
	[ "$n" = 100 ] && [ "$REP" = 1 ] || return 0
	sleep 2
	# shellcheck disable=SC2086
	before=$(csw "$SCANNER" $kids)
	sleep "$IDLE_SECONDS"
	# shellcheck disable=SC2086
	after=$(csw "$SCANNER" $kids)
	awk -v s="$SCANNER" -v secs="$IDLE_SECONDS" '
		NR == FNR { b[$1] = $2; next }
		($1 in b) {
			d = ($2 - b[$1]) * 60 / secs
			if ($1 == s) { print "idle_scanner_pm", d; next }
			n++; sum += d; if (d > max) max = d
		}
		END {
			print "idle_sup_mean_pm", (n ? sum / n : 0)
			print "idle_sup_max_pm", max + 0
			print "idle_sup_total_pm", sum + 0
		}' <(echo "$before") <(echo "$after") >>"$W/results"
}

# inner SYS ROUND WORKDIR REP: PID 1 of a fresh namespace.
inner() {
	SYS=$1
	W=$3
	REP=${4:-1}
	mkdir -p "$W"
	: >"$W/results"
	case $SYS in
	s6)
		CTL_ADD=(s6-svscanctl -a "$W/scan")
		CTL_RM=(s6-svscanctl -an "$W/scan")
		GAP_MS=100
		;;
	runit)
		CTL_ADD=()
		CTL_RM=(true)
		GAP_MS=5000
		;;
	*)
		CTL_ADD=()
		CTL_RM=(true)
		GAP_MS=100
		;;
	esac
	case $2 in
	lat) round_lat ;;
	start100) round_start 100 ;;
	start1000) round_start 1000 ;;
	esac
	local rc=$?
	if [ -s "$W/scanner.log" ]; then
		say "$SYS $2: the scanner said (first lines):"
		head -n 5 "$W/scanner.log" | sed 's/^/    /' >&2
	fi
	# Leaving kills what is left: this shell is the namespace's PID 1.
	return $rc
}

if [ "${1:-}" = --inner ]; then
	shift
	inner "$@"
	exit $?
fi

# ---------------------------------------------------------------------
# Outside: check the tools, run every round, print the table.
# ---------------------------------------------------------------------

TRIALS=
QUICK=0
KEEP=0
BEFORE=
SYSTEMS="hotsv s6 runit"
while [ $# -gt 0 ]; do
	case $1 in
	-b)
		[ $# -ge 2 ] || die "-b needs a directory"
		BEFORE=$2
		shift
		;;
	--no-runit) SYSTEMS="hotsv s6" ;;
	-n)
		[ $# -ge 2 ] || die "-n needs a number"
		TRIALS=$2
		shift
		;;
	-n*) TRIALS=${1#-n} ;;
	*) bench_option "$1" ||
		die "usage: scan-bench.sh [-n TRIALS] [--quick] [-k] [-b DIR] [--no-runit]" ;;
	esac
	shift
done
if [ -z "$TRIALS" ]; then
	if [ "$QUICK" = 1 ]; then TRIALS=5; else TRIALS=20; fi
fi
# Start-up repetitions; tries (3 s each) of wait_quiet before a round.
if [ "$QUICK" = 1 ]; then REPS=1 QUIET_TRIES=5; else REPS=3 QUIET_TRIES=20; fi
case $TRIALS in
'' | *[!0-9]* | 0) die "-n: not a positive number: $TRIALS" ;;
esac

need_root_and_namespaces
if [ -n "$BEFORE" ]; then
	find_before "$BEFORE"
	SYSTEMS="hotsv before ${SYSTEMS#hotsv }"
fi
find_hotsv hotsv-scan hotsv-supervise
HOTSV_SCAN=$HOTSV_BIN/hotsv-scan
need_tools "s6: apt-get install s6" s6-svscan s6-svscanctl unshare timeout \
	cc ps awk
case $SYSTEMS in
*runit*) need_tools "runsvdir: apt-get install runit" runsvdir runsv ;;
esac

make_bench_tmp
if [ "$KEEP" = 1 ]; then
	say "keeping $BENCH_TMP"
else
	trap 'rm -rf "$BENCH_TMP"' EXIT
fi
build_helper "$HELPER_SRC"
export HELPER HOTSV_SCAN HOTSV_SCAN_BEFORE TRIALS TIMEOUT_MS START_TIMEOUT_MS \
	IDLE_SECONDS

ROUNDS="lat start100"
[ "$QUICK" = 1 ] || ROUNDS="$ROUNDS start1000"
FAILED=0
say "hotsv from $HOTSV_BIN${BEFORE:+, before from ${HOTSV_SCAN_BEFORE%/*}};" \
	"$TRIALS trials; rounds: $ROUNDS; start-up rounds $REPS times"

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A SYSDIR
for sys in $SYSTEMS; do
	SYSDIR[$sys]=$(mktemp -d "$BENCH_TMP/$sys.XXXXXX") || exit 1
done
# Round after round (not system after system), so that the figures of
# one row are taken close together in time.
: >"$BENCH_TMP/results"
for round in $ROUNDS; do
	reps=$REPS
	[ "$round" = lat ] && reps=1
	for rep in $(seq 1 "$reps"); do
		for sys in $SYSTEMS; do
			dir=${SYSDIR[$sys]}/$round.$rep
			case $round in
			lat) limit=$(((TRIALS + 1) * (2 * TIMEOUT_MS / 1000 + 12) + 30)) ;;
			*) limit=$((START_TIMEOUT_MS / 1000 + IDLE_SECONDS + 60)) ;;
			esac
			busy=$(wait_quiet)
			echo "$sys busy_$round $busy" >>"$BENCH_TMP/results"
			say "$sys: $round #$rep (machine $busy % busy;" \
				"deadline ${limit}s)"
			timeout -k 10 "$limit" unshare --pid --fork --mount-proc \
				--kill-child bash "$SELF" --inner "$sys" "$round" \
				"$dir" "$rep"
			rc=$?
			if [ "$rc" != 0 ]; then
				say "$sys: $round #$rep failed (status $rc)"
				FAILED=1
			fi
			sed "s/^/$sys /" "$dir/results" 2>/dev/null \
				>>"$BENCH_TMP/results"
			# The round's service directories are no longer needed.
			rm -rf "$dir/scan" "$dir/stage" "$dir/out"
		done
	done
done

BASELINE=$("$HELPER" forkexec 20 /bin/true)
echo
echo "scan-bench: $(uname -sr), $(nproc) CPUs," \
	"$(date -u '+%Y-%m-%d %H:%M UTC');" \
	"$("$HOTSV_SCAN" -V 2>/dev/null | head -n 1)," \
	"${BEFORE:+before: $("$HOTSV_SCAN_BEFORE" -V 2>/dev/null | head -n 1) from $BEFORE,}" \
	"s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null)${SYSTEMS##*s6}" \
	"$(dpkg-query -W -f '${Version}' runit 2>/dev/null);" \
	"$TRIALS trials; start-up rounds x$REPS (median shown)"
echo "machine: fork+exec+wait of /bin/true takes $BASELINE ms (median of 20);" \
	"service directories on $(stat -f -c %T "$BENCH_TMP");" \
	"load average $LOAD_START at the start," \
	"$(cut -d' ' -f1-3 /proc/loadavg) at the end"
awk -v timeout_ms="$TIMEOUT_MS" -v start_ms="$START_TIMEOUT_MS" \
	-v idle="$IDLE_SECONDS" -f "$BENCH_DIR/table.awk" -f <(printf %s '
function ratio(a, b) {
	if (a == "" || b == "" || a ~ /^>/ || b ~ /^>/) return "-"
	if (b == 0) return a == 0 ? "=" : "inf"
	return sprintf("%.1fx", a / b)
}
# A statistic of key k of system s, in the unit of the values (-1: a
# timeout); "" when there is no value.  p90 is the nearest rank.
function stat(s, k, what,    v, n, m, i) {
	n = sorted(s, k, v)
	if (n == 0) return ""
	if (what == "timeouts") {
		m = 0
		for (i = 1; i <= n; i++) m += v[i] < 0
		return m
	}
	if (what == "max") return v[n]
	if (what == "p90") {
		m = int(0.9 * n)
		if (m < 0.9 * n) m++
		return v[m]
	}
	if (n % 2) return v[(n + 1) / 2]
	if (v[n / 2] < 0 || v[n / 2 + 1] < 0) return -1
	return (v[n / 2] + v[n / 2 + 1]) / 2
}
# The same for a time in ns, shown in ms.
function ms(s, k, what, lim,    x) {
	x = stat(s, k, what)
	if (x == "" || what == "timeouts") return x
	return x < 0 ? ">" lim : x / 1e6
}
function med(s, k) { return stat(s, k, "median") }
function row(label, a, b, c, target, peers,    ok, tv) {
	ok = ""
	if (target != "" && a != "" && a !~ /^>/) {
		split(target, tv, " ")
		ok = (a + 0 <= tv[2] + 0) ? " ok" : " MISS"
	} else if (target != "" && a ~ /^>/)
		ok = " MISS"
	printf "%-38s %9s %9s %9s %9s %11s  %-13s %s\n", label, fmt(a), fmt(b),
	    fmt(c), ratio(b, a), ratio(c, a), target ok, peers
}
# The table of hotsv against the earlier build (-b): what must not
# regress from one build to the next.
function compare(    wi, ni, n) {
	before_head(38)
	for (wi = 1; wi <= 3; wi++)
		before_row("add latency " W[wi] " (ms)",
		    ms("hotsv", "add_ns", W[wi], timeout_ms),
		    ms("before", "add_ns", W[wi], timeout_ms))
	before_row("removal: service gone median (ms)",
	    ms("hotsv", "rm_ns", "median", timeout_ms),
	    ms("before", "rm_ns", "median", timeout_ms))
	for (ni = 1; ni <= 2; ni++) {
		n = ni == 1 ? 100 : 1000
		if (cnt["hotsv", "start_ns_" n] == 0) continue
		before_row("start " n " services: all up (ms)",
		    ms("hotsv", "start_ns_" n, "median", start_ms),
		    ms("before", "start_ns_" n, "median", start_ms))
		before_row("CPU ms of scanner+supervisors, N=" n,
		    med("hotsv", "cpu_ms_" n), med("before", "cpu_ms_" n))
		before_row("PSS of the scanner, N=" n " (KiB)",
		    med("hotsv", "pss_scanner_kib_" n),
		    med("before", "pss_scanner_kib_" n))
	}
}
{ val[$1, $2, ++cnt[$1, $2]] = $3 }
END {
	printf "%-38s %9s %9s %9s %9s %11s  %-13s %s\n", "metric", "hotsv",
	    "s6", "runit", "s6/hotsv", "runit/hotsv", "target",
	    "elsewhere (s6; runit)"
	split("hotsv s6 runit", S, " ")
	split("median p90 max", W, " ")
	tgt["add_ns", "median"] = "<= 3"; tgt["add_ns", "max"] = "<= 20"
	tgt["rm_ns", "median"] = "<= 10"; tgt["rm_ns", "p90"] = "<= 10"
	tgt["rm_ns", "max"] = "<= 10"
	peer["add_ns", "median"] = "6.4; 1900"
	peer["add_ns", "max"] = "-; 5700"
	name["add_ns"] = "add latency"
	name["rm_ns"] = "removal: service gone"
	name["rmsup_ns"] = "removal: supervisor gone"
	K[1] = "add_ns"; K[2] = "rm_ns"; K[3] = "rmsup_ns"
	for (ki = 1; ki <= 3; ki++) {
		k = K[ki]
		for (wi = 1; wi <= 3; wi++)
			row(name[k] " " W[wi] " (ms)",
			    ms("hotsv", k, W[wi], timeout_ms),
			    ms("s6", k, W[wi], timeout_ms),
			    ms("runit", k, W[wi], timeout_ms),
			    tgt[k, W[wi]], peer[k, W[wi]])
		row(name[k] " timeouts", stat("hotsv", k, "timeouts"),
		    stat("s6", k, "timeouts"), stat("runit", k, "timeouts"),
		    "", "")
	}
	for (ni = 1; ni <= 2; ni++) {
		n = ni == 1 ? 100 : 1000
		if (cnt["hotsv", "start_ns_" n] == 0) continue
		for (si = 1; si <= 3; si++) {
			r[si] = ms(S[si], "start_ns_" n, "median", start_ms)
			p[si] = med(S[si], "pss_kib_" n)
			if (p[si] != "") p[si] /= n
			q[si] = med(S[si], "pss_scanner_kib_" n)
			c[si] = med(S[si], "supervisors_" n)
		}
		row("start " n " services: all up (ms)", r[1], r[2], r[3],
		    n == 1000 ? "<= 1000" : "", n == 1000 ? "2200; 4700" : "")
		row("PSS per service, N=" n " (KiB)", p[1], p[2], p[3], "<= 90",
		    n == 1000 ? "125; 91" : "")
		row("PSS of the scanner, N=" n " (KiB)", q[1], q[2], q[3], "",
		    "")
		row("supervisors running, N=" n, c[1], c[2], c[3], "", "")
		for (si = 1; si <= 3; si++) u[si] = med(S[si], "cpu_ms_" n)
		row("CPU ms of scanner+supervisors, N=" n, u[1], u[2], u[3], "",
		    "")
	}
	for (si = 1; si <= 3; si++) {
		a[si] = med(S[si], "idle_scanner_pm")
		b[si] = med(S[si], "idle_sup_mean_pm")
		m[si] = med(S[si], "idle_sup_max_pm")
	}
	row("idle wake-ups/min: scanner", a[1], a[2], a[3], "<= 0", "0; 12")
	row("idle wake-ups/min: per supervisor", b[1], b[2], b[3], "<= 0",
	    "")
	row("idle wake-ups/min: worst supervisor", m[1], m[2], m[3], "<= 0",
	    "")
	if (cnt["before", "add_ns"] > 0)
		compare()
	sc = ""
	for (si = 1; si <= 3; si++)
		if (cnt[S[si], "supervisor_comm"] > 0)
			sc = sc " " S[si] "=" val[S[si], "supervisor_comm", 1]
	print ""
	print "supervisor of each service:" sc
	print "removal target: 10 ms plus the service'"'"'s own stop time" \
	    " (about 0 here: it dies on SIGTERM); idle: over " idle \
	    " s with 100 services; \">N\": timed out after N ms"
	print ""
	print "every value (ms; start-up: each repetition; busy: CPU % in the" \
	    " second before each round):"
	split("add_ns rm_ns rmsup_ns start_ns_100 start_ns_1000", L, " ")
	ns = split("hotsv before s6 runit", S, " ")
	for (si = 1; si <= ns; si++) {
		if (cnt[S[si], "add_ns"] == 0) continue
		for (li = 1; li <= 5; li++) {
			k = L[li]
			if (cnt[S[si], k] == 0) continue
			line = sprintf("%-6s %-14s", S[si], k)
			for (i = 1; i <= cnt[S[si], k]; i++) {
				x = val[S[si], k, i]
				line = line " " (x < 0 ? "timeout" : \
				    sprintf("%.2f", x / 1e6))
			}
			print line
		}
		line = sprintf("%-6s %-14s", S[si], "busy %")
		split("lat start100 start1000", R, " ")
		for (ri = 1; ri <= 3; ri++)
			for (i = 1; i <= cnt[S[si], "busy_" R[ri]]; i++)
				line = line " " R[ri] ":" \
				    val[S[si], "busy_" R[ri], i]
		print line
	}
}') "$BENCH_TMP/results"
exit "$FAILED"
