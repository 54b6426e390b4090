#!/bin/sh
# A second hotsv-log on a directory in use exits 100 with a clear
# message, as do usage errors and a directory given twice; --help and
# --version exit 0.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

D=$WORK/log
start_logger "$D"
send_line "$D" first

expect_exit 100 "second logger" hotsv-log "$D"
output_has "$D is in use by another logger ($D/lock is held)" "second logger"
# Also when it is not the first directory.
expect_exit 100 "second logger after another" hotsv-log "$WORK/other" "$D"

# The first logger goes on, and its directory holds only its lines.
send_line "$D" second
stop_logger
printf 'first\nsecond\n' | cmp -s - "$D/current" || fail "current changed"

# Once it is gone the directory can be taken again.
echo third | hotsv-log "$D" || fail "retaking a free directory: exit $?"

expect_exit 100 "same directory twice" hotsv-log "$WORK/2" "$WORK/2/."
output_has "are the same directory" "same directory twice"
expect_exit 100 "no directory" hotsv-log
output_has '^usage: hotsv-log' "no directory"
expect_exit 100 "-s 0" hotsv-log -s 0 "$WORK/x"
output_has '-s wants a number from 1' "-s 0"
expect_exit 100 "-s word" hotsv-log -s big "$WORK/x"
expect_exit 100 "-l -1" hotsv-log -l -1 "$WORK/x"
expect_exit 100 "-n 1x" hotsv-log -n 1x "$WORK/x"
expect_exit 100 "unknown option" hotsv-log -Z "$WORK/x"

expect_exit 0 "--help" hotsv-log --help
output_has '^usage: hotsv-log' "--help"
expect_exit 0 "-V" hotsv-log -V
output_has '^hotsv [0-9]' "-V"
exit 0
