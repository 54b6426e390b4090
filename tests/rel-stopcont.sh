#!/bin/sh
# Supervisors and services frozen and thawed at random during churn: for
# DURATION seconds (default 20), 20 services are moved in and out of
# SCANDIR at random, while every 50 ms a random supervisor or run is sent
# SIGSTOP, and stopped ones SIGCONT after a random while (up to 2 s, some
# longer than hotsv-scan's kill grace of 1 s here).  Then everything is
# thawed and every service moved in: each has exactly one supervisor and
# one run, "hotsv status" says up (not paused) for each, no supervisor is
# left for a directory that is gone, and no two runs of a service were
# ever seen at once (a watcher looks every 20 ms).
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
enter_namespace "$@"
make_workdir

: "${DURATION:=20}"
use_scandir "$WORK/scan"
make_pool f 20

# churn: move random services in or out until $WORK/stop exists.
churn() {
	while [ ! -e "$WORK/stop" ]; do
		for _n in $(printf '%s\n' $NAMES | shuf -n 3); do
			if [ -d "$SCANDIR/$_n" ]; then
				mv "$SCANDIR/$_n" "$WORK/pool/"
			else
				mv "$WORK/pool/$_n" "$SCANDIR/"
			fi
		done
		sleep 0.0$(shuf -i 1-9 -n 1)
	done
}

# freezer: SIGSTOP a random supervisor or run every 50 ms, and SIGCONT
# each one 0 to 2 s later, until $WORK/stop exists; the pids it stopped
# go to $WORK/frozen.
freezer() {
	while [ ! -e "$WORK/stop" ]; do
		_pid=$({
			supervisor_list | cut -d' ' -f1
			grep -lz '^HOTSV_TEST_SVC=' /proc/[0-9]*/environ 2>/dev/null |
				cut -d/ -f3
		} | shuf -n 1)
		if [ -n "$_pid" ] && kill -STOP "$_pid" 2>/dev/null; then
			echo "$_pid" >>"$WORK/frozen"
			(sleep "$(shuf -i 0-20 -n 1 | sed 's/.$/.&/')"; kill -CONT "$_pid" 2>/dev/null) &
		fi
		sleep 0.05
	done
}

# all_up: hotsv status says up, not paused, for every service.
all_up() {
	for _n in $NAMES; do
		field_is "$_n" state up || return 1
	done
}

start_scanner -k 1000 "$SCANDIR"
start_dup_watch
say "churn with freezing for ${DURATION}s"
churn &
CHURN=$!
freezer &
FREEZER=$!
sleep "$DURATION"
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
