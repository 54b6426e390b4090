#!/bin/sh
# log/ added to a running service takes effect at once: the service is
# restarted to write to the logger.  log/ removed again: the service is
# restarted to write to hotsv-scan's stdout, after the logger has read
# what was left in the pipe.  The service numbers its lines (and keeps
# counting across its restarts): every number appears exactly once,
# across hotsv-scan's stdout and the log, the log holding one run of
# consecutive numbers that the stdout lines before and after it frame.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
LOG=$WORK/logs/t
make_counting_service "$SCANDIR/t" t 1000000 1000000 "sleep 0.01"
make_log_run "$WORK/prep/log" "$LOG"
start_scanner "$SCANDIR"

# count_from FILE: the number of "t N" lines in FILE (0 if none).
count_from() {
	count_lines "$1" '^t [0-9]*$'
}

# more_lines FILE N: FILE holds more than N "t N" lines.
more_lines() {
	[ "$(count_from "$1")" -gt "$2" ]
}

wait_for 10 "t writing to hotsv-scan's stdout" more_lines "$WORK/scan.out" 20

say "log/ moved in"
mv "$WORK/prep/log" "$SCANDIR/t/log"
wait_for 10 "t writing to its log" more_lines "$LOG/current" 20
expect_field t/log state up
before=$(count_from "$WORK/scan.out")

say "log/ removed"
remove_tree "$SCANDIR/t/log"
wait_for 10 "t writing to hotsv-scan's stdout again" \
	more_lines "$WORK/scan.out" $((before + 20))
stop_scanner

# The log's lines and hotsv-scan's, put back together, count 1 to the
# end, and the log's lines come between hotsv-scan's first and second
# part.
logged=$(log_text "$LOG" | wc -l)
{
	sed -n "1,${before}p" "$WORK/scan.out"
	log_text "$LOG"
	sed -n "$((before + 1)),\$p" "$WORK/scan.out"
} | counted_lines t >"$WORK/got.list"
expect_numbers "stdout, log, stdout" 1 $(($(next_number t) - 1)) \
	"$WORK/got.list"
say "$before lines on stdout, then $logged in the log, then more on stdout"
expect_saves t 3
exit 0
