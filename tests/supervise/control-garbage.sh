#!/bin/sh
# Control FIFOs fed random bytes at speed.  1 MiB of random bytes without
# any letter hotsv-supervise knows, written to a's supervise/control as
# fast as it reads: the supervisor and the run are the same processes
# after, the service is up, not paused, the bytes were logged as ignored
# (a line per batch, never per byte), and "hotsv restart" is obeyed.
# 256 KiB of random bytes but "x" to b's (real letters among them, some
# 20,000: it may be killed, paused, brought down): once it has read them
# all, the supervisor obeys "cont", "up" and "restart".  ("x" is left
# out: each one ends the supervisor once b is down, and the thousands
# would test hotsv-scan's restart back-off, not the FIFO.)  1 MiB without
# any letter hotsv-scan knows to .hotsv/control: hotsv-scan survives,
# its supervisors and services are the same, and it obeys "hotsv
# shutdown -c 3" (exits 3).  The bytes come from a seed (HOTSV_TEST_SEED
# replays them).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
need_python
use_seed
FEEDS=0

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/a"
make_marked_service "$SCANDIR/b"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"

# feed FIFO LETTERS [KIB]: write KIB (default 1024) KiB of random bytes
# without LETTERS to FIFO (giving up after 120 s if nobody reads).
feed() {
	FEEDS=$((FEEDS + 1))
	seeded_bytes "$FEEDS" $((${3:-1024} * 1024)) | tr -d "$2" >"$WORK/random"
	timeout 120 sh -c 'cat "$1" >"$2"' sh "$WORK/random" "$1" ||
		fail "could not write $(wc -c <"$WORK/random") bytes to $1"
}

# supervisor_listening NAME: NAME has a supervisor, listening.
supervisor_listening() {
	_sup=$(supervisor_of "$1")
	[ -n "$_sup" ] && listening "$_sup"
}

# fifo_empty FIFO: nothing waits to be read in FIFO (FIONREAD on a write
# end of our own, which takes nothing away from the reader).
fifo_empty() {
	[ "$("$PYTHON" -c 'import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
print(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])' "$1")" = 0 ]
}

# new_run NAME OLD: NAME's status shows a live run other than OLD.
new_run() {
	_pid=$(status_field "$1" pid)
	[ -n "$_pid" ] && [ "$_pid" != null ] && [ "$_pid" != "$2" ] &&
		pid_alive "$_pid"
}

say "1 MiB of unknown bytes to a's supervise/control"
sup=$(supervisor_of a)
run=$(status_field a pid)
lines=$(wc -l <"$WORK/scan.err")
feed "$SCANDIR/a/supervise/control" 'abqhkti12ypcrduDUoOQx'
# A letter after the bytes: once it is obeyed, all were read.
expect_exit 0 "hotsv restart a" hv restart a
wait_for 60 "a to restart after the bytes" new_run a "$run"
[ "$(supervisor_of a)" = "$sup" ] || fail "a's supervisor changed"
expect_events "start a " 2
wait_field a state up
expect_field a paused false
ignored=$(sed -n "$((lines + 1)),\$p" "$WORK/scan.err" |
	sed -n 's/^hotsv-supervise: a: warning: control: ignored \([0-9]*\) unknown bytes.*/\1/p' |
	awk '{ n += $1; l++ } END { print n + 0, l + 0 }')
say "ignored bytes and lines: $ignored"
[ "${ignored% *}" = "$(wc -c <"$WORK/random")" ] ||
	fail "$(wc -c <"$WORK/random") bytes sent, ${ignored% *} said ignored"
[ "${ignored#* }" -le $((${ignored% *} / 200)) ] ||
	fail "${ignored#* } lines for ${ignored% *} bytes"

say "256 KiB of random bytes but x to b's supervise/control"
sup=$(supervisor_of b)
feed "$SCANDIR/b/supervise/control" 'x' 256
fed=$(date +%s)
wait_for 30 "a supervisor for b listening" supervisor_listening b
# The FIFO still holds up to 64 KiB: let the supervisor read them all,
# so that no random letter comes after ours (a "D" would bring back the
# down file).
wait_for 120 "b's control FIFO to be read" fifo_empty "$SCANDIR/b/supervise/control"
say "b's supervisor read it all $(($(date +%s) - fed)) s after the last byte was written"
rm -f "$SCANDIR/b/down"
wait_for 30 "a supervisor for b listening" supervisor_listening b
expect_exit 0 "hotsv cont b" hv cont b
expect_exit 0 "hotsv up b" hv up b
wait_field b state up
run=$(status_field b pid)
expect_exit 0 "hotsv restart b" hv restart b
wait_for 30 "b to restart (from $run): $(hv status --json b)" new_run b "$run"
wait_field b state up
expect_field b paused false
[ "$(supervisor_of b)" = "$sup" ] || fail "b's supervisor changed"
wait_supervision "$SCANDIR"

say "1 MiB of unknown bytes to .hotsv/control"
sups=$(supervisor_list | sort)
runs=$(running_services)
feed "$SCANDIR/.hotsv/control" 'ahnNtiqbze'
wait_scan_settled
pid_alive "$SCAN" || fail "hotsv-scan died"
[ "$(supervisor_list | sort)" = "$sups" ] || fail "supervisors changed"
[ "$(running_services)" = "$runs" ] || fail "runs changed"
grep -q "^hotsv-scan: warning: control: ignored [0-9]* unknown bytes" \
	"$WORK/scan.err" || fail "hotsv-scan logged no ignored bytes"
expect_exit 0 "hotsv shutdown -c 3" hv shutdown -c 3
scanner_exits 3
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
exit 0
