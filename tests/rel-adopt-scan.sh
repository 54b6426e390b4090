#!/bin/sh
# Never a second copy, scanner side: hotsv-scan (not PID 1: a child of
# the test's shell) killed with SIGKILL and started again on the same
# SCANDIR.  Its supervisors outlive it and keep their runs; the new
# scanner takes each of them over (the service, the logger of another,
# and a ready service) and its own supervisors adopt the runs: no run is
# started a second time, and at no moment do two copies of a service run
# (a watcher counts them every 20 ms).  The supervisors report to the new
# scanner: "hotsv status" shows the same pids, "hotsv restart" works
# (the runs are no longer children of any hotsv-scan here, so their exit
# status is unknown: that is said, and finish still runs), the logged
# service's new output reaches its logger, and a service added afterwards
# that depends on the ready one starts.
. "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_trapping_service "$SCANDIR/a" a
make_ready_service "$SCANDIR/b" b 0.1
make_service "$SCANDIR/l" "echo \"hello \$\$\"
echo \"start l \$\$\" >>'$WORK/events'
HOTSV_TEST_SVC=l exec sleep 100000"
make_service "$SCANDIR/l/log" "echo \"start l-log \$\$\" >>'$WORK/events'
HOTSV_TEST_SVC=l-log exec cat >>'$WORK/l.log'"

# exactly SUPS TAGS: the live supervisors are for SUPS (base names: a
# logger's is "log") and the live runs are TAGS, each once.
exactly() {
	[ "$(supervised_names | tr '\n' ' ')" = "$1 " ] &&
		[ "$(running_services | tr '\n' ' ')" = "$2 " ]
}

# wait_exactly SUPS TAGS: wait (30 s) until exactly SUPS TAGS.
wait_exactly() {
	wait_for 30 "supervisors '$1', runs '$2'" exactly "$1" "$2"
}

# all_listening: every live supervisor listens on its control FIFO.
all_listening() {
	for _pid in $(supervisor_list | cut -d' ' -f1); do
		listening "$_pid" || return 1
	done
}

start_scanner "$SCANDIR"
wait_exactly "a b l log" "a b l l-log"
wait_field b state ready
wait_lines "$WORK/l.log" "^hello $(start_pid l)\$" 1
start_dup_watch
old_sups=$(supervisor_list | cut -d' ' -f1 | sort | tr '\n' ' ')
run_a=$(status_field a pid)
run_b=$(status_field b pid)
run_l=$(status_field l pid)
run_l_log=$(status_field l/log pid)
[ "$run_a" = "$(start_pid a)" ] && [ "$run_l" = "$(start_pid l)" ] &&
	[ "$run_l_log" = "$(start_pid l-log)" ] && pid_alive "$run_b" ||
	fail "hotsv status shows other pids than the runs: $(hv status)"

say "SIGKILL hotsv-scan; its supervisors and services go on"
kill -KILL "$SCAN"
wait "$SCAN" 2>/dev/null
sleep 1
[ "$(supervisor_list | cut -d' ' -f1 | sort | tr '\n' ' ')" = "$old_sups" ] ||
	fail "supervisors changed without a scanner: $old_sups, now $(supervisor_list)"
expect_field a pid "$run_a"

say "a new hotsv-scan on the same directory takes them over"
start_scanner "$SCANDIR"
wait_lines "$WORK/scan.err" "taking over the supervisor" 4
for t in a b; do
	expect_events "start $t " 1
done
[ "$(count_lines "$WORK/scan.err" "l: taking over the supervisor")" = 2 ] ||
	fail "not both supervisors of l taken over: $(cat "$WORK/scan.err")"
for pid in $old_sups; do
	wait_gone "$pid" "old supervisor"
done
wait_for 10 "four new supervisors" supervisors_are 4
wait_for 10 "every new supervisor listening" all_listening
# Time for a second start, which must not come.
sleep 2
for t in a b l l-log; do
	[ "$(event_count "start $t ")" = 1 ] ||
		fail "$t started again instead of being adopted: $(cat "$WORK/events")"
done
wait_exactly "a b l log" "a b l l-log"
wait_lines "$WORK/scan.err" "outlived its supervisor: adopted" 4
expect_field a pid "$run_a"
expect_field a state up
expect_field b pid "$run_b"
expect_field b state ready
expect_field l pid "$run_l"
expect_field l/log pid "$run_l_log"
[ "$(count_lines "$WORK/scan.err" "already supervised")" = 0 ] ||
	fail "a supervisor found its directory still locked"

say "hotsv restart works on a taken-over service"
expect_exit 0 "hotsv restart a" hv restart a
wait_events "stop a $run_a" 1
wait_events "finish a " 1
wait_events "start a " 2
wait_field a pid "$(start_pid a)"
expect_field a deaths 1

say "the logged service's next run still reaches its logger"
expect_exit 0 "hotsv restart l" hv restart l
wait_events "start l " 2
SUPERVISION_WAIT=30 wait_exactly "a b l log" "a b l l-log"
wait_for 30 "l's new line in its log" has_lines "$WORK/l.log" \
	"^hello $(start_pid l)\$" 1

say "a service added now, that depends on b, starts"
make_ready_service "$WORK/c" c 0.1
echo b >"$WORK/c/dependencies"
mv "$WORK/c" "$SCANDIR/c"
wait_events "ready c " 1
wait_field c state ready
wait_exactly "a b c l log" "a b c l l-log"

stop_dup_watch
expect_no_dups
expect_no_overlap
stop_scanner
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
wait_for 10 "every run to end" sh -c '[ -z "$(cat /proc/[0-9]*/environ 2>/dev/null | tr "\0" "\n" | grep "^HOTSV_TEST_SVC=")" ]'
exit 0
