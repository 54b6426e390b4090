#!/bin/sh
# A read-only SCANDIR whose state directory cannot be made either (as
# under "docker run --read-only" without a tmpfs on /run): hotsv-scan,
# PID 1 of a namespace, fails at once.  One line names the state
# directory and the error; no service starts; nothing waits for SCANDIR
# (which is there); it exits 111, or executes .hotsv/crash with the
# reason "statedir", whose status is then its own.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

make_marked_service "$WORK/scan/svc" svc
cp -R "$WORK/scan" "$WORK/hooked"
make_hook "$WORK/hooked" .hotsv crash \
	"echo \"crash \$1 \$PWD\" >>'$WORK/events'; exit 5"
mkdir "$WORK/ro"
for dir in "$WORK/scan" "$WORK/hooked" "$WORK/ro"; do
	bind_readonly "$dir"
done
touch "$WORK/ro/probe" 2>/dev/null && fail "$WORK/ro is writable"

# fails_at_once CODE SCANDIR: hotsv-scan SCANDIR, its state directory
# under the read-only $WORK/ro, exits CODE, having said why in one line
# and started nothing.
fails_at_once() {
	: >"$WORK/scan.err"
	start_init -s "$WORK/ro/state" "$2"
	init_exits "$1"
	[ "$(count_lines "$WORK/scan.err" \
		"^hotsv-scan: warning: $2 is not writable, nor is the state directory: create $WORK/ro/state/.hotsv: Read-only file system\$")" = 1 ] &&
		[ "$(count_lines "$WORK/scan.err" "Read-only")" = 1 ] ||
		fail "not one line naming the state directory: $(cat "$WORK/scan.err")"
	[ "$(count_lines "$WORK/scan.err" "waiting for")" = 0 ] ||
		fail "waited for $2: $(cat "$WORK/scan.err")"
	expect_events "start" 0
}

say "no crash hook: exit 111"
fails_at_once 111 "$WORK/scan"
say ".hotsv/crash: run with 'statedir', in SCANDIR"
fails_at_once 5 "$WORK/hooked"
expect_events "crash statedir $WORK/hooked\$" 1
exit 0
