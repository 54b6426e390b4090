# The harness of the integration tests (tests/PROGRAM/NAME.sh).  Source
# it first:
#   . "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
#
# Each test re-executes itself as PID 1 of a new PID namespace (with its
# own /proc and mount namespace), so that every process it starts dies
# with it, whatever happens, and tests can run side by side (make -j2
# check; an unprivileged uid is claimed: claim_uid).  Tests wait for
# conditions with generous deadlines, never assert on speed, and prove
# that something did not happen only once what had to come first has
# come (wait_settled, wait_turns).  A failed check fails the test even
# in a pipeline stage or a subshell (see fail), but an asserting
# function is never piped into (selftest.sh checks).

set -u

: "${HOTSV_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${HOTSV_BUILDDIR:=$HOTSV_SRCDIR}"
export HOTSV_SRCDIR HOTSV_BUILDDIR
. "$HOTSV_SRCDIR/tests/lib/base.sh"
PATH="$HOTSV_BUILDDIR/src:$PATH"
export PATH

# Exit codes understood by the automake test driver.
SKIP=77
HARD=99

TEST_NAME=$SCRIPT_NAME
# The test as make check names it: tests/FOLDER/NAME.sh.
TEST_FILE=tests/$(basename "$(dirname "$0")")/$TEST_NAME.sh

# Fail the test with a message.  In a pipeline stage or a subshell,
# exit ends only that subshell (dash runs every stage of a pipeline in
# one), so fail also leaves a mark that the EXIT trap and the namespace
# wrapper turn into the test's failure.
fail() {
	say "FAIL: $*"
	[ -z "${HOTSV_TEST_MARKS:-}" ] || echo "$*" >>"$HOTSV_TEST_MARKS/failed"
	exit 1
}

# failed_somewhere: fail was called, in this shell or in any subshell.
failed_somewhere() {
	[ -n "${HOTSV_TEST_MARKS:-}" ] && [ -s "$HOTSV_TEST_MARKS/failed" ]
}

# Skip the test with a reason.
skip() {
	say "SKIP: $*"
	exit "$SKIP"
}

# Re-run this script as PID 1 of its own PID and mount namespaces.
enter_namespace() {
	if [ "${HOTSV_IN_NAMESPACE:-}" = 1 ]; then
		return
	fi
	if _why=$(namespaces_refused); then
		skip "$_why"
	fi
	# The test leaves marks here for this wrapper: "failed" (see fail)
	# and "workdir" (see make_workdir).
	HOTSV_TEST_MARKS=$(mktemp -d "${TMPDIR:-/tmp}/hotsv-$TEST_NAME.marks.XXXXXX") ||
		exit "$HARD"
	export HOTSV_TEST_MARKS
	# The watchdog: a test still running after HOTSV_TEST_TIMEOUT seconds
	# (default 600; set it before this call) is killed with its whole
	# namespace (--kill-child) instead of holding up "make check" for ever.
	# The uid locks of claim_uid (descriptors 6 to 8) stay with this
	# wrapper, which outlives every process of the test.
	HOTSV_IN_NAMESPACE=1 timeout -k 5 "$HOTSV_TEST_TIMEOUT" \
		unshare --pid --fork --kill-child --mount --mount-proc \
		--propagation private "$SHELL_FOR_TESTS" "$0" "$@" \
		6>&- 7>&- 8>&-
	_rc=$?
	case $_rc in
	124 | 137)
		# Killed with its namespace, the test ran no EXIT trap.
		say "FAIL: killed after ${HOTSV_TEST_TIMEOUT}s (hung?); its work directory is left: $(cat "$HOTSV_TEST_MARKS/workdir" 2>/dev/null || echo none)"
		;;
	0 | "$SKIP")
		if failed_somewhere; then
			say "FAIL: exited $_rc after a failed check: $(head -n 1 "$HOTSV_TEST_MARKS/failed")"
			_rc=1
		fi
		;;
	esac
	rm -rf "$HOTSV_TEST_MARKS"
	exit "$_rc"
}
: "${HOTSV_TEST_TIMEOUT:=600}"
SHELL_FOR_TESTS=${SHELL_FOR_TESTS:-/bin/sh}

# Make a fresh work directory, removed when the test exits.
make_workdir() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hotsv-$TEST_NAME.XXXXXX") ||
		exit "$HARD"
	[ -z "${HOTSV_TEST_MARKS:-}" ] || echo "$WORK" >"$HOTSV_TEST_MARKS/workdir"
	trap 'cleanup_workdir' EXIT
}

# Remove the work directory (kills nothing: the namespace does that),
# or keep it and show its logs if the test failed, even where only a
# subshell knew (the test then exits 1 whatever its last command said).
cleanup_workdir() {
	rc=$?
	if [ "$rc" = 0 ] || [ "$rc" = "$SKIP" ]; then
		if failed_somewhere; then
			say "FAIL: a check failed in a subshell or pipeline: $(head -n 1 "$HOTSV_TEST_MARKS/failed")"
			rc=1
		fi
	fi
	if [ "$rc" != 0 ] && [ "$rc" != "$SKIP" ] && [ -n "${WORK:-}" ]; then
		say "work directory kept for inspection: $WORK"
		for f in "$WORK"/*.err "$WORK"/*.out; do
			[ -f "$f" ] || continue
			say "---- $f"
			tail -n 30 "$f" >&2
		done
		exit "$rc"
	fi
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
}

# wait_for SECONDS DESCRIPTION COMMAND...: wait until COMMAND succeeds
# (poll_until), or fail after SECONDS.
wait_for() {
	_limit=$1
	_what=$2
	shift 2
	poll_until "$_limit" "$@" ||
		fail "timed out after ${_limit}s waiting for: $_what"
}

# count_lines FILE PATTERN: how many lines of FILE match PATTERN.
count_lines() {
	if [ -f "$1" ]; then
		grep -c -- "$2" "$1" || true
	else
		echo 0
	fi
}

# proc_state_is PID STATE: /proc/PID/stat says STATE.
proc_state_is() {
	[ "$(proc_state "$1")" = "$2" ]
}

# proc_fds PID: the open descriptors of PID, sorted, on one line.
proc_fds() {
	ls "/proc/$1/fd" | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# procs_of DIR: the live processes that work in DIR (their current
# directory) or have it as an argument (a supervisor, or its child not
# yet a run), but this shell.
procs_of() {
	for _p in /proc/[0-9]*; do
		_pid=${_p#/proc/}
		[ "$_pid" != $$ ] && pid_alive "$_pid" || continue
		case " $(tr '\0' ' ' <"$_p/cmdline" 2>/dev/null)" in
		*" $1 "*)
			echo "$_pid"
			continue
			;;
		esac
		[ "$(readlink "$_p/cwd" 2>/dev/null)" != "$1" ] || echo "$_pid"
	done
}

# no_signal_pending PID: PID is alive with no signal waiting to reach it
# (one sent is delivered when it next runs: a killed process lives on
# until then).
no_signal_pending() {
	pid_alive "$1" &&
		[ "$(proc_status "$1" SigPnd)$(proc_status "$1" ShdPnd)" = \
			00000000000000000000000000000000 ]
}

# wait_gone PID WHAT: wait (10 s) until PID has ended.
wait_gone() {
	wait_for 10 "$2 (pid $1) to end" pid_gone "$1"
}

# has_lines FILE PATTERN N: FILE has at least N lines matching PATTERN.
has_lines() {
	[ "$(count_lines "$1" "$2")" -ge "$3" ]
}

# wait_lines FILE PATTERN N: wait (10 s) for N lines matching PATTERN.
wait_lines() {
	wait_for 10 "$3 lines matching '$2' in $1" has_lines "$1" "$2" "$3"
}

# last_line FILE: the last line of FILE.
last_line() {
	tail -n 1 "$1"
}

# wait_exec PID PROG: wait (10 s) until PID has exec'd PROG.
wait_exec() {
	wait_for 10 "pid $1 to exec $2" comm_is "$1" "$2"
}

# expect_exit CODE WHAT COMMAND...: run COMMAND (stdout and stderr in
# $WORK/cmd.out) and fail unless it exits CODE.
expect_exit() {
	_want=$1
	_what=$2
	shift 2
	"$@" >"$WORK/cmd.out" 2>&1
	_rc=$?
	[ "$_rc" = "$_want" ] ||
		fail "$_what: exited $_rc, expected $_want ($(cat "$WORK/cmd.out"))"
}

# output_has PATTERN WHAT: the last expect_exit's output matches PATTERN.
output_has() {
	grep -q -- "$1" "$WORK/cmd.out" ||
		fail "$2: output '$(cat "$WORK/cmd.out")' lacks '$1'"
}

# The helpers of each kind of test, a file each: hotsv-supervise and its
# status; whether a program has done all that was due; hotsv-scan and
# its services; init; logged services; readiness; reliability.
for _part in supervise settle scan init logged readiness reliability; do
	. "$HOTSV_SRCDIR/tests/lib/$_part.sh"
done

# ---- the examples (tests/examples/) ----

# enter_network_namespace ARG...: call after enter_namespace, with the
# script's arguments: re-run the script, still PID 1 of its namespace,
# in a network namespace of its own with the loopback interface up, so
# that a server it starts can take any port (80) on 127.0.0.1.
enter_network_namespace() {
	if [ "${HOTSV_IN_NETNS:-}" != 1 ]; then
		command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
		unshare --net true 2>/dev/null ||
			skip "unshare --net is not allowed here"
		HOTSV_IN_NETNS=1 exec unshare --net "$SHELL_FOR_TESTS" "$0" "$@"
	fi
	ip link set lo up || fail "cannot bring the loopback interface up"
}

# dockerfile_args DOCKERFILE INSTRUCTION: the elements of the JSON array
# of INSTRUCTION (as in ENTRYPOINT ["hotsv-scan", "/service"]), one a
# line; no element may hold a quote, a comma or a newline.
dockerfile_args() {
	_array=$(sed -n "s/^$2 *\\[\\(.*\\)\\] *\$/\\1/p" "$1")
	[ -n "$_array" ] || fail "$1: no '$2 [...]' line"
	printf '%s\n' "$_array" | sed 's/" *, *"/\n/g; s/^ *"//; s/" *$//'
}

# dockerfile_dest DOCKERFILE SOURCE: where DOCKERFILE copies SOURCE (its
# COPY line), without a final /.
dockerfile_dest() {
	sed -n "s|^COPY $2 \\(.*\\)\$|\\1|p" "$1" | sed 's|/$||'
}

# expect_dockerfile_agrees DOCKERFILE: every file DOCKERFILE copies is
# next to it, and it ADDs the static tarball of this version of hotsv.
expect_dockerfile_agrees() {
	sed -n 's/^COPY \([^ ]*\) .*/\1/p' "$1" >"$WORK/copied"
	[ -s "$WORK/copied" ] || fail "$1 copies nothing"
	while read -r _src; do
		[ -e "$(dirname "$1")/$_src" ] ||
			fail "$1 copies $_src, which is not next to it"
	done <"$WORK/copied"
	_version=$(hotsv -V | sed -n '1s/^hotsv //p')
	grep -q "^ARG HOTSV_TARBALL=hotsv-$_version-[a-z0-9_]*-static\\.tar\\.xz\$" \
		"$1" || fail "$1 does not ADD hotsv-$_version-ARCH-static.tar.xz"
}

# start_dockerfile DOCKERFILE SCANDIR: copy service/, next to
# DOCKERFILE, into SCANDIR (made the test's scan directory, writable), and
# start hotsv-scan as PID 1 (start_init) with the command line of
# DOCKERFILE (ENTRYPOINT then CMD), SCANDIR for /service, where it copies
# service/.
start_dockerfile() {
	use_scandir "$2"
	cp -R "$(dirname "$1")/service/." "$SCANDIR/" ||
		fail "cannot copy $(dirname "$1")/service"
	chmod -R u+w "$SCANDIR"
	[ "$(dockerfile_dest "$1" service/)" = /service ] ||
		fail "$1 does not copy service/ to /service/"
	dockerfile_args "$1" ENTRYPOINT >"$WORK/cmdline"
	if grep -q '^CMD' "$1"; then
		dockerfile_args "$1" CMD >>"$WORK/cmdline"
	fi
	_dockerfile=$1
	set --
	while read -r _arg; do
		[ "$_arg" = /service ] && _arg=$SCANDIR
		set -- "$@" "$_arg"
	done <"$WORK/cmdline"
	[ "${1:-}" = hotsv-scan ] ||
		fail "$_dockerfile: the ENTRYPOINT does not start with hotsv-scan: $*"
	shift
	say "hotsv-scan $*"
	start_init "$@"
}

# expect_no_sigkill: hotsv-scan ($WORK/scan.err) sent no SIGKILL: every
# process it stopped ended within its time.
expect_no_sigkill() {
	! grep -q 'SIGKILL' "$WORK/scan.err" ||
		fail "hotsv-scan had to kill: $(grep 'SIGKILL' "$WORK/scan.err")"
}
