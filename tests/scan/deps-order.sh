#!/bin/sh
# Start-up and shut-down order through "dependencies": web depends on
# app, app on db; each takes 0.3 s to be ready (notification-fd).  Added
# at runtime in reverse order (web, then app, then db), each waits,
# "waiting for X" in hotsv status (table and --json), until what it
# depends on is ready: db starts, then app once db is ready, then web
# once app is ready.  On SIGTERM to hotsv-scan, each stops only after its
# dependent has exited: web, then app, then db (stamps written in their
# TERM traps, each taking 0.3 s to exit).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir "$WORK/new"
make_ready_service "$WORK/new/db" db
make_ready_service "$WORK/new/app" app
echo db >"$WORK/new/app/dependencies"
make_ready_service "$WORK/new/web" web
printf '# the application server\napp\n' >"$WORK/new/web/dependencies"
start_scanner "$SCANDIR"

# waiting NAME DEP: NAME is held by the scanner, waiting for DEP.
waiting() {
	wait_field "$1" waiting_for "$2"
	expect_field "$1" state waiting
	expect_field "$1" pid null
	wait_note "$1" "waiting for $2"
}

say "web added first: waits for app"
mv "$WORK/new/web" "$SCANDIR/"
waiting web app
say "app added: waits for db"
mv "$WORK/new/app" "$SCANDIR/"
waiting app db
wait_scan_settled
expect_field web waiting_for app
expect_events "start " 0

say "db added: db, app, web start in that order"
mv "$WORK/new/db" "$SCANDIR/"
wait_events "ready web " 1
expect_stamps_ordered "ready db" "start app"
expect_stamps_ordered "ready app" "start web"
for svc in db app web; do
	wait_field "$svc" state ready
	expect_field "$svc" waiting_for null
	expect_events "start $svc " 1
done

say "SIGTERM to hotsv-scan: web, app, db stop in that order"
stop_scanner
expect_stamps_ordered "exit web" "stop app"
expect_stamps_ordered "exit app" "stop db"
expect_events "exit " 3
exit 0
