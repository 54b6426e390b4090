#!/bin/sh
# A copy of a running service directory is a new service, not the old
# one (issue 11): its supervise/ (status and run-id naming the original's
# run) is stale state.  hotsv-supervise on a copy made with cp -a starts
# its own run instead of adopting the original's, and so does one on a
# copy whose run-id is in the older format (no directory identity: only
# hotsv-scan's hint may adopt then), and so does one whose run-id names
# its own directory but a run whose parent is a live supervisor;
# stopping the copy leaves the original's run alive.  Under hotsv-scan, copies made inside SCANDIR
# with cp -a and cp -r while the original runs start their own run;
# "hotsv down COPY" and "rm -rf COPY" leave the original's run alive, its
# pid unchanged in hotsv status.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# expect_original PID DIR: the original's run PID is alive, and DIR's
# supervisor still says it is its run.
expect_original() {
	pid_alive "$1" || fail "the original's run (pid $1) was killed"
	expect_field "$2" pid "$1"
}

# no_supervisor NAME: no live hotsv-supervise supervises NAME.
no_supervisor() {
	[ -z "$(supervisor_of "$1")" ]
}

# expect_not_adopted LOG: hotsv-supervise's LOG.err says no adoption.
expect_not_adopted() {
	! grep -q "outlived its supervisor: adopted" "$WORK/$1.err" ||
		fail "a copy adopted a run: $(grep "adopted" "$WORK/$1.err")"
}

say "hotsv-supervise alone on a copy made with cp -a"
make_marked_service "$WORK/web"
start_supervisor web "$WORK/web"
web_sup=$SUP
wait_events "start web " 1
web=$(start_pid web)
wait_field "$WORK/web" pid "$web"
cp -a "$WORK/web" "$WORK/copy" 2>"$WORK/cp.err" || say "cp -a: $(cat "$WORK/cp.err")"
grep -q "^$web " "$WORK/copy/supervise/run-id" ||
	fail "the copy's run-id does not name $web: $(cat "$WORK/copy/supervise/run-id")"
start_supervisor copy "$WORK/copy"
copy_sup=$SUP
wait_events "start copy " 1
wait_field "$WORK/copy" pid "$(start_pid copy)"
expect_not_adopted copy
control "$WORK/copy" d
wait_field "$WORK/copy" state down
expect_original "$web" "$WORK/web"
stop_supervisor "$copy_sup"
expect_original "$web" "$WORK/web"

say "a copy whose run-id has no directory identity (an older supervisor)"
cp -a "$WORK/web" "$WORK/old" 2>/dev/null
read -r pid start _ <"$WORK/old/supervise/run-id"
[ "$pid" = "$web" ] || fail "the copy's run-id names $pid, not $web"
printf '%s %s\n' "$pid" "$start" >"$WORK/old/supervise/run-id"
start_supervisor old "$WORK/old"
old_sup=$SUP
wait_events "start old " 1
wait_field "$WORK/old" pid "$(start_pid old)"
expect_not_adopted old
stop_supervisor "$old_sup"
wait_gone "$(start_pid old)" "old's run"
expect_original "$web" "$WORK/web"

say "a run-id naming this directory, but a run with a live supervisor"
cp -a "$WORK/web" "$WORK/forged" 2>/dev/null
printf '%s %s %s\n' "$pid" "$start" "$(stat -c '%d %i' "$WORK/forged")" \
	>"$WORK/forged/supervise/run-id"
start_supervisor forged "$WORK/forged"
forged_sup=$SUP
wait_events "start forged " 1
wait_field "$WORK/forged" pid "$(start_pid forged)"
expect_not_adopted forged
grep -q "run (pid $web) has a live supervisor" "$WORK/forged.err" ||
	fail "no word of the live supervisor: $(cat "$WORK/forged.err")"
stop_supervisor "$forged_sup"
expect_original "$web" "$WORK/web"
stop_supervisor "$web_sup"

say "copies inside SCANDIR, cp -a and cp -r, while the original runs"
use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/orig"
start_scanner "$SCANDIR"
wait_events "start orig " 1
orig=$(start_pid orig)
wait_field orig pid "$orig"
for how in a r; do
	cp -$how "$SCANDIR/orig" "$SCANDIR/copy$how" 2>"$WORK/cp.err" ||
		say "cp -$how: $(cat "$WORK/cp.err")"
	# cp may still be writing supervise/ as the copy's supervisor
	# starts: judge by the run's own start line, and the status after.
	wait_events "start copy$how " 1
	hv down "copy$how" || fail "hotsv down copy$how exited $?"
	wait_field "copy$how" state down
	expect_original "$orig" orig
	hv up "copy$how" || fail "hotsv up copy$how exited $?"
	wait_events "start copy$how " 2
	remove_tree "$SCANDIR/copy$how"
	wait_for 20 "copy$how's supervisor to exit" no_supervisor "copy$how"
	wait_gone "$(start_pid "copy$how")" "copy$how's run"
	expect_original "$orig" orig
done
! grep -q "outlived its supervisor: adopted" "$WORK/scan.err" ||
	fail "hotsv-scan's supervisors adopted: $(grep adopted "$WORK/scan.err")"
stop_scanner
exit 0
