#!/bin/sh
# env/ (s6-envdir's rules) and SCANDIR/.hotsv/env for run, finish and a
# logger under hotsv-scan: a file sets its variable to its first line,
# trailing blanks removed, NUL bytes made newlines; a file of one
# newline sets it empty; an empty file unsets an inherited variable; a
# symbolic link to a secret is followed; .hotsv/env applies to every
# service and the service's own env/ wins; log/env/ is the logger's.  A
# directory and a name with '=' in env/ get one line each (said again
# neither at the restart nor for finish) and the service still runs.  A
# changed file (the secret rotated) is what the next start gets.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
mkdir -p "$SCANDIR/.hotsv/env" "$WORK/secrets"
echo global >"$SCANDIR/.hotsv/env/HOTSV_TEST_GLOBAL"
echo global >"$SCANDIR/.hotsv/env/HOTSV_TEST_MINE"

A=$SCANDIR/app
make_service "$A" 'HOTSV_TEST_SVC=app exec sleep 100000'
make_finish "$A" 'HOTSV_TEST_SVC=app-finish exec sleep 100000'
echo 0 >"$A/timeout-finish"
make_service "$A/log" 'HOTSV_TEST_SVC=app-log exec cat >/dev/null'
mkdir "$A/env" "$A/log/env"
printf 'value with blanks \t \nsecond line\n' >"$A/env/HOTSV_TEST_PLAIN"
printf 'a\000b\n' >"$A/env/HOTSV_TEST_NUL"
printf '\n' >"$A/env/HOTSV_TEST_EMPTYLINE"
: >"$A/env/HOTSV_TEST_GONE"
echo mine >"$A/env/HOTSV_TEST_MINE"
echo top-secret >"$WORK/secrets/db"
ln -s "$WORK/secrets/db" "$A/env/HOTSV_TEST_SECRET"
mkdir "$A/env/HOTSV_TEST_DIR"
echo x >"$A/env/HOTSV_TEST_EQ=1"
echo hidden >"$A/env/.HOTSV_TEST_HIDDEN"
echo yes >"$A/log/env/HOTSV_TEST_LOGGER"

# environ_of PID: PID's environment, one variable a line, a newline
# inside a value shown as "|".
environ_of() {
	tr '\n\000' '|\n' <"/proc/$1/environ" >"$WORK/environ"
}

# expect_var NAME=VALUE WHAT: the environment read last holds NAME=VALUE.
expect_var() {
	grep -qxF "$1" "$WORK/environ" ||
		fail "$2: no $1 in $(grep "^${1%%=*}=" "$WORK/environ")"
}

# expect_no_var NAME WHAT: the environment read last has no NAME.
expect_no_var() {
	! grep -q "^$1=" "$WORK/environ" || fail "$2: $(grep "^$1=" "$WORK/environ")"
}

# expect_app_env WHAT: what run and finish get, the secret aside.
expect_app_env() {
	expect_var HOTSV_TEST_INHERITED=from-scanner "$1"
	expect_var HOTSV_TEST_GLOBAL=global "$1"
	expect_var HOTSV_TEST_MINE=mine "$1"
	expect_var 'HOTSV_TEST_PLAIN=value with blanks' "$1"
	expect_var 'HOTSV_TEST_NUL=a|b' "$1"
	expect_var HOTSV_TEST_EMPTYLINE= "$1"
	for name in HOTSV_TEST_GONE HOTSV_TEST_DIR HOTSV_TEST_EQ \
		HOTSV_TEST_EQ=1 .HOTSV_TEST_HIDDEN HOTSV_TEST_LOGGER; do
		expect_no_var "$name" "$1"
	done
}

# tag_pid TAG: wait for the process tagged TAG; its pid in PID.
tag_pid() {
	wait_for 20 "$1 running" tag_running "$1"
	PID=$(pid_of_tag "$1")
	wait_exec "$PID" "${2:-sleep}"
}

# tag_running TAG: a process tagged TAG is alive.
tag_running() {
	[ -n "$(pid_of_tag "$1")" ]
}

# new_run OLDPID: a run tagged app other than OLDPID is alive.
new_run() {
	_pid=$(pid_of_tag app)
	[ -n "$_pid" ] && [ "$_pid" != "$1" ]
}

HOTSV_TEST_INHERITED=from-scanner HOTSV_TEST_GONE=inherited
export HOTSV_TEST_INHERITED HOTSV_TEST_GONE
start_scanner "$SCANDIR"

say "run gets env/ over .hotsv/env over the inherited environment"
tag_pid app
environ_of "$PID"
expect_app_env run
expect_var HOTSV_TEST_SECRET=top-secret run

say "one line for each bad file, the service runs"
wait_lines "$WORK/scan.err" 'env/HOTSV_TEST_DIR: is a directory' 1
wait_lines "$WORK/scan.err" "env/HOTSV_TEST_EQ=1: a name with '='" 1
[ "$(grep -c 'env/' "$WORK/scan.err")" = 2 ] ||
	fail "other lines about env/: $(grep 'env/' "$WORK/scan.err")"

say "the logger gets log/env/ and .hotsv/env, not the service's env/"
tag_pid app-log cat
environ_of "$PID"
expect_var HOTSV_TEST_LOGGER=yes logger
expect_var HOTSV_TEST_GLOBAL=global logger
expect_var HOTSV_TEST_MINE=global logger
expect_no_var HOTSV_TEST_SECRET logger

say "finish gets them too"
RUN=$(pid_of_tag app)
echo rotated >"$WORK/secrets/db"
hotsv down app || fail "hotsv down app"
tag_pid app-finish
environ_of "$PID"
expect_app_env finish
expect_var HOTSV_TEST_SECRET=rotated finish
kill "$PID"

say "the next run gets the rotated secret, with no restart of anything"
echo rotated-again >"$WORK/secrets/db"
wait_for 10 "finish to end" pid_gone "$PID"
hotsv up app || fail "hotsv up app"
wait_for 20 "a new run" new_run "$RUN"
tag_pid app
environ_of "$PID"
expect_app_env "second run"
expect_var HOTSV_TEST_SECRET=rotated-again "second run"
[ "$(grep -c 'env/' "$WORK/scan.err")" = 2 ] ||
	fail "said again: $(grep 'env/' "$WORK/scan.err")"
stop_scanner
