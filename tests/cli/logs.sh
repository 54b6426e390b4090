#!/bin/sh
# hotsv logs SERVICE...: the last N lines (10 by default) of every log
# directory under SERVICE/log/ (or log/ itself) that holds current,
# reaching back into hotsv-log's archives, only whole lines; one line for
# a service without log/ (exit 1, the others still shown); several logs
# each line behind "NAME: " (and "NAME/DIR: " for a service with several).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

logged_scandir web db
# 40 lines of 8 bytes in files of 100: several archives.
numbered_lines 'web-%03d' 1 40 >"$WORK/web.lines"
hotsv-log -s 100 -n 100 "$SCANDIR/web/log/main" <"$WORK/web.lines" ||
	fail "hotsv-log exited $?"
[ "$(archive_count "$SCANDIR/web/log/main")" -ge 3 ] ||
	fail "no archives to reach back into: $(ls "$SCANDIR/web/log/main")"

# expect_logs WANTFILE CODE ARGS...: hotsv logs ARGS prints WANTFILE
# exactly and exits CODE.
expect_logs() {
	_want=$1
	_code=$2
	shift 2
	hotsv logs "$@" >"$WORK/got" 2>"$WORK/got.err"
	_rc=$?
	[ "$_rc" = "$_code" ] ||
		fail "hotsv logs $* exited $_rc, not $_code: $(cat "$WORK/got.err")"
	cmp -s "$_want" "$WORK/got" ||
		fail "hotsv logs $*: got [$(cat "$WORK/got")], want [$(cat "$_want")]"
}

tail -n 3 "$WORK/web.lines" >"$WORK/want3"
expect_logs "$WORK/want3" 0 -n 3 web
tail -n 10 "$WORK/web.lines" >"$WORK/want10"
expect_logs "$WORK/want10" 0 web
# Back through archives, and past the first line.
tail -n 33 "$WORK/web.lines" >"$WORK/want33"
expect_logs "$WORK/want33" 0 -n 33 web
expect_logs "$WORK/web.lines" 0 --lines=1000 "$SCANDIR/web"
: >"$WORK/empty"
expect_logs "$WORK/empty" 0 -n 0 web

# A line still being written is not shown.
printf 'half a li' >>"$SCANDIR/web/log/main/current"
expect_logs "$WORK/want3" 0 -n 3 web

# No log/: one line, exit 1, and the others are still shown, labelled.
make_service "$SCANDIR/bare"
printf 'db-1\ndb-2\n' | hotsv-log "$SCANDIR/db/log" || fail "db log $?"
{
	echo "bare: no log/: its output goes to hotsv-scan's console"
	sed 's/^/web: /' "$WORK/want3"
	printf 'db: db-1\ndb: db-2\n'
} >"$WORK/want.merged"
expect_logs "$WORK/want.merged" 1 -n 3 bare web db
echo "bare: no log/: its output goes to hotsv-scan's console" >"$WORK/want.bare"
expect_logs "$WORK/want.bare" 1 bare

# Several log directories: log/ itself first, then each under it in name
# order, labelled with its name; a directory without current is none.
printf 'copy-1\n' | hotsv-log "$SCANDIR/db/log/copy" || fail "copy log $?"
mkdir "$SCANDIR/db/log/notalog"
printf 'db: db-2\ndb/copy: copy-1\n' >"$WORK/want.dirs"
expect_logs "$WORK/want.dirs" 0 -n 1 db
rm "$SCANDIR/db/log/current"
printf 'copy-1\n' >"$WORK/want.copy"
expect_logs "$WORK/want.copy" 0 -n 1 db

# Usage: no service, a bad count.
hotsv logs >/dev/null 2>&1
[ $? = 100 ] || fail "hotsv logs without a service did not exit 100"
hotsv logs -n many web >/dev/null 2>&1
[ $? = 100 ] || fail "hotsv logs -n many did not exit 100"
exit 0
