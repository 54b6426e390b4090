#!/bin/sh
# hotsv-scan as PID 1 under an arbitrary uid with group 0 and no other
# group (OpenShift's restricted SCC), a read-only SCANDIR (bind-mounted
# read-only) and --statedir on a tmpfs writable by group 0: the service
# starts as that uid (/proc/PID/status), is restarted after a kill, its
# logger (hotsv-log, to a directory of that uid) writes its lines; hotsv
# status, check, down and up work as that uid; its user file ("root") is
# ignored with one line, and it still runs as the uid; SIGTERM shuts
# down with exit 0.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
N=62730
claim_uid $N
enter_namespace "$@"
make_workdir

# The uid must reach $WORK, its programs and its logs.
chmod 755 "$WORK"
use_scandir "$WORK/scan"
STATEDIR=$WORK/state
mount_tmpfs "$STATEDIR" 4096
chmod 775 "$STATEDIR"
HOTSV_STATEDIR=$STATEDIR
export HOTSV_STATEDIR
mkdir "$WORK/logs"
chown "$N" "$WORK/logs"

# web: says hello on each start; marked HOTSV_TEST_SVC=web (see
# pid_of_tag), its sleep is not.
make_service "$SCANDIR/web" "[ \"\${HOTSV_TEST_SVC:-}\" = web ] || HOTSV_TEST_SVC=web exec ./run
echo \"hello from web \$\$\"
env -u HOTSV_TEST_SVC sleep 100000 &
wait"
echo root >"$SCANDIR/web/user"
make_log_run "$SCANDIR/web/log" "$WORK/logs/web"
mount --bind "$SCANDIR" "$SCANDIR" &&
	mount -o remount,bind,ro "$SCANDIR" ||
	skip "cannot bind-mount $SCANDIR read-only"
MOUNTS="$SCANDIR $MOUNTS" # unmounted at exit (mount_tmpfs)
! touch "$SCANDIR/web/x" 2>/dev/null || fail "$SCANDIR is not read-only"

# as_n COMMAND...: COMMAND as uid N, group 0, no other group.
as_n() {
	setpriv --reuid="$N" --regid=0 --clear-groups "$@"
}

# check_as_n: hotsv check passes as uid N.
check_as_n() {
	as_n hotsv check >/dev/null 2>&1
}

# web_pid: web's run, as this namespace sees it.
web_pid() {
	pid_of_tag web
}

# web_runs_as_n: web runs, with every uid N and every gid 0.
web_runs_as_n() {
	_pid=$(web_pid)
	[ -n "$_pid" ] &&
		proc_status "$_pid" Uid | grep -qx "$N[[:space:]]*$N[[:space:]]*$N[[:space:]]*$N" &&
		proc_status "$_pid" Gid | grep -qx "0[[:space:]]*0[[:space:]]*0[[:space:]]*0"
}

# web_replaced OLD: web runs as N with a pid other than OLD.
web_replaced() {
	web_runs_as_n && [ "$(web_pid)" != "$1" ]
}

# logged N: the log holds at least N hello lines.
logged() {
	[ "$(grep -c 'hello from web' "$WORK/logs/web/current" 2>/dev/null)" -ge "$1" ]
}

say "hotsv-scan as uid $N, group 0, read-only SCANDIR, state on a tmpfs"
INIT_WRAP="setpriv --reuid=$N --regid=0 --clear-groups"
start_init --statedir "$STATEDIR" "$SCANDIR"
[ -n "$SCAN" ] || fail "hotsv-scan exited at once: $(cat "$WORK/scan.err")"
proc_status "$SCAN" Uid | grep -q "^$N[[:space:]]" ||
	fail "hotsv-scan does not run as $N"
wait_for 30 "web to run as uid $N" web_runs_as_n
wait_for 30 "web's line in its log" logged 1
[ "$(grep -c "user" "$WORK/scan.err")" = 1 ] ||
	fail "not one line about the user file: $(cat "$WORK/scan.err")"

say "a killed run is restarted"
first=$(web_pid)
kill -KILL "$first"
wait_for 30 "web to restart" web_replaced "$first"
wait_for 30 "the restarted web's line in its log" logged 2

say "hotsv status, check, down and up as uid $N"
expect_exit 0 "hotsv status web as $N" as_n hotsv status web
output_has "^web  *up" "hotsv status web"
# A restarted run passes once it has stayed up a second (hotsv(1)).
wait_for 30 "hotsv check as $N to pass" check_as_n
second=$(web_pid)
expect_exit 0 "hotsv down web as $N" as_n hotsv down --wait web
pid_gone "$second" || fail "web ($second) still runs after hotsv down"
expect_exit 1 "hotsv check as $N with web down" as_n hotsv check web
expect_exit 0 "hotsv up web as $N" as_n hotsv up --wait web
wait_for 30 "web back up" web_replaced "$second"
[ "$(grep -c "user" "$WORK/scan.err")" = 1 ] ||
	fail "not one line about the user file: $(cat "$WORK/scan.err")"

say "SIGTERM shuts down"
signal_scanner TERM
init_exits 0
exit 0
