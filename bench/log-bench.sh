#!/bin/bash
# log-bench.sh: hotsv-log against s6-log and runit's svlogd, on the same
# machine and the same input in one run.  Not a test (make check does not
# run it).
#
# Usage:
#   bench/log-bench.sh [-r RUNS] [-l LINES] [--quick] [-k]
#
#   -r RUNS    timed runs of each logger and format (default 5; 3 with
#              --quick); the table shows the median
#   -l LINES   input lines (default 2000000; 500000 with --quick)
#   --quick    fewer runs and lines, shorter waits for a quiet machine
#   -k         keep the temporary directory (its path is printed)
#
# It takes about 4 minutes (svlogd is the slow one), 1 with --quick,
# more when it has to wait for a quiet machine.
#
# Run it as root (it needs unshare --pid) from the top of a build tree:
#   cd /tmp/build && /path/to/hotsv/bench/log-bench.sh
# hotsv-log is taken from $HOTSV_BUILDDIR/src (HOTSV_BUILDDIR defaults to
# the current directory, so ./src; a directory that holds the program
# itself is accepted too); s6-log (Debian package s6) and svlogd (package
# runit; runit-run is not needed) from $PATH.
#
# The input is a file of LINES lines of 80 bytes (newline included): an
# 8-digit line number, a space, and 70 bytes of text.  Each run pipes it
# in with cat (so the logger reads a pipe, as under a supervisor) and
# measures, with /usr/bin/time, the logger's user and system CPU time,
# and, with date +%s%N around the pipeline, the wall-clock time until the
# logger has exited on end-of-file; throughput is LINES divided by that.
# Every logger writes one directory rotated at 1 MiB with 10 archives:
#   format       hotsv-log          s6-log              svlogd (config)
#   none         -s 1048576 -n 10   n10 s1048576        s1048576, n10
#   ISO 8601     -t                 T                   -tt
#   TAI64N       -T                 t                   -t
# (The ISO stamps differ: 2026-11-29T04:38:09.123456Z for hotsv-log,
# "2026-11-29 04:38:09.123456789 " for s6-log, 2026-11-29_04:38:09.12345
# for svlogd; hotsv-log gives the lines of one read one time, the others
# take the time for each line.)  Each run is checked: exit status 0, at
# most 10 archives, no file over 1 MiB (s6-log goes a few KiB over: it
# is reported, not counted as a failure), and the lines kept, stripped
# of their stamps, are exactly the last lines of the input.  Once per
# logger and format, an
# untimed run keeping every archive (hotsv-log -n 1000, s6-log n1000,
# svlogd n1000) checks that every line of the input was written once, in
# order.
#
# Each run is the PID 1 shell of its own PID namespace (unshare --pid
# --fork --mount-proc --kill-child, under timeout(1)), so everything it
# started dies with it; nothing is killed by name.  Runs go format after
# format, the three loggers back to back in an order that rotates from
# one run to the next; before each such group it waits (30 s at most;
# 10 s with --quick) until the CPUs are less than 25 % busy, and records
# how busy they were.  The output directories are under TMPDIR (default
# /tmp): rotation fsyncs, so the disk counts.
# Exit status: 0, or 1 if a run failed or a check of hotsv-log did not
# pass (those of the others are reported, not counted).

set -u

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
SIZE=1048576
ARCHIVES=10

BENCH_NAME=log-bench
. "$(dirname "$SELF")/lib.sh"

# ---------------------------------------------------------------------
# Inside a PID namespace: one run of one logger in one format.
# ---------------------------------------------------------------------

# logger_command SYS FMT DIR KEEP: the command line in CMD.
logger_command() {
	local sys=$1 fmt=$2 dir=$3 keep=$4
	case $sys in
	hotsv)
		CMD=("$HOTSV_LOG" -s "$SIZE" -n "$keep")
		case $fmt in iso) CMD+=(-t) ;; tai) CMD+=(-T) ;; esac
		CMD+=("$dir")
		;;
	s6)
		CMD=(s6-log)
		case $fmt in iso) CMD+=(T) ;; tai) CMD+=(t) ;; esac
		CMD+=("n$keep" "s$SIZE" "$dir")
		;;
	svlogd)
		mkdir -p "$dir" && printf 's%s\nn%s\n' "$SIZE" "$keep" >"$dir/config"
		CMD=(svlogd)
		case $fmt in iso) CMD+=(-tt) ;; tai) CMD+=(-t) ;; esac
		CMD+=("$dir")
		;;
	esac
}

# stamp_re SYS FMT: an extended regex matching the stamp of a line.
stamp_re() {
	case $2 in
	none) echo '^' ;;
	tai) echo '^@[0-9a-f]{24} ' ;;
	iso)
		case $1 in
		hotsv) echo '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z ' ;;
		s6) echo '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}  ' ;;
		svlogd) echo '^[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{5} ' ;;
		esac
		;;
	esac
}

# check SYS FMT DIR KEEP: the checks of one run; record "check_* ok" or
# what was wrong.
check() {
	local sys=$1 fmt=$2 dir=$3 keep=$4 n big kept want got re files
	n=$(find "$dir" -maxdepth 1 -name '@*' | grep -c .)
	big=$(find "$dir" -maxdepth 1 \( -name '@*' -o -name current \) \
		-size +"$SIZE"c | grep -c .)
	if [ "$n" -gt "$keep" ] || [ "$big" != 0 ]; then
		result check_rotation "$n-archives,$big-files-over-$SIZE-bytes"
	else
		result check_rotation ok
	fi
	result archives "$n"
	result max_bytes "$(find "$dir" -maxdepth 1 \( -name '@*' -o \
		-name current \) -printf '%s\n' | sort -n | tail -n 1)"
	re=$(stamp_re "$sys" "$fmt")
	# The archives in name (time) order, then current.
	shopt -s nullglob
	files=("$dir"/@*)
	shopt -u nullglob
	mapfile -t files < <(printf '%s\n' "${files[@]}" | LC_ALL=C sort)
	files+=("$dir/current")
	kept=$(cat "${files[@]}" | wc -l)
	got=$(cat "${files[@]}" | LC_ALL=C sed -E "s/$re//" | md5sum)
	want=$(tail -n "$kept" "$INPUT" | md5sum)
	if [ "$keep" -gt "$ARCHIVES" ]; then
		# The full run: every line, once, in order.
		if [ "$kept" = "$LINES" ] && [ "$got" = "$want" ]; then
			result check_full ok
		else
			result check_full "$kept-lines,content-$([ "$got" = "$want" ] &&
				echo same || echo differs)"
		fi
	elif [ "$got" = "$want" ]; then
		result check_tail ok
	else
		result check_tail "last-$kept-lines-differ"
	fi
}

# result KEY VALUE: record a measurement for the outer script.
result() {
	echo "$SYS $FMT $KEY_SUFFIX$1 $2" >>"$W/results"
}

# inner SYS FMT WORKDIR KEEP: PID 1 of a fresh namespace.
inner() {
	SYS=$1 FMT=$2 W=$3
	local keep=$4 t0 t1 rc
	KEY_SUFFIX=
	[ "$keep" -gt "$ARCHIVES" ] && KEY_SUFFIX=full_
	: >"$W/results"
	logger_command "$SYS" "$FMT" "$W/log" "$keep" || return 1
	t0=$(date +%s%N)
	# shellcheck disable=SC2002 # the logger must read a pipe
	cat "$INPUT" | /usr/bin/time -o "$W/time" -f '%e %U %S %M %c %w' \
		"${CMD[@]}" 2>"$W/stderr"
	rc=${PIPESTATUS[1]}
	t1=$(date +%s%N)
	result status "$rc"
	if [ "$keep" -le "$ARCHIVES" ]; then
		# The last line: a failing command adds one before it.
		read -r _ user sys rss invol vol < <(tail -n 1 "$W/time")
		result wall_ns $((t1 - t0))
		result cpu_s "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
		result user_s "$user"
		result sys_s "$sys"
		result rss_kib "$rss"
		result csw "$((invol + vol))"
	fi
	check "$SYS" "$FMT" "$W/log" "$keep"
	if [ -s "$W/stderr" ]; then
		say "$SYS $FMT: the logger said (first lines):"
		head -n 5 "$W/stderr" | sed 's/^/    /' >&2
	fi
	[ "$rc" = 0 ]
}

if [ "${1:-}" = --inner ]; then
	shift
	inner "$@"
	exit $?
fi

# ---------------------------------------------------------------------
# Outside: check the tools, make the input, run, print the table.
# ---------------------------------------------------------------------

RUNS=
LINES=
QUICK=0
KEEP=0
while [ $# -gt 0 ]; do
	case $1 in
	-r | -l)
		[ $# -ge 2 ] || die "$1 needs a number"
		if [ "$1" = -r ]; then RUNS=$2; else LINES=$2; fi
		shift
		;;
	*) bench_option "$1" || die "usage: log-bench.sh [-r RUNS] [-l LINES] [--quick] [-k]" ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then
	: "${RUNS:=3}" "${LINES:=500000}"
	QUIET_TRIES=3
else
	: "${RUNS:=5}" "${LINES:=2000000}"
	QUIET_TRIES=10
fi
for n in "$RUNS" "$LINES"; do
	case $n in
	'' | *[!0-9]* | 0) die "not a positive number: $n" ;;
	esac
done

need_root_and_namespaces
find_hotsv hotsv-log
HOTSV_LOG=$HOTSV_BIN/hotsv-log
need_tools "s6-log: apt-get install s6; svlogd: apt-get install runit;\
 /usr/bin/time: apt-get install time" s6-log svlogd unshare timeout awk \
	md5sum /usr/bin/time

make_bench_tmp
if [ "$KEEP" = 1 ]; then
	say "keeping $BENCH_TMP"
else
	trap 'rm -rf "$BENCH_TMP"' EXIT
fi
INPUT=$BENCH_TMP/input
awk -v n="$LINES" 'BEGIN {
	t = "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do e"
	for (i = 1; i <= n; i++) printf "%08d %s%04d\n", i, t, i % 10000
}' >"$INPUT" || die "cannot write $INPUT"
[ "$(wc -l <"$INPUT")" = "$LINES" ] || die "bad input file"
cat "$INPUT" >/dev/null # into the page cache
export INPUT LINES HOTSV_LOG SIZE ARCHIVES


# one SYS FMT RUN KEEP: one run in its own namespace; deadline: 10 s
# plus 100 s per million lines.
FAILED=0
one() {
	local dir=$BENCH_TMP/$1.$2.$3 limit=$((10 + LINES / 10000)) rc
	mkdir -p "$dir" || return 1
	timeout -k 10 "$limit" unshare --pid --fork --mount-proc --kill-child \
		bash "$SELF" --inner "$1" "$2" "$dir" "$4"
	rc=$?
	case $rc in
	0) ;;
	124 | 137) say "$1 $2 run $3: killed after ${limit}s"; FAILED=1 ;;
	*) say "$1 $2 run $3: failed (status $rc)"; FAILED=1 ;;
	esac
	cat "$dir/results" >>"$BENCH_TMP/results" 2>/dev/null
	rm -rf "$dir"
}

say "hotsv-log $HOTSV_LOG; $LINES lines of 80 bytes" \
	"($(du -m "$INPUT" | cut -f1) MB); $RUNS runs"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$BENCH_TMP/results"
SYSTEMS=(hotsv s6 svlogd)
for run in $(seq 1 "$RUNS"); do
	for fmt in none iso tai; do
		busy=$(wait_quiet)
		for i in 0 1 2; do
			sys=${SYSTEMS[$(((i + run) % 3))]}
			say "$sys $fmt: run $run (machine $busy % busy)"
			echo "$sys $fmt busy $busy" >>"$BENCH_TMP/results"
			one "$sys" "$fmt" "$run" "$ARCHIVES"
		done
	done
done
# The lossless check: keep every archive.
for fmt in none iso tai; do
	for sys in "${SYSTEMS[@]}"; do
		say "$sys $fmt: full run (every archive kept)"
		one "$sys" "$fmt" full 1000
	done
done

echo
echo "log-bench: $(uname -sr), $(nproc) CPUs," \
	"$(date -u '+%Y-%m-%d %H:%M UTC');" \
	"$("$HOTSV_LOG" -V 2>/dev/null | head -n 1)," \
	"s6 $(dpkg-query -W -f '${Version}' s6 2>/dev/null)," \
	"runit $(dpkg-query -W -f '${Version}' runit 2>/dev/null)"
echo "$LINES lines of 80 bytes piped in by cat; rotation at $SIZE bytes," \
	"$ARCHIVES archives; $RUNS runs, median shown; output under" \
	"$(df -P "$BENCH_TMP" | awk 'NR == 2 { print $1 }')" \
	"($(stat -f -c %T "$BENCH_TMP")); load average $LOAD_START at the" \
	"start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
awk -v lines="$LINES" -v size="$SIZE" '
function fmt(v) {
	if (v == "") return "-"
	if (v !~ /^-?[0-9.e+]+$/) return v
	if (v >= 100000) return sprintf("%.0f", v)
	if (v >= 100) return sprintf("%.0f", v)
	if (v >= 10) return sprintf("%.1f", v)
	return sprintf("%.3f", v)
}
function ratio(a, b) {
	if (a == "" || b == "" || b == 0) return "-"
	return sprintf("%.2fx", a / b)
}
function median(s, f, k,    v, n, i, j, t) {
	n = cnt[s, f, k]
	if (n == 0) return ""
	for (i = 1; i <= n; i++) v[i] = val[s, f, k, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
# How many values of key k are not "ok" (or not 0, for status).
function bad(s, f, k, good,    i, m) {
	m = 0
	for (i = 1; i <= cnt[s, f, k]; i++) m += val[s, f, k, i] != good
	return m
}
function row(label, a, b, c, target) {
	printf "%-46s %10s %10s %10s %9s %12s  %s\n", label, fmt(a), fmt(b),
	    fmt(c), ratio(b, a), ratio(c, a), target
}
{ val[$1, $2, $3, ++cnt[$1, $2, $3]] = $4 }
END {
	split("hotsv s6 svlogd", S, " ")
	split("none iso tai", F, " ")
	fname["none"] = "no stamp"
	fname["iso"] = "ISO 8601 (-t / T / -tt)"
	fname["tai"] = "TAI64N (-T / t / -t)"
	printf "%-46s %10s %10s %10s %9s %12s  %s\n", "metric", "hotsv-log",
	    "s6-log", "svlogd", "s6/hotsv", "svlogd/hotsv",
	    "target: >= the faster"
	for (fi = 1; fi <= 3; fi++) {
		f = F[fi]
		for (si = 1; si <= 3; si++) {
			w = median(S[si], f, "wall_ns")
			lps[si] = w == "" ? "" : lines / (w / 1e9)
		}
		best = lps[2] > lps[3] ? lps[2] : lps[3]
		t = ""
		if (lps[1] != "" && best != "")
			t = sprintf(">= %.0f %s", best,
			    lps[1] + 0 >= best + 0 ? "ok" : "MISS")
		row("lines/s, " fname[f], lps[1], lps[2], lps[3], t)
	}
	for (fi = 1; fi <= 3; fi++) {
		f = F[fi]
		for (si = 1; si <= 3; si++) {
			c = median(S[si], f, "cpu_s")
			cpm[si] = c == "" ? "" : c / (lines / 1e6)
		}
		best = cpm[2] < cpm[3] ? cpm[2] : cpm[3]
		t = ""
		if (cpm[1] != "" && best != "")
			t = sprintf("<= %.3f %s", best,
			    cpm[1] + 0 <= best + 0 ? "ok" : "MISS")
		row("CPU s per 1M lines, " fname[f], cpm[1], cpm[2], cpm[3], t)
	}
	for (fi = 1; fi <= 3; fi++) {
		f = F[fi]
		for (si = 1; si <= 3; si++) {
			u[si] = median(S[si], f, "user_s")
			y[si] = median(S[si], f, "sys_s")
			if (u[si] != "") u[si] /= lines / 1e6
			if (y[si] != "") y[si] /= lines / 1e6
		}
		row("  of which user, " fname[f], u[1], u[2], u[3], "")
		row("  of which system, " fname[f], y[1], y[2], y[3], "")
	}
	for (fi = 1; fi <= 3; fi++) {
		f = F[fi]
		for (si = 1; si <= 3; si++) r[si] = median(S[si], f, "rss_kib")
		row("max RSS (KiB), " fname[f], r[1], r[2], r[3], "")
	}
	for (fi = 1; fi <= 3; fi++) {
		f = F[fi]
		for (si = 1; si <= 3; si++) {
			r[si] = ""
			for (i = 1; i <= cnt[S[si], f, "max_bytes"]; i++)
				if (r[si] == "" || val[S[si], f, "max_bytes", i] > r[si])
					r[si] = val[S[si], f, "max_bytes", i]
		}
		row("largest file (bytes), " fname[f], r[1], r[2], r[3],
		    "<= " size)
	}
	print ""
	print "ratios are the other logger over hotsv-log: below 1 for" \
	    " lines/s, above 1 for CPU, means hotsv-log is faster"
	print "stamps: hotsv-log gives all the lines of one read the same" \
	    " time (as its manual says); s6-log and svlogd take the time for" \
	    " each line"
	print "checks (runs that failed one; \"full\": one run keeping every" \
	    " archive, every line once and in order):"
	for (si = 1; si <= 3; si++) {
		line = sprintf("  %-7s", S[si])
		for (fi = 1; fi <= 3; fi++) {
			f = F[fi]
			n = cnt[S[si], f, "status"]
			line = line sprintf(" %s: exit %d/%d bad, rotation %d," \
			    " tail %d, full %s;", f, bad(S[si], f, "status", 0), n,
			    bad(S[si], f, "check_rotation", "ok"),
			    bad(S[si], f, "check_tail", "ok"),
			    cnt[S[si], f, "full_check_full"] == 0 ? "-" : \
			    val[S[si], f, "full_check_full", 1])
		}
		print line
	}
	for (si = 1; si <= 3; si++)
		for (fi = 1; fi <= 3; fi++) {
			f = F[fi]
			for (i = 1; i <= cnt[S[si], f, "check_rotation"]; i++)
				if (val[S[si], f, "check_rotation", i] != "ok")
					print "  " S[si] " " f ": rotation: " \
					    val[S[si], f, "check_rotation", i]
			for (i = 1; i <= cnt[S[si], f, "check_tail"]; i++)
				if (val[S[si], f, "check_tail", i] != "ok")
					print "  " S[si] " " f ": " \
					    val[S[si], f, "check_tail", i]
		}
	print ""
	print "every value (wall s / CPU s per run; busy: CPU % in the second" \
	    " before the group):"
	for (si = 1; si <= 3; si++)
		for (fi = 1; fi <= 3; fi++) {
			f = F[fi]
			line = sprintf("%-7s %-5s wall", S[si], f)
			for (i = 1; i <= cnt[S[si], f, "wall_ns"]; i++)
				line = line sprintf(" %.2f", val[S[si], f, "wall_ns", i] / 1e9)
			line = line "; cpu"
			for (i = 1; i <= cnt[S[si], f, "cpu_s"]; i++)
				line = line " " val[S[si], f, "cpu_s", i]
			line = line "; busy"
			for (i = 1; i <= cnt[S[si], f, "busy"]; i++)
				line = line " " val[S[si], f, "busy", i]
			print line
		}
}' "$BENCH_TMP/results"
# A run that failed, or a check of hotsv-log that did not pass, is a
# failure; the checks of the others are observations, shown above.
awk '$1 == "hotsv" && $3 ~ /(^|_)check_/ && $4 != "ok" { bad = 1 }
	$3 ~ /(^|_)status$/ && $4 != 0 { bad = 1 }
	END { exit !bad }' "$BENCH_TMP/results" && FAILED=1
exit "$FAILED"
