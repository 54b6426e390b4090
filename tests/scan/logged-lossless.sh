#!/bin/sh
# A logged service's output survives restarts of its logger and of the
# service: hotsv-scan holds both ends of the pipe between them, so that a
# restart loses no byte and sends no end-of-file or SIGPIPE.  A producer
# writes 200,000 numbered lines as fast as the pipe takes them while its
# logger (log/run: exec hotsv-log) gets SIGKILL five times and the
# producer is restarted twice (and ends three runs by itself): every line
# is in the log exactly once, in order, across the rotated archives.
# Each kill costs a second (the logger's restart throttle) and is made at
# the same point (the logger idle, the pipe filled meanwhile), so five
# prove what ten did: with a restarted logger given /dev/null instead of
# the held pipe (simulated in hotsv-supervise), the first kill failed.
#
# What makes "exactly once" well defined:
# - The producer (make_counting_service) keeps the next number in a file
#   that it saves on the only way out of its loop; SIGTERM ("hotsv
#   restart") only sets a flag the loop looks at between lines.  The
#   test checks that every run saved (none died in between), two of them
#   on SIGTERM: each "hotsv restart" is sent while the producer is
#   blocked on the full pipe, surely inside a run rather than between
#   two (when the restart would find nothing to stop).
# - The logger is killed between two batches: a SIGKILL that lands after
#   its read() and before its write() kills the lines it holds, in any
#   logger; the pipe cannot help that.  kill_logger_idle freezes it with
#   SIGSTOP until it is caught inside the ppoll in which it waits for
#   input (with everything it read written), and kills it there.  The
#   producer keeps writing meanwhile and fills the pipe while no logger
#   runs, so the new logger starts with the pipe full.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
LOG=$WORK/logs/p
make_counting_service "$SCANDIR/p" p 200000 50000
touch "$SCANDIR/p/down"
make_log_run "$SCANDIR/p/log" "$LOG" -s 100000 -n 1000
start_scanner "$SCANDIR"
learn_idle_syscall p
hv up p || fail "hotsv up p exited $?"

# logged_past N: the log's last line is "p M" with M >= N.
logged_past() {
	_last=$(last_line "$LOG/current" | counted_lines p)
	[ -n "$_last" ] && [ "$_last" -ge "$1" ]
}

# blocked_writing: p's run is up and asleep in a write to its pipe: it
# waits for room there.
blocked_writing() {
	_pid=$(status_field p pid)
	[ -n "$_pid" ] && comm_is "$_pid" run && proc_state_is "$_pid" S &&
		case $(cat "/proc/$_pid/wchan" 2>/dev/null) in
		*pipe_write) true ;;
		*) false ;;
		esac
}

# restart_producer: "hotsv restart p" while p is surely inside a run (not
# between two, when it would just start one): with its logger stopped,
# wait for it to block on the full pipe.  It takes SIGTERM there and
# saves once the logger reads again.
restart_producer() {
	_logger=$(logger_pid p)
	kill -STOP "$_logger"
	wait_for 30 "p blocked on its full pipe" blocked_writing
	hv restart p || fail "hotsv restart p exited $?"
	kill -CONT "$_logger"
}

for i in 1 2 3 4 5; do
	wait_for 60 "p past $((i * 30000)) in $LOG" logged_past $((i * 30000))
	case $i in
	1 | 3) restart_producer ;;
	esac
	kill_logger_idle p
done
wait_for 60 "p 200000 in $LOG" logged_past 200000
# Its last run saves N before the shutdown's SIGTERM can come.
wait_for 10 "p to save its last N" sh -c "grep -qx 200001 '$WORK/p.next'"
stop_scanner

log_text "$LOG" | counted_lines p >"$WORK/got.list"
expect_numbers "$LOG" 1 200000 "$WORK/got.list"
[ "$(archive_count "$LOG")" -gt 10 ] || fail "too few rotations"
expect_saves p 2
! grep -q 'retrying\|still running' "$WORK/scan.err" ||
	fail "complaints: $(grep 'retrying\|still running' "$WORK/scan.err")"
exit 0
