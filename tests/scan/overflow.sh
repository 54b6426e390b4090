#!/bin/sh
# Lost inotify events: with hotsv-scan stopped (SIGSTOP), 20,000 empty
# directories come and go in SCANDIR, overflowing the kernel's event
# queue, while real services are removed, added, renamed and replaced.
# Once it runs again, the scanner rescans: every service of SCANDIR has
# exactly one supervisor and one run, and nothing else runs.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# SCANDIR on a tmpfs, with prep/ on the same one (mv stays a rename):
# 20,000 mkdir and rmdir took about 9 s on the disk of a loaded VM; the
# queue overflows all the same.
mount_tmpfs "$WORK/fs" 65536
use_scandir "$WORK/fs/scan"
mkdir "$WORK/fs/prep"
for i in 01 02 03 04 05 06 07 08 09 10; do
	make_marked_service "$SCANDIR/s$i"
	make_marked_service "$WORK/fs/prep/n$i"
done
make_marked_service "$WORK/fs/prep/s07"
start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"

kill -STOP "$SCAN"
wait_for 10 "hotsv-scan stopped" proc_state_is "$SCAN" T
say "20,000 directories created and removed while hotsv-scan is stopped"
seq -f "$SCANDIR/tmp%05g" 1 20000 >"$WORK/names"
xargs mkdir <"$WORK/names" || fail "mkdir of the short-lived directories"
rm -rf "$SCANDIR/s01" "$SCANDIR/s02" "$SCANDIR/s03" "$SCANDIR/s04" \
	"$SCANDIR/s05"
for i in 01 02 03 04 05 06 07 08 09 10; do
	mv "$WORK/fs/prep/n$i" "$SCANDIR/n$i"
done
mv "$SCANDIR/s06" "$SCANDIR/s06b"
rm -rf "$SCANDIR/s07"
mv "$WORK/fs/prep/s07" "$SCANDIR/s07"
xargs rmdir <"$WORK/names" || fail "rmdir of the short-lived directories"
kill -CONT "$SCAN"

SUPERVISION_WAIT=60 wait_supervision "$SCANDIR"
grep -q overflow "$WORK/scan.err" ||
	fail "the inotify queue did not overflow: the test proves nothing"
expect_events "start s07 " 2
expect_events "start s08 " 1
expect_events "start n01 " 1
expect_events "start s06b " 1
hv status --json >"$WORK/status.json" || fail "hotsv status exited $?"
sed 's/^{"name":"\([^"]*\)".*/\1/' "$WORK/status.json" >"$WORK/status.list"
service_names "$SCANDIR" | cmp -s - "$WORK/status.list" ||
	fail "hotsv status lists $(tr '\n' ' ' <"$WORK/status.list")"
[ "$(grep -c '"state":"up"' "$WORK/status.json")" = 15 ] ||
	fail "not all up: $(cat "$WORK/status.json")"
stop_scanner
exit 0
