#!/bin/sh
# Entries whose target comes later start by themselves, with no "hotsv
# rescan": a symbolic link entry leading to a directory that does not
# exist yet (two levels of it missing; and a relative link), and a
# service whose run is a symbolic link to a file that is made later, or
# made executable later.  One line says what each waits for: hotsv-scan
# for the links that lead nowhere, the supervisor for the run it cannot
# start yet (it tries every second).  A link waiting through SCANDIR's
# parent does not make a chmod of SCANDIR look like its removal.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# write_bin FILE TAG: a run script elsewhere, appending "start TAG PID".
write_bin() {
	mkdir -p "${1%/*}"
	printf '#!/bin/sh\necho "start %s $$" >>"%s"\nexec sleep 100000\n' \
		"$2" "$WORK/events" >"$1"
}

use_scandir "$WORK/scan"
ln -s "$WORK/srv/later" "$SCANDIR/z"
ln -s ../later2 "$SCANDIR/z2"
mkdir "$SCANDIR/y" "$SCANDIR/x"
ln -s "$WORK/bin/y-run" "$SCANDIR/y/run"
write_bin "$WORK/bin/x-run" x
ln -s "$WORK/bin/x-run" "$SCANDIR/x/run"
touch "$WORK/events"
start_scanner "$SCANDIR"

wait_lines "$WORK/scan.err" "z: waiting for $WORK/srv/later" 1
wait_lines "$WORK/scan.err" "z2: waiting for $WORK/scan/../later2" 1
wait_lines "$WORK/scan.err" "y: .*cannot start.*No such file" 1
wait_lines "$WORK/scan.err" "x: .*cannot start.*Permission denied" 1
[ ! -s "$WORK/events" ] || fail "started too soon: $(cat "$WORK/events")"
# z2 waits through SCANDIR's parent, which hotsv-scan watches for
# SCANDIR's removal: a change of SCANDIR's mode there is no removal.
chmod 700 "$SCANDIR"
chmod 755 "$SCANDIR"

say "the targets appear"
make_marked_service "$WORK/srv/later" z
make_marked_service "$WORK/later2" z2
write_bin "$WORK/bin/y-run" y
chmod +x "$WORK/bin/y-run" "$WORK/bin/x-run"
for tag in z z2 y x; do
	wait_events "start $tag " 1 20
done
expect_field z state up
expect_field y state up

# One line each, however long they waited.
for what in "z: waiting" "z2: waiting" "y: .*cannot start" \
	"x: .*cannot start"; do
	[ "$(count_lines "$WORK/scan.err" "$what")" = 1 ] ||
		fail "not one line '$what': $(cat "$WORK/scan.err")"
done
[ "$(count_lines "$WORK/scan.err" "went away")" = 0 ] ||
	fail "hotsv-scan took a chmod for SCANDIR's removal"
stop_scanner
exit 0
