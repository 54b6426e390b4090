#!/bin/sh
# hotsv env SERVICE: the names run gets, sorted, each after where it
# comes from: "inherited" (the supervisor's own environment, read from
# /proc, not hotsv's), ".hotsv/env", "env/"; a variable an empty file
# unsets is not there, and no value is shown.  --values adds them
# (a NUL byte's newline shown \x0a).  A bad file is one line on stderr and
# the rest is shown; a missing service exits 111.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
A=$SCANDIR/app
mkdir -p "$SCANDIR/.hotsv/env" "$WORK/secrets"
echo global >"$SCANDIR/.hotsv/env/HOTSV_TEST_GLOBAL"
echo global >"$SCANDIR/.hotsv/env/HOTSV_TEST_MINE"
make_service "$A"
mkdir "$A/env" "$A/env/HOTSV_TEST_DIR"
echo mine >"$A/env/HOTSV_TEST_MINE"
: >"$A/env/HOTSV_TEST_GONE"
printf 'a\000b\n' >"$A/env/HOTSV_TEST_NUL"
echo top-secret >"$WORK/secrets/db"
ln -s "$WORK/secrets/db" "$A/env/HOTSV_TEST_SECRET"

HOTSV_TEST_INHERITED=from-scanner HOTSV_TEST_GONE=inherited
export HOTSV_TEST_INHERITED HOTSV_TEST_GONE
start_scanner "$SCANDIR"
unset HOTSV_TEST_INHERITED HOTSV_TEST_GONE
wait_for 20 "app's supervisor locked" hotsv check app

say "names and sources"
hotsv env app >"$WORK/names" 2>"$WORK/names.err" || fail "hotsv env exited $?"
grep '^[^ ]*  *HOTSV_TEST_' "$WORK/names" | grep -v HOTSV_TEST_MARKS >"$WORK/got"
{
	printf '%-11s %s\n' .hotsv/env HOTSV_TEST_GLOBAL
	printf '%-11s %s\n' inherited HOTSV_TEST_INHERITED
	printf '%-11s %s\n' env/ HOTSV_TEST_MINE env/ HOTSV_TEST_NUL \
		env/ HOTSV_TEST_SECRET
} >"$WORK/want"
cmp -s "$WORK/want" "$WORK/got" || fail "hotsv env: $(files_diff "$WORK/want" "$WORK/got")"
! grep -q secret "$WORK/names" || fail "a value shown without --values"
grep -q '^inherited  *PATH$' "$WORK/names" || fail "no PATH: $(cat "$WORK/names")"
[ "$(grep -c "^hotsv: app: warning: env/HOTSV_TEST_DIR: is a directory" "$WORK/names.err")" = 1 ] ||
	fail "stderr: $(cat "$WORK/names.err")"

say "--values"
hotsv env --values app >"$WORK/values" 2>/dev/null || fail "hotsv env --values exited $?"
grep '^[^ ]*  *HOTSV_TEST_' "$WORK/values" | grep -v HOTSV_TEST_MARKS >"$WORK/got"
{
	printf '%-11s %s\n' .hotsv/env HOTSV_TEST_GLOBAL=global
	printf '%-11s %s\n' inherited HOTSV_TEST_INHERITED=from-scanner
	printf '%-11s %s\n' env/ HOTSV_TEST_MINE=mine env/ 'HOTSV_TEST_NUL=a\x0ab' \
		env/ HOTSV_TEST_SECRET=top-secret
} >"$WORK/want"
cmp -s "$WORK/want" "$WORK/got" ||
	fail "hotsv env --values: $(files_diff "$WORK/want" "$WORK/got")"

say "a missing service"
expect_exit 111 "hotsv env nosuch" hotsv env nosuch
stop_scanner
