#!/bin/sh
# hotsv-scan restarts a service whose directory is replaced, stopping the
# old instance before the new one starts: a symlink re-pointed with
# rename(2), a ConfigMap volume updated as the kubelet does it (..data
# swap; an update with the same content restarts nothing), a directory
# renamed inside SCANDIR, a directory moved out with a new one written in
# its place at once.  Two instances never run at once, and an old one is
# stopped with its own finish while its directory still exists.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir "$WORK/v" "$WORK/out"
start_scanner "$SCANDIR"

say "symlink re-pointed by renaming a new symlink over it"
make_trapping_service "$WORK/v/one" web1 web
make_trapping_service "$WORK/v/two" web2 web
ln -s "$WORK/v/one" "$SCANDIR/web"
wait_events "start web1 " 1
ln -s "$WORK/v/two" "$SCANDIR/.web.tmp"
mv -T "$SCANDIR/.web.tmp" "$SCANDIR/web"
wait_events "start web2 " 1
expect_events "stop web1 " 1
expect_before "stop web1 " "start web2 "
expect_before "finish web1 0 0" "start web2 "
wait_supervision "$SCANDIR" web2
expect_events "start web1 " 1
expect_events "start web2 " 1
expect_no_overlap

say "directory renamed inside SCANDIR"
make_trapping_service "$SCANDIR/a" '${PWD##*/}' ab
wait_events "start a " 1
mv "$SCANDIR/a" "$SCANDIR/b"
wait_events "start b " 1
expect_before "stop a " "start b "
wait_supervision "$SCANDIR" web2 b
expect_events "start a " 1
expect_events "start b " 1
expect_no_overlap

say "moved out, and a new directory written in its place at once"
make_trapping_service "$SCANDIR/c" c1 c
make_trapping_service "$WORK/v/c2" c2 c
wait_events "start c1 " 1
old=$(supervisor_of c)
mv "$SCANDIR/c" "$WORK/out/c"
mkdir "$SCANDIR/c"
# run is still open for writing when the old supervisor has gone.
exec 3>"$SCANDIR/c/run"
chmod 755 "$SCANDIR/c/run"
wait_gone "$old" "the supervisor of c1"
# hotsv-scan has looked at the new c and waits for its run: not before.
wait_scan_settled
expect_events "start c2 " 0
cat "$WORK/v/c2/run" >&3
exec 3>&-
wait_events "start c2 " 1
expect_before "stop c1 " "start c2 "
expect_before "finish c1 0 0" "start c2 "
wait_supervision "$SCANDIR" web2 b c2
expect_no_overlap
stop_scanner

say "ConfigMap volume: ..data swapped as the kubelet does"
# The kubelet writes HOST; the container sees it read-only at SCANDIR.
HOST=$WORK/cmhost
use_scandir "$WORK/cm"
STATEDIR=$WORK/state
mkdir "$HOST" "$HOST/..2026_11_29_01.000000001"
make_trapping_service "$HOST/..2026_11_29_01.000000001/svc" v1 cm
ln -s ..2026_11_29_01.000000001 "$HOST/..data"
ln -s ..data/svc "$HOST/svc"
bind_readonly "$SCANDIR" "$HOST"
start_scanner -s "$STATEDIR" "$SCANDIR"
wait_events "start v1 " 1
wait_field svc state up

# kubelet_update OLD NEW: publish the timestamped directory NEW (already
# written) in place of OLD.
kubelet_update() {
	ln -s "$2" "$HOST/..data_tmp"
	mv -T "$HOST/..data_tmp" "$HOST/..data"
	rm -rf "${HOST:?}/$1"
}

mkdir "$HOST/..2026_11_29_02.000000002"
make_trapping_service "$HOST/..2026_11_29_02.000000002/svc" v2 cm
kubelet_update ..2026_11_29_01.000000001 ..2026_11_29_02.000000002
wait_events "start v2 " 1
expect_events "stop v1 " 1
expect_before "stop v1 " "start v2 "
wait_supervision "$SCANDIR" v2
wait_field svc state up

say "ConfigMap updates with the same content, twice"
old=..2026_11_29_02.000000002
sup=$(supervisor_of svc)
run=$(status_field svc pid)
for new in ..2026_11_29_03.000000003 ..2026_11_29_04.000000004; do
	cp -a "$HOST/$old" "$HOST/$new"
	kubelet_update "$old" "$new"
	old=$new
	# Once hotsv-scan and the supervisor have nothing due, a restart
	# would have begun (a stop at least, in the supervisor's status).
	wait_scan_settled
	[ "$(supervisor_of svc)" = "$sup" ] || fail "svc's supervisor replaced"
	expect_field svc want up
	expect_field svc pid "$run"
	expect_supervision "$SCANDIR" v2
	expect_events "start v2 " 1
	expect_events "stop v2 " 0
	expect_field svc state up
done
expect_events "start v1 " 1
expect_no_overlap
stop_scanner
expect_events "stop v2 " 1
exit 0
