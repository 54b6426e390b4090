# bench/init-table.awk: the tables of bench/init-bench.sh, loaded after
# table.awk, from the results file ("SYS KEY VALUE" lines); the script
# sets bound (s), grace (ms), nsvc and orphans.

# a / b as "1.50x"; "-" if either is missing, a bound or "n/a".
function ratio(a, b) {
	if (a == "" || b == "" || a ~ /^[>n]/ || b ~ /^[>n]/) return "-"
	if (b == 0) return a == 0 ? "=" : "inf"
	return sprintf("%.2fx", a / b)
}
# Median (or min) of key k of system s; -1 stands for a timeout.
function stat(s, k, what,    v, n, m, i) {
	n = sorted(s, k, v)
	if (n == 0) return ""
	if (what == "min") return v[1]
	if (what == "max") return v[n]
	if (what == "timeouts") { m = 0; for (i = 1; i <= n; i++) m += v[i] < 0; return m }
	if (n % 2) return v[(n + 1) / 2]
	if (v[n / 2] < 0 || v[n / 2 + 1] < 0) return -1
	return (v[n / 2] + v[n / 2 + 1]) / 2
}
# The median of a time in ns, in ms; ">LIM" for a timeout.
function ms(s, k, lim,    x) {
	x = stat(s, k, "median")
	if (x == "") return ""
	return x < 0 ? ">" lim : x / 1e6
}
# A row of the main table: hotsv, s6, tini, dumb-init, "hotsv --", and
# the three peers against hotsv.
function row(label, a, b, c, d, e) {
	printf "%-44s %8s %8s %8s %9s %8s %8s %8s %9s\n", label, fmt(a),
	    fmt(b), fmt(c), fmt(d), fmt(e), ratio(b, a), ratio(c, a),
	    ratio(d, a)
}
# Row i of the tables: key MK[i], label MN[i], and how: for a time (_ns)
# the median in ms, a timeout shown as ">" how; else the statistic how.
function metric_row(i, key, label, how) {
	MK[i] = key; MN[i] = label; MH[i] = how
}
# The value of row i for system s.
function metric(i, s) {
	if (MK[i] ~ /_ns$/) return ms(s, MK[i], MH[i])
	return stat(s, MK[i], MH[i])
}
# The table of hotsv against the earlier build (-b): the storm as a
# service, then as the main command, then the shutdown rounds.
function compare(    i) {
	before_head(46)
	for (i = 1; i <= NSTORM; i++)
		before_row(MN[i], metric(i, "hotsv"), metric(i, "before"))
	print "the storm as the main command (\"hotsv --\", \"before --\"):"
	for (i = 1; i <= NSTORM; i++)
		before_row("  " MN[i], metric(i, "hotsv-main"),
		    metric(i, "before-main"))
	for (i = NSTORM + 1; i <= NROWS; i++)
		before_row(MN[i], metric(i, "hotsv"), metric(i, "before"))
}
{ val[$1, $2, ++cnt[$1, $2]] = $3 }
END {
	metric_row(1, "storm_zero_ns", "storm: first fork to all reaped (ms)",
	    60000)
	metric_row(2, "storm_tail_ns", "storm: last fork to all reaped (ms)",
	    60000)
	metric_row(3, "storm_fork_ns", "storm: forking " orphans \
	    " orphans (ms)", 60000)
	metric_row(4, "storm_backlog", "storm: not reaped yet at the last fork",
	    "median")
	metric_row(5, "storm_cpu_ns", "storm: CPU time of PID 1 (ms)", "?")
	metric_row(6, "burst_ns", "burst: " orphans \
	    " exit at once, to all reaped (ms)", 60000)
	metric_row(7, "burst_cpu_ns", "burst: CPU time of PID 1 (ms)", "?")
	metric_row(8, "zombies_end", "zombies in the namespace after (worst)",
	    "max")
	NSTORM = 8
	metric_row(9, "many_ns", nsvc " x 1 s services: SIGTERM to exit (ms)",
	    bound * 1000)
	metric_row(10, "many_graceful", nsvc " x 1 s: stopped gracefully" \
	    " (worst)", "min")
	metric_row(11, "stub_ns", "ignores SIGTERM: SIGTERM to exit (ms)",
	    bound * 1000)
	NROWS = 11
	printf "%-44s %8s %8s %8s %9s %8s %8s %8s %9s\n", "metric", "hotsv",
	    "s6", "tini", "dumb-init", "hotsv --", "s6/hv", "tini/hv",
	    "dumb/hv"
	split("hotsv s6 tini dumb-init hotsv-main", S, " ")
	for (i = 1; i <= NSTORM; i++) {
		for (si = 1; si <= 5; si++) x[si] = metric(i, S[si])
		row(MN[i], x[1], x[2], x[3], x[4], x[5])
	}
	for (i = NSTORM + 1; i <= NROWS; i++)
		row(MN[i], metric(i, "hotsv"), metric(i, "s6"), "n/a", "n/a", "")
	row("  same, s6 with timeout-kill " grace " (ms)", metric(NROWS,
	    "hotsv"), metric(NROWS, "s6tk"), "n/a", "n/a", "")
	if (cnt["before", "storm_zero_ns"] + cnt["before", "many_ns"] > 0)
		compare()
	print ""
	print "hotsv: hotsv-scan as PID 1, storm as a service; \"hotsv --\":" \
	    " hotsv-scan with the storm as its main command (as tini and" \
	    " dumb-init run it); s6: s6-svscan, storm as a service"
	print "hotsv-scan runs with -g 7000 (default) for " nsvc \
	    " services and -g " grace " for the one that ignores SIGTERM;" \
	    " s6-svscan gets SIGTERM (= s6-svscanctl -t)"
	n = stat("s6", "stub_ns", "timeouts"); m = cnt["s6", "stub_ns"]
	if (m > 0)
		printf "s6-svscan (defaults), one service ignoring SIGTERM: %s\n",
		    n == m ? "did not finish in " bound " s (" n " of " m \
		    " trials; it has no shutdown deadline)" : \
		    (n > 0 ? n " of " m " trials did not finish in " bound " s" : \
		    "finished every time")
	na = split("hotsv before s6 s6tk tini dumb-init hotsv-main" \
	    " before-main", A, " ")
	for (si = 1; si <= na; si++) {
		f = 0
		for (i = 1; i <= cnt[A[si], "storm_failed_forks"]; i++)
			f += val[A[si], "storm_failed_forks", i]
		if (f > 0) print A[si] ": " f " forks of the storm failed"
	}
	print ""
	print "every value (ms; zombies; exit status of PID 1 as unshare" \
	    " passed it on; busy: CPU % in the second before each group):"
	nl = split("storm_zero_ns storm_tail_ns storm_fork_ns" \
	    " storm_backlog storm_cpu_ns burst_ns burst_cpu_ns zombies_end" \
	    " many_ns many_graceful stub_ns exit_storm exit_many" \
	    " exit_stubborn busy_storm busy_many busy_stubborn", L, " ")
	for (si = 1; si <= na; si++)
		for (li = 1; li <= nl; li++) {
			k = L[li]
			if (cnt[A[si], k] == 0) continue
			line = sprintf("%-11s %-14s", A[si], k)
			for (i = 1; i <= cnt[A[si], k]; i++) {
				x0 = val[A[si], k, i]
				if (k ~ /_ns$/)
					x0 = x0 < 0 ? "timeout" : sprintf("%.1f", x0 / 1e6)
				line = line " " x0
			}
			print line
		}
}
