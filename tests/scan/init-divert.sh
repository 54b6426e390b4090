#!/bin/sh
# Signal diversion (s6): an executable SCANDIR/.hotsv/SIGxxx runs instead
# of the signal's default action: SIGUSR1 is not forwarded to the
# services, SIGTERM does not shut down.  .s6-svscan/SIGxxx is used when
# .hotsv has no such hook (SIGHUP), .hotsv wins when both have one
# (SIGUSR2), and a hook that is not executable is no hook (SIGWINCH is
# forwarded).  Hooks run in SCANDIR, and are reaped; SIGINT still shuts
# down.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a b
hook_says() {
	make_hook "$SCANDIR" "$1" "$2" "echo \"$3 \$PWD\" >>'$WORK/events'"
}
hook_says .hotsv SIGUSR1 "hook USR1"
hook_says .hotsv SIGTERM "hook TERM"
hook_says .s6-svscan SIGHUP "s6-hook HUP"
hook_says .hotsv SIGUSR2 "hook USR2"
hook_says .s6-svscan SIGUSR2 "s6-hook USR2"
hook_says .hotsv SIGWINCH "hook WINCH"
chmod -x "$SCANDIR/.hotsv/SIGWINCH"

start_init "$SCANDIR"
wait_events "start " 2
for hook in "hook USR1" "s6-hook HUP" "hook USR2" "hook TERM"; do
	signal_scanner "${hook#* }"
	wait_events "$hook" 1
	# As s6-svscan's, in SCANDIR.
	expect_events "$hook $SCANDIR\$" 1
done
signal_scanner WINCH
wait_events "WINCH a" 1
wait_events "WINCH b" 1
expect_events "hook WINCH" 0
expect_events "s6-hook USR2" 0
for sig in USR1 HUP USR2 stop; do
	expect_events "$sig " 0
done
pid_alive "$SCAN" || fail "hotsv-scan died"
wait_for 10 "the hooks to be reaped" no_zombies_under "$SCAN"

say "SIGINT, not diverted, still shuts down"
signal_scanner INT
init_exits 0
expect_events "stop " 2
exit 0
