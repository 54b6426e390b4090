#!/bin/sh
# hotsv-scan --prefix=json: the output of a service without log/ comes
# out on hotsv-scan's stdout as JSON lines (time, service, line) that
# python3's json module reads back exactly, stdout and stderr alike,
# escapes included; a format other than text or json is a usage error.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
need_python

use_scandir "$WORK/scan"
make_service "$SCANDIR/web" "printf 'say \"hi\" \\\\ back\\tslash \\001 end\\n'
echo to-stderr >&2
echo last
exec sleep 100000"
start_scanner --prefix=json "$SCANDIR"
wait_lines "$WORK/scan.out" '"line":"last"' 1
stop_scanner
grep '"service":"web"' "$WORK/scan.out" >"$WORK/web.json"
json_lines_valid "$WORK/web.json"
"$PYTHON" - "$WORK/web.json" >"$WORK/parsed" 2>"$WORK/parse.err" <<'PY' ||
import json, sys
lines = {}
for text in open(sys.argv[1], encoding="utf-8", errors="strict"):
    obj = json.loads(text)
    assert sorted(obj) == ["line", "service", "time"], obj
    assert obj["time"].endswith("Z"), obj
    lines[obj["line"]] = obj["service"]
for line in sorted(lines):
    print(lines[line] + "|" + repr(line))
PY
	fail "not JSON as documented: $(cat "$WORK/parse.err") in $(cat "$WORK/scan.out")"
cat >"$WORK/want" <<'WANT'
web|'last'
web|'say "hi" \\ back\tslash \x01 end'
web|'to-stderr'
WANT
cmp -s "$WORK/want" "$WORK/parsed" ||
	fail "fields differ: $(cat "$WORK/parsed") in $(cat "$WORK/scan.out")"

# A bad format is a usage error.
hotsv-scan --prefix=yaml "$SCANDIR" >/dev/null 2>"$WORK/bad.err"
rc=$?
[ "$rc" = 100 ] || fail "--prefix=yaml exited $rc, not 100"
exit 0
