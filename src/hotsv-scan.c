/*
 * hotsv-scan SCANDIR: run one hotsv-supervise per service directory in
 * SCANDIR and keep that set equal to the directory's content, the moment
 * it changes.  One ppoll loop waits on the signalfd, the inotify
 * descriptor, the control FIFO and an epoll set of the supervisors'
 * report sockets; its timeout is the earliest deadline.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "scanctl.h"
#include "scanner.h"
#include "sig.h"
#include "spawn.h"
#include "version.h"
#include "watch.h"
#include "xmalloc.h"

#define KILL_GRACE_DEFAULT 3000

struct scanner hotsv_scanner;

static const char usage_text[] =
    "usage: hotsv-scan [-v] [-k MS] [-t MS] [-s STATEDIR] [SCANDIR]\n"
    "Supervise every service directory in SCANDIR (default " HOTSV_SCANDIR
    "),\n"
    "starting and stopping supervisors as directories come and go.\n"
    "  -k, --kill-grace MS  SIGKILL a removed service after MS "
    "(default 3000)\n"
    "  -t, --rescan MS      also rescan SCANDIR every MS milliseconds\n"
    "  -s, --statedir DIR   state of read-only services "
    "(default " HOTSV_STATEDIR ")\n"
    "  -v, --verbose        log debug lines\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n";

/* Parse a millisecond count for an option, or exit 100. */
static unsigned long
parse_ms(const char *opt, const char *text)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
		fatalxc(100, "%s: not a number of milliseconds: %s", opt, text);
	return value;
}

/* Raise our descriptor limit to the hard limit: one socket per service. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			log_warn("raise the open file limit");
	}
}

/* Make SCANDIR absolute, so that a later chdir changes nothing. */
static char *
absolute_path(const char *path)
{
	char cwd[PATH_MAX], *abs;

	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		abs = xstrdup(path);
	else
		xasprintf(&abs, "%s/%s", cwd, path);
	for (size_t len = strlen(abs); len > 1 && abs[len - 1] == '/'; len--)
		abs[len - 1] = '\0';
	return abs;
}

/* Reap every dead child: supervisors, and orphans we inherited. */
static void
reap(void)
{
	struct service *svc;
	pid_t pid;
	int wstat;

	while ((pid = waitpid(-1, &wstat, WNOHANG)) > 0) {
		svc = svtable_find_pid(pid);
		if (svc != NULL)
			service_exited(svc, pid, wstat);
		else
			log_debug("reaped orphan %d", (int)pid);
	}
}

/* Begin the shutdown: stop following SCANDIR, stop every service. */
static void
shutdown_start(void)
{
	struct scanner *sc = &hotsv_scanner;

	if (sc->shutting_down)
		return;
	log_info("shutting down");
	sc->shutting_down = true;
	scanroot_detach();
	svtable_foreach(service_unwant);
}

/* Drain the signalfd. */
static void
handle_signals(int sigfd)
{
	int sig;

	while ((sig = sig_read(sigfd)) > 0) {
		switch (sig) {
		case SIGCHLD:
			reap();
			break;
		case SIGTERM:
		case SIGINT:
		case SIGQUIT:
			shutdown_start();
			break;
		case SIGALRM:
			hotsv_scanner.rescan_due = true;
			break;
		default:
			log_debug("ignoring signal %d", sig);
		}
	}
}

/*
 * Act on s6-svscanctl's letters written to .hotsv/control, and on ours:
 * "e" followed by one byte sets the exit code (hotsv shutdown -c).
 */
static void
handle_control(void)
{
	static bool code_next;
	char letters[64];
	ssize_t got;

	while ((got = scanctl_read(
	            hotsv_scanner.ctlfd, letters, sizeof letters)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (code_next) {
				hotsv_scanner.exit_code =
				    (unsigned char)letters[i];
				code_next = false;
				continue;
			}
			switch (letters[i]) {
			case 'e':
				code_next = true;
				break;

			case 'a': /* rescan; we always prune removed ones */
			case 'h':
			case 'n':
			case 'N':
				hotsv_scanner.rescan_due = true;
				break;
			case 't':
			case 'i':
			case 'q':
				shutdown_start();
				break;
			case 'b':
				log_warnx("abort requested");
				exit(111);
			case 'z':
				reap();
				break;
			default:
				log_warnx("control: ignored byte 0x%02x",
				    (unsigned char)letters[i]);
			}
		}
	}
}

/* Read the reports of every supervisor whose socket is readable. */
static void
handle_reports(void)
{
	struct epoll_event events[64];
	int n;

	while ((n = epoll_wait(hotsv_scanner.epfd, events, 64, 0)) > 0)
		for (int i = 0; i < n; i++)
			service_report(events[i].data.ptr);
}

static struct deadline hotsv_earliest;

/* Fold one service's deadline into the earliest. */
static void
fold_deadline(struct service *svc)
{
	deadline_earliest(&hotsv_earliest, &svc->deadline);
}

static struct timespec hotsv_now;

/* Fire one service's deadline if it is due. */
static void
fire_deadline(struct service *svc)
{
	service_deadline(svc, &hotsv_now);
}

/* Wait for events and act on them until the shutdown is complete. */
static void
run_loop(int sigfd)
{
	struct scanner *sc = &hotsv_scanner;
	struct pollfd fds[4];

	while (!sc->shutting_down || svtable_count() > 0) {
		fds[0] = (struct pollfd){.fd = sigfd, .events = POLLIN};
		fds[1] = (struct pollfd){.fd = watch_fd(), .events = POLLIN};
		fds[2] = (struct pollfd){.fd = sc->ctlfd, .events = POLLIN};
		fds[3] = (struct pollfd){.fd = sc->epfd, .events = POLLIN};
		hotsv_earliest = sc->rescan_at;
		svtable_foreach(fold_deadline);
		if (loop_wait(fds, 4, &hotsv_earliest) < 0 && errno != EINTR)
			log_warn("ppoll");
		if (fds[0].revents != 0)
			handle_signals(sigfd);
		if (fds[3].revents != 0)
			handle_reports();
		if (fds[2].revents != 0)
			handle_control();
		scanroot_events();
		clock_mono(&hotsv_now);
		svtable_foreach(fire_deadline);
		scanroot_tick(&hotsv_now);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"kill-grace", required_argument, NULL, 'k'},
	    {"rescan", required_argument, NULL, 't'},
	    {"statedir", required_argument, NULL, 's'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct scanner *sc = &hotsv_scanner;
	const char *statedir = HOTSV_STATEDIR;
	char supervise[PATH_MAX];
	int opt, sigfd;

	log_init(argv[0]);
	sc->kill_grace_ms = KILL_GRACE_DEFAULT;
	while ((opt = getopt_long(argc, argv, "+k:t:s:vhV", longopts, NULL)) !=
	    -1) {
		switch (opt) {
		case 'k':
			sc->kill_grace_ms = parse_ms("-k", optarg);
			break;
		case 't':
			sc->rescan_ms = parse_ms("-t", optarg);
			break;
		case 's':
			statedir = optarg;
			break;
		case 'v':
			log_set_verbose(1);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'V':
			print_version();
			return 0;
		default:
			fputs(usage_text, stderr);
			return 100;
		}
	}
	if (argc - optind > 1) {
		fputs(usage_text, stderr);
		return 100;
	}
	fd_sanitize_std();
	sc->scandir =
	    absolute_path(optind < argc ? argv[optind] : HOTSV_SCANDIR);
	sc->statedir = absolute_path(statedir);
	/* So that hotsv, run from a service, finds this scanner. */
	setenv("HOTSV_SCANDIR", sc->scandir, 1);
	setenv("HOTSV_STATEDIR", sc->statedir, 1);
	sc->supervise_path = xstrdup(
	    spawn_find_program("hotsv-supervise", supervise, sizeof supervise));
	sc->ctlfd = sc->lockfd = sc->root_wd = sc->parent_wd = -1;
	deadline_never(&sc->rescan_at);
	raise_fd_limit();
	sigfd = sig_setup(&sc->child_mask);
	sigemptyset(&sc->child_mask);
	sc->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sc->epfd < 0)
		fatal("epoll_create1");
	if (!scanroot_attach()) {
		if (sc->ctlfd < 0 && errno == EWOULDBLOCK)
			return 100;
		fatalx("cannot scan %s", sc->scandir);
	}
	if (sc->rescan_ms > 0)
		deadline_in_ms(&sc->rescan_at, sc->rescan_ms);
	log_debug("scanning %s", sc->scandir);
	run_loop(sigfd);
	return sc->exit_code;
}
