#!/bin/sh
# Fork fails (RLIMIT_NPROC): hotsv-scan runs as an unprivileged uid that
# owns the scan and state directories, with a process limit of 7 for that
# uid (root is exempt from the limit).  Six other processes of the uid
# take every slot: hotsv-scan cannot start a single supervisor for its
# five services, says so in one line (not one per service and retry), and
# keeps retrying while it answers (hotsv status).  Five of the six are
# stopped: the five supervisors start (one line says starting works
# again), which fills every slot again; the services have down files, so
# that none of them races the scanner for a slot.  "hotsv up": no
# supervisor can start its run, each says so once, however often it
# retries.  Their limits are raised (prlimit --pid): every run starts,
# with one line each, and runs once.  The control FIFOs are 0600 and the
# unprivileged uid's.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
RUID=48211
# The limit counts every process of the uid, in any namespace.
claim_uid 48211
enter_namespace "$@"
make_workdir

command -v setpriv >/dev/null 2>&1 || skip "needs setpriv"
command -v prlimit >/dev/null 2>&1 || skip "needs prlimit"
# as_ruid COMMAND...: run COMMAND as the unprivileged uid.
as_ruid() {
	setpriv --reuid="$RUID" --regid="$RUID" --clear-groups "$@"
}
as_ruid true || skip "setpriv cannot change uid here"

chmod 755 "$WORK"
use_scandir "$WORK/scan"
STATEDIR=$WORK/state
mkdir "$STATEDIR"
for s in s1 s2 s3 s4 s5; do
	make_marked_service "$SCANDIR/$s"
	touch "$SCANDIR/$s/down"
done
: >"$WORK/events"
chown -R "$RUID:$RUID" "$SCANDIR" "$STATEDIR" "$WORK/events"

HOGS=
# (Not through as_ruid: a function run in the background is a subshell.)
for i in 1 2 3 4 5 6; do
	setpriv --reuid="$RUID" --regid="$RUID" --clear-groups sleep 100000 &
	HOGS="$HOGS $!"
done
# ruid_procs_are N: N processes run as the unprivileged uid.
ruid_procs_are() {
	[ "$(uid_procs "$RUID")" = "$1" ]
}
wait_for 10 "six processes of uid $RUID" ruid_procs_are 6

prlimit --nproc=7:1000 setpriv --reuid="$RUID" --regid="$RUID" \
	--clear-groups hotsv-scan -s "$STATEDIR" "$SCANDIR" \
	>>"$WORK/scan.out" 2>>"$WORK/scan.err" &
SCAN=$!
wait_for 10 "hotsv-scan (pid $SCAN) listening" scanner_listening "$SCAN"
pid_alive "$SCAN" || fail "hotsv-scan exited at start: $(cat "$WORK/scan.err")"
[ "$(proc_status "$SCAN" Uid | cut -f1)" = "$RUID" ] ||
	fail "hotsv-scan does not run as uid $RUID"

say "no slot: hotsv-scan cannot fork a supervisor"
wait_lines "$WORK/scan.err" "hotsv-scan: warning: cannot start a process" 1
# 1 s, 2 s and 4 s later each of the five tries again: two more tries,
# and still one line.
wait_turns 2 "$SCAN"
[ "$(count_lines "$WORK/scan.err" "cannot start a process")" = 1 ] ||
	fail "not one line for the failing forks: $(cat "$WORK/scan.err")"
grep -q "cannot start a process.*Resource temporarily unavailable" \
	"$WORK/scan.err" || fail "the line does not say why: $(cat "$WORK/scan.err")"
[ "$(count_supervisors)" = 0 ] || fail "a supervisor started: $(supervised_names)"
expect_exit 0 "hotsv status without supervisors" hv status
[ "$(grep -c ' unsupervised ' "$WORK/cmd.out")" = 5 ] ||
	fail "hotsv status: $(cat "$WORK/cmd.out")"

say "five slots freed: the supervisors start, but not their runs"
set -- $HOGS
HOGS=$1
shift
for pid; do
	kill "$pid"
	wait "$pid" 2>/dev/null
done
# The scanner waits up to 8 s before its next try by now.
wait_for 30 "five supervisors" supervisors_are 5
wait_lines "$WORK/scan.err" "hotsv-scan: starting processes works again" 1
for s in s1 s2 s3 s4 s5; do
	wait_field "$s" state down
done
say "hotsv up: no slot for the runs"
expect_exit 0 "hotsv up" hv up s1 s2 s3 s4 s5
for s in s1 s2 s3 s4 s5; do
	wait_lines "$WORK/scan.err" "hotsv-supervise: $s: warning: cannot start .*/$s/run (retrying): Resource temporarily unavailable" 1
done
# Each tries again with back-off: one more try each, and still one line.
wait_turns 1 $(supervisor_list | cut -d' ' -f1)
for s in s1 s2 s3 s4 s5; do
	[ "$(count_lines "$WORK/scan.err" "$s: warning: cannot start")" = 1 ] ||
		fail "$s: not one line for its failing forks: $(cat "$WORK/scan.err")"
	expect_field "$s" state down
	expect_field "$s" want up
done
[ -z "$(running_services)" ] || fail "runs started: $(running_services)"
[ "$(count_lines "$WORK/scan.err" "cannot start a process")" = 1 ] ||
	fail "hotsv-scan failed again: $(cat "$WORK/scan.err")"

say "the supervisors' limits raised: every run starts"
for pid in $(supervisor_list | cut -d' ' -f1); do
	as_ruid prlimit --pid "$pid" --nproc=100:1000 ||
		fail "prlimit --pid $pid"
done
# The supervisors wait up to 8 s before their next try by now.
SUPERVISION_WAIT=40 wait_supervision "$SCANDIR"
for s in s1 s2 s3 s4 s5; do
	[ "$(count_lines "$WORK/scan.err" "$s: run started")" = 1 ] ||
		fail "$s: no line that run started: $(cat "$WORK/scan.err")"
	wait_field "$s" state up
	expect_events "start $s " 1
	[ "$(proc_status "$(status_field "$s" pid)" Uid | cut -f1)" = "$RUID" ] ||
		fail "$s does not run as uid $RUID"
done
[ "$(count_lines "$WORK/scan.err" "cannot start")" = 6 ] ||
	fail "more failures than expected: $(cat "$WORK/scan.err")"
# The control FIFOs are the supervisors' user's, and only theirs.
for f in "$SCANDIR/s1/supervise/control" "$SCANDIR/.hotsv/control"; do
	[ "$(stat -c '%a %u' "$f")" = "600 $RUID" ] ||
		fail "$f: mode and owner $(stat -c '%a %u' "$f"), expected 600 $RUID"
done
[ "$(stat -c '%a %u' "$SCANDIR/s1/supervise/status")" = "644 $RUID" ] ||
	fail "s1's status: $(stat -c '%a %u' "$SCANDIR/s1/supervise/status")"
stop_scanner
kill $HOGS
exit 0
