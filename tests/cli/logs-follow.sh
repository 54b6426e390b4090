#!/bin/sh
# hotsv logs -f: after the last lines, every line written later, across
# rotations forced by SIGALRM (lines right before and right after) and
# many rotations on size within one write (tiny files): the exact
# sequence, nothing lost or doubled, whole lines only; SIGINT ends it
# with exit 0.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

logged_scandir web
dir=$SCANDIR/web/log/main
start_logger -s 64 -n 100000 "$dir"
for i in 1 2 3 4 5; do
	send_line "$dir" "early-$i"
done

hotsv logs -f -n 2 web >"$WORK/follow.out" 2>"$WORK/follow.err" &
FOLLOWER=$!
printf 'early-4\nearly-5\n' >"$WORK/want"
wait_lines "$WORK/follow.out" '^early-5$' 1

# Lines, then a forced rotation, then lines.
for i in 1 2 3; do
	send_line "$dir" "before-$i"
	echo "before-$i" >>"$WORK/want"
done
archived=$(archive_count "$dir")
kill -ALRM "$LOGGER"
wait_for 10 "a rotation of $dir" has_archives "$dir" $((archived + 1))
follower_shows "$WORK/follow.out" "$WORK/want"
for i in 1 2 3; do
	send_line "$dir" "after-$i"
	echo "after-$i" >>"$WORK/want"
done
follower_shows "$WORK/follow.out" "$WORK/want"

# A line, the rotation and the next line back to back.
printf 'tight-1\n' >&3
kill -ALRM "$LOGGER"
printf 'tight-2\n' >&3
printf 'tight-1\ntight-2\n' >>"$WORK/want"
follower_shows "$WORK/follow.out" "$WORK/want"

# 300 lines in one write: a rotation every six lines, many of them
# between two wake-ups of the follower.
numbered_lines 'bulk-%04d' 1 300 >"$WORK/bulk"
cat "$WORK/bulk" >&3
cat "$WORK/bulk" >>"$WORK/want"
follower_shows "$WORK/follow.out" "$WORK/want"
[ "$(archive_count "$dir")" -ge 40 ] ||
	fail "only $(archive_count "$dir") rotations"

# A line written in two pieces (as by a writer cut short) shows once,
# whole: the follower has read the first piece before the second comes.
# read_all FILE: the follower has read FILE to its end.
read_all() {
	for _fd in /proc/"$FOLLOWER"/fd/*; do
		[ "$(readlink "$_fd")" = "$1" ] || continue
		[ "$(sed -n 's/^pos:[[:space:]]*//p' "/proc/$FOLLOWER/fdinfo/${_fd##*/}")" = \
			"$(wc -c <"$1")" ] && return 0
	done
	return 1
}
printf 'half-' >>"$dir/current"
wait_for 10 "hotsv logs -f reading the first half" read_all "$dir/current"
printf 'and-half\n' >>"$dir/current"
send_line "$dir" last
printf 'half-and-half\nlast\n' >>"$WORK/want"
follower_shows "$WORK/follow.out" "$WORK/want"

kill -INT "$FOLLOWER"
wait "$FOLLOWER"
rc=$?
[ "$rc" = 0 ] || fail "hotsv logs -f exited $rc on SIGINT: $(cat "$WORK/follow.err")"
cmp -s "$WORK/want" "$WORK/follow.out" || fail "lines came after the end"
stop_logger
exit 0
