#!/bin/sh
# hotsv-log ignores SIGHUP, sleeps without wake-ups while no input comes,
# and on SIGTERM writes what it has read, an unfinished line included
# (with a newline added), and exits 0 without waiting for EOF.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

# has_read PID BYTES: PID has read at least BYTES bytes.
has_read() {
	[ "$(bytes_read "$1")" -ge "$2" ]
}

D=$WORK/log
start_logger -p '> ' "$D"
send_line "$D" first '> first'

kill -HUP "$LOGGER"
send_line "$D" 'after hup' '> after hup'
pid_alive "$LOGGER" || fail "SIGHUP killed hotsv-log"

# Idle: asleep in one ppoll without a timeout, with nothing ready, so
# not a single wake-up until input or a signal comes.
wait_settled "$LOGGER"

# The unfinished line must have been read before SIGTERM is sent.
mark=$(bytes_read "$LOGGER")
printf 'last\npartial' >&3
wait_for 10 "input read" has_read "$LOGGER" $((mark + 12))
kill -TERM "$LOGGER"
wait "$LOGGER"
rc=$?
[ "$rc" = 0 ] || fail "exit $rc on SIGTERM"
printf '> first\n> after hup\n> last\n> partial\n' | cmp -s - "$D/current" ||
	fail "current after SIGTERM: $(cat "$D/current")"
exec 3>&-
exit 0
