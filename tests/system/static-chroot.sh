#!/bin/sh
# The statically linked programs (configure --enable-static-binaries) are
# the init of a root that holds nothing else, hotsv-scan being PID 1 of
# its own PID namespace and chrooted there:
#   - as in an image FROM scratch (no shell, no environment at all), it
#     runs a main command and exits with its code;
#   - as in an image FROM busybox (a static busybox in /bin, the PATH
#     Docker gives an image that sets none), it starts two services
#     (busybox sh scripts, one logged by hotsv-log), then a third added at
#     run time; hotsv inside answers for them; SIGTERM stops them all
#     (their TERM traps run) and hotsv-scan exits 0.
#
# The programs come from the build tree, laid out as "make dist-static"
# lays them out, or from that tarball itself when HOTSV_STATIC_TARBALL
# names it.  Skips unless the programs are static and busybox-static's
# /bin/busybox is there.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"

BUSYBOX=${HOTSV_BUSYBOX:-/bin/busybox}

# is_static FILE: FILE is an ELF executable that names no program
# interpreter (no PT_INTERP: the kernel runs it without ld.so).
is_static() {
	if command -v readelf >/dev/null 2>&1; then
		_headers=$(readelf -l "$1" 2>/dev/null) || return 1
		case $_headers in
		*INTERP*) return 1 ;;
		esac
		return 0
	fi
	command -v file >/dev/null 2>&1 || skip "needs readelf or file"
	file -L "$1" | grep -q 'static.* linked'
}

if [ -n "${HOTSV_STATIC_TARBALL:-}" ]; then
	[ -f "$HOTSV_STATIC_TARBALL" ] ||
		fail "HOTSV_STATIC_TARBALL=$HOTSV_STATIC_TARBALL: no such file"
else
	for prog in hotsv-scan hotsv-supervise hotsv hotsv-log; do
		[ -x "$HOTSV_BUILDDIR/src/$prog" ] ||
			fail "$HOTSV_BUILDDIR/src/$prog not built"
		is_static "$HOTSV_BUILDDIR/src/$prog" ||
			skip "$prog is dynamically linked (configure --enable-static-binaries to test)"
	done
fi
[ -x "$BUSYBOX" ] || skip "needs a static $BUSYBOX (apt-get install busybox-static)"
is_static "$BUSYBOX" ||
	skip "$BUSYBOX is dynamically linked (busybox-static has the static one)"
command -v chroot >/dev/null 2>&1 || skip "needs chroot (coreutils)"
command -v nsenter >/dev/null 2>&1 || skip "needs nsenter (util-linux)"
enter_namespace "$@"
make_workdir

# lay_programs DIR: the programs in DIR/usr/bin and DIR/usr/sbin, and the
# mount points DIR/dev/null (/dev/null bound on it) and DIR/proc.
lay_programs() {
	mkdir -p "$1/dev" "$1/proc" "$1/service" || fail "cannot make $1"
	if [ -n "${HOTSV_STATIC_TARBALL:-}" ]; then
		tar -C "$1" -xJf "$HOTSV_STATIC_TARBALL" ||
			fail "cannot unpack $HOTSV_STATIC_TARBALL"
	else
		mkdir -p "$1/usr/bin" "$1/usr/sbin"
		for _prog in hotsv-scan hotsv-supervise; do
			cp "$HOTSV_BUILDDIR/src/$_prog" "$1/usr/sbin/" ||
				fail "cp $_prog"
		done
		for _prog in hotsv hotsv-log; do
			cp "$HOTSV_BUILDDIR/src/$_prog" "$1/usr/bin/" ||
				fail "cp $_prog"
		done
	fi
	for _prog in sbin/hotsv-scan sbin/hotsv-supervise bin/hotsv \
		bin/hotsv-log; do
		is_static "$1/usr/$_prog" || fail "/usr/$_prog is not static"
	done
	: >"$1/dev/null"
	bind_mount /dev/null "$1/dev/null"
}

# as_init ROOT [ARG...]: "hotsv-scan /service ARG..." as PID 1 of new PID
# and mount namespaces, chrooted in ROOT with ROOT/proc mounted, with no
# environment but $INIT_ENV (VAR=VALUE words), stdin from /dev/null,
# stdout and stderr appended to $WORK/scan.out and scan.err.  Sets INIT
# to unshare's pid and returns at once.
as_init() {
	_root=$1
	shift
	env -i ${INIT_ENV:-} "$(command -v unshare)" --pid --fork --mount \
		--mount-proc="$_root/proc" "$(command -v chroot)" "$_root" \
		/usr/sbin/hotsv-scan /service "$@" \
		</dev/null >>"$WORK/scan.out" 2>>"$WORK/scan.err" &
	INIT=$!
}

say "FROM scratch: no shell, no PATH; the main command's code is returned"
lay_programs "$WORK/scratch"
as_init "$WORK/scratch" -- /usr/bin/hotsv -V
init_exits 0
grep -q '^hotsv [0-9]' "$WORK/scan.out" ||
	fail "no version from hotsv -V as the main command: $(cat "$WORK/scan.out")"
as_init "$WORK/scratch" -- /usr/bin/hotsv status /service/nosuch
init_exits 1
: >"$WORK/scan.out"
: >"$WORK/scan.err"

# The root of an image FROM busybox: the programs, busybox and its
# applets in /bin, and nothing else (no libc, no /etc).
ROOT=$WORK/root
lay_programs "$ROOT"
mkdir -p "$ROOT/bin" "$ROOT/tmp" "$ROOT/var/log" || fail "cannot make $ROOT"
cp "$BUSYBOX" "$ROOT/bin/busybox" || fail "cp $BUSYBOX"
for applet in $("$ROOT/bin/busybox" --list); do
	[ -e "$ROOT/bin/$applet" ] || ln -s busybox "$ROOT/bin/$applet"
done
[ -x "$ROOT/bin/sh" ] || fail "busybox has no sh applet"
chmod 1777 "$ROOT/tmp"
: >"$ROOT/events"
ln -s root/events "$WORK/events"

# svc NAME: /service/NAME (built beside it, then moved in at once), a
# busybox sh run that notes "start NAME PID" and says hello on stdout, and
# on SIGTERM notes "stop NAME PID" and exits 0; its finish notes "finish
# NAME EXIT SIG".
svc() {
	_dir=$ROOT/service/.$1.new
	mkdir -p "$_dir"
	cat >"$_dir/run" <<EOF
#!/bin/sh
trap 'echo "stop $1 \$\$" >>/events; kill \$! 2>/dev/null; exit 0' TERM
sleep 100000 &
echo "start $1 \$\$" >>/events
echo "hello from $1"
wait
EOF
	printf '#!/bin/sh\necho "finish %s $1 $2" >>/events\n' "$1" >"$_dir/finish"
	chmod +x "$_dir/run" "$_dir/finish"
	if [ "${2:-}" = logged ]; then
		mkdir "$_dir/log"
		printf '#!/bin/sh\nexec hotsv-log /var/log/%s\n' "$1" >"$_dir/log/run"
		chmod +x "$_dir/log/run"
	fi
	mv "$_dir" "$ROOT/service/$1" || fail "cannot move $1 into /service"
}

# inside COMMAND...: run COMMAND in hotsv-scan's namespaces and root, with
# an image's environment.
inside() {
	nsenter --target "$SCAN" --pid --mount --root --wd \
		env -i PATH=$IMAGE_PATH "$@"
}

# up_inside NAME: "hotsv status --json /service/NAME", inside, says up.
up_inside() {
	inside hotsv status --json "/service/$1" >"$WORK/status.out" 2>&1 &&
		grep -q '"state":"up"' "$WORK/status.out"
}

svc a
svc b logged

# Docker gives an image that sets no PATH this one.
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
say "hotsv-scan as PID 1 of a chroot with busybox"
INIT_ENV=PATH=$IMAGE_PATH
as_init "$ROOT"
wait_for 10 "unshare (pid $INIT) to start hotsv-scan" init_started
if [ -z "$SCAN" ] || pid_gone "$SCAN"; then
	wait "$INIT"
	fail "hotsv-scan exited $? at start"
fi
wait_for 10 "hotsv-scan (pid $SCAN) ready" scanner_ready "$SCAN"
[ "$(inside cat /proc/1/comm)" = hotsv-scan ] ||
	fail "hotsv-scan is not PID 1 of its namespace"

wait_events "start a " 1
wait_events "start b " 1
wait_for 10 "b's line in /var/log/b/current" \
	grep -q 'hello from b' "$ROOT/var/log/b/current"

say "a third service added at run time"
svc c
wait_events "start c " 1
wait_for 10 "hotsv status c (inside) says up" up_inside c
up_inside a || fail "hotsv status a (inside): $(cat "$WORK/status.out")"
[ "$(inside pidof hotsv-supervise | wc -w)" = 4 ] ||
	fail "expected 4 hotsv-supervise (a, b, b/log, c): $(inside ps)"

say "SIGTERM: every service stops, hotsv-scan exits 0"
signal_scanner TERM
init_exits 0
for tag in a b c; do
	expect_events "start $tag " 1
	expect_events "stop $tag " 1
	expect_events "finish $tag 0 0" 1
done
grep -q 'hello from a' "$WORK/scan.out" ||
	fail "a's stdout did not reach hotsv-scan's"
if grep '^hotsv-scan: \(warning\|fatal\)' "$WORK/scan.err" >"$WORK/complaints"; then
	fail "complaints: $(cat "$WORK/complaints")"
fi
exit 0
