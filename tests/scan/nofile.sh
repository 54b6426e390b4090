#!/bin/sh
# File descriptors run out: the open-file limit of a running hotsv-scan is
# lowered to 3 (prlimit --pid), so that it cannot open anything more.  A
# service moved in then cannot be started, a rescan cannot read SCANDIR,
# and each gets a clear line (saying "Too many open files"), not one per
# retry; hotsv-scan does not crash, keeps its running services, and still
# stops a service whose directory is removed.  Once the limit is raised
# again, the new service starts without any further nudge, and a rescan
# and another new service work.  Then a limit of 3 for hotsv-scan, below
# the descriptors it polls (ppoll refuses more than the limit), and none
# free for a supervisor: neither dies, a new service and a restarted one
# wait, and both start once the limits are raised.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
# strerror(EMFILE): glibc's words, or musl's for a build with musl-gcc.
EMFILE_TEXT='\(Too many open files\|No file descriptors available\)'
make_workdir
command -v prlimit >/dev/null 2>&1 || skip "needs prlimit"

# stopped NAME: NAME has neither a supervisor nor a run.
stopped() {
	[ -z "$(supervisor_of "$1")" ] && [ "$(tag_count "$1")" = 0 ]
}

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/a"
make_marked_service "$SCANDIR/b"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"
hard=$(prlimit --pid "$SCAN" --nofile --noheadings --output HARD)
soft=$(prlimit --pid "$SCAN" --nofile --noheadings --output SOFT)
# No free descriptor below the limit: the lowest free one.
low=0
while [ -e "/proc/$SCAN/fd/$low" ]; do
	low=$((low + 1))
done
say "limit $soft:$hard, descriptors $(proc_fds "$SCAN"): lowering it to $low"
prlimit --pid "$SCAN" --nofile="$low:$hard" || fail "cannot lower the limit"

say "a service moved in cannot start"
make_marked_service "$WORK/c"
mv "$WORK/c" "$SCANDIR/c"
wait_for 10 "a line about c and the open files" has_lines "$WORK/scan.err" \
	"c.*$EMFILE_TEXT" 1
expect_exit 0 "hotsv rescan" hv rescan
wait_lines "$WORK/scan.err" "open $SCANDIR: $EMFILE_TEXT" 1
# It tries again with back-off: two more tries, and no line for each.
wait_turns 2 "$SCAN"
pid_alive "$SCAN" || fail "hotsv-scan died"
[ "$(tag_count c)" = 0 ] || fail "c runs"
errors=$(grep -c "$EMFILE_TEXT" "$WORK/scan.err")
[ "$errors" -le 4 ] || fail "$errors lines about open files: $(cat "$WORK/scan.err")"

say "the running services are kept, and a removed one is stopped"
expect_field a state up
expect_field b state up
mv "$SCANDIR/b" "$WORK/b.gone"
wait_for 20 "b's supervisor and run to end" stopped b
expect_field a state up
pid_alive "$SCAN" || fail "hotsv-scan died"

say "limit raised: c starts by itself"
prlimit --pid "$SCAN" --nofile="$soft:$hard" || fail "cannot raise the limit"
SUPERVISION_WAIT=40 wait_supervision "$SCANDIR"
wait_field c state up
expect_events "start a " 1
expect_events "start c " 1
make_marked_service "$WORK/d"
mv "$WORK/d" "$SCANDIR/d"
wait_supervision "$SCANDIR"
expect_rescan_sees f
expect_supervision "$SCANDIR"

say "limits of 3 for hotsv-scan (below what it polls), none free for a supervisor"
sup=$(supervisor_of a)
run=$(status_field a pid)
low=0
while [ -e "/proc/$sup/fd/$low" ]; do
	low=$((low + 1))
done
prlimit --pid "$SCAN" --nofile="3:$hard" || fail "cannot lower the limit"
prlimit --pid "$sup" --nofile="$low:$hard" || fail "cannot lower the limit"
make_marked_service "$WORK/e"
mv "$WORK/e" "$SCANDIR/e"
wait_lines "$WORK/scan.err" "e.*$EMFILE_TEXT" 1
hv restart a || fail "hotsv restart a exited $?"
wait_gone "$run" "a's run"
wait_lines "$WORK/scan.err" "a: warning: .*$EMFILE_TEXT" 1
wait_turns 2 "$SCAN" "$sup"
pid_alive "$SCAN" ||
	fail "hotsv-scan died with a limit of 3: $(tail -n 3 "$WORK/scan.err")"
[ "$(supervisor_of a)" = "$sup" ] ||
	fail "a's supervisor died without descriptors: $(tail -n 3 "$WORK/scan.err")"
[ "$(tag_count a)" = 0 ] && [ "$(tag_count e)" = 0 ] ||
	fail "a or e runs: $(running_services)"
prlimit --pid "$SCAN" --nofile="$soft:$hard" || fail "cannot raise the limit"
prlimit --pid "$sup" --nofile="$soft:$hard" || fail "cannot raise the limit"
wait_events "start a " 2
SUPERVISION_WAIT=40 wait_supervision "$SCANDIR"
[ "$(supervisor_of a)" = "$sup" ] || fail "a's supervisor was replaced"
stop_scanner
exit 0
