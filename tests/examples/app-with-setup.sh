#!/bin/sh
# examples/app-with-setup run as its Dockerfile runs it, without Docker:
# its ENTRYPOINT (read from it) starts hotsv-scan as PID 1 of a PID
# namespace on a copy of service/, with APP_DATA under $WORK and the
# secret on a tmpfs mounted at /run/secrets (in this test's mount
# namespace), so that env/DB_PASSWORD, an absolute symbolic link, works
# unchanged.  With the secret: migrate runs once and is done (exit 0,
# its schema-version written) before app starts; app gets DB_PASSWORD
# (the secret's value) and PORT in its environment and 4096 descriptors;
# hotsv status and check agree.  Killed by a signal hotsv did not send,
# app runs its finish and hotsv-scan exits 137 (on-exit halt); stopped
# by SIGTERM to hotsv-scan (docker stop), it exits 0.  Without
# the secret: the dangling link gets one line, migrate fails, hotsv-scan
# exits with its code (78) and app never starts.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
enter_namespace "$@"
make_workdir

EX=$HOTSV_SRCDIR/examples/app-with-setup
DOCKERFILE=$EX/Dockerfile
SECRET="pw-$$-$(date +%s)"

say "the Dockerfile agrees with the files and the run scripts"
expect_dockerfile_agrees "$DOCKERFILE"
grep -q '^VOLUME /var/lib/app$' "$DOCKERFILE" ||
	fail "the Dockerfile has no VOLUME /var/lib/app"
for svc in migrate app; do
	grep -qF '${APP_DATA:=/var/lib/app}' "$EX/service/$svc/run" ||
		fail "service/$svc/run: \$APP_DATA does not default to /var/lib/app"
	[ "$(readlink "$EX/service/$svc/env/DB_PASSWORD")" = /run/secrets/db ] ||
		fail "service/$svc/env/DB_PASSWORD is not a link to /run/secrets/db"
done

# A private /run (this mount namespace's), with the secret in it.
mount_tmpfs /run 64
mkdir /run/secrets && printf '%s\n' "$SECRET" >/run/secrets/db ||
	fail "cannot write /run/secrets/db"
unset DB_PASSWORD PORT

# start_example NAME: run the Dockerfile's command line on a fresh copy
# of service/ ($WORK/NAME), its data in $WORK/NAME.data (APP_DATA).
start_example() {
	APP_DATA=$WORK/$1.data
	export APP_DATA
	: >"$WORK/scan.out"
	: >"$WORK/scan.err"
	start_dockerfile "$DOCKERFILE" "$WORK/$1"
}

# app_serving: app's run has exec'd its server (sleep); APP is its pid
# as this namespace sees it (hotsv status gives hotsv-scan's).
app_serving() {
	_inner=$(status_field app pid)
	for _proc in /proc/[0-9]*; do
		APP=${_proc#/proc/}
		comm_is "$APP" sleep &&
			[ "$(sed -n 's/^NSpid:.*[[:space:]]//p' "$_proc/status")" = "$_inner" ] &&
			return 0
	done
	return 1
}

say "with the secret: migrate, then app"
start_example service
wait_for 30 "app serving" app_serving
expect_field migrate state "done"
expect_field migrate exitcode 0
expect_field migrate type oneshot
expect_field migrate deaths 1
expect_field app state up
expect_field app on_exit halt
expect_field app deaths 0
expect_exit 0 "hotsv check" hv check
[ "$(cat "$APP_DATA/schema-version" 2>/dev/null)" = 3 ] ||
	fail "migrate did not write 3 into $APP_DATA/schema-version"
# migrate went down (done) no later than app went up, and said so first.
expect_status_before "$SCANDIR/migrate" 0 "$SCANDIR/app" 0
grep -n '^migrate: \|^app: ' "$WORK/scan.out" >"$WORK/said"
printf '%s\n' '1:migrate: schema at version 3' \
	'2:app: schema version 3, serving on port 8080' >"$WORK/said.expected"
cmp -s "$WORK/said" "$WORK/said.expected" ||
	fail "migrate and app said, in order: $(cat "$WORK/said")"

say "app's environment and limits"
tr '\0' '\n' <"/proc/$APP/environ" >"$WORK/app.environ" ||
	fail "cannot read /proc/$APP/environ"
grep -qxF "DB_PASSWORD=$SECRET" "$WORK/app.environ" ||
	fail "app's DB_PASSWORD is not the secret: $(grep DB_PASSWORD "$WORK/app.environ")"
grep -qx 'PORT=8080' "$WORK/app.environ" ||
	fail "app has no PORT=8080: $(grep PORT "$WORK/app.environ")"
grep -q '^Max open files  *4096  *4096  *files' "/proc/$APP/limits" ||
	fail "app's nofile limit is not 4096: $(grep 'open files' "/proc/$APP/limits")"

say "app killed by a signal hotsv did not send: its finish, then exit 137"
kill -KILL "$APP" || fail "cannot kill app ($APP)"
init_exits 137
grep -qx 'app: ended, exit 256, signal 9' "$WORK/scan.out" ||
	fail "app's finish did not run: $(cat "$WORK/scan.out")"
[ -s "$SCANDIR/app/supervise/death_tally" ] ||
	fail "app's death is not in its death_tally"

say "docker stop (SIGTERM): app stopped is no halt, exit 0"
start_example stopped
wait_for 30 "app serving" app_serving
signal_scanner TERM
init_exits 0
grep -qx 'app: ended, exit 256, signal 15' "$WORK/scan.out" ||
	fail "app's finish did not see its SIGTERM: $(cat "$WORK/scan.out")"
expect_no_sigkill

say "without the secret: migrate fails, exit 78, app never starts"
rm /run/secrets/db || fail "cannot remove the secret"
start_example nosecret
init_exits 78
grep -qx 'migrate: no DB_PASSWORD: mount the secret at /run/secrets/db' \
	"$WORK/scan.out" || fail "migrate did not say why: $(cat "$WORK/scan.out")"
grep -q 'migrate: .*env/DB_PASSWORD: a symbolic link to nothing' "$WORK/scan.err" ||
	fail "no line about migrate's dangling env/DB_PASSWORD: $(cat "$WORK/scan.err")"
! grep -q '^app: ' "$WORK/scan.out" ||
	fail "app started: $(grep '^app: ' "$WORK/scan.out")"
[ ! -s "$SCANDIR/app/supervise/death_tally" ] ||
	fail "app's run ran and ended: its death_tally is not empty"
[ ! -e "$APP_DATA/schema-version" ] ||
	fail "migrate wrote $APP_DATA/schema-version without the password"
exit 0
