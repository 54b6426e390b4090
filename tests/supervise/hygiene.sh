#!/bin/sh
# What run and finish inherit from the supervisor: the signal mask it was
# started with, as under s6-supervise, and nothing else.  When
# hotsv-supervise is started with signals ignored (trap '' INT HUP),
# blocked (USR1, USR2) and an extra descriptor open (fd 7), run and finish
# have SigIgn all zero, SigBlk USR1 and USR2 only, only fds 0 1 2 (and the
# notification fd, for run, when configured), their own session, and the
# service directory as working directory.  (Under hotsv-scan, which
# starts supervisors with nothing blocked, that mask is empty: the init
# tests check it.)
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# pid_file_service DIR PREFIX: run and finish log their pids to
# $WORK/PREFIX.run and $WORK/PREFIX.finish, then sleep.
pid_file_service() {
	make_service "$1" "echo \$\$ >>$WORK/$2.run; exec sleep 100000"
	make_finish "$1" "echo \$\$ >>$WORK/$2.finish; exec sleep 100000"
	echo 0 >"$1/timeout-finish"
}

# clean_child PID DIR FDS: PID has a clean slate.
clean_child() {
	wait_exec "$1" sleep
	# SIGUSR1 is 10, SIGUSR2 12: bits 0x200 and 0x800.
	[ "$((0x$(proc_status "$1" SigBlk)))" = "$((0xa00))" ] ||
		fail "pid $1: SigBlk $(proc_status "$1" SigBlk), not the supervisor's USR1 USR2"
	[ "$(proc_status "$1" SigIgn | tr -d 0)" = "" ] ||
		fail "pid $1: SigIgn $(proc_status "$1" SigIgn)"

	[ "$(proc_fds "$1")" = "$3" ] ||
		fail "pid $1 has fds '$(proc_fds "$1")', expected '$3': $(ls -l /proc/"$1"/fd)"
	[ "$(readlink "/proc/$1/cwd")" = "$2" ] ||
		fail "pid $1 runs in $(readlink "/proc/$1/cwd"), not $2"
	# Fields 6 and 5 of /proc/PID/stat: session and process group.
	set -- "$1" "$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f3,4)"
	[ "$2" = "$1 $1" ] || fail "pid $1: pgrp and session '$2', not its own"
}

# dirty_supervisor LOG DIR: hotsv-supervise DIR with INT and HUP ignored,
# USR1 and USR2 blocked and fd 7 open; sets SUP, adds it to SUPS.
dirty_supervisor() {
	(
		trap '' INT HUP
		exec 7</dev/null
		exec perl -MPOSIX -e \
			'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1, SIGUSR2));
			exec @ARGV or die "exec: $!"' hotsv-supervise "$2"
	) >"$WORK/$1.out" 2>"$WORK/$1.err" &
	SUP=$!
	SUPS="${SUPS:-} $SUP"
	await_supervisor "$SUP"
	[ -e "/proc/$SUP/fd/7" ] || fail "the supervisor did not inherit fd 7"
	ign=$(proc_status "$SUP" SigIgn)
	# SIGINT is 2, SIGHUP 1: bits 0x3.
	[ $((0x$ign & 3)) = 3 ] || fail "the supervisor does not ignore INT, HUP"
}

command -v perl >/dev/null 2>&1 || skip "needs perl to block signals"
pid_file_service "$WORK/nfd" nfd
echo 5 >"$WORK/nfd/notification-fd"
pid_file_service "$WORK/plain" plain

dirty_supervisor nfd "$WORK/nfd"
dirty_supervisor plain "$WORK/plain"

wait_lines "$WORK/nfd.run" . 1
clean_child "$(last_line "$WORK/nfd.run")" "$WORK/nfd" "0 1 2 5"
wait_lines "$WORK/plain.run" . 1
clean_child "$(last_line "$WORK/plain.run")" "$WORK/plain" "0 1 2"

for s in nfd plain; do
	hv down "$WORK/$s" || fail "hotsv down exited $?"
	wait_lines "$WORK/$s.finish" . 1
	finish=$(last_line "$WORK/$s.finish")
	clean_child "$finish" "$WORK/$s" "0 1 2"
	kill "$finish"
	wait_field "$WORK/$s" state down
done
stop_supervisors
exit 0
