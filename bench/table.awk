# bench/table.awk: functions the benchmark scripts' tables share (loaded
# with awk -f before each script's own program).  The values of key k of
# system s are val[s, k, 1..cnt[s, k]]; -1 stands for a timeout.

# A value for the table: "-" for none, a bound (">20000") or "n/a" as
# they are, else with as few digits as its size needs.
function fmt(v) {
	if (v == "") return "-"
	if (v ~ /^[>n]/) return v
	if (v == int(v)) return sprintf("%d", v)
	if (v < 10) return sprintf("%.2f", v)
	if (v < 1000) return sprintf("%.1f", v)
	return sprintf("%.0f", v)
}
# Timeouts (negative) sort after everything.
function later(a, b) {
	if (a < 0) return b >= 0
	if (b < 0) return 0
	return a > b
}
# Sort the values of key k of system s into v[1..n]; return n.
function sorted(s, k, v,    n, i, j, t) {
	n = cnt[s, k]
	for (i = 1; i <= n; i++) v[i] = val[s, k, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && later(v[j - 1], v[j]); j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n
}
# The title and the header of the table of hotsv against the earlier
# build (option -b), whose labels are w wide (kept for before_row).
function before_head(w) {
	before_w = w
	print ""
	print "hotsv against the earlier build (\"before\", -b), same rounds:"
	printf "%-" w "s %9s %9s %12s\n", "metric", "hotsv", "before",
	    "before/hotsv"
}
# A row of that table: a for hotsv, b for before, and ratio(b, a) (each
# script defines ratio).
function before_row(label, a, b) {
	printf "%-" before_w "s %9s %9s %12s\n", label, fmt(a), fmt(b),
	    ratio(b, a)
}
