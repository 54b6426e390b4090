#!/bin/sh
# The shutdown order does not cost a dependency its stop: app depends on
# db, and app only notes SIGTERM and keeps running; hotsv-scan -g 4000 is
# PID 1 of a namespace.  On SIGTERM app gets its down-signal first; db,
# whose dependent is still up, gets its own once half the grace time is
# over (2 s after the SIGTERM: not before, and before the grace time's
# end, which is the contract) and exits by itself (its finish sees exit
# 0), while app is killed at the end of the grace time (SIGKILL).  One
# line says why db was stopped while app ran.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_ready_service "$SCANDIR/db" db
make_finish "$SCANDIR/db" "echo \"finish db \$1 \$2\" >>'$WORK/events'"
make_service "$SCANDIR/app" "trap 'echo \"app got TERM \$(date +%s%N)\" >>\"$WORK/events\"' TERM
echo \"start app \$\$\" >>'$WORK/events'
while :; do
	sleep 100000 &
	wait \$!
done"
echo db >"$SCANDIR/app/dependencies"
make_finish "$SCANDIR/app" "echo \"finish app \$1 \$2\" >>'$WORK/events'"

start_init -g 4000 "$SCANDIR"
wait_events "ready db " 1
wait_events "start app " 1
signal_scanner TERM
init_exits 0
expect_elapsed 4000 30000 "shutdown with -g 4000"

say "app got TERM first, db half the grace time later, and exited"
expect_events "app got TERM " 1
expect_stamps_ordered "app got TERM" "stop db"
stamp_of "stop db"
db_stamp=$STAMP
db_after=$((db_stamp / 1000000 - START_MS))
say "db got TERM $db_after ms after the SIGTERM"
[ "$db_after" -ge 1990 ] && [ "$db_after" -lt 4000 ] ||
	fail "db got TERM $db_after ms after the SIGTERM, expected 2000 to 4000"
expect_events "exit db " 1
expect_events "finish db 0 0" 1
expect_events "finish app 256 9" 1
[ "$(count_lines "$WORK/scan.err" \
	"^hotsv-scan: db: half the grace time is over: stopping it although app, which depends on it, still runs$")" = 1 ] ||
	fail "no line on db's early stop: $(cat "$WORK/scan.err")"
exit 0
