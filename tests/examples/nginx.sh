#!/bin/sh
# examples/nginx-php-fpm run as its Dockerfile runs it, without Docker:
# the Dockerfile's ENTRYPOINT and CMD (read from it) start hotsv-scan as
# PID 1 of a PID namespace, in a network namespace of its own (port 80 is
# free there), on a copy of service/, with conf/ and www/ given to the
# run scripts through WEB_CONF and WEB_ROOT as the Dockerfile places them,
# and WEB_RUN under $WORK.  The page is served through nginx by php-fpm
# (its computed content, fetched by the test and by the main command);
# nginx starts only once php-fpm has said READY=1 itself, and is ready
# once it listens; hotsv check passes; both logs land in log/main; on
# SIGTERM (docker stop) everything stops gracefully, nginx on its
# down-signal SIGQUIT, with no SIGKILL, and hotsv-scan exits 0.  The
# Dockerfile's paths and tarball name are checked against the run
# scripts and the version.
. "${HOTSV_SRCDIR:-$(dirname "$0")/../..}/tests/lib/test.sh"
for prog in nginx curl /usr/sbin/php-fpm[0-9]*; do
	command -v "$prog" >/dev/null 2>&1 ||
		skip "needs $prog (apt-get install nginx php-fpm curl)"
done
enter_namespace "$@"
enter_network_namespace "$@"
make_workdir

EX=$HOTSV_SRCDIR/examples/nginx-php-fpm
DOCKERFILE=$EX/Dockerfile

say "the Dockerfile agrees with the files it copies and the run scripts"
expect_dockerfile_agrees "$DOCKERFILE"
for check in "nginx WEB_CONF conf/" "nginx WEB_ROOT www/" \
	"php-fpm WEB_CONF conf/"; do
	set -- $check
	dest=$(dockerfile_dest "$DOCKERFILE" "$3")
	[ -n "$dest" ] || fail "the Dockerfile does not copy $3"
	grep -qF "\${$2:=$dest}" "$EX/service/$1/run" ||
		fail "service/$1/run: \$$2 does not default to $dest"
done

# The command line of the container: ENTRYPOINT then CMD, /service being
# a copy of service/, and the main command found in PATH as in
# /usr/local/bin.
mkdir "$WORK/bin" "$WORK/www"
cp "$EX/fetch-loop" "$WORK/bin/" && cp "$EX/www/index.php" "$WORK/www/" ||
	fail "cannot copy fetch-loop and www/"
# php-fpm's and nginx's workers run as www-data: they must reach the
# socket under WEB_RUN and the page under WEB_ROOT.
chmod 755 "$WORK"
chmod -R a+rX "$WORK/www"
PATH=$WORK/bin:$PATH
WEB_CONF=$EX/conf
WEB_ROOT=$WORK/www
WEB_RUN=$WORK/run
FETCH_EVERY=1
export PATH WEB_CONF WEB_ROOT WEB_RUN FETCH_EVERY
start_dockerfile "$DOCKERFILE" "$WORK/service"

say "php-fpm ready first (its own READY=1), then nginx, then the main command"
wait_for 30 "php-fpm ready" field_is php-fpm ready true
wait_for 30 "nginx ready" field_is nginx ready true
# php-fpm's sd_notify STATUS= text: the readiness came from php-fpm.
case $(status_note php-fpm) in
"Ready to handle connections"* | "Processes active"*) ;;
*) fail "php-fpm's status note is '$(status_note php-fpm)', not php-fpm's STATUS=" ;;
esac
expect_status_before "$SCANDIR/php-fpm" 12 "$SCANDIR/nginx" 0
for svc in php-fpm nginx php-fpm/log nginx/log; do
	case $svc in
	*/log) expect_field "$svc" state up ;;
	*) expect_field "$svc" state ready ;;
	esac
	expect_field "$svc" deaths 0
done
expect_exit 0 "hotsv check" hv check

say "the PHP page, through nginx"
curl -fsS -D "$WORK/headers" -o "$WORK/page" http://127.0.0.1/index.php ||
	fail "curl http://127.0.0.1/index.php failed"
grep -q '^sum of 1\.\.100: 5050$' "$WORK/page" ||
	fail "the page is not PHP's output: $(cat "$WORK/page")"
grep -q '^Hello from PHP 8.*(fpm-fcgi)' "$WORK/page" ||
	fail "the page does not come from php-fpm: $(cat "$WORK/page")"
grep -qi '^server: nginx' "$WORK/headers" ||
	fail "the answer does not come from nginx: $(cat "$WORK/headers")"
curl -fsS -o /dev/null http://127.0.0.1/ ||
	fail "curl http://127.0.0.1/ (index index.php) failed"
# The main command prints the page on hotsv-scan's standard output; as
# it starts once nginx is ready, its first fetch gets an answer.
wait_for 30 "the main command's fetch" has_lines "$WORK/scan.out" \
	'^sum of 1\.\.100: 5050$' 1
! grep -q 'no answer' "$WORK/scan.out" ||
	fail "the main command started before nginx answered: $(cat "$WORK/scan.out")"

say "the logs"
NGINX_LOG=$SCANDIR/nginx/log/main/current
FPM_LOG=$SCANDIR/php-fpm/log/main/current
wait_lines "$NGINX_LOG" '"GET /index.php HTTP/1.1" 200' 1
wait_lines "$NGINX_LOG" 'start worker processes' 1
wait_lines "$FPM_LOG" 'ready to handle connections' 1

say "SIGTERM: a graceful stop, exit 0"
signal_scanner TERM
init_exits 0
expect_no_sigkill
# nginx got its down-signal, SIGQUIT: a graceful shutdown; php-fpm its
# SIGTERM.  The loggers wrote everything before they ended.
wait_lines "$NGINX_LOG" 'gracefully shutting down' 1
wait_lines "$FPM_LOG" 'exiting, bye-bye' 1
say "stopped in $ELAPSED ms"
exit 0
