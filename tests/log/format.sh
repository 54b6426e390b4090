#!/bin/sh
# hotsv-log's line formats: -t (ISO 8601), -T (TAI64N), -p, their order,
# -l cutting with its backslash marker, "-" for stdout, several
# directories, and a last line without a newline.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

# near_now SECONDS: SECONDS (UTC) is within an hour of the clock.
near_now() {
	_d=$(($1 - $(date +%s)))
	[ "$_d" -gt -3600 ] && [ "$_d" -lt 3600 ]
}

# -t: ISO 8601 UTC with microseconds, then a space.
printf 'alpha\nbeta\n' | hotsv-log -t "$WORK/iso" || fail "-t exited $?"
iso='[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'
iso="$iso\\.[0-9]\\{6\\}Z"
[ "$(grep -c "^$iso alpha\$" "$WORK/iso/current")" = 1 ] &&
	[ "$(grep -c "^$iso beta\$" "$WORK/iso/current")" = 1 ] ||
	fail "-t lines: $(cat "$WORK/iso/current")"
stamp=$(head -n 1 "$WORK/iso/current" | cut -d ' ' -f 1)
near_now "$(date -u -d "$stamp" +%s)" || fail "-t stamp $stamp is not now"

# -T: "@" and 24 hex digits, 2^62 + 37 + the Unix time.
printf 'gamma\n' | hotsv-log -T - >"$WORK/tai.out" || fail "-T exited $?"
grep -q '^@[0-9a-f]\{24\} gamma$' "$WORK/tai.out" ||
	fail "-T line: $(cat "$WORK/tai.out")"
label=$(cut -c 2-17 "$WORK/tai.out")
near_now $((0x$label - 4611686018427387904 - 37)) ||
	fail "-T label @$label is not now"

# -p and the order of everything: TAI64N, ISO 8601, prefix, line.
printf 'delta\n' | hotsv-log -p 'web: ' -t -T - >"$WORK/all.out" ||
	fail "-p -t -T exited $?"
grep -q "^@[0-9a-f]\\{24\\} $iso web: delta\$" "$WORK/all.out" ||
	fail "-p -t -T line: $(cat "$WORK/all.out")"

# "-" is stdout, untouched; a last line without newline gets one.
printf 'one\n\nthree' | hotsv-log -p 'svc: ' - >"$WORK/plain.out" ||
	fail "- exited $?"
printf 'svc: one\nsvc: \nsvc: three\n' | cmp -s - "$WORK/plain.out" ||
	fail "stdout: $(cat "$WORK/plain.out")"

# -l: pieces of N bytes, each but the last ending with a backslash.
printf '0123456789ABC\nabcde\nxyz\n' | hotsv-log -l 5 - >"$WORK/cut.out" ||
	fail "-l exited $?"
printf '01234\\\n56789\\\nABC\nabcde\nxyz\n' | cmp -s - "$WORK/cut.out" ||
	fail "-l 5: $(cat "$WORK/cut.out")"
# The default limit, 8192: a 20000-byte line is three pieces.
head -c 20000 /dev/zero | tr '\0' x >"$WORK/long"
echo >>"$WORK/long"
hotsv-log "$WORK/long.d" <"$WORK/long" || fail "long line: exited $?"
[ "$(wc -l <"$WORK/long.d/current")" = 3 ] &&
	[ "$(grep -c '^x\{8192\}\\$' "$WORK/long.d/current")" = 2 ] &&
	[ "$(grep -c '^x\{3616\}$' "$WORK/long.d/current")" = 1 ] ||
	fail "a 20000-byte line was not cut 8192+8192+3616"

# Several directories: each gets every line and rotates.
seq 1 3000 >"$WORK/want"
hotsv-log -s 3000 "$WORK/m1" - "$WORK/m2" <"$WORK/want" \
	>"$WORK/multi.out" 2>"$WORK/multi.err" || fail "several dirs: exited $?"
for d in "$WORK/m1" "$WORK/m2"; do
	log_text "$d" | cmp -s - "$WORK/want" || fail "$d: lines differ"
	[ "$(archive_count "$d")" -gt 1 ] || fail "$d did not rotate"
done
cmp -s "$WORK/want" "$WORK/multi.out" || fail "stdout copy differs"
exit 0
