#!/bin/sh
# When current, or its whole directory, is removed under it, hotsv-log
# notices before its next write and creates them again instead of
# writing into a file nobody can read.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

D=$WORK/log
start_logger "$D"
send_line "$D" one

rm "$D/current"
send_line "$D" two

rm -rf "$D"
send_line "$D" three
[ -e "$D/lock" ] || fail "the new directory is not locked"
echo four | hotsv-log "$D" 2>/dev/null
rc=$?
[ "$rc" = 100 ] || fail "a second logger got the new directory: exit $rc"
stop_logger
printf 'three\n' | cmp -s - "$D/current" || fail "current: $(cat "$D/current")"
exit 0
