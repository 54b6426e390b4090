#!/bin/sh
# hotsv-supervise starts run, reports it up in supervise/status, brings it
# down on "hotsv down", and exits on SIGTERM after stopping the service.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

make_service "$WORK/svc" "echo \$\$ >>$WORK/starts; exec sleep 100000"
hotsv-supervise "$WORK/svc" >"$WORK/sup.out" 2>"$WORK/sup.err" &
sup=$!

wait_for 10 "run started" test -s "$WORK/starts"
runpid=$(tail -n 1 "$WORK/starts")
wait_for 10 "status says up" sh -c \
	"[ \"\$(hotsv status --json '$WORK/svc' | grep -c '\"state\":\"up\"')\" = 1 ]"
[ "$(status_field "$WORK/svc" pid)" = "$runpid" ] ||
	fail "status pid $(status_field "$WORK/svc" pid), run is $runpid"

hotsv down "$WORK/svc" || fail "hotsv down exited $?"
wait_for 10 "run gone" sh -c "! kill -0 $runpid"
wait_for 10 "status says down" sh -c \
	"[ \"\$(hotsv status --json '$WORK/svc' | grep -c '\"state\":\"down\"')\" = 1 ]"
[ "$(status_field "$WORK/svc" signal)" = SIGTERM ] ||
	fail "last death should be SIGTERM"

hotsv up "$WORK/svc"
wait_for 10 "second start" sh -c "[ \$(wc -l <'$WORK/starts') = 2 ]"
runpid=$(tail -n 1 "$WORK/starts")
kill -TERM "$sup"
wait "$sup"
rc=$?
[ "$rc" = 0 ] || fail "supervisor exited $rc on SIGTERM"
pid_alive "$runpid" && fail "service still running after supervisor's exit"
exit 0
