# Helpers for the hotsv-log tests (tests/log/, and tests/scan/logged-*.sh);
# source after test.sh.

# Archive names must sort bytewise in globs and ls.
LC_ALL=C
export LC_ALL

# start_logger ARGS...: run hotsv-log ARGS in the background, reading a
# FIFO that this shell holds open on fd 3; sets LOGGER to its pid.
start_logger() {
	rm -f "$WORK/in"
	mkfifo "$WORK/in"
	hotsv-log "$@" <"$WORK/in" 2>>"$WORK/logger.err" &
	LOGGER=$!
	exec 3>"$WORK/in"
}

# send_line DIR LINE [SHOWN]: give LINE to the logger and wait until
# DIR/current holds it (as SHOWN, when framing changes it).
send_line() {
	printf '%s\n' "$2" >&3
	wait_for 20 "'${3-$2}' in $1/current" grep -qxF -- "${3-$2}" "$1/current"
}

# stop_logger: close the logger's input and check it exits 0.
stop_logger() {
	exec 3>&-
	wait "$LOGGER"
	_rc=$?
	[ "$_rc" = 0 ] || fail "hotsv-log exited $_rc"
}

# bytes_read PID: how many bytes PID has read so far.
bytes_read() {
	sed -n 's/^rchar: //p' "/proc/$1/io"
}

# ends_with_newline FILE: FILE is empty or its last byte is a newline.
ends_with_newline() {
	[ ! -s "$1" ] || [ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ]
}

# log_files DIR: the archives of DIR in name order, then current.
log_files() {
	for _f in "$1"/@*.s; do
		[ -e "$_f" ] && printf '%s\n' "$_f"
	done
	printf '%s\n' "$1/current"
}

# log_text DIR: everything DIR holds, oldest first.
log_text() {
	log_files "$1" | while IFS= read -r _f; do cat "$_f"; done
}

# archive_count DIR: how many archives DIR holds.
archive_count() {
	ls "$1" | grep -c '^@[0-9a-f]\{24\}\.s$'
}

# has_archives DIR N: DIR holds exactly N archives.
has_archives() {
	[ "$(archive_count "$1")" = "$2" ]
}

# numbered_lines FORMAT FIRST LAST: printf FORMAT (one %d, or %03d...)
# with each number from FIRST to LAST, one line each.
numbered_lines() {
	_i=$2
	while [ "$_i" -le "$3" ]; do
		printf "$1\\n" "$_i"
		_i=$((_i + 1))
	done
}

# follower_shows OUT WANTFILE: wait (30 s) until a "hotsv logs -f" that
# writes to OUT has shown as many lines as WANTFILE holds, then check
# they are exactly those.
follower_shows() {
	_n=$(wc -l <"$2")
	wait_for 30 "$_n lines from hotsv logs -f" \
		sh -c '[ "$(wc -l <"$1")" -ge "$2" ]' sh "$1" "$_n"
	cmp -s "$2" "$1" ||
		fail "hotsv logs -f showed [$(cat "$1")], want [$(cat "$2")]"
}

# logged_scandir NAME...: SCANDIR is $WORK/scan, holding a service NAME
# with a log/ for each NAME (their runs sleep): what hotsv logs needs
# around the log directories a test fills.
logged_scandir() {
	use_scandir "$WORK/scan"
	for _name in "$@"; do
		make_service "$SCANDIR/$_name" && make_service "$SCANDIR/$_name/log" ||
			fail "cannot make $SCANDIR/$_name"
	done
}
