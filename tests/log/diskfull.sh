#!/bin/sh
# When its directory is full, hotsv-log logs one error, stops reading
# (the lines wait in the pipe), retries, and once space is freed every
# line arrives exactly once and in order.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

D=$WORK/log
mkdir "$D"
mount -t tmpfs -o size=64k tmpfs "$D" || skip "cannot mount a tmpfs"

# current spans two pages: the write that needs the second one is cut
# short in mid-line, and must resume at the exact byte.
start_logger -s 8192 -n 1000 "$D"
send_line "$D" 0
# Take every free block of the tmpfs.
dd if=/dev/zero of="$D/filler" bs=1024 2>/dev/null

# The lines keep coming while the disk is full; all 6000 (28893 bytes)
# fit in the pipe, where they must wait: nothing is read meanwhile.
seq 1 3000 >&3
wait_for 20 "error logged" grep -q 'No space left on device' \
	"$WORK/logger.err"
mark=$(bytes_read "$LOGGER")
seq 3001 6000 >&3
# It retries its writes with back-off: once it has tried again, and is
# asleep with input waiting, it has had every chance to read.
wait_turns 1 "$LOGGER"
wait_for 10 "hotsv-log asleep" proc_state_is "$LOGGER" S
[ "$(bytes_read "$LOGGER")" = "$mark" ] ||
	fail "hotsv-log kept reading while it could not write"
pid_alive "$LOGGER" || fail "hotsv-log died on ENOSPC"

rm "$D/filler"
wait_for 20 "writing again" grep -q 'writing again' "$WORK/logger.err"
send_line "$D" 6001
seq 0 6001 >"$WORK/want"
log_text "$D" | cmp -s - "$WORK/want" || fail "lines lost or duplicated"
[ "$(grep -c 'warning' "$WORK/logger.err")" = 1 ] ||
	fail "expected one warning: $(cat "$WORK/logger.err")"
grep -q "$D: write current (retrying): No space left on device" \
	"$WORK/logger.err" || fail "the warning lacks the path or reason"

stop_logger
# The mount dies with the namespace; unmount so the cleanup can remove D.
umount "$D"
exit 0
