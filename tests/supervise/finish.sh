#!/bin/sh
# ./finish: it gets "EXIT SIG NAME PGID" (3 0 ./ex PID for exit 3; 256 15
# ./sg PID when run was killed by SIGTERM; PGID is run's pid since run
# leads its own session); while it runs the service is "finishing" with
# finish's pid; one that outlives timeout-finish is SIGKILLed and the
# service restarts; one that exits 125 stops the restarts (want down).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
cd "$WORK" || fail "cd $WORK"

make_service ex "echo \$\$ >>$WORK/ex.pids; exit 3"
make_finish ex "echo \"\$@\" >>$WORK/ex.args"
make_service sg "echo \$\$ >>$WORK/sg.pids; exec sleep 100000"
make_finish sg "echo \"\$@\" >>$WORK/sg.args"
make_service to "echo \$\$ >>$WORK/to.pids; exit 0"
make_finish to "echo \$\$ >>$WORK/to.finish; exec sleep 100000"
echo 300 >to/timeout-finish
make_service perm "echo \$\$ >>$WORK/perm.pids; exit 1"
make_finish perm "exit 125"

# finishing_as_finish: ./to is finishing, under a pid finish logged.
finishing_as_finish() {
	_json=$(hotsv status --json ./to)
	case $_json in *'"state":"finishing"'*) ;; *) return 1 ;; esac
	_pid=$(echo "$_json" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
	grep -qx "$_pid" to.finish
}

for s in ex sg to perm; do
	start_supervisor "$s" "./$s"
	SUPS="${SUPS:-} $SUP"
done

# Exit 3.
wait_lines ex.args . 1
[ "$(head -n 1 ex.args)" = "3 0 ./ex $(head -n 1 ex.pids)" ] ||
	fail "finish after exit 3 got '$(head -n 1 ex.args)'"

# Killed by SIGTERM.
wait_lines sg.pids . 1
hv down ./sg || fail "hotsv down ./sg exited $?"
wait_lines sg.args . 1
[ "$(cat sg.args)" = "256 15 ./sg $(cat sg.pids)" ] ||
	fail "finish after SIGTERM got '$(cat sg.args)'"

# A finish that hangs: finishing, SIGKILLed after 300 ms, then restarted.
wait_lines to.finish . 1
finish=$(head -n 1 to.finish)
wait_for 10 "finishing, with finish's pid" finishing_as_finish
wait_gone "$finish" "finish outliving timeout-finish"
wait_lines to.pids . 2
grep -q 'timeout-finish' to.err || fail "no log line for the finish timeout"

# finish exit 125: down, want down, never started again: once its
# supervisor has nothing due, no restart can come.
wait_field ./perm state down
expect_field ./perm want down
expect_field ./perm exitcode 1
wait_settled "$(supervisor_of perm)"
[ "$(count_lines perm.pids .)" = 1 ] ||
	fail "run started $(count_lines perm.pids .) times after finish exit 125"
expect_field ./perm state down

stop_supervisors
exit 0
