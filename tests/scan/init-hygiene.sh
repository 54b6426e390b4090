#!/bin/sh
# What the children of hotsv-scan (PID 1 of a namespace) start with, when
# it was itself started with every signal blocked and every signal but
# SIGCHLD ignored, and with a descriptor open (7): the run of every
# service, its logger and the main command have no signal blocked or
# ignored, and only descriptors 0, 1 and 2; .hotsv/finish, exec'd in its
# place at the end, has no signal blocked or ignored either.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_marked_service "$SCANDIR/a" a
make_marked_service "$SCANDIR/b" b
make_service "$SCANDIR/b/log" "HOTSV_TEST_SVC=b-log; export HOTSV_TEST_SVC
exec cat >/dev/null"
# Not the shell's own mask: dash blocks every signal while it forks.
make_hook "$SCANDIR" .hotsv finish "echo \$1 >'$WORK/hook.code'
exec grep '^Sig\(Blk\|Ign\):' /proc/self/status >'$WORK/hook.status'"
exec 7>"$WORK/fd7"
INIT_WRAP="env --block-signal --ignore-signal --default-signal=CHLD" \
	start_init "$SCANDIR" -- env HOTSV_TEST_SVC=main sleep 100000
exec 7>&-
# hotsv-scan itself ignores SIGPIPE only, and blocks no real-time signal.
case $(proc_status "$SCAN" SigIgn)/$(proc_status "$SCAN" SigBlk) in
00000000*/* | */00000000*) fail "hotsv-scan was not started so" ;;
esac
runs_are() {
	[ "$(running_services | tr '\n' ' ')" = "$1" ]
}
wait_for 10 "every run and the main command" runs_are "a b b-log main "
for tag in a b b-log main; do
	pid=$(pid_of_tag "$tag")
	sig_mask_zero "$pid"
	fds=$(proc_fds "$pid")
	[ "$fds" = "0 1 2" ] || fail "$tag (pid $pid) has descriptors $fds"
done
signal_scanner TERM
# The main command (sleep) dies of SIGTERM: 143; the hook's grep says 0.
init_exits 0
[ -s "$WORK/hook.status" ] || fail ".hotsv/finish did not run"
[ "$(cat "$WORK/hook.code")" = 143 ] ||
	fail ".hotsv/finish was given $(cat "$WORK/hook.code"), not 143"
masks=$(sed 's/^Sig...:[[:space:]]*//' "$WORK/hook.status" | tr -d '0\n')
[ -z "$masks" ] ||
	fail ".hotsv/finish started with $(cat "$WORK/hook.status")"
exit 0
