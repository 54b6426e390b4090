#!/bin/sh
# A broken logger does not hold its service up: with log/run not
# executable, or missing, the service starts all the same and writes into
# the pipe hotsv-scan holds (no SIGPIPE), until the pipe is full.  Once
# log/run is fixed (chmod +x, or moved in), the logger starts and what
# the service wrote meanwhile arrives, followed by the rest: every line
# once, in order.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"

# Each service writes 20,000 lines of about 12 bytes, over three times
# what the pipe holds: it must block, then finish once its logger reads.
make_counting_service "$SCANDIR/noexec" noexec 20000
make_log_run "$SCANDIR/noexec/log" "$WORK/logs/noexec"
chmod -x "$SCANDIR/noexec/log/run"
make_counting_service "$SCANDIR/norun" norun 20000
mkdir "$SCANDIR/norun/log"
make_log_run "$WORK/norun-log" "$WORK/logs/norun"
start_scanner "$SCANDIR"

# pipe_holds TAG: TAG's run is up and has written nearly what the pipe
# holds (60,000 of its 65,536 bytes, as "wchar" counts them).
pipe_holds() {
	_pid=$(status_field "$1" pid)
	[ -n "$_pid" ] && [ "$_pid" != 0 ] &&
		[ "$(wchar "$_pid")" -ge 60000 ]
}

for tag in noexec norun; do
	wait_events "start $tag " 1
	wait_for 10 "$tag to fill its pipe" pipe_holds "$tag"
	[ ! -e "$WORK/logs/$tag" ] || fail "a logger ran for $tag"
	expect_field "$tag" deaths 0
done

say "chmod +x log/run; mv of a log/run into log/"
chmod +x "$SCANDIR/noexec/log/run"
mv "$WORK/norun-log/run" "$SCANDIR/norun/log/run"
for tag in noexec norun; do
	wait_for 15 "$tag's lines in its log" grep -qx "$tag 20000" \
		"$WORK/logs/$tag/current"
	log_text "$WORK/logs/$tag" | counted_lines "$tag" >"$WORK/got.list"
	expect_numbers "$tag's log" 1 20000 "$WORK/got.list"
	# Its last line is in the log before run says it saved N: wait.
	wait_events "saved $tag " 1
	expect_saves "$tag" 0
done
stop_scanner
exit 0
