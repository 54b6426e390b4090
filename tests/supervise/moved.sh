#!/bin/sh
# hotsv-supervise alone holds its directory (issue 11).  A service whose
# down-signal is SIGHUP and whose user is uid 62721 is renamed while it
# runs, and another directory takes its old name (down-signal SIGTERM,
# no user): the supervisor obeys d (SIGHUP, finish as 62721), u, k, D
# (the down file is created in the renamed directory, not at the old
# name), U, always restarting run as uid 62721 in the renamed directory.
# An unusable user file put in the renamed directory: run and finish are
# not started (one line says why), never as root; fixed, run starts.
# s6-svwait -d and -D (else listen_events) listening on event/ before
# the rename hear the d and D events after it.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
claim_uid 62721
enter_namespace "$@"
make_workdir
open_events
make_held_service "$WORK/svc" svc 62721
start_supervisor svc "$WORK/svc"
wait_events "start svc " 1
wait_field "$WORK/svc" pid "$(start_pid svc)"
S6=
command -v s6-svwait >/dev/null 2>&1 && S6=yes
if [ -n "$S6" ]; then
	start_waiter down s6-svwait -d -t 30000 "$WORK/svc"
	start_waiter finished s6-svwait -D -t 30000 "$WORK/svc"
	wait_listeners "$WORK/svc" 2
else
	say "no s6-svwait: listening with listen_events"
	listen_events "$WORK/svc/event" "$WORK/letters"
fi

say "renamed, and another directory takes its name"
mv "$WORK/svc" "$WORK/moved"
S=$WORK/moved
make_marked_service "$WORK/svc" impostor
echo SIGTERM >"$WORK/svc/down-signal"

# expect_run N: the Nth start of svc came, as uid 62721, in the renamed
# directory, and the status says so.
expect_run() {
	wait_events "start svc " "$1"
	[ "$(start_uid svc)" = 62721 ] ||
		fail "run number $1 has uid $(start_uid svc), not 62721"
	[ "$(readlink "/proc/$(start_pid svc)/cwd")" = "$S" ] ||
		fail "run number $1 runs in $(readlink "/proc/$(start_pid svc)/cwd")"
	wait_field "$S" pid "$(start_pid svc)"
}

say "d: its own down-signal, its finish as its user"
control "$S" d
wait_events "finish svc " 1
expect_events "hup svc " 1
expect_events "term svc " 0
expect_events "finish svc 62721" 1
wait_field "$S" state down
if [ -n "$S6" ]; then
	waiter_exits down 0 "s6-svwait -d"
	waiter_exits finished 0 "s6-svwait -D"
else
	wait_for 10 "events d and D" sh -c 'grep -q d "$1" && grep -q D "$1"' \
		sh "$WORK/letters"
fi

say "u, then k: restarted as its user"
control "$S" u
expect_run 2
control "$S" k
expect_run 3

say "D creates down in the renamed directory; U removes it"
control "$S" D
wait_events "finish svc " 3
expect_events "hup svc " 2
wait_field "$S" state down
[ -e "$S/down" ] || fail "no down file in $S"
[ ! -e "$WORK/svc/down" ] || fail "a down file at the old name"
control "$S" U
expect_run 4
[ ! -e "$S/down" ] || fail "$S/down is still there after U"

say "an unusable user file in the renamed directory: not started, not as root"
echo nosuchuser >"$S/user"
control "$S" k
wait_for 10 "a line about the user file" \
	grep -q 'svc: warning: user: no such user.*run and finish not started' \
	"$WORK/svc.err"
wait_field "$S" state down
expect_events "start svc " 4
expect_events "finish svc " 3
echo 62721:62721 >"$S/user"
expect_run 5
[ "$(count_lines "$WORK/svc.err" "warning: user:")" = 1 ] ||
	fail "not one line about the user file: $(cat "$WORK/svc.err")"
expect_events "start impostor " 0
expect_events "term svc " 0
expect_events "finish svc 0" 0
stop_supervisor
exit 0
