#!/bin/sh
# A read-only service directory (a read-only bind mount, as a ConfigMap
# or ":ro" volume would be): "hotsv-supervise -s STATEDIR" keeps supervise/
# and event/ in STATEDIR/NAME, runs the service, and "hotsv -s STATEDIR"
# finds and controls it there; without -s, hotsv says it is unsupervised.
# In a read-only scan directory named scan, a service named log and the
# logger scan/log of a service named scan keep apart: STATEDIR/log and
# STATEDIR/scan/log ("log" is a logger only under a service directory).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

R=$WORK/ro/svc
make_service "$R" "echo \$\$ >>$WORK/ro.pids; exec sleep 100000"
bind_readonly "$R"
touch "$R/probe" 2>/dev/null && fail "$R is still writable"
STATEDIR=$WORK/state

start_supervisor ro -s "$STATEDIR" "$R"
wait_lines "$WORK/ro.pids" . 1
[ -p "$STATEDIR/svc/supervise/control" ] || fail "no control FIFO in $STATEDIR/svc/supervise"
[ "$(wc -c <"$STATEDIR/svc/supervise/status")" = 35 ] || fail "no 35-byte status in $STATEDIR"
[ -d "$STATEDIR/svc/event" ] || fail "no event/ in $STATEDIR/svc"
[ -e "$R/supervise" ] && fail "supervise/ appeared in the read-only directory"
wait_field "$R" state up
expect_field "$R" pid "$(last_line "$WORK/ro.pids")"
expect_exit 0 "hotsv -s status" hv status --json "$R"
expect_exit 1 "status without the state directory" \
	hotsv -s "$WORK/elsewhere" status --json "$R"
output_has '"state":"unsupervised"' "status without the state directory"

hv down "$R" || fail "hotsv -s down exited $?"
wait_field "$R" state down
expect_field "$R" signal SIGTERM
hv up "$R" || fail "hotsv -s up exited $?"
wait_lines "$WORK/ro.pids" . 2
wait_field "$R" state up
stop_supervisor

say "a service named log beside a service named like the scan directory"
S=$WORK/ro2/scan
for svc in log scan scan/log; do
	tag=$(echo "$svc" | tr / -)
	make_service "$S/$svc" "echo \$\$ >>$WORK/$tag.pids; exec sleep 100000"
done
bind_readonly "$S"
for svc in log scan scan/log; do
	tag=$(echo "$svc" | tr / -)
	start_supervisor "$tag" -s "$STATEDIR" "$S/$svc"
	SUPS="${SUPS:-} $SUP"
	[ -p "$STATEDIR/$svc/supervise/control" ] ||
		fail "no $STATEDIR/$svc/supervise/control"
	wait_lines "$WORK/$tag.pids" . 1
	wait_field "$S/$svc" pid "$(last_line "$WORK/$tag.pids")"
done
stop_supervisors
exit 0
