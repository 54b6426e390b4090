#!/bin/sh
# A service removed from SCANDIR is stopped for good: once its supervisor
# has brought run down, what run left behind in its process group (a
# background job, which would hold a log pipe open) is sent SIGTERM too,
# while the run of a service left in place goes on.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
for name in gone kept; do
	make_service "$SCANDIR/$name" "HOTSV_TEST_SVC=$name-job sleep 100000 &
echo \"start $name \$\$\" >>'$WORK/events'
HOTSV_TEST_SVC=$name exec sleep 100000"
done

start_scanner "$SCANDIR"
wait_events "start gone " 1
wait_events "start kept " 1
# both_running: each service's run and background job are alive.
both_running() {
	[ "$(running_services | tr '\n' ' ')" = "gone gone-job kept kept-job " ]
}
wait_for 30 "the runs and their background jobs" both_running

say "the removed service's run and its background job both end"
supervisor=$(supervisor_of gone)
[ -n "$supervisor" ] || fail "no supervisor for gone"
rm -r "$SCANDIR/gone"
wait_for 30 "the supervisor of gone (pid $supervisor) to exit" \
	pid_gone "$supervisor"
# only_kept: nothing of gone runs any more.
only_kept() {
	[ "$(running_services | tr '\n' ' ')" = "kept kept-job " ]
}
wait_for 30 "gone's background job to end" only_kept
stop_scanner
