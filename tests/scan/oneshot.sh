#!/bin/sh
# type oneshot.  setup (a one-shot) and app (a longrun that depends on
# it): setup's run starts once, app only after setup exited 0, and
# --wait-ready's CMD after both (hotsv check passes: done counts as
# ready).  hotsv status says done, exit code 0; s6-svstat still reads
# it: down (exitcode 0).  hotsv restart runs it again (--wait: until it
# is done again), and so does replacing its directory, but not a
# symlink swapped to the same content (a ConfigMap update).  A one-shot that exits 4 stops the container
# with code 4 and its dependent never starts; one that outlives
# timeout-up is SIGKILLed, a failure: 137, even when a new supervisor
# adopted its run.  With on-exit restart, a
# failing one-shot ("failed" in hotsv status) is retried at the throttle
# pace until it succeeds (a counter file).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"

# make_oneshot DIR TAG [SCRIPT]: a one-shot whose run appends "start TAG
# NS", runs SCRIPT (default: sleep 0.3), appends "end TAG NS" and exits
# with SCRIPT's status; its finish appends "finish TAG EXIT SIG".
make_oneshot() {
	make_service "$1" "echo \"start $2 \$(date +%s%N)\" >>'$WORK/events'
${3:-sleep 0.3}
rc=\$?
echo \"end $2 \$(date +%s%N)\" >>'$WORK/events'
exit \$rc"
	printf '#!/bin/sh\necho "finish %s $1 $2" >>"%s"\n' "$2" \
		"$WORK/events" >"$1/finish"
	chmod +x "$1/finish"
	echo oneshot >"$1/type"
}

# launch_scanner: start hotsv-scan SCANDIR in the background, SCAN its
# pid, without waiting for it to listen (it may be gone by then).
launch_scanner() {
	hotsv-scan "$SCANDIR" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	SCAN=$!
}

# svstat_has NAME PATTERN: s6-svstat's line for NAME matches PATTERN.
svstat_has() {
	s6-svstat "$SCANDIR/$1" >"$WORK/svstat.out" 2>&1 &&
		grep -q -- "$2" "$WORK/svstat.out"
}

say "a longrun waits for its one-shot; --wait-ready's CMD for both"
make_oneshot "$WORK/setup1" setup
ln -s "$WORK/setup1" "$SCANDIR/setup"
make_ready_service "$SCANDIR/app" app
echo setup >"$SCANDIR/app/dependencies"
cat >"$WORK/main" <<EOF
#!/bin/sh
echo "main \$(date +%s%N)" >>'$WORK/events'
hotsv check >'$WORK/check.out' 2>&1
echo "check \$?" >>'$WORK/events'
while [ ! -e '$WORK/main.go' ]; do sleep 0.05; done
EOF
chmod +x "$WORK/main"
start_scanner --wait-ready "$SCANDIR" -- "$WORK/main"
wait_events "check " 1
expect_events "check 0" 1
expect_stamps_ordered "end setup" "start app"
expect_stamps_ordered "ready app" "main"
expect_events "start setup" 1
expect_events "finish setup 0 0" 1
wait_field setup state "done"
expect_field setup exitcode 0
expect_field setup want down
expect_field setup type oneshot
expect_field setup health ok
wait_note setup "oneshot, on-exit halt-on-failure"
if command -v s6-svstat >/dev/null 2>&1; then
	svstat_has setup "^down (exitcode 0) .*normally up" ||
		fail "s6-svstat: $(cat "$WORK/svstat.out")"
fi

say "hotsv restart runs it again; --wait returns once it is done again"
expect_exit 0 "hotsv restart --wait setup" timeout 30 hotsv restart --wait setup
expect_field setup state "done"
expect_events "start setup" 2
expect_events "end setup" 2

say "replacing its directory runs it again"
make_oneshot "$WORK/setup2" setup "sleep 0.2"
ln -s "$WORK/setup2" "$WORK/link" && mv -T "$WORK/link" "$SCANDIR/setup"
wait_events "finish setup 0 0" 3
expect_events "start setup" 3
wait_field setup state "done"
expect_events "start app" 1

say "a symlink swapped to the same content is the same one-shot: not rerun"
make_oneshot "$WORK/setup3" setup "sleep 0.2"
ln -s "$WORK/setup3" "$WORK/link" && mv -T "$WORK/link" "$SCANDIR/setup"
wait_lines "$WORK/scan.err" "setup: swapped for the same content" 1
expect_events "start setup" 3
touch "$WORK/main.go"
scanner_exits 0

say "a failing one-shot stops the container with its code; app never starts"
rm -rf "$SCANDIR"
: >"$WORK/events"
mkdir "$SCANDIR"
make_oneshot "$SCANDIR/setup" setup "exit 4"
make_ready_service "$SCANDIR/app" app
echo setup >"$SCANDIR/app/dependencies"
launch_scanner
scanner_exits 4
expect_events "finish setup 4 0" 1
expect_events "start app" 0

say "timeout-up: a one-shot that runs too long is killed, a failure"
rm -rf "$SCANDIR"
: >"$WORK/events"
mkdir "$SCANDIR"
make_oneshot "$SCANDIR/slow" slow "sleep 100000"
echo 300 >"$SCANDIR/slow/timeout-up"
launch_scanner
scanner_exits 137
expect_events "finish slow 256 9" 1
expect_events "end slow" 0

say "timeout-up: a one-shot adopted by a new supervisor is killed all the same"
rm -rf "$SCANDIR"
: >"$WORK/events"
mkdir "$SCANDIR"
make_oneshot "$SCANDIR/slow" slow "sleep 100000"
echo 4000 >"$SCANDIR/slow/timeout-up"
launch_scanner
wait_events "start slow" 1
sup=$(supervisor_of slow)
[ -n "$sup" ] || fail "no supervisor of slow"
kill -KILL "$sup"
wait_lines "$WORK/scan.err" 'slow: run (pid [0-9]*) outlived its supervisor: adopted' 1
scanner_exits 137
expect_events "finish slow 256 9" 1
expect_events "end slow" 0

say "on-exit restart: retried at the throttle pace until it succeeds"
rm -rf "$SCANDIR"
: >"$WORK/events"
mkdir "$SCANDIR"
echo 0 >"$WORK/count"
make_oneshot "$SCANDIR/retry" retry "n=\$((\$(cat '$WORK/count') + 1))
echo \$n >'$WORK/count'
[ \$n -ge 3 ] || [ -e '$WORK/retry.go' ]"
echo restart >"$SCANDIR/retry/on-exit"
make_ready_service "$SCANDIR/app" app
echo retry >"$SCANDIR/app/dependencies"
start_scanner "$SCANDIR"
wait_field retry state failed
expect_field retry exitcode 1
wait_field app state waiting
wait_field retry state "done"
[ "$(cat "$WORK/count")" = 3 ] || fail "run $(cat "$WORK/count") times, expected 3"
expect_events "start retry" 3
expect_events "finish retry 1 0" 2
# Three starts, two throttled restarts of 1 s each: well over 1.5 s.
line_stamp() {
	sed -n "s/^start retry \\([0-9]*\\)\$/\\1/p" "$WORK/events" | sed -n "$1p"
}
first=$(line_stamp 1)
third=$(line_stamp 3)
[ $(((third - first) / 1000000)) -ge 1500 ] ||
	fail "retried too fast: $(cat "$WORK/events")"
wait_events "ready app" 1
expect_stamps_ordered "end retry" "start app"
stop_scanner
exit 0
