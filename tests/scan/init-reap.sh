#!/bin/sh
# hotsv-scan as PID 1 of a namespace reaps every orphan: a service that
# double-forks 2,000 short-lived children leaves no zombie behind, nor
# does one that double-forks 200 during the shutdown.  At shutdown, a
# process that left its service's session (so its supervisor cannot stop
# it) gets SIGTERM once the services are gone, and the time to act on it.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_forker_service "$SCANDIR/forker" forker 2000
# This one double-forks 200 more when SIGTERM comes, then counts the
# zombies of the namespace (its /proc) until there are none (if they
# stay, the shutdown's grace time ends it without its "zombies 0").
mkdir "$SCANDIR/counter"
cat >"$SCANDIR/counter/run" <<EOF
#!/bin/sh
trap 'i=0
while [ \$i -lt 200 ]; do
	(: &)
	i=\$((i + 1))
done
while n=\$(cat /proc/[0-9]*/stat 2>/dev/null | grep -c ") Z ") &&
	[ \$n != 0 ]; do
	sleep 0.05
done
echo "zombies \$n" >>'$WORK/events'
exit 0' TERM
echo "start counter" >>'$WORK/events'
sleep 100000 &
wait
EOF
chmod +x "$SCANDIR/counter/run"
start_init "$SCANDIR"
wait_events "start counter" 1
wait_events "forked forker" 1
wait_events "start forker" 1
wait_events "leftover forker" 1
wait_for 10 "no zombie in hotsv-scan's namespace" no_zombies_under "$SCAN"
say "2000 orphans reaped"
signal_scanner TERM
init_exits 0
expect_events "swept forker" 1
expect_events "zombies 0" 1
expect_before "stop forker" "swept forker"
exit 0
