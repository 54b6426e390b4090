#!/bin/sh
# hotsv-scan as pid 2 of a PID namespace whose /proc is not its own
# (unshare --pid --fork without --mount-proc): the pids that /proc shows
# are those of another namespace, so its leftover sweep must not act on
# them.  Here that /proc is the one of an outer namespace whose pid 2, a
# decoy, has children, pids 3 and 4 there: a sweep reading /proc takes
# them for descendants of hotsv-scan (pid 2 too) and signals pids 3 and
# 4 of its own namespace, where pid 3 is a bystander, no descendant of
# hotsv-scan.  hotsv-scan stops its service, which left a process
# behind, says in a debug line that it does not sweep, and exits 0; the
# bystander got no signal.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
write_trapper
make_service "$SCANDIR/svc" "(setsid sleep 100000 </dev/null >/dev/null 2>&1 &)
exec '$WORK/trapper' svc"
# Each script gets $WORK first.  The outer namespace's pid 1: its first
# child (pid 2) is the decoy, whose two children (3 and 4) it waits for
# on a FIFO (no fork meanwhile) before it starts the inner namespace.
cat >"$WORK/outer" <<'SCRIPT'
#!/bin/sh
"$1/decoy" "$1" &
read up <"$1/decoy.fifo"
unshare --pid --fork "$1/inner" "$1" "$2"
echo "hotsv-scan exited $?" >>"$1/events"
while [ ! -e "$1/done" ]; do sleep 0.05; done
SCRIPT
cat >"$WORK/decoy" <<'SCRIPT'
#!/bin/sh
sleep 100000 &
sleep 100000 &
echo up >"$1/decoy.fifo"
wait
SCRIPT
# The inner namespace's pid 1: its first child (pid 2) becomes
# hotsv-scan once the second (pid 3), the bystander, is up.
cat >"$WORK/inner" <<'SCRIPT'
#!/bin/sh
sh -c 'read go <"$1/scan.fifo"; exec hotsv-scan -v "$2"' sh "$1" "$2" &
scan=$!
"$1/bystander" "$1" &
wait $scan
SCRIPT
cat >"$WORK/bystander" <<'SCRIPT'
#!/bin/sh
trap 'echo "bystander got TERM" >>"$1/events"; kill $! 2>/dev/null; exit 0' TERM
sleep 100000 &
echo "bystander up" >>"$1/events"
echo go >"$1/scan.fifo"
wait
SCRIPT
chmod +x "$WORK/outer" "$WORK/decoy" "$WORK/inner" "$WORK/bystander"
mkfifo "$WORK/decoy.fifo" "$WORK/scan.fifo"

# find_scanner: set SCAN to the pid of the one hotsv-scan of this test.
find_scanner() {
	for _comm in /proc/[0-9]*/comm; do
		if [ "$(cat "$_comm" 2>/dev/null)" = hotsv-scan ]; then
			SCAN=${_comm#/proc/}
			SCAN=${SCAN%/comm}
			return 0
		fi
	done
	return 1
}

unshare --pid --fork --mount-proc "$WORK/outer" "$WORK" "$SCANDIR" \
	>>"$WORK/scan.out" 2>>"$WORK/scan.err" &
OUTER=$!
wait_for 30 "hotsv-scan to start" find_scanner
wait_for 30 "hotsv-scan (pid $SCAN) ready" scanner_ready "$SCAN"
[ "$(sed -n 's/^NSpid:.*[[:space:]]//p' "/proc/$SCAN/status")" = 2 ] ||
	fail "hotsv-scan is not pid 2 of its namespace: $(grep NSpid "/proc/$SCAN/status")"
wait_events "start svc" 1
wait_events "bystander up" 1
kill -TERM "$SCAN"
wait_events "hotsv-scan exited" 1
expect_events "hotsv-scan exited 0" 1
expect_events "stop svc" 1
expect_events "bystander got TERM" 0
[ "$(count_lines "$WORK/scan.err" "leftovers not swept: /proc is not")" = 1 ] ||
	fail "no debug line on the sweep left out: $(cat "$WORK/scan.err")"
touch "$WORK/done"
wait "$OUTER" || fail "the outer namespace exited $?"
exit 0
