#!/bin/sh
# Without inotify, polling supervises: hotsv-scan runs as an unprivileged
# uid whose inotify instances a helper holds (inotify_init fails with
# EMFILE), and polls SCANDIR every second.  Services there at start run;
# one moved in and one made in place run (the latter once two polls saw
# the same run); one removed stops; one replaced is replaced, the old run
# stopped before the new one starts; log/ added gets its logger, log/
# removed loses it.  hotsv-scan says one warning in all.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
claim_uid 62417
enter_namespace "$@"
make_workdir
command -v setpriv >/dev/null 2>&1 || skip "needs setpriv"
# A uid no other test uses: its inotify instances are all taken here.
U=62417
as_uid "$U" true || skip "setpriv cannot change uid here"
chown "$U:$U" "$WORK"
chmod 755 "$WORK"
hog_inotify "$U"
say "uid $U holds $(cut -d ' ' -f 1 "$WORK/hog.out") inotify instances"

# runs TAG: a run of TAG is alive.
runs() {
	[ "$(tag_count "$1")" -ge 1 ]
}

# stopped TAG: no run of TAG is alive.
stopped() {
	[ "$(tag_count "$1")" = 0 ]
}

# no_logger: no supervisor runs for a log/.
no_logger() {
	! supervisor_list | grep -q ' log$'
}

use_scandir "$WORK/scan"
STATEDIR=$WORK/state
mkdir "$STATEDIR"
make_marked_service "$SCANDIR/a" a
make_marked_service "$SCANDIR/b" b
make_trapping_service "$SCANDIR/c" c1 c
touch "$WORK/events"
chown -R "$U:$U" "$SCANDIR" "$STATEDIR" "$WORK/events"
start_scanner_as "$U" -s "$STATEDIR" "$SCANDIR"
for tag in a b c1; do
	wait_for 20 "$tag running" runs "$tag"
done
[ "$(stat -c %u "/proc/$(status_field a pid)")" = "$U" ] ||
	fail "a does not run as uid $U"

say "a service moved in"
make_marked_service "$WORK/d" d
chown -R "$U:$U" "$WORK/d"
mv "$WORK/d" "$SCANDIR/d"
wait_for 20 "d running" runs d

say "a service made in place"
mkdir "$SCANDIR/e"
chown "$U:$U" "$SCANDIR/e"
make_marked_service "$WORK/e-prep" e
as_uid "$U" cp "$WORK/e-prep/run" "$SCANDIR/e/run"
wait_for 20 "e running" runs e

say "a service removed"
rm -rf "$SCANDIR/b"
wait_for 20 "b stopped" stopped b

say "a service replaced"
make_trapping_service "$WORK/c2" c2 c
chown -R "$U:$U" "$WORK/c2"
rm -rf "$SCANDIR/c" && mv "$WORK/c2" "$SCANDIR/c"
wait_for 20 "c2 running" runs c2
wait_for 20 "c1 stopped" stopped c1
expect_events "overlap" 0
expect_before "stop c1" "start c2"

say "log/ added and removed"
make_log_run "$WORK/log-prep" "$WORK/logs/a"
chown -R "$U:$U" "$WORK/log-prep" "$WORK/logs"
mv "$WORK/log-prep" "$SCANDIR/a/log"
wait_for 20 "a's logger up" field_is a/log state up
remove_tree "$SCANDIR/a/log"
wait_for 20 "a's logger gone" no_logger
wait_for 20 "a running" runs a
stop_scanner

# One warning, the one that says why hotsv-scan polls.
grep 'warning' "$WORK/scan.err" >"$WORK/warnings"
[ "$(wc -l <"$WORK/warnings")" = 1 ] ||
	fail "not one warning: $(cat "$WORK/warnings")"
grep -q 'inotify unavailable.*rescanning' "$WORK/warnings" ||
	fail "the warning does not say why: $(cat "$WORK/warnings")"
exit 0
