#!/bin/sh
# hotsv-scan stops a service removed from SCANDIR by rm -rf, by mv out of
# SCANDIR, or by deleting its symlink: run gets its down-signal, finish
# runs, run is gone and its supervisor exits.  A run that ignores the
# down-signal is SIGKILLed once the kill grace (-k) has run out, and
# hotsv-scan keeps no descriptor of it.  A service left in place is not
# disturbed.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir "$WORK/out" "$WORK/elsewhere"

# run_pid TAG: the pid of TAG's run, from its last start line.
run_pid() {
	sed -n "s/^start $1 //p" "$WORK/events" | tail -n 1
}

make_marked_service "$SCANDIR/keeper"
make_marked_service "$SCANDIR/erased"
make_trapping_service "$SCANDIR/moved" moved
make_trapping_service "$SCANDIR/trapped" trapped
make_trapping_service "$WORK/elsewhere/target" linked
ln -s "$WORK/elsewhere/target" "$SCANDIR/linked"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"
for tag in erased moved trapped linked; do
	eval "pid_$tag=\$(run_pid $tag)"
done
supervisor_list >"$WORK/supervisors.before"

say "rm -rf, mv out, rm of the symlink"
remove_tree "$SCANDIR/erased"
remove_tree "$SCANDIR/trapped"
mv "$SCANDIR/moved" "$WORK/out/moved"
rm "$SCANDIR/linked"
wait_supervision "$SCANDIR"
[ "$(supervised_names)" = keeper ] || fail "supervisors: $(supervised_names)"
for tag in erased moved trapped linked; do
	eval "wait_gone \$pid_$tag 'run of $tag'"
	grep -q " $tag\$" "$WORK/supervisors.before" ||
		fail "no supervisor was seen for $tag"
done
while read -r pid name; do
	[ "$name" = keeper ] || wait_gone "$pid" "supervisor of $name"
done <"$WORK/supervisors.before"
for tag in moved trapped linked; do
	expect_events "stop $tag " 1
done
wait_events "finish moved 0 0" 1 10
wait_events "finish linked 0 0" 1 10
expect_events "start keeper " 1
expect_no_overlap
stop_scanner

say "a run that ignores SIGTERM, with -k 500"
use_scandir "$WORK/scan2"
make_service "$SCANDIR/stubborn" "trap 'echo \"stop stubborn \$\$\" >>$WORK/events' TERM
HOTSV_TEST_SVC=stubborn sleep 100000 &
echo \"start stubborn \$\$\" >>$WORK/events
while :; do wait; done"
start_scanner -k 500 "$SCANDIR"
wait_events "start stubborn " 1
stubborn=$(run_pid stubborn)
mv "$SCANDIR/stubborn" "$WORK/out/stubborn"
wait_events "stop stubborn " 1
wait_gone "$stubborn" "run ignoring SIGTERM"
wait_supervision "$SCANDIR"
[ -z "$(running_services)" ] || fail "still running: $(running_services)"
# The last death recorded in death_tally: byte 13 is the signal.
tally=$WORK/out/stubborn/supervise/death_tally
sig=$(tail -c 14 "$tally" | od -An -tu1 -j13 -N1 | tr -d ' ')
[ "$sig" = 9 ] || fail "stubborn run died of signal '$sig', not SIGKILL"
grep -q 'SIGKILL' "$WORK/scan.err" || fail "no SIGKILL logged by hotsv-scan"
# Nothing of it stays open in hotsv-scan, not even in the descriptors a
# child borrows to start (its supervisor was the last child started).
closed_stubborn() {
	! holds_fd "$SCAN" "$WORK/out/stubborn*"
}
wait_for 10 "hotsv-scan to close every descriptor of stubborn" \
	closed_stubborn
stop_scanner
exit 0
