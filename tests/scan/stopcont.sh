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
use_scandir "$WORK/scan"
make_pool f 20
: >"$WORK/moves"
: >"$WORK/frozen"

# churn: move random services in or out until $WORK/stop exists; a line
# in $WORK/moves for each move.
churn() {
	_turn=0
	while [ ! -e "$WORK/stop" ]; do
		_turn=$((_turn + 1))
		for _n in $(seeded_shuf $((_turn * 2)) -n 3 -e $NAMES); do
			if [ -d "$SCANDIR/$_n" ]; then
				mv "$SCANDIR/$_n" "$WORK/pool/"
			else
				mv "$WORK/pool/$_n" "$SCANDIR/"
			fi
			echo "$_n" >>"$WORK/moves"
		done
		sleep 0.0$(seeded_shuf $((_turn * 2 + 1)) -i 1-9 -n 1)
	done
}

# freezer: SIGSTOP a random supervisor or run every 50 ms, and SIGCONT
# each one 0 to 2 s later, until $WORK/stop exists; the pids it stopped
# go to $WORK/frozen.
freezer() {
	_turn=0
	while [ ! -e "$WORK/stop" ]; do
		_turn=$((_turn + 1))
		{
			supervisor_list | cut -d' ' -f1 | sort -n
			grep -lz '^HOTSV_TEST_SVC=' /proc/[0-9]*/environ 2>/dev/null |
				cut -d/ -f3 | sort -n
		} >"$WORK/freezable"
		_pid=$(seeded_shuf $((1000000 + _turn * 2)) -n 1 "$WORK/freezable")
		_for=$(seeded_shuf $((1000001 + _turn * 2)) -i 0-20 -n 1)
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
	[ -d "$SCANDIR/$name" ] || mv "$WORK/pool/$name" "$SCANDIR/"
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
