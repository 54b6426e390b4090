#!/bin/sh
# supervise/death_tally keeps the last max-death-tally deaths: with 3,
# after five deaths (exit codes 1 to 5), its three 14-byte records hold
# exit codes 3, 4 and 5, signal 0; with 0 it keeps none; without the
# file, all five.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

# counted_service NAME: a service whose Nth run exits N on SIGTERM.
counted_service() {
	make_service "$WORK/$1" "n=\$((\$(cat '$WORK/$1.n' 2>/dev/null || echo 0) + 1))
echo \$n >'$WORK/$1.n'
trap 'exit \$n' TERM
echo \"start $1 \$n\" >>'$WORK/events'
sleep 100000 &
wait"
}

# tally_codes NAME: the exit code and signal bytes of each record of
# NAME's death_tally, "CODE/SIG" separated by spaces.
tally_codes() {
	od -An -v -tu1 -w14 "$WORK/$1/supervise/death_tally" |
		awk '{ printf "%s/%s ", $13, $14 }'
}

for tally in 3 0 none; do
	counted_service "t$tally"
	[ "$tally" = none ] || echo "$tally" >"$WORK/t$tally/max-death-tally"
done
start_supervisors t3 t0 tnone
# Down and up again (no restart throttle): five deaths each.
for n in 1 2 3 4 5; do
	for tally in 3 0 none; do
		wait_events "start t$tally $n" 1
		expect_exit 0 "hotsv down --wait t$tally" hv down --wait "$WORK/t$tally"
		hv up "$WORK/t$tally" || fail "hotsv up exited $?"
	done
done
for tally in 3 0 none; do
	wait_events "start t$tally 6" 1
done
# hotsv status counts the deaths on record.
expect_field "$WORK/t3" deaths 3
expect_field "$WORK/t0" deaths 0
expect_field "$WORK/tnone" deaths 5
[ "$(wc -c <"$WORK/t3/supervise/death_tally")" = 42 ] ||
	fail "t3's death_tally has $(wc -c <"$WORK/t3/supervise/death_tally") bytes"
[ "$(tally_codes t3)" = "3/0 4/0 5/0 " ] ||
	fail "t3's death_tally holds $(tally_codes t3)"
[ ! -s "$WORK/t0/supervise/death_tally" ] ||
	fail "t0's death_tally holds $(tally_codes t0)"
[ "$(tally_codes tnone)" = "1/0 2/0 3/0 4/0 5/0 " ] ||
	fail "tnone's death_tally holds $(tally_codes tnone)"
stop_supervisors
exit 0
