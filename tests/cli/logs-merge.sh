#!/bin/sh
# hotsv logs -f over several services: their lines merged in the order
# they arrive, each behind "NAME: "; a service without log/ gets its one
# line and the others are followed; SIGTERM ends it (exit 1 here, as one
# service had no log; 0 when all had).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

logged_scandir web db
make_service "$SCANDIR/bare"
printf 'old\n' | hotsv-log "$SCANDIR/db/log/main" || fail "db log $?"
# The web logger reads the FIFO on fd 3, db's another on fd 4.
start_logger -s 200 "$SCANDIR/web/log/main"
WEBLOG=$LOGGER
send_line "$SCANDIR/web/log/main" "web-0"
mkfifo "$WORK/db.in"
hotsv-log -s 200 "$SCANDIR/db/log/main" <"$WORK/db.in" 2>>"$WORK/logger.err" &
DBLOG=$!
exec 4>"$WORK/db.in"

hotsv logs -f -n 1 bare web db >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOWER=$!
{
	echo "bare: no log/: its output goes to hotsv-scan's console"
	echo "web: web-0"
	echo "db: old"
} >"$WORK/want"

follower_shows "$WORK/follow.out" "$WORK/want"

# Alternate, one line at a time, each shown before the next is written.
for i in 1 2 3 4 5 6; do
	if [ $((i % 2)) = 0 ]; then
		printf 'db-%s\n' "$i" >&4
		echo "db: db-$i" >>"$WORK/want"
	else
		printf 'web-%s\n' "$i" >&3
		echo "web: web-$i" >>"$WORK/want"
	fi
	follower_shows "$WORK/follow.out" "$WORK/want"
done

kill -TERM "$FOLLOWER"
wait "$FOLLOWER"
rc=$?
[ "$rc" = 1 ] || fail "hotsv logs -f exited $rc on SIGTERM, not 1: $(cat "$WORK/follow.err")"

# All with logs: SIGTERM gives 0.
hotsv logs -f -n 0 web db >"$WORK/quiet.out" 2>"$WORK/quiet.err" &
QUIET=$!
# It reads SIGTERM from its signalfd once it follows.
wait_for 10 "hotsv logs -f catching SIGTERM" catches "$QUIET" 15
kill -TERM "$QUIET"
wait "$QUIET"
rc=$?
[ "$rc" = 0 ] || fail "hotsv logs -f web db exited $rc on SIGTERM: $(cat "$WORK/quiet.err")"
[ ! -s "$WORK/quiet.out" ] || fail "-n 0 showed lines: $(cat "$WORK/quiet.out")"
exec 4>&-
wait "$DBLOG" || fail "db's hotsv-log exited $?"
stop_logger
exit 0
