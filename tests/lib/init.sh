# test.sh's helpers for hotsv-scan as init: PID 1 of a namespace,
# or a subreaper, on a terminal (tests/scan/init-*.sh).

# now_ms: the time in milliseconds (to measure a shutdown's length).
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# init_started: unshare ($INIT) has started hotsv-scan (SCAN is its pid),
# or unshare is gone already.
init_started() {
	SCAN=$(child_of "$INIT")
	[ -n "$SCAN" ] && [ "$(cat "/proc/$SCAN/comm")" = hotsv-scan ] ||
		pid_gone "$INIT"
}

# start_init [OPTION...] SCANDIR [-- CMD...]: start hotsv-scan as PID 1 of
# a new PID namespace (under unshare, then $INIT_WRAP if set, e.g. "env
# --block-signal"), stdin from $INIT_STDIN (default /dev/null), stdout and
# stderr appended to $WORK/scan.out and scan.err.  Sets INIT to unshare's
# pid (see init_exits) and SCAN to hotsv-scan's, as this namespace sees
# it, and returns once hotsv-scan is ready or gone.
start_init() {
	unshare --pid --fork --mount-proc ${INIT_WRAP:-} hotsv-scan "$@" \
		<"${INIT_STDIN:-/dev/null}" >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	INIT=$!
	wait_for 30 "unshare (pid $INIT) to start hotsv-scan" init_started
	[ -z "$SCAN" ] ||
		wait_for 30 "hotsv-scan (pid $SCAN) ready" scanner_ready "$SCAN"
}

# init_exits CODE [SECONDS]: wait (30 s) for the hotsv-scan of start_init
# to end, and fail unless it (unshare, which passes it on) exits CODE.
# Sets ELAPSED to the milliseconds since START_MS, when the test set it.
init_exits() {
	wait_for "${2:-30}" "hotsv-scan under unshare (pid $INIT) to exit" \
		pid_gone "$INIT"
	ELAPSED=$(($(now_ms) - ${START_MS:-0}))
	wait "$INIT"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan (as PID 1) exited $_rc, expected $1"
}

# signal_scanner SIG: send SIG to hotsv-scan $SCAN and set START_MS.
signal_scanner() {
	START_MS=$(now_ms)
	kill -"$1" "$SCAN" || fail "cannot send SIG$1 to hotsv-scan ($SCAN)"
}

# zombies_under PID: how many zombies PID has among its descendants (as
# PID 1 of a namespace, every zombie of that namespace).
zombies_under() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" '
	{ pid = $1; sub(/^.*\) /, ""); state[pid] = $1; parent[pid] = $2 }
	END {
		n = 0
		for (p in state) {
			if (state[p] != "Z")
				continue
			for (q = parent[p]; q > 1 && q != root; q = parent[q])
				;
			if (q == root)
				n++
		}
		print n
	}'
}

# no_zombies_under PID: PID has no zombie among its descendants.
no_zombies_under() {
	[ "$(zombies_under "$1")" = 0 ]
}

# write_trapper: $WORK/trapper TAG [quick|gated|deaf] [INTCODE], a run
# that appends "start TAG PID" to $WORK/events, then "SIG TAG" for each
# of HUP INT QUIT USR1 USR2 WINCH ALRM that reaches it (and, given
# INTCODE, half a second after SIGINT, "exit TAG" and exits INTCODE); on
# SIGTERM it appends "stop TAG" and exits 0, at once (quick) or once
# $WORK/gate exists (gated: "term TAG" first), or ignores it (deaf).  Its
# sleep's environment holds HOTSV_TEST_SVC=TAG.
write_trapper() {
	[ -x "$WORK/trapper" ] && return
	cat >"$WORK/trapper" <<TRAPPER
#!/bin/sh
tag=\$1
note() { echo "\$1 \$tag" >>'$WORK/events'; }
for sig in HUP INT QUIT USR1 USR2 WINCH ALRM; do
	trap "note \$sig" "\$sig"
done
[ -z "\${3:-}" ] || trap "note INT; sleep 0.5; note exit; exit \$3" INT
case \${2:-quick} in
quick) trap 'note stop; kill \$! 2>/dev/null; exit 0' TERM ;;
gated) trap 'note term; until [ -e "$WORK/gate" ]; do sleep 0.05; done
	note stop; kill \$! 2>/dev/null; exit 0' TERM ;;
deaf) trap '' TERM ;;
esac
HOTSV_TEST_SVC=\$tag sleep 100000 &
echo "start \$tag \$\$" >>'$WORK/events'
while kill -0 \$! 2>/dev/null; do
	wait \$!
done
TRAPPER
	chmod +x "$WORK/trapper"
}

# make_signal_service DIR TAG [quick|gated|deaf]: a service whose run is
# the trapper (see write_trapper) and whose finish appends "finish TAG
# EXIT SIG" to $WORK/events.
make_signal_service() {
	write_trapper
	make_service "$1" "exec '$WORK/trapper' '$2' ${3:-quick}"
	make_finish "$1" "echo \"finish $2 \$1 \$2\" >>'$WORK/events'"
}

# make_hook SCANDIR DIR NAME SCRIPT: the executable scanner hook
# SCANDIR/DIR/NAME (DIR: .hotsv or .s6-svscan) running SCRIPT (sh).
make_hook() {
	mkdir -p "$1/$2"
	printf '#!/bin/sh\n%s\n' "$4" >"$1/$2/$3"
	chmod +x "$1/$2/$3"
}

# expect_elapsed MIN MAX WHAT: MIN <= $ELAPSED < MAX (milliseconds).
expect_elapsed() {
	say "$3 took $ELAPSED ms"
	[ "$ELAPSED" -ge "$1" ] && [ "$ELAPSED" -lt "$2" ] ||
		fail "$3 took $ELAPSED ms, expected at least $1 and less than $2"
}

# need_pty: need_python, and python3's pty module, or skip.
need_pty() {
	need_python
	"$PYTHON" -c 'import pty' 2>/dev/null || skip "needs python3's pty module"
}

# on_terminal ARG...: run hotsv-scan ARG... ($WRAP before it, e.g.
# "unshare --pid --fork --mount-proc") on a new pseudo-terminal, whose
# output goes to $WORK/pty.out, with $WORK/events emptied; sets TYPIST
# to the pid of the python3 program (see need_pty) that holds the
# terminal, types on it (type_keys) and exits with hotsv-scan's code.
on_terminal() {
	cat >"$WORK/typist.py" <<'PY'
import os, pty, select, sys

keys, argv = sys.argv[1], sys.argv[2:]
pid, master = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
with open(os.path.join(os.path.dirname(keys), "pty.out"), "ab") as out:
    while True:
        if os.path.exists(keys):
            with open(keys, "rb") as f:
                os.write(master, f.read())
            os.unlink(keys)
        if select.select([master], [], [], 0.05)[0]:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: every end of the terminal is closed
                break
            if not data:
                break
            out.write(data)
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(code if code >= 0 else 128 - code)
PY
	: >"$WORK/events"
	"$PYTHON" "$WORK/typist.py" "$WORK/keys" ${WRAP:-} hotsv-scan "$@" &
	TYPIST=$!
}

# type_keys TEXT: type TEXT (a printf format: '\003' is Ctrl-C) on the
# terminal of on_terminal; returns once it is typed.
type_keys() {
	printf "$1" >"$WORK/keys.new" && mv "$WORK/keys.new" "$WORK/keys"
	wait_for 10 "the typist to type" sh -c '! [ -e "$1" ]' sh "$WORK/keys"
}

# terminal_exits CODE: wait (30 s) for hotsv-scan on the terminal to
# exit, and fail unless it exits CODE.
terminal_exits() {
	wait_for 30 "hotsv-scan on the terminal to exit" pid_gone "$TYPIST"
	wait "$TYPIST"
	_rc=$?
	[ "$_rc" = "$1" ] || fail "hotsv-scan exited $_rc, expected $1"
}

# make_forker_service DIR TAG N: a service whose run double-forks N
# short-lived children (orphans, for the reaper), appends "forked TAG" to
# $WORK/events, leaves behind a process in a session of its own that
# appends "leftover TAG PID" and, 0.2 s after SIGTERM reaches it, "swept
# TAG", then becomes the trapper (see write_trapper) tagged TAG.
make_forker_service() {
	write_trapper
	make_service "$1" "i=0
while [ \$i -lt $3 ]; do
	(: &)
	i=\$((i + 1))
done
echo 'forked $2' >>'$WORK/events'
setsid sh -c 'trap \"sleep 0.2; echo swept $2 >>$WORK/events; exit 0\" TERM
echo \"leftover $2 \$\$\" >>$WORK/events
sleep 100000 & wait' &
exec '$WORK/trapper' '$2'"
}

# pid_of_tag TAG: the pid of a live process whose environment holds
# HOTSV_TEST_SVC=TAG (see make_marked_service).
pid_of_tag() {
	grep -lxz "HOTSV_TEST_SVC=$1" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | head -n 1
}

# make_signal_services NAME...: make_signal_service $SCANDIR/NAME NAME,
# for each NAME.
make_signal_services() {
	for _name; do
		make_signal_service "$SCANDIR/$_name" "$_name"
	done
}
