# test.sh's helpers for readiness, dependencies, hotsv wait and
# check (tests/scan/deps-*.sh and wait-ready.sh, tests/supervise/notif*.sh,
# tests/cli/).

# make_ready_service DIR TAG [DELAY]: a service with notification-fd 3
# whose run appends "start TAG NS" to $WORK/events (NS: nanoseconds since
# the epoch), takes DELAY seconds (default 0.3), appends "ready TAG NS"
# and writes its readiness line, then idles as a sleep whose environment
# holds HOTSV_TEST_SVC=TAG.  SIGTERM makes it append "stop TAG NS", take
# 0.3 s, append "exit TAG NS" and exit 0: a service stopped only after
# TAG exited has a "stop" stamp after TAG's "exit" stamp.
make_ready_service() {
	make_service "$1" "trap 'echo \"stop $2 \$(date +%s%N)\" >>\"$WORK/events\"
sleep 0.3
echo \"exit $2 \$(date +%s%N)\" >>\"$WORK/events\"
[ -z \"\$!\" ] || kill \$! 2>/dev/null
exit 0' TERM
echo \"start $2 \$(date +%s%N)\" >>'$WORK/events'
sleep ${3:-0.3}
echo \"ready $2 \$(date +%s%N)\" >>'$WORK/events'
echo >&3
HOTSV_TEST_SVC=$2 sleep 100000 &
wait"
	echo 3 >"$1/notification-fd"
}

# make_gated_service DIR TAG: a service with notification-fd 3 whose run
# appends "start TAG PID" to $WORK/events and is ready once
# $WORK/TAG.go exists; its finish appends "finish TAG EXIT" and returns
# once $WORK/TAG.fin exists (timeout-finish 0: no limit).
make_gated_service() {
	make_service "$1" "echo \"start $2 \$\$\" >>'$WORK/events'
while [ ! -e '$WORK/$2.go' ]; do sleep 0.05; done
echo >&3
exec sleep 100000"
	echo 3 >"$1/notification-fd"
	make_finish "$1" "echo \"finish $2 \$1\" >>'$WORK/events'
while [ ! -e '$WORK/$2.fin' ]; do sleep 0.05; done"
	echo 0 >"$1/timeout-finish"
}

# stamp_of LINE: set STAMP to the last field (a time stamp) of the first
# line of $WORK/events that starts with "LINE " (fails if there is none).
stamp_of() {
	STAMP=$(sed -n "s/^$1 .* \\([0-9]*\\)\$/\\1/p; s/^$1 \\([0-9]*\\)\$/\\1/p" \
		"$WORK/events" | head -n 1)
	[ -n "$STAMP" ] || fail "no line '$1' in $WORK/events: $(cat "$WORK/events")"
}

# expect_stamps_ordered FIRST SECOND: the stamp of line FIRST is not
# later than that of line SECOND (see stamp_of).
expect_stamps_ordered() {
	stamp_of "$1"
	_first=$STAMP
	stamp_of "$2"
	[ "$_first" -le "$STAMP" ] ||
		fail "'$2' ($STAMP) came before '$1' ($_first): $(cat "$WORK/events")"
}

# start_waiter NAME COMMAND...: run COMMAND in the background, output in
# $WORK/NAME.out, exit code (once it ends) in $WORK/NAME.rc; the pid of
# the shell that runs it in $WORK/NAME.pid.
start_waiter() {
	_name=$1
	shift
	rm -f "$WORK/$_name.rc"
	{
		"$@" >"$WORK/$_name.out" 2>&1
		echo $? >"$WORK/$_name.rc.new"
		mv "$WORK/$_name.rc.new" "$WORK/$_name.rc"
	} &
	echo $! >"$WORK/$_name.pid"
}

# waiter_ended NAME: the waiter NAME has ended.
waiter_ended() {
	[ -f "$WORK/$1.rc" ]
}

# waiter_blocked NAME PID...: the waiter NAME has ended, or its command
# sleeps (state S: it has taken in all that was written to it) while the
# hotsv programs PID... have nothing due (see no_deadline): whatever they
# had to say has been said, and the waiter has heard it.
waiter_blocked() {
	waiter_ended "$1" && return 0
	_shell=$(cat "$WORK/$1.pid")
	_cmds=$(cat "/proc/$_shell/task/$_shell/children" 2>/dev/null)
	[ -n "$_cmds" ] || return 1
	for _cmd in $_cmds; do
		proc_state_is "$_cmd" S || return 1
	done
	shift
	all_settled "$@"
}

# expect_waiting NAME WHAT PID...: the waiter NAME, once blocked (see
# waiter_blocked), is still waiting.
expect_waiting() {
	_name=$1
	_what=$2
	shift 2
	wait_for 10 "$_what: the waiter to block" waiter_blocked "$_name" "$@"
	! waiter_ended "$_name" ||
		fail "$_what: ended early, exit $(cat "$WORK/$_name.rc"): $(cat "$WORK/$_name.out")"
}

# waiter_exits NAME CODE WHAT [PATTERN]: wait (10 s) for the waiter NAME
# to end, and fail unless it exits CODE (and its output matches PATTERN).
waiter_exits() {
	wait_for 10 "$3 to end" waiter_ended "$1"
	[ "$(cat "$WORK/$1.rc")" = "$2" ] ||
		fail "$3: exited $(cat "$WORK/$1.rc"), expected $2: $(cat "$WORK/$1.out")"
	[ -z "${4:-}" ] || grep -q -- "$4" "$WORK/$1.out" ||
		fail "$3: output '$(cat "$WORK/$1.out")' lacks '$4'"
}

# listeners DIR: how many FIFOs listen in DIR/event (s6-svwait's and
# hotsv wait's subscriptions).
listeners() {
	find "$1/event" -maxdepth 1 -name 'ftrig1:@*' 2>/dev/null | wc -l
}

# wait_listeners DIR N: wait (10 s) until N FIFOs listen in DIR/event.
wait_listeners() {
	wait_for 10 "$2 listeners in $1/event" \
		sh -c '[ "$(find "$1/event" -maxdepth 1 -name "ftrig1:@*" | wc -l)" -ge "$2" ]' \
		sh "$1" "$2"
}

# need_python: set PYTHON to python3's own executable (not a wrapper
# script, so that the sender's pid is the one that execs), or skip.  A
# system one first: asked through a version manager's shim, python3
# takes ten times as long to start.
need_python() {
	_py=$(system_python) || _py=python3
	PYTHON=$("$_py" -c 'import sys; print(sys.executable)' 2>/dev/null)
	[ -n "$PYTHON" ] && [ -x "$PYTHON" ] || skip "needs python3"
}

# write_notifyd: $WORK/notifyd TAG, a run (python3; call need_python
# first) for a service with notify-socket.  It appends "start TAG PID" to
# $WORK/events; sends each message the test gives it (see run_says) to
# $NOTIFY_SOCKET itself, or, for a message starting with "child:", from
# a child in its process group that lives until run ends; RELOADING=1 on
# SIGHUP; STOPPING=1 on SIGTERM, then exits once $WORK/TAG.letgo exists.
write_notifyd() {
	[ -x "$WORK/notifyd" ] && return
	cat >"$WORK/notifyd" <<NOTIFYD
#!$PYTHON
import os, signal, socket, sys, time

work, tag = "$WORK", sys.argv[1]
addr = os.environ["NOTIFY_SOCKET"]
if addr.startswith("@"):
    addr = "\\0" + addr[1:]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
flags = set()

def note(line):
    with open(work + "/events", "a") as f:
        f.write(line + "\\n")

def child_send(data):
    if os.fork() == 0:
        sock.sendto(data, addr)
        while os.getppid() != 1 and not os.path.exists(work + "/" + tag + ".letgo"):
            time.sleep(0.05)
        os._exit(0)

signal.signal(signal.SIGTERM, lambda s, f: flags.add("term"))
signal.signal(signal.SIGHUP, lambda s, f: flags.add("hup"))
note("start %s %d" % (tag, os.getpid()))
while True:
    try:
        with open(work + "/say." + tag, "rb") as f:
            data = f.read()
        os.unlink(work + "/say." + tag)
        if data.startswith(b"child:"):
            child_send(data[6:])
        else:
            sock.sendto(data, addr)
        note("sent " + tag)
    except FileNotFoundError:
        pass
    if "hup" in flags:
        flags.discard("hup")
        sock.sendto(b"RELOADING=1", addr)
        note("reloading " + tag)
    if "term" in flags:
        sock.sendto(b"STOPPING=1", addr)
        note("stopping " + tag)
        while not os.path.exists(work + "/" + tag + ".letgo"):
            time.sleep(0.05)
        sys.exit(0)
    time.sleep(0.05)
NOTIFYD
	chmod +x "$WORK/notifyd"
}

# make_notify_service DIR TAG: a service with notify-socket whose run is
# $WORK/notifyd TAG (see write_notifyd).
make_notify_service() {
	write_notifyd
	make_service "$1" "exec '$WORK/notifyd' '$2'"
	: >"$1/notify-socket"
}

# run_says TAG MESSAGE: the run of notify service TAG sends MESSAGE (a
# printf format, as 'READY=1\nSTATUS=up') as one datagram; returns once
# it has been sent.
run_says() {
	_sent=$(event_count "sent $1\$")
	printf "$2" >"$WORK/say.$1.new" && mv "$WORK/say.$1.new" "$WORK/say.$1"
	wait_events "sent $1\$" $((_sent + 1)) 10
}

# outsider_says SOCKET MESSAGE: a process outside any service sends
# MESSAGE (a printf format) to the datagram socket SOCKET.
outsider_says() {
	printf "$2" >"$WORK/outsider.msg"
	"$PYTHON" -c 'import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(
    sys.stdin.buffer.read(), sys.argv[1])' "$1" <"$WORK/outsider.msg" ||
		fail "cannot send to $1"
}

# padded_message SIZE TEXT: TEXT, a newline and "X=aaa..." up to SIZE
# bytes in all (a variable sd_notify ignores).
padded_message() {
	printf '%s\nX=' "$2"
	head -c $(($1 - ${#2} - 3)) /dev/zero | tr '\0' a
}

# status_note DIR: the NOTE column of DIR's row in "hotsv status".
status_note() {
	hv status "$1" 2>/dev/null | sed -n '2s/^.* [0-9][0-9]*  //p'
}

# note_is DIR TEXT: the NOTE column of DIR is TEXT.
note_is() {
	[ "$(status_note "$1")" = "$2" ]
}

# wait_note DIR TEXT: wait (10 s) until DIR's NOTE column is TEXT.
wait_note() {
	wait_for 10 "$1: status note '$2'" note_is "$1" "$2"
}

# status_flags DIR: the flags byte of DIR/supervise/status, in decimal.
status_flags() {
	od -An -tu1 -j34 -N1 "$1/supervise/status" | tr -d ' '
}

# status_stamp_ns DIR OFFSET: set STAMP_NS to the TAI64N stamp at OFFSET
# (0: up/down, 12: readiness) of DIR/supervise/status, as Unix
# nanoseconds (TAI64 label 2^62 + 37 + Unix seconds, as s6 writes it).
status_stamp_ns() {
	_hex=$(od -An -tx1 -j"$2" -N12 "$1/supervise/status" | tr -d ' \n')
	[ ${#_hex} = 24 ] || fail "cannot read the stamp at $2 in $1/supervise/status"
	_secs=$((0x${_hex%????????} - 4611686018427387904 - 37))
	STAMP_NS=$((_secs * 1000000000 + 0x${_hex#????????????????}))
}

# expect_status_before DIR1 OFFSET1 DIR2 OFFSET2: the stamp at OFFSET1 of
# DIR1/supervise/status is not later than the one at OFFSET2 of DIR2's
# (see status_stamp_ns): DIR1 was up (0) or ready (12) before DIR2 was.
expect_status_before() {
	status_stamp_ns "$1" "$2"
	_first=$STAMP_NS
	status_stamp_ns "$3" "$4"
	[ "$_first" -le "$STAMP_NS" ] ||
		fail "$3 (stamp at $4: $STAMP_NS) came before $1 (stamp at $2: $_first)"
}
