#!/bin/sh
# Read-only service directories (a ":ro" bind mount, a ConfigMap): the
# supervisor keeps its state in STATEDIR/NAME and hotsv finds it there.
# A wholly read-only SCANDIR: the scanner's control directory goes to
# STATEDIR/.hotsv, where hotsv rescan (it starts a service no inotify
# event announced), hotsv shutdown and the lock against a second scanner
# work as usual.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# expect_state_in STATEDIR NAME: NAME's supervise/ is in STATEDIR/NAME,
# with its status, and hotsv status reports the service up.
expect_state_in() {
	[ -p "$1/$2/supervise/control" ] && [ -s "$1/$2/supervise/status" ] ||
		fail "$2: no supervise/ with control and status in $1/$2"
	wait_for 10 "$2 up in hotsv status" field_is "$2" state up
	hotsv -s "$1" -d "$SCANDIR" status --json "$2" >"$WORK/status.json" ||
		fail "hotsv status $2 exited $?"
	grep -q '"state":"up"' "$WORK/status.json" ||
		fail "$2: $(cat "$WORK/status.json")"
}

say "one read-only service directory"
use_scandir "$WORK/scan"
STATEDIR=$WORK/state
make_marked_service "$SCANDIR/ro"
make_marked_service "$SCANDIR/rw"
bind_readonly "$SCANDIR/ro"
touch "$SCANDIR/ro/probe" 2>/dev/null && fail "$SCANDIR/ro is writable"
start_scanner -s "$STATEDIR" "$SCANDIR"
wait_supervision "$SCANDIR"
expect_state_in "$STATEDIR" ro
[ -d "$SCANDIR/rw/supervise" ] || fail "rw: supervise/ not in its directory"
[ -e "$STATEDIR/rw" ] && fail "rw: state in $STATEDIR although writable"
[ -p "$SCANDIR/.hotsv/control" ] || fail "no $SCANDIR/.hotsv/control"
stop_scanner

say "a wholly read-only SCANDIR"
use_scandir "$WORK/scan2"
STATEDIR=$WORK/state2
make_marked_service "$SCANDIR/one"
make_marked_service "$SCANDIR/two"
# Where hide_service mounts a service that only a rescan can see.
mkdir "$SCANDIR/hidden"
bind_readonly "$SCANDIR"
start_scanner -s "$STATEDIR" "$SCANDIR"
first=$SCAN
[ -p "$STATEDIR/.hotsv/control" ] || fail "no $STATEDIR/.hotsv/control"
wait_supervision "$SCANDIR"
expect_state_in "$STATEDIR" one
expect_state_in "$STATEDIR" two
expect_exit 100 "a second hotsv-scan" hotsv-scan -s "$STATEDIR" "$SCANDIR"
output_has "already" "a second hotsv-scan"
pid_alive "$first" || fail "the first hotsv-scan died"
expect_rescan_sees hidden
expect_exit 0 "hotsv shutdown" hv shutdown
scanner_exits 0
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
[ -z "$(running_services)" ] || fail "services left: $(running_services)"
exit 0
