#!/bin/sh
# Garbage in every file of a service directory, under hotsv-scan: one
# service per kind of garbage (empty, binary with NUL bytes, negative,
# enormous numbers, unknown names, a directory, a FIFO, a symbolic link
# loop) in timeout-finish, timeout-kill, down-signal, max-death-tally and
# notification-fd, and, where it makes sense, dependencies and finish.
# Each service starts and works with the defaults: it is up (readiness
# ignored: not "starting", no descriptor beyond 0 1 2), restarts with
# SIGTERM, counts its deaths; nothing hangs on a FIFO.  Each bad file gets
# one warning line naming it (with the default used), however many
# restarts read it again.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

FILES="timeout-finish timeout-kill down-signal max-death-tally notification-fd"
KINDS="empty binary negative huge name dir fifo loop"
use_scandir "$WORK/scan"

# garble DIR FILE KIND: make DIR/FILE garbage of that kind.
garble() {
	case $3 in
	empty) : >"$1/$2" ;;
	binary) printf '\000\377\001garbage\n\000' >"$1/$2" ;;
	negative) echo -5 >"$1/$2" ;;
	huge) echo 999999999999999999999999999999 >"$1/$2" ;;
	name) echo SIGNOPE >"$1/$2" ;;
	dir) mkdir "$1/$2" ;;
	fifo) mkfifo "$1/$2" ;;
	loop) ln -s "$2" "$1/$2" ;;
	esac
}

for kind in $KINDS; do
	d=$WORK/g-$kind
	make_service "$d" "echo \"start g-$kind \$\$\" >>'$WORK/events'
HOTSV_TEST_SVC=g-$kind exec sleep 100000"
	for f in $FILES; do
		garble "$d" "$f" "$kind"
	done
	case $kind in
	negative | huge | name)
		make_finish "$d" "sleep 0.3; echo \"finish g-$kind \$1 \$2\" >>'$WORK/events'"
		;;
	*)
		garble "$d" dependencies "$kind"
		garble "$d" finish "$kind"
		[ -f "$d/finish" ] && chmod +x "$d/finish"
		;;
	esac
	mv "$d" "$SCANDIR/"
done

start_scanner "$SCANDIR"
wait_supervision "$SCANDIR"
for kind in $KINDS; do
	s=g-$kind
	wait_field "$s" state up
	run=$(status_field "$s" pid)
	wait_exec "$run" sleep
	[ "$(proc_fds "$run")" = "0 1 2" ] ||
		fail "$s: run has descriptors $(proc_fds "$run")"
done

say "two restarts of each read every file again"
for n in 2 3; do
	for kind in $KINDS; do
		expect_exit 0 "hotsv restart g-$kind" hv restart "g-$kind"
	done
	for kind in $KINDS; do
		wait_events "start g-$kind " "$n"
	done
done
for kind in $KINDS; do
	s=g-$kind
	wait_field "$s" state up
	wait_field "$s" deaths 2
	expect_field "$s" signal SIGTERM
	expect_field "$s" pid "$(start_pid "$s")"
done
for kind in negative huge name; do
	wait_events "finish g-$kind 256 15" 2
done

say "one line per bad file"
for kind in $KINDS; do
	for f in $FILES; do
		# With a bad finish, nothing reads timeout-finish.
		case $kind in
		negative | huge | name) ;;
		*) [ "$f" = timeout-finish ] && continue ;;
		esac
		n=$(count_lines "$WORK/scan.err" "^hotsv-supervise: g-$kind: warning: $f: ")
		[ "$n" = 1 ] ||
			fail "g-$kind: $n lines about $f: $(grep "g-$kind:" "$WORK/scan.err")"
	done
done
for f in timeout-finish timeout-kill max-death-tally notification-fd; do
	grep -q "g-huge: warning: $f: too large" "$WORK/scan.err" ||
		fail "g-huge: no 'too large' line for $f"
done
grep -q 'g-binary: warning: timeout-kill: not a number ("\\x00\\xff\\x01garbage\\x0a\\x00"); using 0' \
	"$WORK/scan.err" || fail "the binary timeout-kill is not shown quoted: $(grep 'g-binary.*timeout-kill' "$WORK/scan.err")"
grep -q 'g-name: warning: down-signal: unknown signal ("SIGNOPE"); using SIGTERM' \
	"$WORK/scan.err" || fail "no line about the unknown signal name"
grep -q 'g-huge: warning: max-death-tally: too large .*; using 4096' \
	"$WORK/scan.err" || fail "an enormous max-death-tally is not capped at 4096"
grep -q 'g-fifo: warning: notification-fd: not a regular file; readiness ignored' \
	"$WORK/scan.err" || fail "no line about the notification-fd FIFO"
# ELOOP in glibc's words, or musl's.
grep -q 'g-loop: warning: down-signal: \(Too many levels of symbolic links\|Symbolic link loop\); using SIGTERM' \
	"$WORK/scan.err" || fail "no line about the down-signal loop"
grep -q 'g-dir: warning: timeout-kill: is a directory; using 0' \
	"$WORK/scan.err" || fail "no line about the timeout-kill directory"
for kind in binary dir fifo loop; do
	n=$(count_lines "$WORK/scan.err" "g-$kind/dependencies: ")
	[ "$n" = 1 ] ||
		fail "g-$kind: $n lines about dependencies: $(grep "g-$kind/dep" "$WORK/scan.err")"
done
# A finish that cannot be run: one line, as for run, not one per death.
for kind in empty binary dir fifo loop; do
	n=$(count_lines "$WORK/scan.err" "g-$kind: warning: .*finish")
	[ "$n" = 1 ] ||
		fail "g-$kind: $n lines about finish for 2 deaths: $(grep "g-$kind:.*finish" "$WORK/scan.err")"
done
stop_scanner
exit 0
