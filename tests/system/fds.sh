#!/bin/sh
# No descriptor leaks into what hotsv starts, on every path: hotsv-scan
# (-p, with a main command, and started with descriptors 7 and 9 open)
# starts run, finish, a logger's run, the main command, a signal hook and
# implicit --prefix loggers; each holds only 0, 1 and 2, plus what it was
# promised: run the notification-fd (5), a --prefix logger its turn lock
# (3).  Again after a supervisor was killed and replaced (a run started by
# a supervisor that adopted one), and for a run with a notify socket.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
# tagged_service DIR TAG: run is a sleep tagged TAG.
tagged_service() {
	make_service "$1" "HOTSV_TEST_SVC=$2; export HOTSV_TEST_SVC
exec sleep 100000"
}
tagged_service "$SCANDIR/plain" plain
make_finish "$SCANDIR/plain" "HOTSV_TEST_SVC=plain-finish; export HOTSV_TEST_SVC
exec sleep 100000"
echo 0 >"$SCANDIR/plain/timeout-finish"
tagged_service "$SCANDIR/logged" logged
make_service "$SCANDIR/logged/log" "HOTSV_TEST_SVC=logged-log; export HOTSV_TEST_SVC
exec cat >/dev/null"
tagged_service "$SCANDIR/notified" notified
echo 5 >"$SCANDIR/notified/notification-fd"
tagged_service "$SCANDIR/socket" socket
: >"$SCANDIR/socket/notify-socket"
make_hook "$SCANDIR" .hotsv SIGUSR2 "HOTSV_TEST_SVC=hook; export HOTSV_TEST_SVC
exec sleep 100000"

# fds_are TAG FDS: the process tagged TAG (which has exec'd: the tag is
# in the environment it was given) holds FDS.
fds_are() {
	_pid=$(pid_of_tag "$1")
	[ -n "$_pid" ] || fail "no process tagged $1"
	[ "$(proc_fds "$_pid")" = "$2" ] ||
		fail "$1 (pid $_pid) holds $(proc_fds "$_pid"), expected $2: $(ls -l "/proc/$_pid/fd" | sed 1d)"
}

# tag_up TAG: a process tagged TAG runs.
tag_up() {
	[ -n "$(pid_of_tag "$1")" ]
}

# new_tag TAG OLD: a process tagged TAG runs, and is not OLD.
new_tag() {
	_pid=$(pid_of_tag "$1")
	[ -n "$_pid" ] && [ "$_pid" != "$2" ]
}

exec 7>"$WORK/fd7" 9<"$WORK/fd7"
start_scanner -p "$SCANDIR" -- env HOTSV_TEST_SVC=main sleep 100000
exec 7>&- 9<&-
[ -e "/proc/$SCAN/fd/7" ] && [ -e "/proc/$SCAN/fd/9" ] ||
	fail "hotsv-scan did not inherit descriptors 7 and 9"
wait_for 10 "hotsv-scan ready" scanner_ready "$SCAN"
for tag in plain logged logged-log notified socket main; do
	wait_for 10 "$tag" tag_up "$tag"
done
say "run, a logger's run, the main command"
fds_are plain "0 1 2"
fds_are logged "0 1 2"
fds_are logged-log "0 1 2"
fds_are notified "0 1 2 5"
fds_are socket "0 1 2"
fds_are main "0 1 2"

say "the implicit --prefix loggers"
n=0
# Beyond 0 1 2 and its turn lock (3), what hotsv-log opened itself: not
# one of hotsv-scan's open pipes, sockets or files (anonymous inodes, a
# signalfd for instance, all look alike and are left out).
ls -l "/proc/$SCAN/fd" | sed -n 's/.* -> //p' | grep -v '^anon_inode:' |
	sort -u >"$WORK/scan.fds"
for pid in $(grep -l '^hotsv-log' /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
	case $(proc_fds "$pid") in
	"0 1 2 3" | "0 1 2 3 "*) ;;
	*) fail "hotsv-log (pid $pid) holds $(proc_fds "$pid")" ;;
	esac
	for fd in $(proc_fds "$pid" | cut -d' ' -f5-); do
		target=$(readlink "/proc/$pid/fd/$fd")
		! grep -qxF "$target" "$WORK/scan.fds" ||
			fail "hotsv-log $(tr '\0' ' ' <"/proc/$pid/cmdline") holds hotsv-scan's $target as $fd"
	done
	n=$((n + 1))
done
# plain, notified and socket have no log/.
[ "$n" = 3 ] || fail "$n implicit loggers, expected 3"

say "a signal hook"
kill -USR2 "$SCAN"
wait_for 10 "the SIGUSR2 hook" tag_up hook
fds_are hook "0 1 2"

say "finish"
expect_exit 0 "hotsv down plain" hv down plain
wait_for 10 "plain's finish" tag_up plain-finish
fds_are plain-finish "0 1 2"
kill "$(pid_of_tag plain-finish)"
wait_field plain state down

say "a run started by a supervisor that adopted one"
expect_exit 0 "hotsv up plain" hv up plain
wait_field plain state up
old=$(supervisor_of plain)
run=$(pid_of_tag plain)
kill -KILL "$old"
wait_lines "$WORK/scan.err" "plain: run (pid $run) outlived its supervisor: adopted" 1
expect_exit 0 "hotsv restart plain" hv restart plain
wait_for 10 "plain's finish" tag_up plain-finish
kill "$(pid_of_tag plain-finish)"
wait_for 10 "plain's new run" new_tag plain "$run"
fds_are plain "0 1 2"
rm "$SCANDIR/plain/finish"
kill -TERM "$SCAN"
# The main command's code: SIGTERM.
scanner_exits 143
exit 0
