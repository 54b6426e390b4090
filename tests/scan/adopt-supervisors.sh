#!/bin/sh
# Never a second copy, scanner side: hotsv-scan (not PID 1: a child of
# the test's shell) killed with SIGKILL and started again on the same
# SCANDIR.  Its supervisors outlive it, idle, and keep their runs (one
# whose directory is moved out meanwhile stops its run, runs finish and
# exits by itself, as hotsv-scan would have had it do); the new
# scanner connects to each one's supervise/report and keeps it (the
# service, the logger of another, and a ready service): the same
# supervisor processes, no run started a second time, and at no moment
# two copies of a service (a watcher counts them every 20 ms).  One
# supervisor whose socket was removed (as one from an older hotsv would
# lack it) is taken over instead: SIGKILL, and a new supervisor adopts
# its run.  The supervisors report to the new scanner: "hotsv status"
# shows the same pids, "hotsv restart" works on a kept and on a taken
# over service (the latter's run is no longer a child of any hotsv-scan
# here, so its exit status is unknown: that is said, and finish still
# runs), the logged service's new output reaches its logger, a service
# added afterwards that depends on the ready one starts, and SIGTERM
# stops them all.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_trapping_service "$SCANDIR/a" a
make_trapping_service "$SCANDIR/r" r
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
wait_exactly "a b l log r" "a b l l-log r"
wait_field b state ready
wait_lines "$WORK/l.log" "^hello $(start_pid l)\$" 1
start_dup_watch
old_sups=$(supervisor_list | cut -d' ' -f1 | sort | tr '\n' ' ')
run_a=$(status_field a pid)
run_b=$(status_field b pid)
run_l=$(status_field l pid)
run_l_log=$(status_field l/log pid)
run_r=$(status_field r pid)
[ "$run_a" = "$(start_pid a)" ] && [ "$run_l" = "$(start_pid l)" ] &&
	[ "$run_l_log" = "$(start_pid l-log)" ] && pid_alive "$run_b" ||
	fail "hotsv status shows other pids than the runs: $(hv status)"

say "SIGKILL hotsv-scan; its supervisors and services go on"
kill -KILL "$SCAN"
wait "$SCAN" 2>/dev/null
# Alone, they sleep: the closed report socket does not wake them again
# and again (ppoll does not sleep while a descriptor it polls is ready).
wait_settled $old_sups
[ "$(supervisor_list | cut -d' ' -f1 | sort | tr '\n' ' ')" = "$old_sups" ] ||
	fail "supervisors changed without a scanner: $old_sups, now $(supervisor_list)"

say "r moved out while no hotsv-scan runs: its supervisor stops it and exits"
sup_r=$(supervisor_list | sed -n 's/^\([0-9]*\) r$/\1/p')
[ -n "$sup_r" ] || fail "no supervisor for r"
mv "$SCANDIR/r" "$WORK/r-out"
wait_events "stop r $run_r" 1
wait_events "finish r " 1
wait_gone "$sup_r" "r's supervisor"
wait_exactly "a b l log" "a b l l-log"
expect_field a pid "$run_a"

# sup_of NAME: the pid of the live supervisor of NAME ("log": l's logger).
sup_of() {
	supervisor_list | sed -n "s/^\([0-9]*\) $1\$/\1/p"
}

say "a new hotsv-scan on the same directory keeps them (a: takes it over)"
sup_a=$(sup_of a)
kept_sups=$(supervisor_list | grep -v " a\$" | cut -d' ' -f1 | sort |
	tr '\n' ' ')
[ -S "$SCANDIR/a/supervise/report" ] || fail "no socket supervise/report"
rm "$SCANDIR/a/supervise/report"
start_scanner "$SCANDIR"
wait_lines "$WORK/scan.err" "keeping the supervisor" 3
wait_lines "$WORK/scan.err" "a: taking over the supervisor $sup_a" 1
[ "$(count_lines "$WORK/scan.err" "l: keeping the supervisor")" = 2 ] ||
	fail "not both supervisors of l kept: $(cat "$WORK/scan.err")"
wait_gone "$sup_a" "a's old supervisor"
wait_for 10 "four supervisors" supervisors_are 4
wait_for 10 "every supervisor listening" all_listening
# Once nothing is due, a second start would have begun: none has.
wait_scan_settled
for t in a b l l-log; do
	[ "$(event_count "start $t ")" = 1 ] ||
		fail "$t started again instead of being kept or adopted: $(cat "$WORK/events")"
done
[ "$(supervisor_list | grep -v " a\$" | cut -d' ' -f1 | sort |
	tr '\n' ' ')" = "$kept_sups" ] ||
	fail "supervisors replaced: $kept_sups before, now $(supervisor_list)"
wait_exactly "a b l log" "a b l l-log"
wait_lines "$WORK/scan.err" "outlived its supervisor: adopted" 1
expect_field a pid "$run_a"
expect_field a state up
expect_field b pid "$run_b"
expect_field b state ready
expect_field l pid "$run_l"
expect_field l/log pid "$run_l_log"
[ "$(count_lines "$WORK/scan.err" "already supervised")" = 0 ] ||
	fail "a supervisor found its directory still locked"

say "hotsv restart works on the taken-over service"
expect_exit 0 "hotsv restart a" hv restart a
wait_events "stop a $run_a" 1
wait_events "finish a " 1
wait_events "start a " 2
wait_field a pid "$(start_pid a)"
expect_field a deaths 1

say "and on a kept one, which reports its readiness to the new scanner"
sup_b=$(sup_of b)
expect_exit 0 "hotsv restart b" hv restart b
wait_events "start b " 2
wait_events "ready b " 2
wait_field b state ready
[ "$(status_field b pid)" != "$run_b" ] || fail "b's run did not change"
[ "$(sup_of b)" = "$sup_b" ] || fail "b's supervisor replaced"

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
