#!/bin/sh
# Permissions, whatever the umask hotsv-scan is started with (022, then
# 077): supervise/ is 0711, its control FIFO 0600 and owned by the
# supervisor's user (root here), status, lock, death_tally and run-id
# 0644, event/ 03730; .hotsv/ holds control 0600 and lock 0644; for a
# read-only service directory, the same in STATEDIR/NAME, whose
# directories are 0755.  A user
# who is not root can read every service's state ("hotsv status" and
# --json work) but "hotsv up", "hotsv restart" and "hotsv rescan" get a
# clear "Permission denied" (exit 111), and the services are untouched.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
claim_uid 48212
enter_namespace "$@"
make_workdir
command -v setpriv >/dev/null 2>&1 || skip "needs setpriv"
NOBODY=48212
chmod 755 "$WORK"

# mode_is PATH MODE OWNER: PATH has permission bits MODE (octal, as stat
# %a shows them) and owner uid OWNER.
mode_is() {
	[ "$(stat -c '%a %u' "$1")" = "$2 $3" ] ||
		fail "$1: mode and owner $(stat -c '%a %u' "$1"), expected $2 $3 (umask $UMASK)"
}

# as_nobody COMMAND...: run COMMAND as a uid that is not root.
as_nobody() {
	setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups "$@"
}

for UMASK in 022 077; do
	say "umask $UMASK"
	use_scandir "$WORK/scan$UMASK"
	make_marked_service "$SCANDIR/a" "a$UMASK"
	make_service "$SCANDIR/a/log" "exec cat >/dev/null"
	make_marked_service "$SCANDIR/r" "r$UMASK"
	bind_readonly "$SCANDIR/r"
	chmod 755 "$SCANDIR"
	STATEDIR=$WORK/state$UMASK
	(umask "$UMASK" && exec hotsv-scan -s "$STATEDIR" "$SCANDIR") \
		>>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	SCAN=$!
	wait_for 10 "hotsv-scan listening" scanner_listening "$SCAN"
	wait_field a state up
	wait_field a/log state up
	wait_field r state up
	mode_is "$STATEDIR" 755 0
	mode_is "$STATEDIR/r" 755 0
	for d in "$SCANDIR/a" "$SCANDIR/a/log" "$STATEDIR/r"; do
		mode_is "$d/supervise" 711 0
		mode_is "$d/supervise/control" 600 0
		for f in status lock death_tally run-id; do
			mode_is "$d/supervise/$f" 644 0
		done
		mode_is "$d/event" 3730 0
	done
	mode_is "$SCANDIR/.hotsv/control" 600 0
	mode_is "$SCANDIR/.hotsv/lock" 644 0

	say "a user who is not root"
	run=$(status_field a pid)
	expect_exit 0 "hotsv status as uid $NOBODY" as_nobody \
		hotsv -s "$STATEDIR" status a a/log r
	grep -q "^a  *up  *$run " "$WORK/cmd.out" && grep -q "^r  *up " "$WORK/cmd.out" ||
		fail "hotsv status as uid $NOBODY: $(cat "$WORK/cmd.out")"
	expect_exit 0 "hotsv status --json as uid $NOBODY" as_nobody hotsv status --json a
	output_has "\"state\":\"up\",\"supervised\":true" "hotsv status --json as uid $NOBODY"
	for cmd in up restart down; do
		expect_exit 111 "hotsv $cmd as uid $NOBODY" as_nobody hotsv "$cmd" a
		output_has "a: .*supervise/control: Permission denied" "hotsv $cmd as uid $NOBODY"
	done
	expect_exit 111 "hotsv rescan as uid $NOBODY" as_nobody hotsv rescan
	output_has "\.hotsv/control: Permission denied" "hotsv rescan as uid $NOBODY"
	expect_exit 111 "hotsv shutdown as uid $NOBODY" as_nobody hotsv shutdown
	wait_scan_settled
	expect_field a pid "$run"
	expect_field a want up
	pid_alive "$SCAN" || fail "hotsv-scan exited"
	stop_scanner
done
exit 0
