#!/bin/sh
# Odd names and odd entries in SCANDIR, under hotsv-scan -p.  Services
# named with spaces, a newline, bytes that are not UTF-8 (a lone byte,
# an overlong form, a surrogate, a code point past U+10FFFF) and a name of
# 255 bytes each get one supervisor and run; "hotsv status", "hotsv
# status --json" (each line valid JSON in strict UTF-8, as python3 -m
# json.tool reads it), "hotsv restart" work on them, and the prefixed
# output of each is whole lines.  10,000 plain files, a socket, a FIFO, a
# symlink to a file, a dangling symlink and a symlink loop in SCANDIR are
# ignored (no supervisor, no effect on the services); a symlink to a
# service directory outside SCANDIR is a service (by design) named by
# the link, and no listed name holds a "/".  Names that lead out of SCANDIR
# ("x/..", "x/../y") are refused by hotsv (exit 100); "../x", starting
# with a dot, is a path by design, as hotsv(1) says.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir
need_python
# Bytes, not characters: sed and grep must see names that are not UTF-8.
LC_ALL=C
export LC_ALL

# SCANDIR on a tmpfs: creating (and removing) its 10,000 files took
# about 8 s on the disk of a loaded VM, and proves no more there.
mount_tmpfs "$WORK/fs" 65536
use_scandir "$WORK/fs/scan"
LONG=$(printf '%0255d' 0 | tr 0 n)
NL='new
line'
# The services: "TAG NAME" pairs, NAME given in printf's escapes.
cat >"$WORK/names" <<'EOF'
space with space
newline new\nline
latin bad\377\376name
overlong over\300\257long
surrogate sur\355\240\200rogate
beyond be\364\220\200\200yond
lead five\365\200\200\200lead
EOF
echo "long $LONG" >>"$WORK/names"
while read -r tag name; do
	name=$(printf "${name}x")
	name=${name%x}
	make_marked_service "$SCANDIR/$name" "$tag"
	make_finish "$SCANDIR/$name" "echo hello"
	sed -i "2i echo \"hello from $tag\"" "$SCANDIR/$name/run"
done <"$WORK/names"
mkdir -p "$WORK/outside"
make_marked_service "$WORK/outside/target" outside
ln -s "$WORK/outside/target" "$SCANDIR/link"
SERVICES=9

# name_of TAG: the service name of TAG (from $WORK/names).
name_of() {
	_n=$(printf "$(sed -n "s/^$1 //p" "$WORK/names")x")
	printf '%s' "${_n%x}"
}

# runs_are TAGS: the live runs are TAGS (sorted, one each).
runs_are() {
	[ "$(running_services | tr '\n' ' ')" = "$1" ]
}
TAGS="$(cut -d' ' -f1 "$WORK/names" | { cat; echo outside; } | sort | tr '\n' ' ')"

start_scanner -p "$SCANDIR"
wait_for 30 "$SERVICES supervisors" supervisors_are "$SERVICES"
wait_for 30 "a run for each" runs_are "$TAGS"
for tag in $(cut -d' ' -f1 "$WORK/names"); do
	wait_field "$(name_of "$tag")" state up
done
wait_field link state up

say "odd entries in SCANDIR are ignored"
(cd "$SCANDIR" && seq -f 'file%05g' 1 10000 | xargs touch) ||
	fail "cannot create 10,000 files"
mkfifo "$SCANDIR/fifo"
"$PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$SCANDIR/socket" || fail "cannot make a socket"
ln -s "$SCANDIR/file00001" "$SCANDIR/tofile"
ln -s "$WORK/nowhere" "$SCANDIR/dangling"
ln -s loop "$SCANDIR/loop"
make_marked_service "$WORK/fs/late"
mv "$WORK/fs/late" "$SCANDIR/late"
SERVICES=$((SERVICES + 1))
TAGS="$(printf '%s\n' $TAGS late | sort | tr '\n' ' ')"
wait_for 30 "$SERVICES supervisors" supervisors_are "$SERVICES"
wait_for 30 "a run for each" runs_are "$TAGS"
expect_exit 0 "hotsv rescan" hv rescan
wait_scan_settled
supervisors_are "$SERVICES" || fail "supervisors: $(supervised_names | tr '\n' ' ')"
runs_are "$TAGS" || fail "runs: $(running_services | tr '\n' ' ')"

say "hotsv status and status --json"
expect_exit 0 "hotsv status" hv status
[ "$(wc -l <"$WORK/cmd.out")" = $((SERVICES + 1)) ] ||
	fail "hotsv status: $(wc -l <"$WORK/cmd.out") lines for $SERVICES services: $(cat -A "$WORK/cmd.out")"
grep -q '^new\\x0aline ' "$WORK/cmd.out" || fail "the newline is not shown escaped"
[ "$(grep -c ' up ' "$WORK/cmd.out")" = "$SERVICES" ] ||
	fail "not every service up: $(cat -A "$WORK/cmd.out")"
hv status --json >"$WORK/status.json" || fail "hotsv status --json exited $?"
[ "$(wc -l <"$WORK/status.json")" = "$SERVICES" ] ||
	fail "$(wc -l <"$WORK/status.json") JSON lines for $SERVICES services"
json_lines_valid "$WORK/status.json"
"$PYTHON" -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if "/" in o["name"] or o["state"] != "up":
        sys.exit("bad entry: %r" % o)
' "$WORK/status.json" || fail "hotsv status --json: $(cat "$WORK/status.json")"
for tag in $(cut -d' ' -f1 "$WORK/names"); do
	hv status --json "$(name_of "$tag")" >"$WORK/one.json" ||
		fail "hotsv status --json for $tag exited $?"
	json_lines_valid "$WORK/one.json"
done

say "hotsv restart on each odd name"
for tag in $(cut -d' ' -f1 "$WORK/names"); do
	expect_exit 0 "hotsv restart $tag" hv restart "$(name_of "$tag")"
done
for tag in $(cut -d' ' -f1 "$WORK/names"); do
	wait_events "start $tag " 2
	wait_field "$(name_of "$tag")" pid "$(start_pid "$tag")"
done

say "names that lead out of SCANDIR are refused"
for bad in 'link/..' 'link/../late' 'x/../late' 'late/../../scan/late'; do
	expect_exit 100 "hotsv up $bad" hv up "$bad"
	output_has "not a service name" "hotsv up $bad"
done

say "the prefixed output is whole lines"
for tag in $(cut -d' ' -f1 "$WORK/names"); do
	wait_for 10 "$tag's greeting" grep -q "hello from $tag\$" "$WORK/scan.out"
done
if grep -v ': hello from [a-z]*$\|: hello$' "$WORK/scan.out" | grep -q .; then
	fail "lines broken by a name: $(grep -v ': hello from [a-z]*$\|: hello$' "$WORK/scan.out" | head -n 5 | cat -A)"
fi
stop_scanner
exit 0
