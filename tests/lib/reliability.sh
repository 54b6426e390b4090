# test.sh's helpers for reliability tests: adoption, faults, churn,
# bad input, uids, and random inputs from a seed.

# tag_count TAG: how many live processes carry HOTSV_TEST_SVC=TAG (see
# running_services).
tag_count() {
	running_services | grep -cx -- "$1" || true
}

# start_dup_watch: in the background, every 20 ms, append to $WORK/dups
# every tag that two live processes carry at once (see running_services),
# and a line to $WORK/dup.samples per look.  Sets DUP_WATCH to its pid.
start_dup_watch() {
	: >"$WORK/dups"
	: >"$WORK/dup.samples"
	(
		while :; do
			running_services | uniq -d >>"$WORK/dups"
			echo >>"$WORK/dup.samples"
			sleep 0.02
		done
	) &
	DUP_WATCH=$!
}

# stop_dup_watch: stop the watcher of start_dup_watch (after one more look).
stop_dup_watch() {
	_looks=$(wc -l <"$WORK/dup.samples")
	wait_for 10 "the duplicate watcher to look once more" sh -c \
		'[ "$(wc -l <"$1")" -gt "$2" ]' sh "$WORK/dup.samples" "$_looks"
	kill "$DUP_WATCH"
	wait "$DUP_WATCH" 2>/dev/null
	DUP_WATCH=
}

# expect_no_dups: the watcher never saw two processes with one tag.
expect_no_dups() {
	[ ! -s "$WORK/dups" ] ||
		fail "two runs at once, in $(wc -l <"$WORK/dup.samples") looks: $(sort "$WORK/dups" | uniq -c | tr '\n' ' ')"
}

# supervisors_are N: N hotsv-supervise processes are alive (counted by
# their argv[0], so that a service name holding a newline counts too).
supervisors_are() {
	[ "$(grep -l '^hotsv-supervise' /proc/[0-9]*/cmdline 2>/dev/null | wc -l)" = "$1" ]
}

# new_supervisor NAME OLD: NAME has a live supervisor that is not pid OLD.
new_supervisor() {
	_new=$(supervisor_of "$1")
	[ -n "$_new" ] && [ "$_new" != "$2" ]
}

# mount_tmpfs DIR KIB: mount a tmpfs of KIB KiB on DIR (made if need be),
# unmounted when the test exits.
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=${2}k,mode=0755" tmpfs "$1" ||
		skip "cannot mount a tmpfs on $1"
	MOUNTS="$1 ${MOUNTS:-}"
	trap '_rc=$?; for _m in $MOUNTS; do umount -l "$_m"; done; (exit $_rc); cleanup_workdir' EXIT
}

# fill_fs DIR: fill the filesystem of DIR to the last byte (DIR/filler).
fill_fs() {
	dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null
	dd if=/dev/zero of="$1/filler2" bs=1 2>/dev/null
	: >"$1/probe" 2>/dev/null && echo x >"$1/probe" 2>/dev/null &&
		fail "$1 still takes writes"
	rm -f "$1/probe"
}

# make_pool PREFIX N: N marked services, PREFIX1 to PREFIXN, in
# $WORK/pool (outside SCANDIR); their names in NAMES.
make_pool() {
	mkdir "$WORK/pool"
	NAMES=$(seq -f "$1%g" 1 "$2")
	for _n in $NAMES; do
		make_marked_service "$WORK/pool/$_n"
	done
}

# built_with_asan: the programs under test use AddressSanitizer
# (--enable-sanitizers): no valgrind, and resident memory grows with its
# quarantine of freed blocks.
built_with_asan() {
	grep -qa __asan_init "$(command -v hotsv-scan)"
}

# claim_uid UID...: this test runs processes as each (unprivileged) UID,
# which no other test may use (tests run side by side; selftest.sh
# checks that no two claim one uid; new tests take theirs in 62000-62999)
# and no process may hold now.  Another checkout's suite on the same
# machine runs the same tests with the same uids: each uid is taken
# with a lock (flock on a file in /run/lock, in ascending order), held
# until the test and everything it started are gone, so such a test
# waits for the other instead of failing.  Call it before
# enter_namespace, whose /proc shows only the test's own processes.
claim_uid() {
	[ "${HOTSV_IN_NAMESPACE:-}" != 1 ] || return 0
	command -v flock >/dev/null 2>&1 || skip "needs flock (util-linux)"
	_fd=8
	for _uid in $(printf '%s\n' "$@" | sort -n); do
		[ "$_fd" -ge 6 ] || fail "claim_uid: at most three uids"
		eval "exec $_fd>>\"\$(uid_lock $_uid)\""
		flock -w 900 "$_fd" ||
			fail "uid $_uid: another test held it for 900 s"
		[ "$(uid_procs "$_uid")" = 0 ] ||
			fail "uid $_uid is in use: each test needs uids of its own"
		_fd=$((_fd - 1))
	done
}

# uid_lock UID: the file whose lock claim_uid takes for UID, shared by
# every checkout on the machine (in /run/lock, else /tmp).
uid_lock() {
	if [ -d /run/lock ] && [ -w /run/lock ]; then
		echo "/run/lock/hotsv-test-uid-$1.lock"
	else
		echo "/tmp/hotsv-test-uid-$1.lock"
	fi
}

# uid_procs UID: how many processes run with the real uid UID.
uid_procs() {
	cat /proc/[0-9]*/status 2>/dev/null |
		awk -v uid="$1" '$1 == "Uid:" && $2 == uid { n++ } END { print n + 0 }'
}

# json_lines_valid FILE: every line of FILE is one JSON object in strict
# UTF-8, as "python3 -m json.tool" reads it (call need_python first).
json_lines_valid() {
	_n=0
	while IFS= read -r _line; do
		_n=$((_n + 1))
		printf '%s\n' "$_line" |
			PYTHONIOENCODING=utf-8:strict "$PYTHON" -m json.tool \
				>/dev/null 2>"$WORK/json.err" ||
			fail "line $_n of $1 is not valid JSON: $(printf '%s' "$_line" | od -c | head -n 5 | tr -s ' \n' ' ') ($(tail -n 1 "$WORK/json.err"))"
	done <"$1"
	[ "$_n" -gt 0 ] || fail "$1 is empty"
}

# ---- random inputs ----

# use_seed: set SEED, from which every random choice of the test is made
# (seeded_bytes, seeded_shuf): $HOTSV_TEST_SEED to replay a failure, else
# a new one; the test's log says which.
use_seed() {
	SEED=${HOTSV_TEST_SEED:-$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')}
	say "random seed $SEED (replay: HOTSV_TEST_SEED=$SEED make check TESTS=$TEST_FILE)"
}

# seeded_bytes KEY N: N pseudo-random bytes made from SEED and KEY (a
# number, one per choice, so that each choice gets bytes of its own).
seeded_bytes() {
	awk -v seed="$SEED" -v key="$1" -v n="$2" 'BEGIN {
		srand(seed % 1000000007 + key * 7919)
		for (i = 0; i < n; i++)
			printf "%c", int(rand() * 256)
	}'
}

# seeded_shuf KEY ARG...: shuf ARG..., choosing with seeded_bytes KEY.
seeded_shuf() {
	_source=$WORK/random.$1
	seeded_bytes "$1" 4096 >"$_source"
	shift
	shuf --random-source="$_source" "$@"
	rm -f "$_source"
}
