#!/bin/sh
# Bad service directories.  Garbage in timeout-finish, down-signal,
# max-death-tally and notification-fd gives one warning line naming each
# file (not one per restart) and the defaults are used (finish is not
# cut short, SIGTERM stops run, deaths are counted, no notification fd).
# A missing run, or a non-executable one, is retried with one log line
# per distinct error, and run starts once it is fixed.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

B=$WORK/bad
make_service "$B" "echo \$\$ >>$WORK/bad.pids; exec sleep 100000"
make_finish "$B" "sleep 0.3; echo done >>$WORK/finished"
echo soon >"$B/timeout-finish"
echo SIGFOO >"$B/down-signal"
echo lots >"$B/max-death-tally"
echo x3 >"$B/notification-fd"
mkdir "$WORK/norun"
make_service "$WORK/noexec" "echo \$\$ >>$WORK/\${PWD##*/}.pids; exec sleep 100000"
chmod -x "$WORK/noexec/run"

start_supervisors bad norun noexec

# Two restarts read every file twice more: a warning per read would be
# three lines, not one (a third restart would prove it no better, and
# costs a second of restart throttle).
for n in 1 2; do
	wait_lines "$WORK/bad.pids" . "$n"
	hv restart "$B" || fail "hotsv restart exited $?"
done
wait_lines "$WORK/bad.pids" . 3
wait_lines "$WORK/finished" "done" 2
run=$(last_line "$WORK/bad.pids")
wait_exec "$run" sleep
[ "$(proc_fds "$run")" = "0 1 2" ] ||
	fail "bad notification-fd, yet run has fds $(proc_fds "$run")"
expect_field "$B" signal SIGTERM
expect_field "$B" deaths 2
for f in timeout-finish down-signal max-death-tally notification-fd; do
	[ "$(count_lines "$WORK/bad.err" "$f")" = 1 ] ||
		fail "$(count_lines "$WORK/bad.err" "$f") warnings about $f"
done
grep -q 'timeout-finish:.*"soon.*5000' "$WORK/bad.err" ||
	fail "the timeout-finish warning does not show the value and default"

# No run, and a run that cannot be executed: the two restarts above
# took over 2 s (the throttle), so both were retried meanwhile, with one
# line each.  A new error is a new line; a fixed run starts.
for s in norun noexec; do
	expect_field "$WORK/$s" want up
	expect_field "$WORK/$s" state down
	[ "$(count_lines "$WORK/$s.err" "cannot start")" = 1 ] ||
		fail "$s: not one line: $(cat "$WORK/$s.err")"
done
grep -q "cannot start.*No such file" "$WORK/norun.err" ||
	fail "no line naming the missing run"
grep -q "cannot start.*Permission denied" "$WORK/noexec.err" ||
	fail "no line naming the permission problem"
cp "$WORK/noexec/run" "$WORK/norun/run"
wait_lines "$WORK/norun.err" "cannot start.*Permission denied" 1
[ -e "$WORK/noexec.pids" ] && fail "a non-executable run ran"
chmod +x "$WORK/norun/run" "$WORK/noexec/run"
for s in norun noexec; do
	wait_lines "$WORK/$s.pids" . 1
	wait_field "$WORK/$s" state up
done

stop_supervisors
exit 0
