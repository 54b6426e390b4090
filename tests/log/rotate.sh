#!/bin/sh
# hotsv-log rotates current before it would exceed -s, only between
# lines, keeps -n archives named so that they sort by time, and rotates
# on SIGALRM (but not an empty current).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

# 5000 numbered lines through 4096-byte files, three archives kept.
D=$WORK/size
seq 1 5000 | hotsv-log -s 4096 -n 3 "$D" 2>"$WORK/size.err" ||
	fail "hotsv-log exited $?"
has_archives "$D" 3 ||
	fail "$(archive_count "$D") archives kept, not 3: $(ls "$D")"
[ "$(ls "$D" | grep -v -c '^@[0-9a-f]\{24\}\.s$')" = 2 ] ||
	fail "unexpected files in $D: $(ls "$D")"
prev=
for f in $(log_files "$D"); do
	size=$(wc -c <"$f")
	[ "$size" -le 4096 ] || fail "$f holds $size bytes, more than 4096"
	ends_with_newline "$f" || fail "$f ends inside a line"
	# Each archive was full: its successor's first line did not fit.
	if [ -n "$prev" ]; then
		next=$(head -n 1 "$f" | wc -c)
		[ $((prev + next)) -gt 4096 ] ||
			fail "rotated at $prev bytes although $next more fit"
	fi
	prev=$size
done
# Name order is time order is line order, and nothing is cut.
first=$(log_text "$D" | head -n 1)
seq "$first" 5000 >"$WORK/want"
log_text "$D" | cmp -s - "$WORK/want" ||
	fail "archives in name order and current are not lines $first-5000"
[ "$first" -gt 1 ] || fail "old archives were not deleted"

# SIGALRM rotates at once; with an empty current it does nothing.
D=$WORK/alarm
start_logger "$D"
send_line "$D" one
kill -ALRM "$LOGGER"
wait_for 10 "rotation on SIGALRM" has_archives "$D" 1
[ ! -s "$D/current" ] || fail "current not empty after the rotation"
kill -ALRM "$LOGGER"
send_line "$D" two
has_archives "$D" 1 || fail "an empty current was archived"
kill -ALRM "$LOGGER"
wait_for 10 "second rotation" has_archives "$D" 2
stop_logger
printf 'one\ntwo\n' >"$WORK/want"
log_text "$D" | cmp -s - "$WORK/want" || fail "SIGALRM archives out of order"
for f in $(log_files "$D"); do
	[ "$f" = "$D/current" ] || [ "$(wc -l <"$f")" = 1 ] ||
		fail "$f should hold one line"
done
exit 0
