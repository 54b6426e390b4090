#!/bin/sh
# Readiness and status through the notify socket (a file notify-socket in
# the service directory): run finds supervise/notify in NOTIFY_SOCKET;
# READY=1 makes it ready (event U); STATUS= shows in hotsv status (NOTE
# column, "status_text" in --json) and stays until replaced, as systemd
# keeps it; RELOADING=1 shows "[reloading]" until READY=1 ends the
# reload; STOPPING=1 shows "[stopping]"; a message from a child in run's
# process group counts.  The socket is mode 0600: another user cannot
# send.  Ignored: a message from a live process outside the service, and
# one over 4 KiB (4096 bytes is still fine).  A new run
# starts with none of what the last one said.  systemd-notify, if
# installed, works from a shell run.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
need_python
claim_uid 62711
enter_namespace "$@"
make_workdir

N=$WORK/n
make_notify_service "$N" n
mkdir -p "$N/event"
listen_events "$N/event" "$WORK/letters"
start_supervisor n "$N"
sup=$SUP
wait_events "start n " 1
run=$(status_field "$N" pid)
[ -S "$N/supervise/notify" ] || fail "no socket $N/supervise/notify"
tr '\0' '\n' <"/proc/$run/environ" | grep -qx "NOTIFY_SOCKET=$N/supervise/notify" ||
	fail "run's NOTIFY_SOCKET: $(tr '\0' '\n' <"/proc/$run/environ" | grep NOTIFY)"
expect_field "$N" state starting

say "refused: another user; ignored: a live process outside the service, one over 4 KiB"
[ "$(stat -c %a "$N/supervise/notify")" = 600 ] ||
	fail "$N/supervise/notify has mode $(stat -c %a "$N/supervise/notify")"
if send_as 62711 "$N/supervise/notify" "$(printf 'READY=1\nSTATUS=other user')"; then
	fail "uid 62711 could send to $N/supervise/notify"
fi
outsider_holds "$N/supervise/notify" "$(printf 'READY=1\nSTATUS=intruder')"
run_says n "$(padded_message 4097 "$(printf 'READY=1\nSTATUS=too big')")"
run_says n "$(padded_message 4096 "STATUS=booting")"
wait_field "$N" status_text booting
# Read in order: the outsider's message was judged while it lived.
touch "$WORK/outsider.letgo"
wait "$OUTSIDER"
expect_field "$N" state starting
expect_field "$N" ready false
has_event "$WORK/letters" U && fail "event U from an ignored message"

say "READY=1 from run; STATUS= from a child in its process group"
run_says n 'READY=1\nSTATUS=serving'
wait_field "$N" state ready
wait_for 10 "event U" has_event "$WORK/letters" U
[ $(($(status_flags "$N") & 8)) = 8 ] || fail "no ready flag in supervise/status"
expect_field "$N" stopping false
expect_field "$N" reloading false
run_says n 'child:STATUS=serving from a child'
wait_field "$N" status_text "serving from a child"
wait_note "$N" "serving from a child"

say "RELOADING=1, then READY=1 ends the reload; STATUS= stays"
hv hup "$N" || fail "hotsv hup exited $?"
wait_events "reloading n" 1
wait_field "$N" reloading true
expect_field "$N" status_text "serving from a child"
wait_note "$N" "serving from a child [reloading]"
run_says n 'READY=1'
wait_field "$N" reloading false
expect_field "$N" state ready
wait_note "$N" "serving from a child"

say "STOPPING=1 while it stops"
hv down "$N" || fail "hotsv down exited $?"
wait_events "stopping n" 1
wait_field "$N" stopping true
expect_field "$N" pid "$run"
expect_field "$N" status_text "serving from a child"
wait_note "$N" "serving from a child [stopping]"
touch "$WORK/n.letgo"
wait_field "$N" state down
expect_field "$N" status_text null
expect_field "$N" stopping false

say "a new run starts afresh"
rm "$WORK/n.letgo"
hv up "$N"
wait_events "start n " 2
wait_field "$N" pid "$(start_pid n)"
expect_field "$N" state starting
expect_field "$N" status_text null
expect_field "$N" stopping false
expect_field "$N" reloading false
touch "$WORK/n.letgo"
stop_supervisor "$sup"

if command -v systemd-notify >/dev/null 2>&1; then
	say "systemd-notify from a shell run"
	make_service "$WORK/sd" "systemd-notify --ready --status='up via systemd-notify' 2>'$WORK/sdnotify.err'
echo \"sdnotify \$?\" >>'$WORK/events'
exec sleep 100000"
	: >"$WORK/sd/notify-socket"
	start_supervisor sd "$WORK/sd"
	wait_field "$WORK/sd" state ready
	expect_field "$WORK/sd" status_text "up via systemd-notify"
	wait_events "sdnotify " 1
	expect_events "sdnotify 0" 1
	[ ! -s "$WORK/sdnotify.err" ] ||
		fail "systemd-notify said: $(cat "$WORK/sdnotify.err")"
	stop_supervisor
fi
exit 0
