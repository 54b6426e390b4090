# test.sh's helpers for hotsv-supervise, its control FIFO, its
# status as hotsv reads it, and its event/ fifodir.

# status_field DIR FIELD: one field of "hotsv status --json" for DIR.
status_field() {
	hv status --json "$1" 2>/dev/null |
		sed -n "s/.*\"$2\":\\(\"[^\"]*\"\\|[^,}]*\\).*/\\1/p" | tr -d '"'
}

# hv ARG...: hotsv, with -s "$STATEDIR" when the test set STATEDIR.
hv() {
	hotsv ${STATEDIR:+-s "$STATEDIR"} "$@"
}

# field_is DIR FIELD VALUE: "hotsv status --json" shows FIELD = VALUE.
field_is() {
	[ "$(status_field "$1" "$2")" = "$3" ]
}

# wait_field DIR FIELD VALUE: wait (10 s) until FIELD of DIR is VALUE.
wait_field() {
	wait_for 10 "$1: $2 = $3" field_is "$1" "$2" "$3"
}

# expect_field DIR FIELD VALUE: FIELD of DIR is VALUE now.
expect_field() {
	_got=$(status_field "$1" "$2")
	[ "$_got" = "$3" ] || fail "$1: $2 is '$_got', expected '$3'"
}

# listening PID: PID holds a supervise/control FIFO open.
listening() {
	for _fd in /proc/"$1"/fd/*; do
		case $(readlink "$_fd" 2>/dev/null) in
		*/supervise/control) return 0 ;;
		esac
	done
	return 1
}

# await_supervisor PID: wait until hotsv-supervise PID is listening (its
# signals are blocked by then, so a signal sent to it is not lost).
await_supervisor() {
	wait_for 10 "hotsv-supervise (pid $1) listening" listening "$1"
}

# launch_supervisor LOG [OPTION...] DIR: start hotsv-supervise in the
# background, stdout and stderr in $WORK/LOG.out and $WORK/LOG.err; set
# SUP to its pid (it may not listen yet: see await_supervisor).
launch_supervisor() {
	_log=$1
	shift
	hotsv-supervise "$@" >"$WORK/$_log.out" 2>"$WORK/$_log.err" &
	SUP=$!
}

# start_supervisor LOG [OPTION...] DIR: launch_supervisor, and return
# once it listens.
start_supervisor() {
	launch_supervisor "$@"
	await_supervisor "$SUP"
}

# start_supervisors NAME...: start_supervisor NAME $WORK/NAME for each,
# adding their pids to SUPS (SUP is the last): all are launched, then
# awaited, so that they start side by side.
start_supervisors() {
	_launched=
	for _name; do
		launch_supervisor "$_name" "$WORK/$_name"
		_launched="$_launched $SUP"
	done
	for _sup in $_launched; do
		await_supervisor "$_sup"
	done
	SUPS="${SUPS:-}$_launched"
}

# stop_supervisors: stop_supervisor each of $SUPS.
stop_supervisors() {
	for _sup in ${SUPS:-}; do
		stop_supervisor "$_sup"
	done
	SUPS=
}

# stop_supervisor [PID]: SIGTERM hotsv-supervise (default $SUP), wait
# (20 s) for it and fail unless it exits 0.
stop_supervisor() {
	_pid=${1:-$SUP}
	kill -TERM "$_pid"
	wait_for 20 "hotsv-supervise (pid $_pid) to exit on SIGTERM" \
		pid_gone "$_pid"
	wait "$_pid"
	_rc=$?
	[ "$_rc" = 0 ] || fail "hotsv-supervise (pid $_pid) exited $_rc on SIGTERM"
}

# control DIR LETTERS: write LETTERS to DIR/supervise/control as s6-svc
# does (no hotsv), giving up after 5 s if nobody reads.
control() {
	timeout 5 sh -c 'printf %s "$2" >"$1"' sh "$1/supervise/control" "$2" ||
		fail "cannot write '$2' to $1's control FIFO"
}

# listen_events EVENTDIR OUT: listen on a fifodir as s6-svwait does,
# appending every event letter to OUT; the FIFO is held open read+write so
# that it always has a reader.  Sets LISTENER to the reader's pid.
listen_events() {
	_fifo="$1/ftrig1:@hotsvtest0000000000000000000000"
	mkfifo -m 0600 "$_fifo" || fail "mkfifo $_fifo"
	sh -c 'exec 3<>"$1"; exec cat <&3 >>"$2"' sh "$_fifo" "$2" &
	LISTENER=$!
	wait_for 10 "event listener opening $_fifo" sh -c \
		'ls -l /proc/$1/fd 2>/dev/null | grep -q ftrig1' sh "$LISTENER"
}

# has_event OUT LETTER: the listener's output holds LETTER.
has_event() {
	grep -q "$2" "$1" 2>/dev/null
}

# sig_mask_zero PID: SigBlk and SigIgn of PID are all zero.
sig_mask_zero() {
	_blk=$(proc_status "$1" SigBlk)
	_ign=$(proc_status "$1" SigIgn)
	[ -n "$_blk" ] && [ "$(echo "$_blk$_ign" | tr -d 0)" = "" ] ||
		fail "pid $1 ($(cat /proc/"$1"/comm)): SigBlk $_blk SigIgn $_ign"
}

# ---- the supervisor's directory ----

# notify_ready_command [python]: a shell command that sends READY=1 to
# $NOTIFY_SOCKET from a process of its own and exits: systemd-notify if
# installed (run as root, it sends with its parent's pid), else, or if
# asked, python3 (a system one: a run of another user must be able to
# execute it), which sends with its own pid.
notify_ready_command() {
	if [ "${1:-}" != python ] && command -v systemd-notify >/dev/null 2>&1; then
		echo "systemd-notify --no-block --ready"
		return
	fi
	_py=$(system_python) || skip "needs systemd-notify or python3"
	echo "$_py -c 'import os, socket
a = os.environ[\"NOTIFY_SOCKET\"]
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b\"READY=1\", a)'"
}

# system_python: the path of a python3 every user can execute (not one
# under root's home), if there is one.
system_python() {
	PATH=/usr/local/bin:/usr/bin:/bin command -v python3
}

# send_as UID SOCKET TEXT: a process of UID (and GID UID) sends TEXT to
# the datagram socket SOCKET; returns its exit status.
send_as() {
	_py=$(system_python) || skip "needs python3"
	setpriv --reuid="$1" --regid="$1" --clear-groups "$_py" -c '
import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(
    sys.argv[2].encode(), sys.argv[1])' "$2" "$3" 2>/dev/null
}

# outsider_holds SOCKET TEXT: a process outside any service sends TEXT
# to the datagram socket SOCKET and stays alive until
# $WORK/outsider.letgo exists (a message from a live process outside the
# service must be ignored, whoever it is); returns once it has sent,
# with OUTSIDER set to its pid.  Not in a pipeline: it sets OUTSIDER.
outsider_holds() {
	_sent=$(event_count "outsider sent")
	"$PYTHON" -c 'import os, socket, sys, time
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(
    sys.argv[2].encode(), sys.argv[1])
with open(sys.argv[3] + "/events", "a") as f:
    f.write("outsider sent\n")
while not os.path.exists(sys.argv[3] + "/outsider.letgo"):
    time.sleep(0.05)' "$1" "$2" "$WORK" &
	OUTSIDER=$!
	wait_events "outsider sent" $((_sent + 1)) 10
}

# make_held_service DIR TAG UID: a service that shows whose files its
# supervisor reads.  Its down-signal is SIGHUP and its user UID:UID; run
# appends "start TAG PID UID" to $WORK/events, then "hup TAG PID" or
# "term TAG PID" for the signal that stops it; finish appends "finish
# TAG UID".  $WORK and $WORK/events are opened to UID (call
# open_events first).
make_held_service() {
	make_service "$1" "trap 'echo \"hup $2 \$\$\" >>\"$WORK/events\"; kill \$! 2>/dev/null; exit 0' HUP
trap 'echo \"term $2 \$\$\" >>\"$WORK/events\"; kill \$! 2>/dev/null; exit 0' TERM
echo \"start $2 \$\$ \$(id -u)\" >>'$WORK/events'
sleep 100000 &
wait"
	make_finish "$1" "echo \"finish $2 \$(id -u)\" >>'$WORK/events'"
	echo SIGHUP >"$1/down-signal"
	echo "$3:$3" >"$1/user"
}

# open_events: let services of any uid reach $WORK and append to
# $WORK/events.
open_events() {
	chmod 755 "$WORK"
	: >>"$WORK/events"
	chmod 666 "$WORK/events"
}

# start_uid TAG: the uid of TAG's newest run (from its start line).
start_uid() {
	sed -n "s/^start $1 [0-9]* \\([0-9]*\\)\$/\\1/p" "$WORK/events" |
		tail -n 1
}
