# bench/lib.sh: what the benchmark scripts share; sourced by them (bash),
# after they set BENCH_NAME.

# say WORDS...: one line on stderr, named after the benchmark.
say() {
	printf '%s: %s\n' "$BENCH_NAME" "$*" >&2
}

# die WORDS...: say it and exit 1.
die() {
	say "$*"
	exit 1
}

# wait_until SECONDS WHAT COMMAND...: poll COMMAND every 20 ms.
wait_until() {
	local tries=$(($1 * 50)) what=$2
	shift 2
	while ! "$@" 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || {
			say "$SYS${ROUND:+ $ROUND}: timed out waiting for $what"
			return 1
		}
		sleep 0.02
	done
}

# need_root_and_namespaces: root, and unshare --pid allowed.
need_root_and_namespaces() {
	[ "$(id -u)" = 0 ] || die "needs root (unshare --pid)"
	unshare --pid --fork --mount-proc true 2>/dev/null ||
		die "unshare --pid --fork --mount-proc is not allowed here"
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

# alive PID: PID exists and is not a zombie.
alive() {
	local st
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' /proc/"$1"/status \
		2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}

# gone PID: PID has ended (or is a zombie).
gone() {
	! alive "$1"
}

# child_of PID: the first child of PID (its main thread's), if any.
child_of() {
	local c
	c=$(cat /proc/"$1"/task/"$1"/children 2>/dev/null) || return 1
	c=${c%% *}
	[ -n "$c" ] && echo "$c"
}

# catches PID SIG: PID blocks or catches signal number SIG (a PID
# namespace's pid 1 drops a signal it has neither blocked nor caught,
# and a scanner signalled before it is ready may die of it).
catches() {
	local blk cgt
	blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/"$1"/status 2>/dev/null)
	cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/"$1"/status 2>/dev/null)
	[ -n "$blk" ] && [ -n "$cgt" ] &&
		[ $(((0x$blk | 0x$cgt) & (1 << ($2 - 1)))) != 0 ]
}
