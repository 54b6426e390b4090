#!/bin/sh
# "hotsv status --json" after each transition (unsupervised, starting,
# ready, paused, finishing with finish's pid, down with the last signal
# or exit code and the death count; want and normally), and the exit
# codes of hotsv: 0; 1 for a service that is not supervised; 111 for a
# service that does not exist; 100 with "not listening" when the
# supervisor is dead; 100 for usage errors and for a signal that the
# supervisor cannot send (PWR).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

S=$WORK/st
make_service "$S" "echo \$\$ >>$WORK/st.pids
while [ ! -e $WORK/go ]; do sleep 0.05; done
echo >&3
exec sleep 100000"
echo 3 >"$S/notification-fd"
make_finish "$S" "echo \$\$ >$WORK/finish.pid
while [ ! -e $WORK/fin ]; do sleep 0.05; done"
echo 0 >"$S/timeout-finish"
make_service "$WORK/ex" "exit 3"
touch "$WORK/ex/down"

# fields DIR FIELD=VALUE...: each FIELD of DIR has its VALUE.
fields() {
	_dir=$1
	shift
	for _fv; do
		expect_field "$_dir" "${_fv%%=*}" "${_fv#*=}"
	done
}

# Not supervised yet.
expect_exit 1 "status of an unsupervised service" hv status --json "$S"
output_has '"state":"unsupervised","supervised":false' "unsupervised status"
output_has "not supervised" "unsupervised status"
fields "$S" normally=up

start_supervisor st "$S"
sup=$SUP
wait_lines "$WORK/st.pids" . 1
pid=$(last_line "$WORK/st.pids")
# run can be faster than its supervisor, which writes status after it
# started run: wait for the status to say it.
wait_field "$S" pid "$pid"
expect_exit 0 "status of a supervised service" hv status --json "$S"
fields "$S" state=starting pid="$pid" want=up normally=up ready=false \
	paused=false exitcode=null signal=null deaths=0 supervised=true
touch "$WORK/go"
wait_field "$S" state ready
fields "$S" pid="$pid" ready=true
hv pause "$S"
wait_field "$S" state paused
fields "$S" paused=true pid="$pid"
hv cont "$S"
wait_field "$S" state ready
fields "$S" paused=false

hv down "$S"
wait_lines "$WORK/finish.pid" . 1
wait_field "$S" state finishing
fields "$S" pid="$(cat "$WORK/finish.pid")" want=down signal=SIGTERM \
	exitcode=null deaths=1 ready=false
touch "$WORK/fin"
wait_field "$S" state down
fields "$S" pid=null want=down normally=up signal=SIGTERM deaths=1

# By name in a scan directory, and the table.
expect_exit 0 "status by name" hv -d "$WORK" status st
output_has '^SERVICE .*STATE' "status table header"
output_has '^st  *down ' "status table row"
expect_exit 0 "status through \$HOTSV_SCANDIR" \
	env HOTSV_SCANDIR="$WORK" hotsv status --json st
output_has '"name":"st","state":"down"' "status through \$HOTSV_SCANDIR"

# An exit code, for a service that is normally down.
start_supervisor ex "$WORK/ex"
wait_field "$WORK/ex" state down
fields "$WORK/ex" state=down normally=down want=down exitcode=null deaths=0
hv once "$WORK/ex" || fail "hotsv once exited $?"
wait_field "$WORK/ex" deaths 1
wait_field "$WORK/ex" state down
fields "$WORK/ex" exitcode=3 signal=null want=down normally=down pid=null
expect_exit 1 "status of one good and one missing service" \
	hv status --json "$WORK/ex" "$WORK/nope"
output_has '"name":"[^"]*/nope","state":"missing"' "missing service"

# Exit codes.
expect_exit 111 "hotsv up on a missing service" hv up "$WORK/nope"
output_has "no such service" "hotsv up on a missing service"
mkdir "$WORK/never"
expect_exit 100 "hotsv up on a never supervised service" hv up "$WORK/never"
output_has "not supervised" "hotsv up on a never supervised service"
expect_exit 100 "hotsv signal PWR" hv signal PWR "$S"
output_has "PWR.*cannot be sent through the supervisor" "hotsv signal PWR"
expect_exit 100 "hotsv signal BOGUS" hv signal BOGUS "$S"
output_has "unknown signal" "hotsv signal BOGUS"
expect_exit 100 "hotsv frobnicate" hv frobnicate "$S"
expect_exit 100 "hotsv up without a service" hv up
expect_exit 100 "hotsv without a command" hv
expect_exit 0 "hotsv up" hv up "$S"
stop_supervisor "$sup"
expect_exit 100 "hotsv up with a dead supervisor" hv up "$S"
output_has "not listening" "hotsv up with a dead supervisor"
expect_exit 1 "status with a dead supervisor" hv status --json "$S"
output_has '"state":"unsupervised"' "status with a dead supervisor"
stop_supervisor
exit 0
