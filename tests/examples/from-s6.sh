#!/bin/sh
# examples/from-s6: an s6 scan directory (notification-fd, finish, down,
# timeout-kill, log/run with s6-log, .s6-svscan/finish and a
# .s6-svscan/SIGTERM diversion), copied with the control FIFO and lock
# that s6-svscan leaves in .s6-svscan/, used unchanged by hotsv-scan as
# PID 1 in place of s6-svscan, and driven by s6's own tools:
# s6-svok, s6-svstat, s6-svwait -U/-D, s6-svc -r/-d/-u/-o.  The services
# run and log through s6-log; the finish of a restarted service runs;
# the down service runs once on request.  s6-svscanctl -t shuts
# everything down and .s6-svscan/finish runs, with exit code 0; so does
# SIGTERM, through the diversion (which calls s6-svscanctl -t itself).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
for prog in s6-svc s6-svok s6-svstat s6-svwait s6-svscanctl s6-log; do
	command -v "$prog" >/dev/null 2>&1 || skip "needs $prog (apt-get install s6)"
done
enter_namespace "$@"
make_workdir

use_scandir "$WORK/service"
cp -R "$HOTSV_SRCDIR/examples/from-s6/service/." "$SCANDIR/" ||
	fail "cannot copy examples/from-s6/service"
chmod -R u+w "$SCANDIR"
# As s6-svscan leaves it, once it has run there: its control FIFO, and
# the file of its lock.
mkfifo -m 0600 "$SCANDIR/.s6-svscan/control" &&
	: >"$SCANDIR/.s6-svscan/lock" || fail "cannot make s6-svscan's files"
S=$SCANDIR

# svstat_has NAME PATTERN: s6-svstat's line for NAME matches PATTERN.
svstat_has() {
	s6-svstat "$S/$1" >"$WORK/svstat.out" 2>&1 &&
		grep -q -- "$2" "$WORK/svstat.out"
}

# svstat_is NAME VALUES: "s6-svstat -o up,wantedup,normallyup,ready"
# says VALUES for NAME (such as "true true true true").
svstat_is() {
	[ "$(s6-svstat -o up,wantedup,normallyup,ready "$S/$1" 2>&1)" = "$2" ]
}

# expect_svstat NAME VALUES: as svstat_is, or fail.
expect_svstat() {
	svstat_is "$1" "$2" || fail "s6-svstat -o up,wantedup,normallyup,ready $1: $(
		s6-svstat -o up,wantedup,normallyup,ready "$S/$1" 2>&1), not $2"
}

# s6_pid NAME: the pid s6-svstat gives for NAME.
s6_pid() {
	s6-svstat "$S/$1" | sed -n 's/^up (pid \([0-9]*\)).*/\1/p'
}

# s6_pid_changed NAME OLD: NAME is up with a pid other than OLD.
s6_pid_changed() {
	_pid=$(s6_pid "$1")
	[ -n "$_pid" ] && [ "$_pid" != "$2" ]
}

say "s6-svscan -> hotsv-scan: the services run, seen by s6's tools"
start_init "$SCANDIR"
for svc in web web/log worker worker/log maintenance; do
	wait_for 10 "s6-svok $svc" s6-svok "$S/$svc"
done
expect_exit 0 "s6-svwait -U web" s6-svwait -U -t 20000 "$S/web"
svstat_has web '^up (pid [0-9]*) .*, ready ' ||
	fail "s6-svstat web: $(cat "$WORK/svstat.out")"
expect_svstat web "true true true true"
wait_for 10 "worker up" svstat_is worker "true true true false"
expect_svstat maintenance "false false false false"
# s6-log (log/run prefers it) keeps the services' lines in log/main.
wait_lines "$S/web/log/main/current" 'web: listening$' 1
wait_lines "$S/worker/log/main/current" 'worker: starting' 1
pgrep -x s6-log >/dev/null || fail "the loggers are not s6-log"

say "s6-svc -r: worker restarts, its finish runs"
old=$(s6_pid worker)
expect_exit 0 "s6-svc -r worker" s6-svc -r "$S/worker"
wait_for 20 "worker restarted" s6_pid_changed worker "$old"
wait_lines "$S/worker/log/main/current" 'worker: run ended, exit 0, signal 0$' 1

say "s6-svc -d / -u, waited for with s6-svwait"
expect_exit 0 "s6-svc -d web" s6-svc -d "$S/web"
expect_exit 0 "s6-svwait -D web" s6-svwait -D -t 20000 "$S/web"
expect_svstat web "false false true false"
expect_exit 0 "s6-svc -u web" s6-svc -u "$S/web"
expect_exit 0 "s6-svwait -U web" s6-svwait -U -t 20000 "$S/web"
wait_lines "$S/web/log/main/current" 'web: stopping$' 1
wait_lines "$S/web/log/main/current" 'web: listening$' 2

say "s6-svc -o: the down service runs once"
expect_exit 0 "s6-svc -o maintenance" s6-svc -o "$S/maintenance"
wait_lines "$WORK/scan.out" '^maintenance: done$' 1
wait_for 20 "maintenance down again" svstat_has maintenance '^down (exitcode 0)'
# Once nothing is due, a restart would have begun: none has.
wait_scan_settled
expect_svstat maintenance "false false false false"
runs=$(count_lines "$WORK/scan.out" '^maintenance: vacuuming$')
[ "$runs" = 1 ] || fail "maintenance ran $runs times, not once"

say "s6-svscanctl -t: everything stops, .s6-svscan/finish runs"
expect_exit 0 "s6-svscanctl -t" s6-svscanctl -t "$SCANDIR"
init_exits 0
expect_no_sigkill
wait_lines "$WORK/scan.out" '^scanner: every service stopped, exit code 0$' 1
wait_lines "$S/web/log/main/current" 'web: stopping$' 2
wait_lines "$S/worker/log/main/current" 'worker: stopping$' 2

say "again; SIGTERM is diverted to .s6-svscan/SIGTERM, which stops it"
start_init "$SCANDIR"
wait_for 10 "s6-svok web" s6-svok "$S/web"
expect_exit 0 "s6-svwait -U web" s6-svwait -U -t 20000 "$S/web"
wait_for 10 "worker up" svstat_is worker "true true true false"
signal_scanner TERM
init_exits 0
expect_no_sigkill
wait_lines "$WORK/scan.out" '^scanner: SIGTERM, shutting down$' 1
wait_lines "$WORK/scan.out" '^scanner: every service stopped, exit code 0$' 2
wait_lines "$S/web/log/main/current" 'web: stopping$' 3
exit 0
