#!/bin/sh
# hotsv-scan --prefix with its stdout a pipe, as under a container
# runtime, whose reader stalls now and then: as prefix.sh, every
# line that comes out is one whole line of one service behind its
# prefix, in order, none lost.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_chatty_service "$SCANDIR/alpha" alpha 1000
make_chatty_service "$SCANDIR/beta" beta 1000
# The console: a FIFO in place of scan.out, read by a cat that the test
# stalls (SIGSTOP) before the services start writing, and again and
# again until they are done.
mkfifo "$WORK/scan.out"
cat <"$WORK/scan.out" >"$WORK/console.txt" &
reader=$!
start_scanner --prefix "$SCANDIR"
stalls=0
until has_event "$WORK/events" "done alpha" &&
	has_event "$WORK/events" "done beta"; do
	kill -STOP "$reader"
	touch "$WORK/go"
	sleep 0.2
	kill -CONT "$reader"
	sleep 0.05
	stalls=$((stalls + 1))
	[ "$stalls" -lt 2000 ] || fail "services not done after $stalls stalls"
done
say "$stalls stalls"
stop_scanner
wait_gone "$reader" "the console's reader"
expect_prefixed "$WORK/console.txt" 1000 alpha beta
exit 0
