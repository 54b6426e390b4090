#!/bin/sh
# The hotsv command's edges.  "hotsv wait --any" ends with 0 once one
# service gets there, reporting a missing one in one line without
# failing (without --any, a missing service fails the wait at once).
# "--" ends a command's options, as getopt's do, and an unknown option
# is a usage error.  "hotsv shutdown -c" takes digits only, 0 to 255:
# " 3" is refused with one line naming it and sends nothing.  "hotsv
# status" shows valid UTF-8 names as they are (café, 漢字), escapes
# control characters (C1 too) as \xNN, pads by display columns, and
# --json stays strict JSON.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
need_python

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/web"
make_gated_service "$SCANDIR/gated" gated
make_marked_service "$SCANDIR/-x"
CAFE=$(printf 'caf\303\251')
KANJI=$(printf '\346\274\242\345\255\227')
C1=$(printf 'c1\302\205x')
make_marked_service "$SCANDIR/$CAFE"
make_marked_service "$SCANDIR/$KANJI"
make_marked_service "$SCANDIR/$C1"
start_scanner "$SCANDIR"
# -x by its path: status_field does not write "--".
for svc in web "$SCANDIR/-x" "$CAFE" "$KANJI" "$C1"; do
	wait_field "$svc" state up
done
wait_field gated state starting

say "wait --any: one success wins, a missing service is only reported"
expect_exit 0 "hotsv wait --any ready web nosuch" \
	hv wait --any ready web nosuch
output_has '^hotsv: nosuch: no such service$' "hotsv wait --any"
[ "$(wc -l <"$WORK/cmd.out")" = 1 ] ||
	fail "hotsv wait --any: not one line: $(cat "$WORK/cmd.out")"
start_waiter any hv wait --any ready nosuch gated
wait_listeners "$SCANDIR/gated" 1
touch "$WORK/gated.go"
waiter_exits any 0 "hotsv wait --any ready nosuch gated" \
	'^hotsv: nosuch: no such service$'
expect_exit 1 "hotsv wait ready web nosuch" hv wait ready web nosuch
output_has '^hotsv: nosuch: no such service$' "hotsv wait"
expect_exit 1 "hotsv wait --any ready nosuch other" \
	hv wait --any ready nosuch other
expect_exit 99 "hotsv wait -t 300 --any down web nosuch" \
	hv wait -t 300 --any down web nosuch
output_has '^hotsv: web: not down in time$' "hotsv wait -t 300 --any"

say "-- ends the options; an unknown option is a usage error"
expect_exit 0 "hotsv status -- -x" hv status -- -x
output_has '^-x  *up ' "hotsv status -- -x"
expect_exit 0 "hotsv status --json -- -x" hv status --json -- -x
output_has '^{"name":"-x","state":"up",' "hotsv status --json -- -x"
expect_exit 0 "hotsv check -- -x" hv check -- -x
expect_exit 0 "hotsv wait -t 5000 -- up -x" hv wait -t 5000 -- up -x
pid=$(start_pid -x)
starts=$(event_count "start -x ")
expect_exit 0 "hotsv restart --wait -- -x" hv restart --wait -- -x
# "up" is the new run spawned, not yet its start line written.
wait_events "start -x " $((starts + 1)) 10
[ "$(start_pid -x)" != "$pid" ] || fail "-x did not restart"
for cmd in status check up wait; do
	expect_exit 100 "hotsv $cmd -x" hv $cmd -x
	output_has "^hotsv: $cmd: unknown option -x\$" "hotsv $cmd -x"
done
expect_exit 100 "hotsv status --jsn" hv status --jsn
output_has '^hotsv: status: unknown option --jsn$' "hotsv status --jsn"
expect_exit 100 "hotsv wait -t" hv wait -t
output_has '^hotsv: wait: -t needs a value$' "hotsv wait -t"

say "hotsv shutdown -c: digits only, 0 to 255"
for bad in ' 7' '7 ' '+7' '-1' '256' '7x' '' '0x7'; do
	expect_exit 100 "hotsv shutdown -c '$bad'" hv shutdown -c "$bad"
	output_has "^hotsv: shutdown: -c '$bad': not a code from 0 to 255" \
		"hotsv shutdown -c '$bad'"
	[ "$(wc -l <"$WORK/cmd.out")" = 1 ] ||
		fail "hotsv shutdown -c '$bad': not one line: $(cat "$WORK/cmd.out")"
done
pid_alive "$SCAN" || fail "hotsv-scan is gone after refused codes"

say "UTF-8 names as they are, controls escaped, columns by display width"
expect_exit 0 "hotsv status" hv status
# The widest name, c1\xc2\x85x, takes 11 columns; the others are padded
# to it by columns, not bytes (café: 5 bytes, 漢字: 6), then two spaces.
output_has '^SERVICE      STATE ' "hotsv status: header"
output_has '^c1\\xc2\\x85x  up ' "hotsv status: c1\\xc2\\x85x"
for name in "$CAFE" "$KANJI"; do
	output_has "^$name         up " "hotsv status: $name"
done
output_has '^-x           up ' "hotsv status: -x"
hv status --json >"$WORK/status.json" || fail "hotsv status --json exited $?"
json_lines_valid "$WORK/status.json"
"$PYTHON" -c '
import json, sys
names = sorted(json.loads(line)["name"] for line in open(sys.argv[1], encoding="utf-8"))
want = sorted(["web", "gated", "-x", "caf\u00e9", "\u6f22\u5b57", "c1\u0085x"])
if names != want:
    sys.exit("names %r, want %r" % (names, want))
' "$WORK/status.json" || fail "hotsv status --json: $(cat "$WORK/status.json")"
grep -q "\"name\":\"$CAFE\"" "$WORK/status.json" ||
	fail "café is escaped in JSON: $(cat "$WORK/status.json")"
grep -q '"name":"c1\\u0085x"' "$WORK/status.json" ||
	fail "the C1 control is not escaped in JSON: $(cat "$WORK/status.json")"

say "hotsv shutdown -c 3: hotsv-scan exits 3"
# gated's finish (timeout-finish 0) ends once gated.fin exists: let it,
# so that the shutdown waits for no grace time.
touch "$WORK/gated.fin"
expect_exit 0 "hotsv shutdown -c 3" hv shutdown -c 3
scanner_exits 3
expect_no_sigkill
exit 0
