#!/bin/sh
# hotsv-scan --prefix: each line of a service without log/, from its
# stdout and its stderr, goes out on hotsv-scan's stdout as "NAME: line".
# Two services write 1,000 lines each on stdout and on stderr as fast as
# they can, lines of 100 to 6,000 bytes: every line of hotsv-scan's
# output is one whole line of one service behind that service's prefix,
# and each stream comes out in order, none lost.  Here hotsv-scan's
# stdout is a file; prefix-pipe.sh has it a pipe.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_chatty_service "$SCANDIR/alpha" alpha 1000
make_chatty_service "$SCANDIR/beta" beta 1000
touch "$WORK/go"
start_scanner --prefix "$SCANDIR"
wait_events "done alpha" 1
wait_events "done beta" 1
stop_scanner
expect_prefixed "$WORK/scan.out" 1000 alpha beta
exit 0
