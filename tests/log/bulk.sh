#!/bin/sh
# 200,000 numbered lines through hotsv-log arrive exactly once and in
# order, across many rotations, in two directories and on stdout.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

seq 1 200000 >"$WORK/want"
hotsv-log -s 65536 -n 1000 "$WORK/a" <"$WORK/want" 2>"$WORK/a.err" ||
	fail "hotsv-log exited $?"
[ "$(archive_count "$WORK/a")" -gt 10 ] || fail "too few rotations"
log_text "$WORK/a" | cmp -s - "$WORK/want" || fail "lines lost or reordered"

# With stamps, to two directories and stdout at once.
hotsv-log -t -s 100000 -n 1000 "$WORK/b" - "$WORK/c" <"$WORK/want" \
	>"$WORK/stdout" 2>"$WORK/b.err" || fail "hotsv-log -t exited $?"
for out in "$WORK/stdout" "$WORK/b" "$WORK/c"; do
	if [ -d "$out" ]; then
		log_text "$out"
	else
		cat "$out"
	fi | cut -d ' ' -f 2- | cmp -s - "$WORK/want" ||
		fail "$out: lines lost or reordered"
done
exit 0
