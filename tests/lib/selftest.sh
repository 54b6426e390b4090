#!/bin/sh
# The test library itself: a check that fails anywhere fails the test.
# Under dash every stage of a pipeline, and every ( ) or $( ), is a
# subshell whose exit ends only itself; small scripts using test.sh fail a
# check there and must still exit 1, a clean one must exit 0, a skip 77,
# and one the watchdog kills must say which work directory it left.
# Two tests claiming one uid (two suites on one machine) run one after
# the other.
# Last, no test pipes into an asserting function, and none defines a
# function of the library's name (it would replace the library's for
# every helper that calls it).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# write_script NAME BODY: $WORK/NAME.sh, a test that sources test.sh,
# enters its own namespace, makes its work directory and runs BODY (sh).
write_script() {
	cat >"$WORK/$1.sh" <<SCRIPT
. "\$HOTSV_SRCDIR/tests/lib/test.sh"
enter_namespace "\$@"
make_workdir
$2
SCRIPT
}

# run_script NAME: run $WORK/NAME.sh as make check would (a fresh
# wrapper: not in this test's namespace, without its marks); its exit
# code goes to RC and its output to $WORK/NAME.log.
run_script() {
	env -u HOTSV_IN_NAMESPACE -u HOTSV_TEST_MARKS \
		"$SHELL_FOR_TESTS" "$WORK/$1.sh" >"$WORK/$1.log" 2>&1
	RC=$?
}

# remove_kept NAME: remove the work directory that $WORK/NAME.sh, having
# failed, kept for inspection.
remove_kept() {
	sed -n 's/^[^:]*: work directory kept for inspection: //p' \
		"$WORK/$1.log" >"$WORK/$1.kept"
	while IFS= read -r _kept; do
		case $_kept in
		"${TMPDIR:-/tmp}"/hotsv-"$1".*) rm -rf "$_kept" ;;
		esac
	done <"$WORK/$1.kept"
}

# expect_script NAME CODE PATTERN: $WORK/NAME.sh exits CODE and says
# something matching PATTERN.
expect_script() {
	run_script "$1"
	[ "$RC" = "$2" ] ||
		fail "$1: exited $RC, expected $2: $(cat "$WORK/$1.log")"
	grep -q -- "$3" "$WORK/$1.log" ||
		fail "$1: output lacks '$3': $(cat "$WORK/$1.log")"
	remove_kept "$1"
}

say "a failure in a pipeline's last stage"
write_script pipe 'echo 1 | { read -r n; [ "$n" = 2 ] || fail "got $n"; }
exit 0'
expect_script pipe 1 'FAIL: got 1'

say "a failure in a subshell"
write_script subshell '( fail "in a subshell" )
exit 0'
expect_script subshell 1 'FAIL: in a subshell'

say "a failure in a command substitution"
write_script cmdsubst 'x=$(fail "in a command substitution")
exit 0'
expect_script cmdsubst 1 'FAIL: in a command substitution'

say "a failure in a background job"
write_script background 'fail "in the background" &
wait
exit 0'
expect_script background 1 'FAIL: in the background'

say "a failure in a subshell, then a skip"
write_script skipped '( fail "before the skip" )
skip "nothing to do"'
expect_script skipped 1 'FAIL: before the skip'

say "a line lost in the middle of counted lines"
write_script lost 'printf "n 1\nn 2\nn 4\n" | counted_lines n >"$WORK/got.list"
expect_numbers "a gap" 1 4 "$WORK/got.list"
exit 0'
expect_script lost 1 'FAIL: a gap: not 1 to 4'

say "a line counted twice"
write_script twice 'printf "n 1\nn 2\nn 2\nn 3\n" | counted_lines n >"$WORK/got.list"
expect_numbers "a repeat" 1 3 "$WORK/got.list"
exit 0'
expect_script twice 1 'FAIL: a repeat: .* 1 repeated'

say "the same checks passing"
write_script clean 'echo 1 | { read -r n; [ "$n" = 1 ] || fail "got $n"; }
( [ -d "$WORK" ] || fail "no work directory" )
printf "n 1\nn 2\nn 3\n" | counted_lines n >"$WORK/got.list"
expect_numbers "all there" 1 3 "$WORK/got.list"
say "clean: done"
exit 0'
expect_script clean 0 'clean: done'

say "a skip"
write_script skip 'skip "nothing to do"'
expect_script skip "$SKIP" 'SKIP: nothing to do'

say "a test the watchdog kills"
write_script hung 'say "hanging in $WORK"
sleep 100000'
HOTSV_TEST_TIMEOUT=2 run_script hung
[ "$RC" = 124 ] || fail "hung: exited $RC, expected 124: $(cat "$WORK/hung.log")"
left=$(sed -n 's/^hung: hanging in //p' "$WORK/hung.log")
[ -n "$left" ] && [ -d "$left" ] ||
	fail "hung: no work directory left: $(cat "$WORK/hung.log")"
rm -rf "$left"
grep -q "FAIL: killed after 2s.* work directory is left: $left\$" \
	"$WORK/hung.log" ||
	fail "hung: the watchdog's line does not name $left: $(cat "$WORK/hung.log")"

say "a uid claimed by the same test of another suite: the second waits"
# first holds uid 62990 until $WORK/go exists; second, started then,
# must wait in claim_uid (a flock process holding the lock file open)
# and run only after first is done.
lock=$(uid_lock 62990)
for name in first second; do
	cat >"$WORK/$name.sh" <<SCRIPT
. "\$HOTSV_SRCDIR/tests/lib/test.sh"
claim_uid 62990
enter_namespace "\$@"
make_workdir
echo "$name in" >>"$WORK/claims"
[ $name = second ] || wait_for 60 "$WORK/go" test -e "$WORK/go"
echo "$name out" >>"$WORK/claims"
SCRIPT
done
run_script first &
first=$!
wait_for 60 "first in" grep -qx "first in" "$WORK/claims"
run_script second &
second=$!
# waiting_flock: a flock process has the lock file open.
waiting_flock() {
	for _p in /proc/[0-9]*; do
		[ "$(cat "$_p/comm" 2>/dev/null)" = flock ] || continue
		for _fd in "$_p"/fd/*; do
			[ "$(readlink "$_fd" 2>/dev/null)" != "$lock" ] || return 0
		done
	done
	return 1
}
wait_for 60 "second waiting for the uid" waiting_flock
touch "$WORK/go"
wait "$first" || fail "first: exited $?: $(cat "$WORK/first.log")"
wait "$second" || fail "second: exited $?: $(cat "$WORK/second.log")"
printf 'first in\nfirst out\nsecond in\nsecond out\n' >"$WORK/claims.want"
cmp -s "$WORK/claims" "$WORK/claims.want" ||
	fail "the two ran side by side: $(tr '\n' ' ' <"$WORK/claims")"

say "no two tests claim one uid"
sed -n 's/^claim_uid //p' "$HOTSV_SRCDIR"/tests/*/*.sh | tr ' ' '\n' |
	grep . | sort | uniq -d >"$WORK/shared-uids"
[ ! -s "$WORK/shared-uids" ] ||
	fail "uids claimed by two tests: $(cat "$WORK/shared-uids")"

say "no test pipes into an asserting function"
# dash runs a pipeline's last stage in a subshell too: a check there
# would be lost but for the marks; write the input to a file instead.
# A line ending in "|" (not "||") or "\" is joined to the next.
awk '
FNR == 1 { text = "" }
{
	text = text $0
	if (text ~ /([^|]\||\\)[[:space:]]*$/)
		next
	if (text ~ /(^|[^|])\|[[:space:]]*(fail|skip|expect_[a-z_]*|wait_[a-z_]*|run_says|outsider_says|json_lines_valid)([[:space:]]|$)/)
		print FILENAME ":" FNR ": " text
	text = ""
}' "$HOTSV_SRCDIR"/tests/*/*.sh >"$WORK/piped" 2>&1
[ ! -s "$WORK/piped" ] || fail "pipes into a check: $(cat "$WORK/piped")"

say "no test redefines a function of the library"
sed -n 's/^\([a-z_][a-z0-9_]*\)() {$/\1/p' "$HOTSV_SRCDIR"/tests/lib/*.sh |
	sort -u >"$WORK/lib-functions"
grep -H '^[a-z_][a-z0-9_]*() {$' "$HOTSV_SRCDIR"/tests/*/*.sh |
	grep -v '/tests/lib/' | sed 's/() {$//' >"$WORK/test-functions"
awk -F: 'NR == FNR { lib[$1] = 1; next } $2 in lib { print $1 ": " $2 }' \
	"$WORK/lib-functions" "$WORK/test-functions" >"$WORK/redefined"
[ ! -s "$WORK/redefined" ] ||
	fail "tests redefine library functions: $(cat "$WORK/redefined")"
exit 0
