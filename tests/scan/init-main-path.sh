#!/bin/sh
# The main command (hotsv-scan SCANDIR -- NAME) is looked for in PATH,
# as tini and a shell do, and nowhere else: with hotsv-scan installed as
# $WORK/opt/sbin/hotsv-scan (a copy), "-- mymain" runs the mymain found
# in PATH, not the one next to hotsv-scan, and exits with its code; with
# none in PATH it is not found (127), whatever lies next to hotsv-scan.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir -p "$WORK/opt/sbin" "$WORK/path"
cp "$HOTSV_BUILDDIR/src/hotsv-scan" "$WORK/opt/sbin/" ||
	fail "cannot copy hotsv-scan"
printf '#!/bin/sh\necho "mymain from PATH" >>"%s"\nexit 3\n' \
	"$WORK/events" >"$WORK/path/mymain"
printf '#!/bin/sh\necho "mymain next to hotsv-scan" >>"%s"\nexit 4\n' \
	"$WORK/events" >"$WORK/opt/sbin/mymain"
chmod +x "$WORK/path/mymain" "$WORK/opt/sbin/mymain"

# run_mymain CODE: the copy of hotsv-scan, PID 1 of a namespace, with
# $WORK/path first in PATH and "-- mymain", exits CODE.
run_mymain() {
	expect_exit "$1" "hotsv-scan -- mymain" env PATH="$WORK/path:$PATH" \
		unshare --pid --fork --mount-proc "$WORK/opt/sbin/hotsv-scan" \
		"$SCANDIR" -- mymain
}

say "-- mymain: the one in PATH"
run_mymain 3
expect_events "mymain from PATH" 1
expect_events "mymain next to" 0

say "none in PATH: 127"
rm "$WORK/path/mymain"
run_mymain 127
expect_events "mymain next to" 0
output_has "mymain" "hotsv-scan -- mymain"
exit 0
