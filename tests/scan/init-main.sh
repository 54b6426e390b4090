#!/bin/sh
# hotsv-scan SCANDIR -- CMD as PID 1 of a namespace: HUP, USR1, USR2 and
# WINCH go to CMD and not to the services; CMD starts after the initial
# scan, keeps hotsv-scan's stdin, stdout and stderr, is not restarted,
# and when it ends every service is stopped and hotsv-scan exits with its
# code: 3 for "exit 3", 137 when SIGKILL killed it, 127 when it is not
# found, 126 when it cannot run; but "hotsv shutdown -c 4" makes it 4.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_signal_services a b

say "signals are forwarded to CMD only; CMD killed by SIGKILL: 137"
start_init "$SCANDIR" -- "$WORK/trapper" main
wait_events "start " 3
for sig in HUP USR1 USR2 WINCH; do
	signal_scanner "$sig"
	wait_events "$sig main" 1
done
cmd=$(child_of "$SCAN" trapper)
[ -n "$cmd" ] || fail "no main command among hotsv-scan's children"
kill -KILL "$cmd"
init_exits 137
expect_events "stop [ab]" 2
for sig in HUP USR1 USR2 WINCH; do
	expect_events "$sig [ab]" 0
done

say "CMD exits 3, after reading stdin and writing to stdout and stderr"
: >"$WORK/events"
printf 'hello\n' >"$WORK/input"
# It counts the supervisors as it starts: after the initial scan, both
# (their children, before they exec, look the same: counted once).
cat >"$WORK/main" <<EOF
#!/bin/sh
n=\$(for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <"\$f"; echo; done |
	grep '^hotsv-supervis[e] ' | sort -u | wc -l)
echo "main ran, \$n supervisors" >>'$WORK/events'
read line
echo "out \$line"
echo "err \$line" >&2
while [ ! -e '$WORK/go' ]; do sleep 0.05; done
exit 3
EOF
chmod +x "$WORK/main"
INIT_STDIN=$WORK/input start_init "$SCANDIR" -- "$WORK/main"
wait_events "start [ab]" 2
wait_lines "$WORK/scan.err" "^err hello$" 1
touch "$WORK/go"
init_exits 3
expect_events "stop [ab]" 2
expect_events "main ran, 2 supervisors" 1
wait_lines "$WORK/scan.out" "^out hello$" 1

say "hotsv shutdown -c 4 beats the code of CMD it stopped (143)"
: >"$WORK/events"
start_init "$SCANDIR" -- sleep 100000
wait_events "start [ab]" 2
expect_exit 0 "hotsv shutdown -c 4" hv shutdown -c 4
init_exits 4

say "CMD not found: 127, cannot be executed: 126"
printf '#!/bin/sh\nexit 0\n' >"$WORK/noexec"
chmod 0644 "$WORK/noexec"
start_init "$SCANDIR" -- "$WORK/missing"
init_exits 127
start_init "$SCANDIR" -- hotsv-no-such-program
init_exits 127
start_init "$SCANDIR" -- "$WORK/noexec"
init_exits 126
exit 0
