# Shared helpers for the integration tests.  Source it first:
#   . "${HOTSV_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
#
# Each test re-executes itself as PID 1 of a new PID namespace (with its
# own /proc and mount namespace), so that every process it starts dies
# with it, whatever happens.  Tests wait for conditions with generous
# deadlines; they never assert on speed.

set -u

: "${HOTSV_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${HOTSV_BUILDDIR:=$HOTSV_SRCDIR}"
export HOTSV_SRCDIR HOTSV_BUILDDIR
PATH="$HOTSV_BUILDDIR/src:$PATH"
export PATH

# Exit codes understood by the automake test driver.
SKIP=77
HARD=99

TEST_NAME=$(basename "$0" .sh)

# Print a line prefixed with the test's name.
say() {
	printf '%s: %s\n' "$TEST_NAME" "$*" >&2
}

# Fail the test with a message.
fail() {
	say "FAIL: $*"
	exit 1
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
	[ "$(id -u)" = 0 ] || skip "needs root for unshare"
	command -v unshare >/dev/null 2>&1 || skip "needs unshare (util-linux)"
	unshare --pid --fork --mount --mount-proc true 2>/dev/null ||
		skip "unshare --pid --mount-proc is not allowed here"
	HOTSV_IN_NAMESPACE=1 exec unshare --pid --fork --mount --mount-proc \
		--propagation private "$SHELL_FOR_TESTS" "$0" "$@"
}
SHELL_FOR_TESTS=${SHELL_FOR_TESTS:-/bin/sh}

# Make a fresh work directory, removed when the test exits.
make_workdir() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hotsv-$TEST_NAME.XXXXXX")
	trap 'cleanup_workdir' EXIT
}

# Remove the work directory (kills nothing: the namespace does that).
cleanup_workdir() {
	rc=$?
	if [ "$rc" != 0 ] && [ "$rc" != "$SKIP" ] && [ -n "${WORK:-}" ]; then
		say "work directory kept for inspection: $WORK"
		for f in "$WORK"/*.err "$WORK"/*.out; do
			[ -f "$f" ] || continue
			say "---- $f"
			tail -n 30 "$f" >&2
		done
		return
	fi
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds.
wait_for() {
	_limit=$1
	_what=$2
	shift 2
	_tries=$((_limit * 20))
	while [ "$_tries" -gt 0 ]; do
		if "$@" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
		_tries=$((_tries - 1))
	done
	fail "timed out after ${_limit}s waiting for: $_what"
}

# make_service DIR [SCRIPT]: a service whose run executes SCRIPT (sh).
make_service() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "${2:-exec sleep 100000}" >"$1/run"
	chmod +x "$1/run"
}

# status_field DIR FIELD: one field of "hotsv status --json" for DIR.
status_field() {
	hotsv status --json "$1" 2>/dev/null |
		sed -n "s/.*\"$2\":\\(\"[^\"]*\"\\|[^,}]*\\).*/\\1/p" | tr -d '"'
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	_state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$1/stat")
	[ "$_state" != Z ]
}

# count_lines FILE PATTERN: how many lines of FILE match PATTERN.
count_lines() {
	if [ -f "$1" ]; then
		grep -c -- "$2" "$1" || true
	else
		echo 0
	fi
}
