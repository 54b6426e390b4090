#!/bin/sh
# The user file, with private copies of /etc/passwd and /etc/group
# bind-mounted in the test's mount namespace (the machine's are not
# touched), holding a user relu (48301, home /home/relu) whose primary
# group is 48301, also a member of relgrp (48302) and relgrp2 (48303).
# A service with "relu" in its user file: run and finish have uid and
# gid 48301 (real, effective, saved, filesystem), the groups 48301 48302
# 48303, no capability at all (CapEff, CapPrm, CapInh, CapAmb zero),
# HOME=/home/relu and USER=relu.  "48301:48303" gives gid 48303 and the
# groups 48302 48303 (the one given, and those that list relu).  A user file naming nobody known, an empty one and a FIFO
# (nothing hangs): the service is not started, never as root, with one
# warning over several retries; once fixed, it starts as that user.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
claim_uid 48301
enter_namespace "$@"
make_workdir
chmod 755 "$WORK"

cp /etc/passwd "$WORK/passwd"
cp /etc/group "$WORK/group"
echo 'relu:x:48301:48301:rel user:/home/relu:/bin/sh' >>"$WORK/passwd"
printf '%s\n' 'relu:x:48301:' 'relgrp:x:48302:relu' 'relgrp2:x:48303:other,relu' \
	>>"$WORK/group"
bind_mount "$WORK/passwd" /etc/passwd
bind_mount "$WORK/group" /etc/group
grep -q '^relu:' /etc/passwd || fail "the private /etc/passwd is not in place"

use_scandir "$WORK/scan"
# user_service NAME USER: run and finish are sleeps tagged NAME and
# NAME-finish, as USER; finish has no time limit.
user_service() {
	make_service "$SCANDIR/$1" "HOTSV_TEST_SVC=$1; export HOTSV_TEST_SVC
exec sleep 100000"
	make_finish "$SCANDIR/$1" "HOTSV_TEST_SVC=$1-finish; export HOTSV_TEST_SVC
exec sleep 100000"
	echo 0 >"$SCANDIR/$1/timeout-finish"
	printf '%s\n' "$2" >"$SCANDIR/$1/user"
}
user_service named relu
user_service numeric 48301:48303
for bad in unknown empty fifo; do
	make_service "$SCANDIR/$bad" "echo \"start $bad \$\$ \$(id -u)\" >>'$WORK/starts'
exec sleep 100000"
done
echo nosuchuser >"$SCANDIR/unknown/user"
: >"$SCANDIR/empty/user"
mkfifo "$SCANDIR/fifo/user"
# Where the runs note their starts, whoever they run as.
: >"$WORK/starts"
chmod 666 "$WORK/starts"

# expect_identity PID GID GROUPS WHAT: PID runs as relu with gid GID, the
# supplementary GROUPS (sorted, one space after each) and no capability,
# and with relu's HOME and USER.
expect_identity() {
	[ "$(proc_status "$1" Uid)" = "$(printf '48301\t48301\t48301\t48301')" ] ||
		fail "$4: Uid $(proc_status "$1" Uid)"
	[ "$(proc_status "$1" Gid)" = "$(printf '%s\t%s\t%s\t%s' "$2" "$2" "$2" "$2")" ] ||
		fail "$4: Gid $(proc_status "$1" Gid)"
	[ "$(proc_status "$1" Groups | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')" = "$3" ] ||
		fail "$4: Groups $(proc_status "$1" Groups), expected $3"
	for cap in CapEff CapPrm CapInh CapAmb; do
		[ "$(proc_status "$1" "$cap" | tr -d 0)" = "" ] ||
			fail "$4: $cap $(proc_status "$1" "$cap")"
	done
	tr '\0' '\n' <"/proc/$1/environ" >"$WORK/environ"
	grep -qx 'HOME=/home/relu' "$WORK/environ" || fail "$4: no HOME=/home/relu"
	grep -qx 'USER=relu' "$WORK/environ" || fail "$4: no USER=relu"
	[ "$(grep -c '^HOME=\|^USER=' "$WORK/environ")" = 2 ] ||
		fail "$4: $(grep '^HOME=\|^USER=' "$WORK/environ" | tr '\n' ' ')"
}

# tag_up TAG: a process tagged TAG runs (and has exec'd sleep).
tag_up() {
	_pid=$(pid_of_tag "$1")
	[ -n "$_pid" ] && comm_is "$_pid" sleep
}

start_scanner "$SCANDIR"
for s in named numeric; do
	wait_for 10 "$s's run" tag_up "$s"
	wait_field "$s" state up
done
# uid:gid: the primary group is the one given, with the groups that list
# the user's name.
expect_identity "$(pid_of_tag named)" 48301 "48301 48302 48303 " "named's run"
expect_identity "$(pid_of_tag numeric)" 48303 "48302 48303 " "numeric's run"

say "finish runs as the user too"
for s in named numeric; do
	expect_exit 0 "hotsv down $s" hv down "$s"
	wait_for 10 "$s's finish" tag_up "$s-finish"
done
expect_identity "$(pid_of_tag named-finish)" 48301 "48301 48302 48303 " "named's finish"
expect_identity "$(pid_of_tag numeric-finish)" 48303 "48302 48303 " "numeric's finish"
kill "$(pid_of_tag named-finish)" "$(pid_of_tag numeric-finish)"
wait_field named state down
wait_field numeric state down

say "unusable user files: not started, one warning each"
# Each supervisor tries again every second: two more tries each.
wait_turns 2 "$(supervisor_of unknown)" "$(supervisor_of empty)" \
	"$(supervisor_of fifo)"
[ ! -s "$WORK/starts" ] || fail "a service with a bad user file ran: $(cat "$WORK/starts")"
for bad in unknown empty fifo; do
	expect_field "$bad" state down
	expect_field "$bad" want up
	[ "$(count_lines "$WORK/scan.err" "$bad: warning: user: ")" = 1 ] ||
		fail "$bad: not one warning: $(grep "$bad:" "$WORK/scan.err")"
done
grep -q 'unknown: warning: user: no such user in /etc/passwd ("nosuchuser"); run and finish not started' \
	"$WORK/scan.err" || fail "no clear line about the unknown user: $(cat "$WORK/scan.err")"
grep -q 'fifo: warning: user: not a regular file; run and finish not started' \
	"$WORK/scan.err" || fail "no clear line about the user FIFO: $(cat "$WORK/scan.err")"

say "a fixed user file: the service starts as that user"
echo relu >"$SCANDIR/unknown/user"
wait_lines "$WORK/starts" "^start unknown " 1
grep -q "^start unknown [0-9]* 48301\$" "$WORK/starts" ||
	fail "unknown started as $(cat "$WORK/starts")"
wait_field unknown state up
stop_scanner
exit 0
