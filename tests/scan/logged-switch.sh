#!/bin/sh
# log/ added, removed and replaced on a running service at any pace (at
# once, within 100 ms, after a second), without and with --prefix: the
# service's lines go to exactly one place at a time, the new log/ or the
# console (with its "w: " prefix under -p), and none is lost or written
# twice across the switches.  The service numbers its lines and keeps
# counting across its restarts; every destination holds a run of
# increasing numbers and all of them together hold 1 to the last, once
# each.  At the end: one logger, no restart loop, no supervisor that
# lost its directory, and "hotsv restart w/log" works on the last log/.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

# console_count: how many of w's lines hotsv-scan's stdout holds.
console_count() {
	count_lines "$WORK/scan.out" "^$CONSOLE_PREFIX""w [0-9]*\$"
}

# log_count N: how many of w's lines log N holds.
log_count() {
	log_text "$WORK/logs/$MODE-$1" >"$WORK/log.text"
	count_lines "$WORK/log.text" '^w [0-9]*$'
}

# console_grew N: the console holds more than N of w's lines.
console_grew() {
	[ "$(console_count)" -gt "$1" ]
}

# log_grew N M: log N holds more than M of w's lines.
log_grew() {
	[ "$(log_count "$1")" -gt "$2" ]
}

# no_logger: no supervisor runs for a log/.
no_logger() {
	! supervisor_list | grep -q ' log$'
}

# Ten lines (0.15 s of w's output at least) show where w writes now;
# every line is checked at the end.
STEP_LINES=10

# to_console: wait until w writes to the console again (STEP_LINES more
# lines), its last logger gone.
to_console() {
	_was=$(console_count)
	wait_for 30 "w writing to the console ($MODE)" console_grew $((_was + STEP_LINES))
	wait_for 30 "w's logger gone ($MODE)" no_logger
}

# to_log N: wait until w writes to log N (STEP_LINES lines).
to_log() {
	wait_for 30 "w writing to log $1 ($MODE)" log_grew "$1" "$STEP_LINES"
}

# prepare_log N: a log/ ready to move in, logging to $WORK/logs/MODE-N.
prepare_log() {
	make_log_run "$WORK/prep/$MODE-$1" "$WORK/logs/$MODE-$1"
}

# numbers_of FILE [PREFIX]: the numbers of w's lines in FILE (behind
# PREFIX), one a line.
numbers_of() {
	sed -n "s/^${2:-}w \\([0-9]*\\)\$/\\1/p" "$1"
}

# expect_increasing FILE: the numbers in FILE increase line by line.
expect_increasing() {
	awk 'NR > 1 && $1 <= last { print NR ": " $1 " after " last; exit }
	{ last = $1 }' "$1" >"$WORK/order.bad"
	[ ! -s "$WORK/order.bad" ] || fail "$1 out of order: $(cat "$WORK/order.bad")"
}

# run_mode MODE [OPTION]: the whole sequence under hotsv-scan OPTION.
run_mode() {
	MODE=$1
	shift
	CONSOLE_PREFIX=
	[ "$MODE" = prefix ] && CONSOLE_PREFIX='w: '
	: >"$WORK/scan.out"
	: >"$WORK/scan.err"
	: >"$WORK/events"
	rm -f "$WORK/w.next"
	use_scandir "$WORK/scan-$MODE"
	make_counting_service "$SCANDIR/w" w 1000000 1000000 "sleep 0.01"
	for n in 1 2 3 4 5 6 7; do prepare_log $n; done
	start_scanner "$@" "$SCANDIR"
	to_console

	say "$MODE: log/ moved in"
	mv "$WORK/prep/$MODE-1" "$SCANDIR/w/log"
	to_log 1

	say "$MODE: log/ removed"
	rm -rf "$SCANDIR/w/log"
	to_console

	say "$MODE: log/ made in place"
	mkdir "$SCANDIR/w/log"
	cp "$WORK/prep/$MODE-2/run" "$SCANDIR/w/log/run"
	to_log 2

	say "$MODE: log/ replaced at once"
	rm -rf "$SCANDIR/w/log" && mv "$WORK/prep/$MODE-3" "$SCANDIR/w/log"
	to_log 3
	_old=$(logger_pid w)
	hv restart w/log || fail "hotsv restart w/log exited $?"
	wait_for 10 "a new logger for w" new_logger w "$_old"

	say "$MODE: log/ removed and back within 100 ms"
	rm -rf "$SCANDIR/w/log"
	sleep 0.05
	mv "$WORK/prep/$MODE-4" "$SCANDIR/w/log"
	to_log 4

	say "$MODE: log/ removed and back after a second"
	rm -rf "$SCANDIR/w/log"
	to_console
	sleep 1
	mv "$WORK/prep/$MODE-5" "$SCANDIR/w/log"
	to_log 5

	say "$MODE: log/ removed, added and removed again at once"
	rm -rf "$SCANDIR/w/log"
	mv "$WORK/prep/$MODE-6" "$SCANDIR/w/log"
	rm -rf "$SCANDIR/w/log"
	to_console

	say "$MODE: log/ back for good"
	mv "$WORK/prep/$MODE-7" "$SCANDIR/w/log"
	to_log 7
	_base=$(log_count 7)
	wait_for 30 "w going on writing to log 7" log_grew 7 $((_base + 50))

	# One logger, for the last log/, and nothing looping or lost.
	supervisor_list >"$WORK/sup.list"
	[ "$(grep -c ' log$' "$WORK/sup.list")" = 1 ] ||
		fail "$MODE: not one logger supervisor: $(cat "$WORK/sup.list")"
	expect_field w/log state up
	# The logger's run restarted once: by hotsv restart w/log.
	[ "$(count_lines "$WORK/scan.err" 'restarting')" = 1 ] ||
		fail "$MODE: the logger restarted more than once"
	for what in 'died' 'No such file' 'starting another'; do
		[ "$(count_lines "$WORK/scan.err" "$what")" = 0 ] ||
			fail "$MODE: '$what' in hotsv-scan's stderr"
	done
	stop_scanner

	# Each destination in order; all of them together once each.
	numbers_of "$WORK/scan.out" "$CONSOLE_PREFIX" >"$WORK/$MODE.console"
	expect_increasing "$WORK/$MODE.console"
	# Under -p, every console line has its prefix; without, none.
	_unwanted='^w [0-9]'
	[ "$MODE" = prefix ] || _unwanted='^w: '
	[ "$(count_lines "$WORK/scan.out" "$_unwanted")" = 0 ] ||
		fail "$MODE: console lines matching '$_unwanted'"
	cp "$WORK/$MODE.console" "$WORK/$MODE.all"
	for n in 1 2 3 4 5 6 7; do
		log_text "$WORK/logs/$MODE-$n" >"$WORK/log.text"
		numbers_of "$WORK/log.text" >"$WORK/$MODE.log$n"
		expect_increasing "$WORK/$MODE.log$n"
		cat "$WORK/$MODE.log$n" >>"$WORK/$MODE.all"
	done
	sort -n "$WORK/$MODE.all" >"$WORK/$MODE.sorted"
	expect_numbers "$MODE: console and logs together" 1 \
		$(($(next_number w) - 1)) "$WORK/$MODE.sorted"
	say "$MODE: $(wc -l <"$WORK/$MODE.sorted") lines, $(wc -l \
		<"$WORK/$MODE.console") on the console"
	[ "$(event_count "start w ")" = "$(event_count "saved w ")" ] ||
		fail "$MODE: a run of w ended without saving N"
}

run_mode plain
run_mode prefix -p
exit 0
