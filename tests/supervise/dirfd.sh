#!/bin/sh
# The interface hotsv-scan uses to hand a supervisor its directory:
# -d FD (the service directory is that open descriptor, an O_PATH one
# here; SVCDIR is only a name, here one that leads nowhere), -n NAME (log
# prefix), and the report socket's "D" message carrying a descriptor
# ("your directory is now this one").  Run starts in the directory held,
# supervise/ is made in it, finish gets SVCDIR as given; after "D", run
# and finish start in the new directory while supervise/ stays, and
# run-id names the new directory.  A descriptor
# that comes with another message, or two with a "D", are closed and
# change nothing.  Bad -d and -n values are usage errors (100); without
# -d, a SVCDIR that cannot be opened is one line naming it (111).
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
need_python
enter_namespace "$@"
make_workdir

say "bad -d, -n and SVCDIR"
make_service "$WORK/x"
expect_exit 100 "-d 9 (closed)" hotsv-supervise -d 9 "$WORK/x"
output_has "-d 9: not an open descriptor" "-d 9 (closed)"
expect_exit 100 "-d 0 (not a directory)" hotsv-supervise -d 0 "$WORK/x" </dev/null
output_has "not a directory" "-d 0 (not a directory)"
for bad in ../x x/.. "" x/y /x; do
	expect_exit 100 "-n '$bad'" hotsv-supervise -n "$bad" "$WORK/x"
	output_has "not a service name" "-n '$bad'"
done
expect_exit 111 "a missing SVCDIR" hotsv-supervise "$WORK/missing"
output_has "$WORK/missing: No such file or directory" "a missing SVCDIR"
[ "$(wc -l <"$WORK/cmd.out")" = 1 ] || fail "not one line: $(cat "$WORK/cmd.out")"

# The driver plays hotsv-scan: it starts hotsv-supervise with the report
# socket on fd 3 and $WORK/a (O_PATH) on fd 4, then obeys the lines
# written to $WORK/cmd: "D DIR" sends "D" with DIR, "D2 DIR" sends "D"
# with DIR twice, "G DIR" sends "G" with DIR, "quit" sends SIGTERM to
# the supervisor and notes "exit RC" in $WORK/events.
cat >"$WORK/driver" <<'EOF'
import array, os, socket, subprocess, sys
work = sys.argv[1]
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
def note(line):
    with open(work + "/events", "a") as f:
        f.write(line + "\n")
def opened(path):
    return os.open(path, os.O_PATH | os.O_DIRECTORY)
held = opened(work + "/a")
def child():
    os.dup2(theirs.fileno(), 3)
    os.dup2(held, 4)
sup = subprocess.Popen(sys.argv[2:], preexec_fn=child, close_fds=False,
                       stderr=open(work + "/sup.err", "w"))
theirs.close()
os.close(held)
note("supervisor %d" % sup.pid)
while True:
    with open(work + "/cmd") as f:
        lines = f.read().split("\n")
    for line in lines:
        if not line:
            continue
        word, _, path = line.partition(" ")
        if word == "quit":
            sup.terminate()
            note("exit %d" % sup.wait())
            sys.exit(0)
        fds = [opened(path)] * (2 if word == "D2" else 1)
        ours.sendmsg([word[0].encode()],
                     [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
        os.close(fds[0])
        note("sent " + word)
EOF

# tell LINE: have the driver act on LINE and wait until it has.
tell() {
	_n=$(event_count "sent ${1%% *}")
	echo "$1" >"$WORK/cmd"
	wait_events "sent ${1%% *}" $((_n + 1)) 10
}

# fd_count PID: how many descriptors PID has open.
fd_count() {
	ls "/proc/$1/fd" | wc -l
}

say "-d and -n: the directory held, SVCDIR only a name"
for d in a b; do
	make_marked_service "$WORK/$d"
	make_finish "$WORK/$d" "echo \"finish $d \$3\" >>'$WORK/events'"
done
mkfifo "$WORK/cmd"
"$PYTHON" "$WORK/driver" "$WORK" hotsv-supervise -r 3 -d 4 -n web \
	"nowhere/web" &
wait_events "supervisor " 1
SUP=$(sed -n 's/^supervisor //p' "$WORK/events")
await_supervisor "$SUP"
wait_events "start a " 1
[ -p "$WORK/a/supervise/control" ] || fail "no supervise/ in $WORK/a"
[ ! -e nowhere ] && [ ! -e "$WORK/nowhere" ] || fail "something made at the name"
wait_field "$WORK/a" pid "$(start_pid a)"
fds=$(fd_count "$SUP")

say "a descriptor with G, two with D: closed, nothing changes"
tell "G $WORK/b"
tell "D2 $WORK/b"
control "$WORK/a" k
wait_events "start a " 2
wait_field "$WORK/a" pid "$(start_pid a)"
expect_events "finish a nowhere/web" 1
[ "$(fd_count "$SUP")" = "$fds" ] ||
	fail "the supervisor has $(fd_count "$SUP") descriptors, not $fds: $(ls -l "/proc/$SUP/fd")"
grep -q '^hotsv-supervise: web: run killed by SIGKILL; restarting$' \
	"$WORK/sup.err" || fail "no line prefixed with web: $(cat "$WORK/sup.err")"

say "D: the directory is now another one"
tell "D $WORK/b"
control "$WORK/a" k
wait_events "start b " 1
wait_field "$WORK/a" pid "$(start_pid b)"
# run a died after "D": the finish is the new directory's.
expect_events "finish a " 1
expect_events "finish b nowhere/web" 1
[ ! -e "$WORK/b/supervise" ] || fail "supervise/ moved to $WORK/b"
[ "$(fd_count "$SUP")" = "$fds" ] ||
	fail "the supervisor has $(fd_count "$SUP") descriptors, not $fds: $(ls -l "/proc/$SUP/fd")"
grep -q " $(stat -c '%d %i' "$WORK/b")\$" "$WORK/a/supervise/run-id" ||
	fail "run-id does not name $WORK/b: $(cat "$WORK/a/supervise/run-id")"
control "$WORK/a" d
wait_events "finish b nowhere/web" 2
echo quit >"$WORK/cmd"
wait_events "exit 0" 1
exit 0
