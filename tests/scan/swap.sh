#!/bin/sh
# A ConfigMap-style swap of a logged service for the same content (a new
# timestamped directory, ..data renamed over, the old directory removed)
# keeps the service and its logger running, and hands both supervisors
# the new directories: after the old one is gone, "hotsv restart web"
# and "hotsv restart web/log" start run in the new web/ and web/log/.
# The volume is read-only, as a ConfigMap is (state in STATEDIR).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# write_volume DIR: the service web and its logger in DIR/web, whose
# runs append "start TAG PID CWD" to $WORK/events.
write_volume() {
	make_service "$1/web" "echo \"start web \$\$ \$(pwd -P)\" >>'$WORK/events'
exec sleep 100000"
	make_service "$1/web/log" "echo \"start log \$\$ \$(pwd -P)\" >>'$WORK/events'
exec cat >>'$WORK/logged'"
}

# newest_start TAG: "PID CWD" of TAG's newest run.
newest_start() {
	sed -n "s/^start $1 //p" "$WORK/events" | tail -n 1
}

# restarted TAG OLDPID: TAG's newest run is not OLDPID.
restarted() {
	_new=$(newest_start "$1")
	[ -n "$_new" ] && [ "${_new%% *}" != "$2" ]
}

VOL=$WORK/vol
write_volume "$VOL/..2026_1"
ln -s ..2026_1 "$VOL/..data"
ln -s ..data/web "$VOL/web"
use_scandir "$WORK/scan"
bind_readonly "$SCANDIR" "$VOL"
STATEDIR=$WORK/state
start_scanner -s "$STATEDIR" "$SCANDIR"
wait_events "start web " 1
wait_events "start log " 1
web=$(newest_start web)
log=$(newest_start log)

say "the volume swapped for the same content"
write_volume "$VOL/..2026_2"
ln -s ..2026_2 "$VOL/..data_tmp"
mv -T "$VOL/..data_tmp" "$VOL/..data"
rm -rf "$VOL/..2026_1"
wait_lines "$WORK/scan.err" "web: swapped" 1
wait_lines "$WORK/scan.err" "web/log: swapped" 1
[ "$(newest_start web)" = "$web" ] || fail "web restarted: $(cat "$WORK/events")"
[ "$(newest_start log)" = "$log" ] || fail "its logger restarted"
expect_field web state up
expect_field web/log state up

say "restarts run in the new directories"
hv restart web || fail "hotsv restart web exited $?"
wait_for 10 "a new run of web" restarted web "${web%% *}"
[ "$(newest_start web | cut -d ' ' -f 2)" = "$SCANDIR/..2026_2/web" ] ||
	fail "web restarted in $(newest_start web | cut -d ' ' -f 2-)"
hv restart web/log || fail "hotsv restart web/log exited $?"
wait_for 10 "a new run of web/log" restarted log "${log%% *}"
[ "$(newest_start log | cut -d ' ' -f 2)" = "$SCANDIR/..2026_2/web/log" ] ||
	fail "web/log restarted in $(newest_start log | cut -d ' ' -f 2-)"
stop_scanner
exit 0
