#!/bin/sh
# sd_notify where containers share a network namespace (issue 12).  Two
# hotsv-scan, each PID 1 of its own PID namespace, both in one network
# namespace (hence one abstract socket namespace), each with a notify
# service run by uid 62710 whose supervisor is pid 2 in its namespace:
# both services become ready; each NOTIFY_SOCKET is a path socket,
# supervise/notify, mode 0600 owned by that uid, and no abstract
# hotsv-notify socket exists.  Then a READY=1 whose sender has exited
# before the supervisor reads it (the supervisor is stopped meanwhile;
# the sender's credentials name its own pid, gone by then, in run's
# process group no more) still makes the service ready: its uid is the
# service's.  A service whose socket path would be too long for a
# socket address gets one in STATEDIR/notify (0711), removed at exit.
# A run adopted after its supervisor was killed is heard: the new
# supervisor makes the socket again at the path the run was given.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
need_python
claim_uid 62710
enter_namespace "$@"
enter_network_namespace "$@"
make_workdir
command -v setpriv >/dev/null 2>&1 || skip "needs setpriv (util-linux)"
# The services run as uid 62710: they must reach their directories.
chmod 755 "$WORK"
READY=$(notify_ready_command)

say "two scanners, one network namespace, both supervisors pid 2"
for side in a b; do
	mkdir "$WORK/$side"
	make_service "$WORK/$side/svc" "$READY
exec sleep 100000"
	: >"$WORK/$side/svc/notify-socket"
	echo 62710:62710 >"$WORK/$side/svc/user"
	HOTSV_SCANDIR=$WORK/$side unshare --pid --fork --mount --mount-proc \
		hotsv-scan "$WORK/$side" \
		>>"$WORK/scan-$side.out" 2>>"$WORK/scan-$side.err" &
	eval "unshare_$side=\$!"
done
for side in a b; do
	wait_field "$WORK/$side/svc" state ready
	[ "$(stat -c '%a %u %F' "$WORK/$side/svc/supervise/notify")" = \
		"600 62710 socket" ] ||
		fail "$side's notify socket: $(stat -c '%a %u %F' "$WORK/$side/svc/supervise/notify")"
	grep -q "Address already in use" "$WORK/scan-$side.err" &&
		fail "$side: $(cat "$WORK/scan-$side.err")"
done
# Both supervisors are pid 2 of their namespaces (the case that collided).
for side in a b; do
	eval "_unshare=\$unshare_$side"
	scan=$(child_of "$_unshare" hotsv-scan)
	sup=$(child_of "$scan" hotsv-supervise)
	[ -n "$sup" ] || fail "$side: no supervisor under hotsv-scan $scan"
	[ "$(sed -n 's/^NSpid:.*[[:space:]]//p' "/proc/$sup/status")" = 2 ] ||
		fail "$side's supervisor is not pid 2 in its namespace: $(grep NSpid "/proc/$sup/status")"
	eval "scan_$side=$scan"
done
! grep -q '@hotsv-notify' /proc/net/unix ||
	fail "an abstract notify socket: $(grep '@hotsv-notify' /proc/net/unix)"
for side in a b; do
	eval "kill -TERM \$scan_$side"
	eval "wait \$unshare_$side" || fail "hotsv-scan $side exited $?"
done

say "READY=1 from a sender that exited before the supervisor read it"
mkfifo "$WORK/go"
make_service "$WORK/late" "echo \"start late \$\$\" >>'$WORK/events'
read _ <'$WORK/go'
$(notify_ready_command python)
echo \"sent \$?\" >>'$WORK/events'
exec sleep 100000"
: >"$WORK/late/notify-socket"
start_supervisor late "$WORK/late"
wait_events "start late " 1
wait_field "$WORK/late" state starting
kill -STOP "$SUP"
wait_for 10 "the supervisor stopped" proc_state_is "$SUP" T
echo go >"$WORK/go"
# The line comes once the sender has exited (and run has reaped it).
wait_events "sent " 1
expect_events "sent 0" 1
expect_field "$WORK/late" state starting
kill -CONT "$SUP"
wait_field "$WORK/late" state ready
stop_supervisor

say "a path too long for a socket address: a socket in STATEDIR/notify"
LONG=$WORK/$(printf '%0110d' 0)/svc
make_service "$LONG" "$READY
exec sleep 100000"
: >"$LONG/notify-socket"
start_supervisor long -s "$WORK/state" "$LONG"
wait_field "$LONG" state ready
[ "$(stat -c '%a %F' "$WORK/state/notify")" = "711 directory" ] ||
	fail "$WORK/state/notify: $(stat -c '%a %F' "$WORK/state/notify")"
[ "$(stat -c '%a %F' "$WORK"/state/notify/*)" = "600 socket" ] ||
	fail "in $WORK/state/notify: $(ls -l "$WORK/state/notify")"
[ ! -e "$LONG/supervise/notify" ] || fail "a socket at $LONG/supervise/notify too"
stop_supervisor
[ -z "$(ls "$WORK/state/notify")" ] ||
	fail "left behind: $(ls "$WORK/state/notify")"

say "a run adopted by a new supervisor is heard on the same NOTIFY_SOCKET"
make_notify_service "$WORK/adopt" ad
start_supervisor ad1 "$WORK/adopt"
first=$SUP
wait_events "start ad " 1
kill -KILL "$first"
wait "$first"
start_supervisor ad2 "$WORK/adopt"
wait_for 10 "the run adopted" grep -q "outlived its supervisor: adopted" \
	"$WORK/ad2.err"
expect_field "$WORK/adopt" state starting
run_says ad 'READY=1\n'
wait_field "$WORK/adopt" state ready
expect_events "start ad " 1
touch "$WORK/ad.letgo"
stop_supervisor
exit 0
