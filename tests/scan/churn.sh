#!/bin/sh
# 300 services added and removed in random order by 4 writers at once
# (moved in, copied in, written in place; removed by rm -rf or moved out;
# some flipped twice in a row), the order from a seed (HOTSV_TEST_SEED
# replays it).  Once the writers are done, every service of SCANDIR has
# exactly one supervisor and one run, and no other supervisor or run is
# left.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_seed
# SCANDIR and the directories moved in and out of it on a tmpfs (mv
# stays a rename): making and removing hundreds of service directories
# and the supervisors' files in them is slow on the disk of a loaded VM,
# and proves no more there.
mount_tmpfs "$WORK/fs" 65536
use_scandir "$WORK/fs/scan"
mkdir "$WORK/fs/prep" "$WORK/fs/trash"
make_marked_service "$WORK/fs/template"

# add NAME: add the service NAME, in one of three ways.
add() {
	case $((${1#s} % 3)) in
	0) make_marked_service "$WORK/fs/prep/$1" && mv "$WORK/fs/prep/$1" "$SCANDIR/" ;;
	1) cp -r "$WORK/fs/template" "$SCANDIR/$1" ;;
	2) make_marked_service "$SCANDIR/$1" ;;
	esac
}

# remove NAME: remove the service NAME, in one of two ways.
remove() {
	moved=$((moved + 1))
	case $((${1#s} % 2)) in
	0) remove_tree "$SCANDIR/$1" ;;
	1) mv "$SCANDIR/$1" "$WORK/fs/trash/$1.$moved" ;;
	esac
}

# flip NAME: add NAME if it is not there, else remove it.
flip() {
	if [ -e "$SCANDIR/$1" ]; then remove "$1"; else add "$1"; fi
}

# writer N: add, remove and flip the names sN, sN+4, ... in random order.
writer() {
	moved=0
	seq "$1" 4 300 | sed 's/^/s/' >"$WORK/names.$1"
	for name in $(seeded_shuf "${1}1" "$WORK/names.$1"); do add "$name"; done
	for name in $(seeded_shuf "${1}2" -n 38 "$WORK/names.$1"); do
		remove "$name"
	done
	for name in $(seeded_shuf "${1}3" -n 25 "$WORK/names.$1"); do
		flip "$name"
	done
	for name in $(seeded_shuf "${1}4" -n 10 "$WORK/names.$1"); do
		flip "$name"
		flip "$name"
	done
}

start_scanner "$SCANDIR"
say "4 writers, 300 names"
writer 1 &
w1=$!
writer 2 &
w2=$!
writer 3 &
w3=$!
writer 4 &
w4=$!
for pid in $w1 $w2 $w3 $w4; do
	wait "$pid" || fail "a writer failed"
done
count=$(service_names "$SCANDIR" | wc -l)
say "$count services left; waiting for the scanner to catch up"
[ "$count" -gt 50 ] && [ "$count" -lt 300 ] || fail "$count services left"
SUPERVISION_WAIT=120 wait_supervision "$SCANDIR"
stop_scanner
[ "$(count_supervisors)" = 0 ] || fail "supervisors left: $(supervised_names)"
[ -z "$(running_services)" ] || fail "services left: $(running_services)"
exit 0
