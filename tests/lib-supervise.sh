# tests/lib.sh's helpers for hotsv-supervise, its control FIFO, its
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

# start_supervisor LOG [OPTION...] DIR: start hotsv-supervise in the
# background, stdout and stderr in $WORK/LOG.out and $WORK/LOG.err; set
# SUP to its pid and return once it listens.
start_supervisor() {
	_log=$1
	shift
	hotsv-supervise "$@" >"$WORK/$_log.out" 2>"$WORK/$_log.err" &
	SUP=$!
	await_supervisor "$SUP"
}

# start_supervisors NAME...: start_supervisor NAME $WORK/NAME for each,
# adding their pids to SUPS.
start_supervisors() {
	for _name; do
		start_supervisor "$_name" "$WORK/$_name"
		SUPS="${SUPS:-} $SUP"
	done
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
