#!/bin/sh
# hotsv-log --json: one JSON object per line with time (RFC 3339 UTC),
# service (from -p) and line, escaped so that python3's json module reads
# back the exact bytes: quotes, backslash, tab, a control byte, a byte
# that is not UTF-8; a cut piece keeps its backslash; no -p, no service.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir
need_python

long=0123456789012345678901234567890123456789tail

printf 'say "hi" \\ back\tslash \001 end\nplain caf\303\251\n\377x\n%s\n' "$long" |
	hotsv-log --json -p 'web' -l 40 "$WORK/dir" || fail "--json exited $?"
# What python3 reads back, one field per line, bytes as Latin-1 for the
# one that is not UTF-8 (hotsv-log writes it as \u00ff).
"$PYTHON" - "$WORK/dir/current" >"$WORK/parsed" 2>"$WORK/parse.err" <<'PY' ||
import datetime, json, sys
for text in open(sys.argv[1], encoding="utf-8", errors="strict"):
    obj = json.loads(text)
    assert sorted(obj) == ["line", "service", "time"], obj
    t = obj["time"]
    assert t.endswith("Z") and len(t) == 27, t
    when = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")
    now = datetime.datetime.utcnow()
    assert abs((now - when).total_seconds()) < 3600, t
    print(obj["service"] + "|" + repr(obj["line"]))
PY
	fail "not JSON as documented: $(cat "$WORK/parse.err") in $(cat "$WORK/dir/current")"
cat >"$WORK/want" <<'WANT'
web|'say "hi" \\ back\tslash \x01 end'
web|'plain café'
web|'ÿx'
web|'0123456789012345678901234567890123456789\\'
web|'tail'
WANT
cmp -s "$WORK/want" "$WORK/parsed" ||
	fail "fields differ: $(cat "$WORK/parsed")"

# Without -p there is no service; stdout works the same.
printf 'solo\n' | hotsv-log -j - >"$WORK/solo" || fail "-j - exited $?"
json_lines_valid "$WORK/solo"
grep -q '^{"time":"[0-9T:.-]*Z","line":"solo"}$' "$WORK/solo" ||
	fail "without -p: $(cat "$WORK/solo")"
exit 0
