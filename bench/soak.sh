#!/bin/sh
# bench/soak.sh: churn hotsv-scan for a long while and watch it for leaks.
#
#   bench/soak.sh [-d SECONDS] [-i SECONDS] [-o DIR]
#
# Runs hotsv-scan as PID 1 of its own PID namespace on a scan directory
# where 50 services are moved in and out without pause (each cycle: all
# 50 in, then all 50 out), and every -i seconds (default 60) records the
# scanner's resident memory, its open descriptors, the CPU time it used,
# and the supervisors alive.  After -d seconds (default 3600) it stops
# everything and writes DIR/soak.csv, DIR/soak.png (with gnuplot, if
# installed), DIR/scan.log (what the programs logged) and a summary on
# stdout.  Not a test: it proves nothing by
# itself; the figures are for the issue's closing note.
#
# The programs are taken from $HOTSV_BUILDDIR/src (default ./src).
set -eu

duration=3600
interval=60
out=$(pwd)/soak-out
while getopts d:i:o: opt; do
	case $opt in
	d) duration=$OPTARG ;;
	i) interval=$OPTARG ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-d SECONDS] [-i SECONDS] [-o DIR]" >&2; exit 100 ;;
	esac
done
builddir=${HOTSV_BUILDDIR:-.}
PATH="$(cd "$builddir/src" && pwd):$PATH"
export PATH
mkdir -p "$out"
work=$(mktemp -d /tmp/hotsv-soak.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The churn and the sampling run inside the namespace, so that every
# process dies with it.
cat >"$work/inside.sh" <<'INSIDE'
set -eu
work=$1 duration=$2 interval=$3 csv=$4
. "$5/tests/lib/base.sh"
mkdir -p "$work/scan" "$work/spare"
for i in $(seq 1 50); do
	make_service "$work/spare/s$i" 'exec sleep 1000000'
done
hotsv-scan -k 1000 "$work/scan" >"$work/scan.log" 2>&1 &
scanner=$!
poll_until 30 scanner_ready "$scanner" || {
	echo "soak: hotsv-scan is not ready after 30 s" >&2
	exit 1
}
: >"$work/cycles"
(
	while :; do
		for i in $(seq 1 50); do mv "$work/spare/s$i" "$work/scan/"; done
		for i in $(seq 1 50); do mv "$work/scan/s$i" "$work/spare/"; done
		echo x >>"$work/cycles"
	done
) &
churn=$!
hz=$(getconf CLK_TCK)
echo "seconds,rss_kb,fds,cpu_s,supervisors,cycles" >"$csv"
start=$(date +%s)
while :; do
	now=$(date +%s)
	if ! kill -0 "$scanner" 2>/dev/null; then
		wait "$scanner" && rc=0 || rc=$?
		echo "soak: hotsv-scan is gone after $((now - start)) s (status $rc)" >&2
		break
	fi
	rss=$(rss_kb "$scanner")
	fds=$(ls /proc/$scanner/fd | wc -l)
	ticks=$(cpu_ticks "$scanner")
	sups=$(grep -l hotsv-supervise /proc/[0-9]*/cmdline 2>/dev/null | wc -l)
	cycles=$(wc -l <"$work/cycles" 2>/dev/null || echo 0)
	echo "$((now - start)),$rss,$fds,$(echo "scale=2; ($ticks) / $hz" | bc),$sups,$cycles" >>"$csv"
	[ $((now - start)) -ge "$duration" ] && break
	sleep "$interval"
done
kill "$churn"
wait "$churn" 2>/dev/null || true
kill -TERM "$scanner" 2>/dev/null || true
wait "$scanner" || true
INSIDE
unshare --pid --fork --mount-proc sh "$work/inside.sh" "$work" "$duration" \
	"$interval" "$out/soak.csv" "$(cd "$(dirname "$0")/.." && pwd)"

awk -F, 'NR == 2 { r0 = $2; f0 = $3 }
	NR > 1 { if ($2 > rmax) rmax = $2; t = $1; r = $2; f = $3; c = $4; n = $6 }
	END {
		printf "soak: %d s, %d churn cycles (50 services in, then out)\n", t, n
		printf "rss of hotsv-scan: %d KiB at start, %d KiB at end (%+.1f%%), %d KiB at most\n", r0, r, (r - r0) * 100 / r0, rmax
		printf "descriptors: %d at start, %d at end\n", f0, f
		printf "cpu of hotsv-scan: %.1f s (%.1f%% of one core)\n", c, c * 100 / t
	}' "$out/soak.csv"
cp "$work/scan.log" "$out/scan.log"
echo "lines logged by hotsv-scan and its supervisors: $(wc -l <"$out/scan.log") (in $out/scan.log)"
if command -v gnuplot >/dev/null 2>&1; then
	gnuplot <<PLOT
set terminal png size 900,600
set output "$out/soak.png"
set datafile separator ","
set multiplot layout 3,1 title "hotsv-scan under churn"
set xlabel "seconds"
set ylabel "RSS (KiB)"
plot "$out/soak.csv" using 1:2 skip 1 with linespoints title "RSS"
set ylabel "descriptors"
plot "$out/soak.csv" using 1:3 skip 1 with linespoints title "open fds"
set ylabel "CPU (s)"
plot "$out/soak.csv" using 1:4 skip 1 with linespoints title "CPU time"
unset multiplot
PLOT
	echo "plot: $out/soak.png"
fi
