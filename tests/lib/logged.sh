# test.sh's helpers for logged services: log/, its pipe, --prefix
# (tests/scan/logged-*.sh, prefix*.sh).

# make_counting_service DIR TAG LAST [CHUNK [PACE]]: a service whose run
# writes the lines "TAG N" on stdout, N from 1 to LAST, then idles.  N
# survives restarts in $WORK/TAG.next, so that "every line exactly once"
# means something: SIGTERM only sets a flag the loop looks at between
# lines, and the one way out of the loop saves N.  A line written and N
# saved therefore cannot diverge across a stop (SIGKILL would break
# this: nothing in these tests sends it to a run).  Each run also ends by
# itself after the multiple of CHUNK (default LAST) that comes next, and
# runs PACE (sh, e.g. "sleep 0.02") after each line.  $WORK/events gets
# "start TAG PID N" and "saved TAG PID N chunk|term".
make_counting_service() {
	make_service "$1" "next='$WORK/$2.next'
n=1
[ -f \"\$next\" ] && n=\$(cat \"\$next\")
chunk=${4:-$3}
end=\$(((n - 1) / chunk * chunk + chunk))
[ \$end -le $3 ] || end=$3
why=chunk
trap 'why=term' TERM
echo \"start $2 \$\$ \$n\" >>'$WORK/events'
while [ \$why = chunk ] && [ \$n -le \$end ]; do
	echo \"$2 \$n\"
	n=\$((n + 1))
	${5:-:}
done
echo \$n >\"\$next.new\" && mv \"\$next.new\" \"\$next\"
echo \"saved $2 \$\$ \$n \$why\" >>'$WORK/events'
[ \$why = term ] || [ \$n -le $3 ] || exec sleep 100000
exit 0"
}

# make_log_run LOGDIR OUTDIR [OPTION...]: a log/ directory (LOGDIR, made
# here) whose run is "exec hotsv-log OPTION... OUTDIR".  OUTDIR lies
# outside the service, so that it outlives an rm -rf of the service.
make_log_run() {
	_logdir=$1
	_out=$2
	shift 2
	mkdir -p "${_out%/*}"
	make_service "$_logdir" "exec hotsv-log $* '$_out'"
}

# counted_lines TAG: stdin's lines, "TAG N" turned into N (others kept,
# so that expect_numbers shows them).
counted_lines() {
	sed "s/^$1 \\([0-9]*\\)\$/\\1/"
}

# expect_numbers WHAT FIRST LAST FILE: FILE holds the numbers FIRST to
# LAST, one a line, each once and in order; else fail saying how it
# differs.  (FILE, not stdin: piped into, it would run in a subshell.)
expect_numbers() {
	seq "$2" "$3" >"$WORK/seq.list"
	cmp -s "$WORK/seq.list" "$4" && return 0
	fail "$1: not $2 to $3 once each in order ($(wc -l <"$4") lines, $(sort "$4" | uniq -d | wc -l) repeated): $(files_diff "$WORK/seq.list" "$4")"
}

# next_number TAG: the N at which the counting service TAG resumes.
next_number() {
	cat "$WORK/$1.next"
}

# expect_saves TAG TERMS: every run of the counting service TAG saved N
# (none died in between), and TERMS of them on SIGTERM.
expect_saves() {
	expect_events "saved $1 .* term" "$2"
	[ "$(event_count "start $1 ")" = "$(event_count "saved $1 ")" ] ||
		fail "a run of $1 ended without saving N: $(cat "$WORK/events")"
}

# logger_pid NAME: the pid of NAME's logger, as hotsv status says.
logger_pid() {
	status_field "$1/log" pid
}

# new_logger NAME OLD: NAME's logger runs, and is not pid OLD.
new_logger() {
	_pid=$(logger_pid "$1")
	[ -n "$_pid" ] && [ "$_pid" != 0 ] && [ "$_pid" != "$2" ] &&
		pid_alive "$_pid"
}

# syscall_of PID: the number of the system call PID is in (the first
# field of /proc/PID/syscall: -1 in user space, "running" on a CPU).
syscall_of() {
	cut -d ' ' -f 1 "/proc/$1/syscall" 2>/dev/null
}

# wchar PID: how many bytes PID has written so far.
wchar() {
	sed -n 's/^wchar: //p' "/proc/$1/io" 2>/dev/null
}

# learn_idle_syscall NAME: set IDLE_SYSCALL to the system call in which
# NAME's logger, given no input, sleeps: its ppoll (learnt, not taken
# from a table of numbers per architecture).
learn_idle_syscall() {
	wait_for 10 "a logger for $1" new_logger "$1" 0
	_pid=$(logger_pid "$1")
	[ -r "/proc/$_pid/syscall" ] || skip "no /proc/PID/syscall on this kernel"
	wait_settled "$_pid"
	IDLE_SYSCALL=$(syscall_of "$_pid")
}

# kill_logger_idle NAME: SIGKILL NAME's logger (hotsv kill NAME/log) at a
# moment it holds no line read and not yet written: freeze it with
# SIGSTOP until it is caught in $IDLE_SYSCALL (see learn_idle_syscall),
# where it waits for input with its batch written.  Then wait for its
# supervisor to start another.
kill_logger_idle() {
	_old=$(logger_pid "$1")
	_tries=2000
	while :; do
		kill -STOP "$_old" || fail "cannot stop $1's logger $_old"
		wait_for 10 "$1's logger $_old stopped" proc_state_is "$_old" T
		[ "$(syscall_of "$_old")" = "$IDLE_SYSCALL" ] && break
		kill -CONT "$_old"
		_tries=$((_tries - 1))
		[ "$_tries" -gt 0 ] || fail "$1's logger never caught idle"
	done
	hv kill "$1/log" || fail "hotsv kill $1/log exited $?"
	wait_for 10 "a new logger for $1" new_logger "$1" "$_old"
}

# chatty_pad: the awk function giving the length of line N's padding in
# the lines of make_chatty_service: 100 to 6,000 bytes, longer than
# PIPE_BUF (4096) for about a third of them.
chatty_pad() {
	echo 'function pad_length(n) { return 100 + n * 997 % 5901 }'
}

# make_chatty_service DIR TAG N: a service writing "TAG I out PAD" on
# stdout and "TAG I err PAD" on stderr for I from 1 to N, as fast as it
# can, once $WORK/go exists, PAD being a run of TAG's first letter (see
# chatty_pad); then "done TAG" in $WORK/events.  Both streams are flushed
# after each line, so that the service itself never mixes two lines.
make_chatty_service() {
	make_service "$1" "until [ -e '$WORK/go' ]; do sleep 0.05; done
awk -v tag=$2 -v n=$3 '$(chatty_pad)
BEGIN {
	pad = substr(tag, 1, 1)
	while (length(pad) < 6000)
		pad = pad pad
	for (i = 1; i <= n; i++) {
		printf \"%s %d out %s\\n\", tag, i, substr(pad, 1, pad_length(i))
		fflush()
		printf \"%s %d err %s\\n\", tag, i, substr(pad, 1, pad_length(i)) >\"/dev/stderr\"
		fflush(\"/dev/stderr\")
	}
}'
echo 'done $2' >>'$WORK/events'
exec sleep 100000"
}

# expect_prefixed FILE N TAG...: every line of FILE is a line of a
# make_chatty_service TAG behind "TAG: ", whole, and each of their
# streams is there in order from 1 to N; else fail, showing the first
# bad lines (cut short).
expect_prefixed() {
	_file=$1
	_n=$2
	shift 2
	awk -v tags="$*" -v n="$_n" "$(chatty_pad)"'
	BEGIN {
		split(tags, list, " ")
		for (t in list) {
			p = substr(list[t], 1, 1)
			while (length(p) < 6000)
				p = p p
			pad[list[t]] = p
		}
	}
	{
		tag = $2
		if (NF != 5 || $1 != tag ":" || !(tag in pad) ||
		    ($4 != "out" && $4 != "err") || $3 != ++seen[tag " " $4] ||
		    $5 != substr(pad[tag], 1, pad_length($3))) {
			if (bad++ < 3)
				print "bad line " NR ": " substr($0, 1, 70) "..."
			seen[tag " " $4] = $3
		}
	}
	END {
		for (t in pad)
			for (s = 1; s <= 2; s++) {
				k = t " " (s == 1 ? "out" : "err")
				if (seen[k] != n)
					print k ": ends at " seen[k] + 0 ", not " n
			}
		if (bad)
			print bad " bad lines in " NR
	}' "$_file" >"$WORK/complaints"
	[ ! -s "$WORK/complaints" ] ||
		fail "$_file: $(cat "$WORK/complaints")"
}
