#!/bin/sh
# s6's own tools work against hotsv-supervise (skipped without s6):
# s6-svok sees a live supervisor and then none; s6-svstat reads "up (pid
# N)", "down (signal SIGTERM)" and "down (exitcode 3)"; s6-svc -d -u -r -k
# -o act on the service; s6-svc -wD -d, -wu -u and -wU -u (readiness
# through notification-fd) return once the event/ fifodir says so.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
command -v s6-svok >/dev/null 2>&1 || skip "s6 is not installed (s6-svok)"
enter_namespace "$@"
make_workdir

S=$WORK/svc
make_service "$S" "echo \$\$ >>$WORK/svc.pids; exec sleep 100000"
make_service "$WORK/ready" "echo \$\$ >>$WORK/ready.pids
echo >&3; exec sleep 100000"
echo 3 >"$WORK/ready/notification-fd"
touch "$WORK/ready/down"
make_service "$WORK/three" "exit 3"
touch "$WORK/three/down"

# svstat_is DIR PATTERN: s6-svstat DIR matches the extended PATTERN.
svstat_is() {
	s6-svstat "$1" | grep -Eq "$2"
}

# wait_svstat DIR PATTERN: wait until s6-svstat DIR matches PATTERN.
wait_svstat() {
	wait_for 10 "s6-svstat $1 matching '$2'" svstat_is "$1" "$2"
}

# s6svc WHAT OPTION... DIR: s6-svc (given 10 s) must succeed.
s6svc() {
	_what=$1
	shift
	timeout 10 s6-svc "$@" || fail "s6-svc $*: $_what, exit $?"
}

expect_exit 1 "s6-svok before any supervisor" s6-svok "$S"
start_supervisor svc "$S"
sup=$SUP
expect_exit 0 "s6-svok with a live supervisor" s6-svok "$S"
wait_lines "$WORK/svc.pids" . 1
wait_svstat "$S" "^up \\(pid $(last_line "$WORK/svc.pids")\\) "

s6svc "down and wait" -wD -d "$S"
svstat_is "$S" '^down \(signal SIGTERM\) .*normally up' ||
	fail "after s6-svc -wD -d: $(s6-svstat "$S")"
pid_alive "$(last_line "$WORK/svc.pids")" && fail "run alive after -wD -d"
s6svc "up and wait" -wu -u "$S"
wait_lines "$WORK/svc.pids" . 2
wait_svstat "$S" "^up \\(pid $(last_line "$WORK/svc.pids")\\) "

old=$(last_line "$WORK/svc.pids")
s6svc restart -r "$S"
wait_lines "$WORK/svc.pids" . 3
wait_gone "$old" "run before s6-svc -r"
old=$(last_line "$WORK/svc.pids")
s6svc kill -k "$S"
wait_lines "$WORK/svc.pids" . 4
wait_gone "$old" "run before s6-svc -k"
expect_field "$S" signal SIGKILL
s6svc once -o "$S"
wait_svstat "$S" 'want down'
s6svc down -d "$S"
wait_svstat "$S" '^down \(signal SIGTERM\)'
s6svc up -u "$S"
wait_lines "$WORK/svc.pids" . 5

# Readiness: -wU returns once run wrote to notification-fd.
start_supervisor ready "$WORK/ready"
svstat_is "$WORK/ready" '^down ' || fail "./down service: $(s6-svstat "$WORK/ready")"
s6svc "up and ready" -wU -u "$WORK/ready"
[ "$(count_lines "$WORK/ready.pids" .)" = 1 ] || fail "-wU returned before run started"
svstat_is "$WORK/ready" '^up .*ready' ||
	fail "after -wU -u: $(s6-svstat "$WORK/ready")"
expect_field "$WORK/ready" state ready

# An exit code.
start_supervisor three "$WORK/three"
s6svc once -o "$WORK/three"
wait_svstat "$WORK/three" '^down \(exitcode 3\) '

stop_supervisor "$sup"
expect_exit 1 "s6-svok after the supervisor exited" s6-svok "$S"
expect_exit 100 "s6-svc without a supervisor" s6-svc -u "$S"
stop_supervisor
exit 0
