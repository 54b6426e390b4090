#!/bin/sh
# limits, nice, oom-score-adj and umask apply to run and finish: nofile
# 1000:2000 and core unlimited in /proc/PID/limits, nice 5 in field 19
# of /proc/PID/stat, oom_score_adj 500, Umask 0027.  Garbage lines of
# limits get one line each naming file and line and the rest applies.
# What cannot be applied without CAP_SYS_RESOURCE (memlock above its
# hard limit, oom-score-adj below the current value) gets one line each,
# and the service runs without it; with the capability it is applied.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
L=$SCANDIR/lim
make_service "$L" 'HOTSV_TEST_SVC=lim exec sleep 100000'
make_finish "$L" 'HOTSV_TEST_SVC=lim-finish exec sleep 100000'
echo 0 >"$L/timeout-finish"
printf '%s\n' '# limits of lim' '' 'nofile 1000:2000' ' core	unlimited ' \
	'bogus 12' 'nproc 1:2:3' 'stack 9:8' >"$L/limits"
echo 5 >"$L/nice"
echo 500 >"$L/oom-score-adj"
echo 027 >"$L/umask"
P=$SCANDIR/priv
make_service "$P" 'HOTSV_TEST_SVC=priv exec sleep 100000'
echo 'memlock unlimited' >"$P/limits"
echo -500 >"$P/oom-score-adj"
# Whether this test may raise a hard limit (CAP_SYS_RESOURCE).
if (ulimit -Hl unlimited) 2>/dev/null; then privileged=yes; else privileged=no; fi

# tag_pid TAG: wait for the process tagged TAG to run sleep; PID.
tag_pid() {
	wait_for 20 "$1 running" tag_running "$1"
	PID=$(pid_of_tag "$1")
	wait_exec "$PID" sleep
}

# tag_running TAG: a process tagged TAG is alive.
tag_running() {
	[ -n "$(pid_of_tag "$1")" ]
}

# limit_of PID NAME: "SOFT HARD" of the limit NAME (as /proc shows it).
limit_of() {
	sed -n "s/^$2  *\([^ ]*\)  *\([^ ]*\) .*/\1 \2/p" "/proc/$1/limits"
}

# expect_settings PID WHAT: PID has lim's settings.
expect_settings() {
	[ "$(limit_of "$1" 'Max open files')" = "1000 2000" ] ||
		fail "$2: open files $(limit_of "$1" 'Max open files')"
	[ "$(limit_of "$1" 'Max core file size')" = "unlimited unlimited" ] ||
		fail "$2: core $(limit_of "$1" 'Max core file size')"
	[ "$(cut -d' ' -f19 "/proc/$1/stat")" = 5 ] ||
		fail "$2: nice $(cut -d' ' -f19 "/proc/$1/stat")"
	[ "$(cat "/proc/$1/oom_score_adj")" = 500 ] ||
		fail "$2: oom_score_adj $(cat "/proc/$1/oom_score_adj")"
	[ "$(proc_status "$1" Umask)" = 0027 ] ||
		fail "$2: Umask $(proc_status "$1" Umask)"
}

start_scanner "$SCANDIR"

say "run gets limits, nice, oom_score_adj and umask"
tag_pid lim
expect_settings "$PID" run

say "garbage lines: one line each, naming file and line"
wait_lines "$WORK/scan.err" 'lim: warning: limits:5: not a limit name' 1
wait_lines "$WORK/scan.err" 'lim: warning: limits:6: ' 1
wait_lines "$WORK/scan.err" 'lim: warning: limits:7: soft limit above' 1

say "finish gets them too"
hotsv down lim || fail "hotsv down lim"
tag_pid lim-finish
expect_settings "$PID" finish
[ "$(grep -c 'lim: warning: limits:' "$WORK/scan.err")" = 3 ] ||
	fail "said again for finish: $(grep 'lim: ' "$WORK/scan.err")"

say "what needs CAP_SYS_RESOURCE (privileged: $privileged)"
tag_pid priv
if [ "$privileged" = no ]; then
	wait_lines "$WORK/scan.err" 'priv: warning: limits: memlock: not applied: ' 1
	wait_lines "$WORK/scan.err" 'priv: warning: oom-score-adj: -500 not applied: ' 1
	[ "$(limit_of "$PID" 'Max locked memory')" = "$(limit_of $$ 'Max locked memory')" ] ||
		fail "memlock $(limit_of "$PID" 'Max locked memory')"
	[ "$(cat "/proc/$PID/oom_score_adj")" = "$(cat /proc/$$/oom_score_adj)" ] ||
		fail "oom_score_adj $(cat "/proc/$PID/oom_score_adj")"
else
	[ "$(limit_of "$PID" 'Max locked memory')" = "unlimited unlimited" ] ||
		fail "memlock $(limit_of "$PID" 'Max locked memory')"
	[ "$(cat "/proc/$PID/oom_score_adj")" = -500 ] ||
		fail "oom_score_adj $(cat "/proc/$PID/oom_score_adj")"
fi
stop_scanner
