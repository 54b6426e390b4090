#!/bin/sh
# A service is its directory, not its path (issue 11), under hotsv-scan.
# Services whose down-signal is SIGHUP and whose user is uid 62720 leave
# SCANDIR in four ways: moved out (mv), renamed inside it, a symlink
# entry deleted, a symlink entry replaced by rename (mv -T, as the
# kubelet re-points ..data) with one whose directory has neither file.
# Each time the old run gets its own directory's SIGHUP, not SIGTERM, and
# its finish runs as uid 62720, not as root; a renamed service comes
# back under its new name, the replacement runs as root.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
claim_uid 62720
enter_namespace "$@"
make_workdir
open_events
use_scandir "$WORK/scan"
mkdir "$WORK/out" "$WORK/targets"
for tag in moved renamed; do
	make_held_service "$SCANDIR/$tag" "$tag" 62720
done
for tag in link old; do
	make_held_service "$WORK/targets/$tag" "$tag" 62720
done
ln -s "$WORK/targets/link" "$SCANDIR/link"
ln -s "$WORK/targets/old" "$SCANDIR/swapped"
make_marked_service "$WORK/targets/new" new
start_scanner "$SCANDIR"
for tag in moved renamed link old; do
	wait_events "start $tag " 1
	[ "$(start_uid "$tag")" = 62720 ] ||
		fail "$tag's run has uid $(start_uid "$tag"), not 62720"
done

# expect_own_stop TAG: TAG's run was stopped by its own directory's
# SIGHUP and its finish ran as its user.
expect_own_stop() {
	wait_events "finish $1 " 1
	expect_events "hup $1 $(start_pid "$1")" 1
	expect_events "term $1 " 0
	expect_events "finish $1 62720" 1
}

say "moved out of SCANDIR"
mv "$SCANDIR/moved" "$WORK/out/moved"
expect_own_stop moved

say "renamed inside SCANDIR"
first=$(start_pid renamed)
mv "$SCANDIR/renamed" "$SCANDIR/renamed2"
wait_events "finish renamed " 1
expect_events "hup renamed $first" 1
expect_events "term renamed " 0
expect_events "finish renamed 62720" 1
wait_events "start renamed " 2
wait_field renamed2 pid "$(start_pid renamed)"

say "a symlink entry deleted"
rm "$SCANDIR/link"
expect_own_stop link

say "a symlink entry replaced by rename (mv -T)"
ln -s "$WORK/targets/new" "$SCANDIR/swapped.tmp"
mv -T "$SCANDIR/swapped.tmp" "$SCANDIR/swapped"
expect_own_stop old
wait_events "start new " 1
wait_field swapped pid "$(start_pid new)"
[ "$(proc_status "$(start_pid new)" Uid | cut -f1)" = 0 ] ||
	fail "the replacement runs as $(proc_status "$(start_pid new)" Uid)"

stop_scanner
exit 0
