#!/bin/sh
# Supervisors and services frozen and thawed at random during churn: 20
# services are moved in and out of SCANDIR at random (MOVES times, default
# 100), while every 50 ms a random supervisor or run is sent SIGSTOP
# (FREEZES times, default 100), and stopped ones SIGCONT after a random
# while (up to 2 s, some longer than hotsv-scan's kill grace of 1 s
# here).  The choices come from a seed (HOTSV_TEST_SEED replays them; the
# timing differs from run to run).  Then everything is
# thawed and every service moved in: each has exactly one supervisor and
# one run, "hotsv status" says up (not paused) for each, no supervisor is
# left for a directory that is gone, and no two runs of a service were
# ever seen at once (a watcher looks every 20 ms).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

: "${MOVES:=100}" "${FREEZES:=100}"
use_seed
# SCANDIR and the pool on a tmpfs (mv stays a rename): on the disk of a
# loaded VM, the supervisors' writes to supervise/ made the churn a
# fifth slower, and prove no more there.
mount_tmpfs "$WORK/fs" 65536
use_scandir "$WORK/fs/scan"
make_pool f 20
mv "$WORK/pool" "$WORK/fs/pool" || fail "cannot move the pool to the tmpfs"
POOL=$WORK/fs/pool
: >"$WORK/moves"
: >"$WORK/frozen"

# random_numbers KEY: $WORK/random.KEY, 100,000 pseudo-random numbers
# below 1,000,000, one a line, made from SEED and KEY.  Read one at a time
# (read -r from a descriptor), a choice costs no process: an awk and a
# shuf per choice (seeded_shuf) took most of this test's time.
random_numbers() {
	awk -v seed="$SEED" -v key="$1" 'BEGIN {
		srand(seed % 1000000007 + key * 7919)
		for (i = 0; i < 100000; i++)
			print int(rand() * 1000000)
	}' >"$WORK/random.$1"
}

# pick NUMBER WORD...: set PICKED to the WORD that NUMBER chooses.
pick() {
	_r=$1
	shift
	eval "PICKED=\${$((_r % $# + 1))}"
}

# churn: move 3 random services (3 different ones) in or out until
# $WORK/stop exists, then pause 10 to 90 ms; a line in $WORK/moves for
# each move.
churn() {
	exec 4<"$WORK/random.1"
	while [ ! -e "$WORK/stop" ]; do
		_left=$NAMES
		for _k in 1 2 3; do
			read -r _r <&4
			# shellcheck disable=SC2086 # names, one word each
			pick "$_r" $_left
			_n=$PICKED
			_rest=
			for _other in $_left; do
				[ "$_other" = "$_n" ] || _rest="$_rest $_other"
			done
			_left=$_rest
			if [ -d "$SCANDIR/$_n" ]; then
				mv "$SCANDIR/$_n" "$POOL/"
			else
				mv "$POOL/$_n" "$SCANDIR/"
			fi
			echo "$_n" >>"$WORK/moves"
		done
		read -r _r <&4
		sleep 0.0$((_r % 9 + 1))
	done
}

# freezer: SIGSTOP a random supervisor or run every 50 ms, and SIGCONT
# each one 0 to 2 s later, until $WORK/stop exists; the pids it stopped
# go to $WORK/frozen.
freezer() {
	exec 5<"$WORK/random.2"
	while [ ! -e "$WORK/stop" ]; do
		# The /proc files of the supervisors, then of the runs: two
		# processes a turn, so that the turns keep their pace.
		_freezable=$(
			grep -l '^hotsv-supervise' /proc/[0-9]*/cmdline 2>/dev/null
			grep -lz '^HOTSV_TEST_SVC=' /proc/[0-9]*/environ 2>/dev/null
		)
		read -r _r <&5
		_pid=
		# shellcheck disable=SC2086 # paths, one word each
		if [ -n "$_freezable" ]; then
			pick "$_r" $_freezable
			_pid=${PICKED#/proc/}
			_pid=${_pid%%/*}
		fi
		read -r _r <&5
		_for=$((_r % 21))
		if [ -n "$_pid" ] && kill -STOP "$_pid" 2>/dev/null; then
			echo "$_pid" >>"$WORK/frozen"
			(sleep "$((_for / 10)).$((_for % 10))"; kill -CONT "$_pid" 2>/dev/null) &
		fi
		sleep 0.05
	done
}

# churned: the churn and the freezer have done their share.
churned() {
	[ "$(wc -l <"$WORK/moves")" -ge "$MOVES" ] &&
		[ "$(wc -l <"$WORK/frozen")" -ge "$FREEZES" ]
}

# all_up: hotsv status says up, not paused, for every service.
all_up() {
	for _n in $NAMES; do
		field_is "$_n" state up || return 1
	done
}

random_numbers 1
random_numbers 2
start_scanner -k 1000 "$SCANDIR"
start_dup_watch
say "churn ($MOVES moves) with freezing ($FREEZES freezes)"
churn &
CHURN=$!
freezer &
FREEZER=$!
wait_for 300 "$MOVES moves and $FREEZES freezes" churned
touch "$WORK/stop"
wait "$CHURN"
wait "$FREEZER"
say "$(wc -l <"$WORK/frozen") processes were frozen; thawing all"
for pid in $(sort -u "$WORK/frozen"); do
	kill -CONT "$pid" 2>/dev/null
done
for name in $NAMES; do
	[ -d "$SCANDIR/$name" ] || mv "$POOL/$name" "$SCANDIR/"
done
SUPERVISION_WAIT=60 wait_supervision "$SCANDIR"
wait_for 30 "every service up" all_up
stop_dup_watch
expect_no_dups
for pid in $(supervisor_list | cut -d' ' -f1) $(grep -lz '^HOTSV_TEST_SVC=' /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
	[ "$(proc_state "$pid")" != T ] || fail "pid $pid is still stopped"
done
pid_alive "$SCAN" || fail "hotsv-scan died"
stop_scanner
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
exit 0
