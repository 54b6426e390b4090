#!/bin/sh
# Churn: 50 services moved into SCANDIR and out again, over and over
# (CYCLES, default 40, each of 100 mv operations: 4,000 moves and 1,000
# starts and stops of a supervisor, about 10 s; see below why that is enough
# where the issue asked for 10,000 moves).  Every other cycle waits
# until all 50 run before moving them out, and for all to be gone after;
# the others move them out at once, and back in while the last ones still
# stop.  Then the odd-numbered ones are moved in for good: exactly their
# supervisors and runs are alive.  After a warm-up cycle and at the end,
# with SCANDIR empty, hotsv-scan's resident memory is measured: it may
# not grow by more than 5% (LeakSanitizer judges an ASan build at exit),
# and it holds the same descriptors.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# The bound below is 5% of about 1,900 KiB: 95 KiB.  A leak of the
# smallest block malloc gives (32 bytes) per move in or out passes it
# after 3,000 moves, one of a service record or of libinotifytools'
# watch (a path and a node, over 100 bytes) per service added after
# 1,000 adds; 40 cycles make 4,250 moves and 2,125 adds, and any leaked
# descriptor shows after one.  (A 32-byte block per add alone would stay
# under the bound: valgrind.sh finds every lost block on these paths.)
# Seen: a 32-byte block leaked per entry scanned made hotsv-scan grow
# from 1,884 to 2,012 KiB in 40 cycles, and this test fail.
: "${CYCLES:=40}"
# SCANDIR and the pool on a tmpfs (mv stays a rename): on the disk of a
# loaded VM, the supervisors' writes to supervise/ made each cycle a
# quarter slower, and prove no more there.
mount_tmpfs "$WORK/fs" 65536
use_scandir "$WORK/fs/scan"
make_pool s 50
mv "$WORK/pool" "$WORK/fs/pool" || fail "cannot move the pool to the tmpfs"
POOL=$WORK/fs/pool

# move_in [NAME...]: move the services (default all) into SCANDIR, one
# rename(2) each (by one mv: the moves are what counts, not the forks).
move_in() {
	(cd "$POOL" && mv ${@:-$NAMES} "$SCANDIR/") || fail "mv in"
}

# move_out: move every service out of SCANDIR, one rename(2) each.
move_out() {
	(cd "$SCANDIR" && mv -- * "$POOL/") || fail "mv out"
}

# all_gone: no supervisor and no run is left.
all_gone() {
	[ "$(count_supervisors)" = 0 ] && [ -z "$(running_services)" ]
}

# cycle FULL: one cycle; with FULL = 1, wait for all to run, and for all
# to be gone after.
cycle() {
	move_in
	[ "$1" = 1 ] && wait_for 60 "all 50 to run" supervision_exact "$SCANDIR"
	move_out
	[ "$1" = 1 ] && wait_for 60 "all 50 to stop" all_gone
	return 0
}

# The kill grace (-k) is no subject here, and its default of 3 s is a bet
# on speed: an ASan build beside CPU hogs once took longer to stop a
# run, and the warnings that follow would fail the test below.
start_scanner -k 30000 "$SCANDIR"
say "warm-up"
cycle 1
cycle 0
wait_for 60 "all 50 to stop" all_gone
wait_scan_settled
rss0=$(rss_kb "$SCAN")
fds0=$(proc_fds "$SCAN")
say "hotsv-scan: $rss0 KiB resident, descriptors $fds0; $CYCLES cycles"

i=1
while [ "$i" -le "$CYCLES" ]; do
	cycle $((i % 2))
	[ $((i % 10)) = 0 ] && say "cycle $i: $(rss_kb "$SCAN") KiB"
	i=$((i + 1))
done
say "the odd ones in for good"
move_in $(seq -f 's%g' 1 2 50)
SUPERVISION_WAIT=120 wait_supervision "$SCANDIR"
[ "$(service_names "$SCANDIR" | wc -l)" = 25 ] || fail "not 25 services"
pid_alive "$SCAN" || fail "hotsv-scan died"

move_out
wait_for 60 "all to stop" all_gone
wait_scan_settled
rss1=$(rss_kb "$SCAN")
fds1=$(proc_fds "$SCAN")
say "hotsv-scan: $rss1 KiB resident after $((CYCLES * 100 + 250)) moves, descriptors $fds1"
# Under AddressSanitizer, LeakSanitizer judges leaks when the scanner
# exits (stop_scanner wants exit 0): freed memory sits in its quarantine.
if built_with_asan; then
	say "AddressSanitizer build: resident size not compared"
elif [ "$((rss1 * 100))" -gt "$((rss0 * 105))" ]; then
	fail "hotsv-scan grew from $rss0 KiB to $rss1 KiB"
fi
[ "$fds1" = "$fds0" ] || fail "hotsv-scan's descriptors: $fds0 before, $fds1 after"
grep -v "starting another\|outlived" "$WORK/scan.err" >"$WORK/complaints"
# Under AddressSanitizer a supervisor's exit runs LeakSanitizer's check,
# which stops the process through ptrace: seen hanging there (its tracer
# in waitpid for a stop that never came, the supervisor spinning) until
# the kill grace ended it; a SIGCONT from hotsv-scan, which comes with
# each request, cancelling the tracer's SIGSTOP is the likely cause.
# Such a build may therefore overrun a stop; the other builds may not.
if built_with_asan; then
	grep -v "still running [0-9]* ms after it was asked to stop\|supervisor [0-9]* did not exit: SIGKILL" \
		"$WORK/complaints" >"$WORK/complaints.asan"
	mv "$WORK/complaints.asan" "$WORK/complaints"
fi
[ ! -s "$WORK/complaints" ] ||
	fail "unexpected lines: $(sort "$WORK/complaints" | uniq -c | sort -rn | head -n 5)"
stop_scanner
exit 0
