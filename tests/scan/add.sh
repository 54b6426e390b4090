#!/bin/sh
# hotsv-scan starts a service added to SCANDIR in any of the usual ways:
# a prepared directory moved in, a cp -r, a run written slowly while it is
# already executable, a symlink.  Each starts exactly once, and only once
# its run is complete: a run that starts half-written fails loudly.  The
# slow writer pauses longer than hotsv-supervise retries a busy run
# (ETXTBSY) quietly, so that only the scanner's own wait keeps it quiet.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir "$WORK/prep" "$WORK/elsewhere"

# guarded_head TAG: the first part of a long run: it records an attempt,
# then opens an "if" that only the tail closes, so that a run cut short
# is a syntax error (exit 2) after the attempt.  A long comment makes
# copying it take more than one write.
guarded_head() {
	printf '#!/bin/sh\necho "attempt %s" >>"%s"\nif true; then\n' \
		"$1" "$WORK/events"
	seq -f '# padding line %g: run is only complete with its tail' 1 4000
}

# guarded_tail TAG: the rest of the run made by guarded_head.
guarded_tail() {
	printf 'echo "start %s $$" >>"%s"\n' "$1" "$WORK/events"
	printf 'HOTSV_TEST_SVC=%s exec sleep 100000\nfi\n' "$1"
}

start_scanner "$SCANDIR"

say "a prepared directory moved in"
make_marked_service "$WORK/prep/moved"
mv "$WORK/prep/moved" "$SCANDIR/moved"

say "cp -r of a directory with a long run"
mkdir "$WORK/prep/copied"
{ guarded_head copied; guarded_tail copied; } >"$WORK/prep/copied/run"
chmod 755 "$WORK/prep/copied/run"
cp -r "$WORK/prep/copied" "$SCANDIR/copied"

say "a symlink to a directory outside SCANDIR"
make_marked_service "$WORK/elsewhere/target" linked
ln -s "$WORK/elsewhere/target" "$SCANDIR/linked"

say "run written in two halves, 3 s apart, executable all along"
mkdir "$SCANDIR/slow"
(
	exec 3>"$SCANDIR/slow/run"
	chmod 755 "$SCANDIR/slow/run"
	guarded_head slow >&3
	sleep 3
	guarded_tail slow >&3
)

for tag in moved copied linked slow; do
	wait_events "start $tag " 1
done
# Once nothing is due in hotsv-scan or its supervisors, a second start
# or a restart would have begun: none has.
wait_scan_settled
for tag in moved copied linked slow; do
	expect_events "start $tag " 1
	expect_field "$tag" state up
	expect_field "$tag" deaths 0
done
expect_events "attempt copied" 1
expect_events "attempt slow" 1
# Nothing but the scanner's own information lines.
grep -v '^hotsv-scan: ' "$WORK/scan.err" >"$WORK/complaints"
grep '^hotsv-scan: \(warning\|fatal\)' "$WORK/scan.err" >>"$WORK/complaints"
[ -s "$WORK/complaints" ] && fail "complaints: $(cat "$WORK/complaints")"
expect_supervision "$SCANDIR"
stop_scanner
[ "$(count_supervisors)" = 0 ] || fail "supervisors left after shutdown"
[ -z "$(running_services)" ] || fail "services left after shutdown"
exit 0
