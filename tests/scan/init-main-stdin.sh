#!/bin/sh
# With a main command, the standard input of hotsv-scan is the main
# command's alone (as under "docker run -i"): services get /dev/null.
# hotsv-scan, PID 1 of a namespace, reads a pipe (a FIFO the test
# writes lines to once the service has started); a service that copies
# its stdin to a file sees end-of-file at once and its file stays
# empty; the main command gets every line, in order, then end-of-file,
# and its exit ends the container.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

use_scandir "$WORK/scan"
make_service "$SCANDIR/reader" "cat >'$WORK/reader.got'
echo 'reader saw end-of-file' >>'$WORK/events'
exec sleep 100000"
cat >"$WORK/main" <<EOF2
#!/bin/sh
cat >'$WORK/main.got'
echo 'main saw end-of-file' >>'$WORK/events'
EOF2
chmod +x "$WORK/main"
mkfifo "$WORK/stdin"
seq 1 50 >"$WORK/lines"
# The writer opens the FIFO (and waits there for hotsv-scan to open it
# too), then writes the lines once the service has seen its end-of-file.
(
	exec 3>"$WORK/stdin"
	while [ ! -e "$WORK/go" ]; do sleep 0.05; done
	cat "$WORK/lines" >&3
) &
INIT_STDIN=$WORK/stdin start_init "$SCANDIR" -- "$WORK/main"
wait_events "reader saw end-of-file" 1
touch "$WORK/go"
init_exits 0
expect_events "main saw end-of-file" 1
cmp -s "$WORK/lines" "$WORK/main.got" ||
	fail "the main command got: $(head -c 200 "$WORK/main.got")"
[ -f "$WORK/reader.got" ] && [ ! -s "$WORK/reader.got" ] ||
	fail "the service got: $(head -c 200 "$WORK/reader.got")"
exit 0
