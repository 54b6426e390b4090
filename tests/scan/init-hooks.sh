#!/bin/sh
# The end of hotsv-scan as PID 1 of a namespace: "hotsv shutdown -c 4"
# from a service's finish script makes it exit 4; .hotsv/finish is then
# exec'd with "4" and its exit status is hotsv-scan's (.s6-svscan/finish
# when .hotsv has none).  A fatal error (epoll_create1 failing under
# "ulimit -n 4") makes it exit 111, or exec .hotsv/crash (else
# .s6-svscan/crash) with the reason, one word.  Hooks run in SCANDIR.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
write_trapper
make_service "$SCANDIR/quitter" "exec '$WORK/trapper' quitter"
make_finish "$SCANDIR/quitter" "hotsv shutdown -c 4
echo \"finish quitter \$1 \$2 shutdown=\$?\" >>'$WORK/events'"

# shutdown_from_finish CODE: start hotsv-scan, stop the service, whose
# finish asks for "shutdown -c 4", and expect hotsv-scan to exit CODE.
shutdown_from_finish() {
	: >"$WORK/events"
	start_init "$SCANDIR"
	wait_events "start quitter" 1
	expect_exit 0 "hotsv down quitter" hv down "$SCANDIR/quitter"
	init_exits "$1"
	expect_events "stop quitter" 1
	expect_events "finish quitter 0 0 shutdown=0" 1
}

say "hotsv shutdown -c 4 from a finish script, no hook"
shutdown_from_finish 4

say ".hotsv/finish 4, then .s6-svscan/finish 4"
# hotsv-scan made .s6-svscan a symlink to .hotsv, for s6-svscanctl.
rm "$SCANDIR/.s6-svscan" || fail "no .s6-svscan symlink in $SCANDIR"
make_hook "$SCANDIR" .hotsv finish \
	"echo \"hook \$1 \$# \$PWD\" >>'$WORK/events'; exit 9"
make_hook "$SCANDIR" .s6-svscan finish \
	"echo \"s6-hook \$1 \$# \$PWD\" >>'$WORK/events'; exit 8"
shutdown_from_finish 9
expect_events "hook 4 1 $SCANDIR\$" 1
expect_events "s6-hook" 0
rm "$SCANDIR/.hotsv/finish"
shutdown_from_finish 8
expect_events "s6-hook 4 1 $SCANDIR\$" 1
expect_events "hook" 0

# crash_with CODE [HOOK]: hotsv-scan, PID 1 of a namespace with at most
# four open files, cannot create its epoll set (the signalfd takes the
# last descriptor) and must exit CODE; and the crash hook HOOK
# (.hotsv/crash or .s6-svscan/crash), if given, must have run.  A hook is
# "#!/usr/bin/touch $WORK/HOOK-ran", which needs no descriptor to start
# (sh does); running in SCANDIR, it also creates a file named after the
# reason, its argument.
crash_with() {
	rm -f "$SCANDIR/epoll_create1" "$WORK"/.*-ran
	# LeakSanitizer (--enable-sanitizers) needs descriptors at exit.
	expect_exit "$1" "hotsv-scan under ulimit -n 4" env \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		unshare --pid --fork --mount-proc sh -c \
		'ulimit -n 4 && exec hotsv-scan "$1"' sh "$SCANDIR"
	output_has "epoll_create1" "hotsv-scan under ulimit -n 4"
	[ -z "${2:-}" ] && return
	[ "$(cd "$WORK" && echo .*-ran)" = "$2-ran" ] ||
		fail "not $2 alone ran: $(cd "$WORK" && echo .*-ran)"
	[ -e "$SCANDIR/epoll_create1" ] ||
		fail "$2 was not given 'epoll_create1': $(ls "$SCANDIR")"
}

# make_crash_hook DIR: the crash hook of crash_with, in SCANDIR/DIR.
make_crash_hook() {
	mkdir -p "$SCANDIR/$1"
	printf '#!/usr/bin/touch %s\n' "$WORK/$1-ran" >"$SCANDIR/$1/crash"
	chmod +x "$SCANDIR/$1/crash"
}

say "a fatal error: exit 111, .s6-svscan/crash, .hotsv/crash"
crash_with 111
make_crash_hook .s6-svscan
crash_with 0 .s6-svscan
make_crash_hook .hotsv
crash_with 0 .hotsv
exit 0
