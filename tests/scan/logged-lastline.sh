#!/bin/sh
# What a logged service writes while it stops reaches its log: hotsv-scan
# stops the service first and closes its end of the pipe only once the
# service is gone, so the logger reads everything, sees end-of-file and
# exits by itself.  Each service here answers SIGTERM with 20,000 lines
# (more than the pipe holds, so its logger must keep reading while it
# stops) and a last line; this holds on removal of the service directory
# (rm -rf) and at shutdown (SIGTERM to hotsv-scan).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
. "$HOTSV_SRCDIR/tests/lib/log.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"

# make_farewell_service TAG: the logged service SCANDIR/TAG, logging to
# $WORK/logs/TAG; run writes "TAG hello", then on SIGTERM "TAG 1" to
# "TAG 20000" and "TAG last words", and exits 0.  $WORK/TAG.want is
# what its log must hold in the end.
make_farewell_service() {
	make_service "$SCANDIR/$1" "trap 'kill \$! 2>/dev/null
i=1
while [ \$i -le 20000 ]; do
	echo \"$1 \$i\"
	i=\$((i + 1))
done
echo \"$1 last words\"
exit 0' TERM
echo '$1 hello'
sleep 100000 &
wait"
	make_log_run "$SCANDIR/$1/log" "$WORK/logs/$1"
	{
		echo "$1 hello"
		seq -f "$1 %g" 1 20000
		echo "$1 last words"
	} >"$WORK/$1.want"
}

# logger_gone TAG: no hotsv-log writes to $WORK/logs/TAG any more.
logger_gone() {
	! grep -q -F "$WORK/logs/$1" /proc/[0-9]*/cmdline 2>/dev/null
}

# expect_farewell TAG: once TAG's logger has exited, its log holds
# everything TAG wrote, its last words last.
expect_farewell() {
	wait_for 10 "$1's logger to exit" logger_gone "$1"
	log_text "$WORK/logs/$1" >"$WORK/$1.got"
	cmp -s "$WORK/$1.want" "$WORK/$1.got" ||
		fail "$1's log: $(diff "$WORK/$1.want" "$WORK/$1.got" | head -n 5)"
}

# supervising NAMES: the live supervisors are for NAMES (base names of
# their directories, sorted, on a line).
supervising() {
	[ "$(supervised_names | tr '\n' ' ')" = "$1 " ]
}

make_farewell_service removed
make_farewell_service stopped
# Long kill grace and shutdown grace: a slow machine must not turn the
# farewell into a SIGKILL.
start_scanner -k 30000 -g 30000 "$SCANDIR"
wait_lines "$WORK/logs/removed/current" 'removed hello' 1
wait_lines "$WORK/logs/stopped/current" 'stopped hello' 1

say "rm -rf of a logged service"
remove_tree "$SCANDIR/removed"
expect_farewell removed
wait_for 10 "removed's two supervisors to exit" supervising "log stopped"

say "SIGTERM to hotsv-scan"
stop_scanner
expect_farewell stopped
! grep -q 'SIGKILL\|still running' "$WORK/scan.err" ||
	fail "a logger did not end by itself: $(cat "$WORK/scan.err")"
exit 0
