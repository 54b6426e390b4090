# test.sh's helpers for hotsv-scan and the set of services it runs
# (tests/scan/ and many others).

# start_scanner [OPTION...] SCANDIR: start hotsv-scan in the background,
# stdout and stderr appended to $WORK/scan.out and $WORK/scan.err; set
# SCAN to its pid and return once it listens.
start_scanner() {
	hotsv-scan "$@" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	SCAN=$!
	wait_for 10 "hotsv-scan (pid $SCAN) listening" scanner_listening "$SCAN"
	if pid_gone "$SCAN"; then
		wait "$SCAN"
		fail "hotsv-scan exited $? at start"
	fi
}

# scanner_exits CODE [SECONDS]: wait (30 s) for hotsv-scan $SCAN to exit
# and fail unless it exits CODE.
scanner_exits() {
	wait_for "${2:-30}" "hotsv-scan (pid $SCAN) to exit" pid_gone "$SCAN"
	wait "$SCAN"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan exited $_rc, expected $1"
}

# stop_scanner: SIGTERM hotsv-scan and fail unless it exits 0.
stop_scanner() {
	kill -TERM "$SCAN"
	scanner_exits 0
}

# supervisor_list: "PID NAME" for every live hotsv-supervise, NAME being
# the base name of the directory it supervises (zombies have no cmdline).
supervisor_list() {
	grep -a -H '' /proc/[0-9]*/cmdline 2>/dev/null | tr '\0' ' ' |
		sed -n 's|^/proc/\([0-9]*\)/cmdline:hotsv-supervise .*/\([^ /]*\) $|\1 \2|p'
}

# supervised_names: the names live supervisors run for, sorted.
supervised_names() {
	supervisor_list | sed 's/^[0-9]* //' | sort
}

# count_supervisors: how many hotsv-supervise processes are alive.
count_supervisors() {
	supervisor_list | wc -l
}

# running_services: the tags of the live run processes made by
# make_marked_service or make_trapping_service, sorted, duplicates kept.
running_services() {
	cat /proc/[0-9]*/environ 2>/dev/null | tr '\0' '\n' |
		sed -n 's/^HOTSV_TEST_SVC=//p' | sort
}

# service_names SCANDIR: the services SCANDIR holds, sorted: every entry
# but the hidden ones, and but an empty directory (see hide_service),
# symbolic links followed.  One find for them all, not a process per
# entry: a test may have thousands.
service_names() {
	find -L "$1" -mindepth 1 -maxdepth 1 ! -name '.*' \
		! \( -type d -empty \) -printf '%f\n' 2>/dev/null | sort
}

# make_marked_service DIR [TAG]: a service whose run appends "start TAG
# PID" to $WORK/events, then becomes a sleep whose environment holds
# HOTSV_TEST_SVC=TAG (see running_services).  TAG defaults to the base
# name of the directory run starts in (the target, for a symlink).
make_marked_service() {
	_tag=${2:-'${PWD##*/}'}
	make_service "$1" "tag=$_tag
echo \"start \$tag \$\$\" >>'$WORK/events'
HOTSV_TEST_SVC=\$tag
export HOTSV_TEST_SVC
exec sleep 100000"
}

# make_trapping_service DIR TAG [GROUP]: a service whose run appends
# "start TAG PID" to $WORK/events, and "stop TAG PID" when SIGTERM
# reaches it (then exits 0); its finish appends "finish TAG".  Before it
# starts, run appends "overlap TAG PID" if an instance of GROUP (default
# TAG) is still alive: two of them must never run at once.
make_trapping_service() {
	_group=$WORK/group.${3:-$2}
	make_service "$1" "trap 'echo \"stop $2 \$\$\" >>\"$WORK/events\"; [ -z \"\$!\" ] || kill \$! 2>/dev/null; exit 0' TERM
for pid in \$(cat '$_group' 2>/dev/null); do
	kill -0 \$pid 2>/dev/null && echo \"overlap $2 \$\$ \$pid\" >>'$WORK/events'
done
echo \$\$ >>'$_group'
HOTSV_TEST_SVC=$2 sleep 100000 &
echo \"start $2 \$\$\" >>'$WORK/events'
wait"
	printf '#!/bin/sh\necho "finish %s $1 $2" >>"%s"\n' "$2" \
		"$WORK/events" >"$1/finish"
	chmod +x "$1/finish"
}

# start_pid TAG: the pid of TAG's newest run (from the start lines
# make_trapping_service's runs write to $WORK/events).
start_pid() {
	sed -n "s/^start $1 \\([0-9]*\\).*/\\1/p" "$WORK/events" | tail -n 1
}

# event_count LINE: how many lines of $WORK/events start with LINE.
event_count() {
	count_lines "$WORK/events" "^$1"
}

# wait_events LINE N [SECONDS]: wait (30 s) until N lines of
# $WORK/events start with LINE.
wait_events() {
	wait_for "${3:-30}" "$2 lines '$1' in $WORK/events" has_lines \
		"$WORK/events" "^$1" "$2"
}

# expect_events LINE N: exactly N lines of $WORK/events start with LINE.
expect_events() {
	_got=$(event_count "$1")
	[ "$_got" = "$2" ] ||
		fail "$_got lines '$1' in $WORK/events, expected $2: $(cat "$WORK/events")"
}

# supervision_lists SCANDIR [TAG...]: write what should run and what
# runs to $WORK/want.list, sup.list (supervisors), tags.list and run.list
# (marked runs); how they differ goes to $WORK/supervision.out, which a
# failing test shows.
supervision_lists() {
	service_names "$1" >"$WORK/want.list"
	supervised_names >"$WORK/sup.list"
	running_services >"$WORK/run.list"
	shift
	expected_tags "$(cat "$WORK/want.list")" "$@" >"$WORK/tags.list"
	{
		echo "supervisors: $(list_diff want sup)"
		echo "runs: $(list_diff tags run)"
	} >"$WORK/supervision.out"
}

# supervision_exact SCANDIR [TAG...]: the live supervisors are exactly
# one per service of SCANDIR, and the live marked run processes exactly
# one per TAG (by default, one per service, tagged with its name).
supervision_exact() {
	supervision_lists "$@"
	cmp -s "$WORK/want.list" "$WORK/sup.list" &&
		cmp -s "$WORK/tags.list" "$WORK/run.list"
}

# expected_tags NAMES [TAG...]: the TAGs sorted, one a line, else NAMES.
expected_tags() {
	if [ $# -gt 1 ]; then
		shift
		printf '%s\n' "$@" | sort
	else
		printf '%s\n' "$1" | sed '/^$/d'
	fi
}

# expect_supervision SCANDIR [TAG...]: as supervision_exact, or fail
# saying how they differ.
expect_supervision() {
	supervision_lists "$@"
	cmp -s "$WORK/want.list" "$WORK/sup.list" ||
		fail "supervisors differ from SCANDIR: $(list_diff want sup)"
	cmp -s "$WORK/tags.list" "$WORK/run.list" ||
		fail "run processes differ from what should run: $(list_diff tags run)"
}

# list_diff A B: how $WORK/B.list differs from $WORK/A.list, on a line.
list_diff() {
	files_diff "$WORK/$1.list" "$WORK/$2.list"
}

# files_diff A B: how file B differs from file A, on a line (cut short).
files_diff() {
	diff "$1" "$2" | grep '^[<>]' | head -n 20 | tr '\n' ' '
}

# wait_supervision SCANDIR [TAG...]: wait ($SUPERVISION_WAIT s, default
# 30) until supervision is exact, then check that it still is once
# hotsv-scan and its supervisors have nothing due (no late stray).
wait_supervision() {
	wait_for "${SUPERVISION_WAIT:-30}" "one supervisor per service of $1, one run per tag" \
		supervision_exact "$@"
	wait_scan_settled
	expect_supervision "$@"
}

# bind_mount SOURCE DIR: mount SOURCE on DIR (in the test's mount
# namespace: inotify reports nothing), unmounted when the test exits.
bind_mount() {
	mount --bind "$1" "$2" || fail "cannot bind-mount $1 on $2"
	MOUNTS="$2 ${MOUNTS:-}"
	trap '_rc=$?; for _m in $MOUNTS; do umount -l "$_m"; done; (exit $_rc); cleanup_workdir' EXIT
}

# bind_readonly DIR [SOURCE]: mount SOURCE (default DIR itself) on DIR,
# read-only, unmounted when the test exits.
bind_readonly() {
	bind_mount "${2:-$1}" "$1"
	mount -o remount,bind,ro "$1" || fail "cannot make $1 read-only"
}

# unmount DIR: detach what bind_mount or mount_tmpfs put on DIR (lazily:
# a supervisor may hold a directory inside).
unmount() {
	umount -l "$1" || fail "cannot unmount $1"
	_left=
	for _m in $MOUNTS; do
		[ "$_m" = "$1" ] || _left="$_left $_m"
	done
	MOUNTS=$_left
}

# scanner_watches DIR: hotsv-scan $SCAN has an inotify watch on DIR (its
# inode is in the scanner's /proc/PID/fdinfo).
scanner_watches() {
	_ino=$(printf '%x' "$(stat -c %i "$1")")
	grep -qs "^inotify wd:[0-9]* ino:$_ino " /proc/"$SCAN"/fdinfo/*
}

# hide_service NAME: a marked service (see make_marked_service) that
# only a rescan can see: the empty directory SCANDIR/NAME (moved in unless
# it exists: hotsv-scan lets a directory made in place settle, and then
# looks again), once hotsv-scan $SCAN watches it, gets the service
# bind-mounted over it, which sends no inotify event.
hide_service() {
	if [ ! -d "$SCANDIR/$1" ]; then
		mkdir "$WORK/empty.$1" && mv "$WORK/empty.$1" "$SCANDIR/$1" ||
			fail "cannot move an empty $1 into $SCANDIR"
	fi
	wait_for 10 "hotsv-scan to watch $SCANDIR/$1" scanner_watches \
		"$SCANDIR/$1"
	make_marked_service "$WORK/hidden/$1"
	bind_mount "$WORK/hidden/$1" "$SCANDIR/$1"
}

# expect_rescan_sees NAME: hotsv rescan starts the hidden service NAME
# (see hide_service).
expect_rescan_sees() {
	hide_service "$1"
	expect_exit 0 "hotsv rescan" hv rescan
	wait_events "start $1 " 1
	wait_field "$1" state up
}

# supervisor_of NAME: the pid of the live supervisor of NAME.
supervisor_of() {
	supervisor_list | sed -n "s/^\([0-9]*\) $1\$/\1/p"
}

# line_of LINE head|tail: set LINE_NO to the number of the first (head)
# or last (tail) line of $WORK/events starting with LINE (fails if there
# is none).
line_of() {
	LINE_NO=$(grep -n "^$1" "$WORK/events" | "$2" -n 1 | cut -d: -f1)
	[ -n "$LINE_NO" ] || fail "no line '$1' in $WORK/events"
}

# expect_before FIRST SECOND: the first line FIRST comes before the last
# line SECOND in $WORK/events.
expect_before() {
	line_of "$1" head
	_first=$LINE_NO
	line_of "$2" tail
	[ "$_first" -lt "$LINE_NO" ] ||
		fail "'$2' came before '$1': $(cat "$WORK/events")"
}

# expect_no_overlap: no run of make_trapping_service started while
# another instance of its group was alive.
expect_no_overlap() {
	! grep -q '^overlap' "$WORK/events" ||
		fail "two instances ran at once: $(cat "$WORK/events")"
}

# remove_tree DIR: rm -rf DIR, again while a supervisor racing it
# recreates something inside (rm then fails with ENOTEMPTY).
remove_tree() {
	_tries=50
	until rm -rf "$1" 2>/dev/null && [ ! -e "$1" ]; do
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || fail "cannot remove $1"
		sleep 0.1
	done
}

# use_scandir DIR: make DIR the scan directory of the test (SCANDIR, and
# HOTSV_SCANDIR for hotsv), creating it.
use_scandir() {
	SCANDIR=$1
	HOTSV_SCANDIR=$1
	export HOTSV_SCANDIR
	mkdir -p "$1" || fail "cannot create $1"
}

# ---- the scanner's entries ----

# as_uid UID COMMAND...: run COMMAND as UID (group UID, no others).
as_uid() {
	_uid=$1
	shift
	setpriv --reuid="$_uid" --regid="$_uid" --clear-groups "$@"
}

# start_scanner_as UID [OPTION...] SCANDIR: start_scanner, hotsv-scan
# running as UID: through a wrapper that execs it with setpriv, so that
# $SCAN is hotsv-scan's pid.
start_scanner_as() {
	_uid=$1
	shift
	mkdir -p "$WORK/as-$_uid"
	printf '#!/bin/sh\nexec setpriv --reuid=%s --regid=%s --clear-groups %s "$@"\n' \
		"$_uid" "$_uid" "$(command -v hotsv-scan)" >"$WORK/as-$_uid/hotsv-scan"
	chmod 755 "$WORK/as-$_uid/hotsv-scan"
	_path=$PATH
	PATH=$WORK/as-$_uid:$PATH
	start_scanner "$@"
	PATH=$_path
}

# hog_inotify UID: a process running as UID that takes every inotify
# instance UID may have (fs.inotify.max_user_instances is per user) and
# holds them; skip if UID can still get one.
hog_inotify() {
	need_python
	cat >"$WORK/hog.py" <<'PY'
import ctypes, resource, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
libc = ctypes.CDLL(None, use_errno=True)
held = []
while libc.inotify_init1(0o2000000) >= 0:
    held.append(1)
with open(sys.argv[1], "w") as out:
    out.write("%d %d\n" % (len(held), ctypes.get_errno()))
if sys.argv[2:] == ["hold"]:
    time.sleep(1000000)
PY
	as_uid "$1" "$PYTHON" "$WORK/hog.py" "$WORK/hog.out" hold &
	wait_for 20 "the inotify hog to be done" test -s "$WORK/hog.out"
	as_uid "$1" "$PYTHON" "$WORK/hog.py" "$WORK/hog.check"
	[ "$(cut -d ' ' -f 1 "$WORK/hog.check")" = 0 ] ||
		skip "uid $1 can still get inotify instances ($(cat "$WORK/hog.out"))"
}
