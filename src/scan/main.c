/*
 * hotsv-scan SCANDIR: run one hotsv-supervise per service directory in
 * SCANDIR and keep that set equal to the directory's content, the moment
 * it changes.  One ppoll loop waits on the signalfd, the inotify
 * descriptor, the control FIFO and an epoll set of the supervisors'
 * report sockets; its timeout is the earliest deadline.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sig.h"
#include "lib/findprogram.h"
#include "lib/spawn.h"
#include "lib/usage.h"
#include "lib/xmalloc.h"
#include "scan/controldir.h"
#include "scan/scan.h"
#include "scan/watch.h"

#define KILL_GRACE_DEFAULT 3000
#define GRACE_DEFAULT 7000
/* --term-delay has no short option. */
#define OPT_TERM_DELAY 256

struct scanner hotsv_scanner;

static const char usage_text[] =
    "usage: hotsv-scan [options] [SCANDIR] [-- CMD [ARG...]]\n"
    "Supervise every service directory in SCANDIR (default " HOTSV_SCANDIR
    "),\n"
    "starting and stopping supervisors as directories come and go; reap\n"
    "orphans; with CMD, run it as the main command and exit with its code.\n"
    "  -g, --grace MS       shutdown: SIGKILL what is left after MS "
    "(default 7000)\n"
    "  -k, --kill-grace MS  SIGKILL a removed service after MS "
    "(default 3000)\n"
    "  -p, --prefix         prefix each line of services without log/ "
    "with NAME:\n"
    "      --prefix=json    or write each as a JSON object (time, service, "
    "line)\n"
    "  -t, --rescan MS      also rescan SCANDIR every MS milliseconds\n"
    "      --term-delay MS  on SIGTERM, fail hotsv check and keep running\n"
    "                       MS before the shutdown (a second one: now)\n"
    "  -w, --wait-ready[=MS]  start CMD once every service is ready; give\n"
    "                       up (exit 1) after MS, if given\n"
    "  -s, --statedir DIR   state of read-only services "
    "(default $HOTSV_STATEDIR, else " HOTSV_STATEDIR ")\n"
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

/* Parse the format of --prefix (none given: "NAME: "); true for JSON. */
static bool
parse_prefix_format(const char *format)
{
	if (format == NULL || strcmp(format, "text") == 0)
		return false;
	if (strcmp(format, "json") != 0)
		fatalxc(
		    100, "--prefix: \"%s\" is neither text nor json", format);
	return true;
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

/* Read the reports of every supervisor whose socket is readable. */
static void
handle_reports(void)
{
	struct epoll_event events[64];
	int n;

	while ((n = epoll_wait(hotsv_scanner.epfd, events, 64, 0)) > 0)
		for (int i = 0; i < n; i++) {
			struct instance *in = events[i].data.ptr;

			/*
			 * A watched supervisor's pidfd, or the end of a kept
			 * one's socket: it exited.  That may free its service,
			 * which later events of this batch may name: ask again
			 * (its descriptor has left the set).
			 */
			if (in->lc.kind == CHILD_WATCHED ||
			    instance_report(in)) {
				service_exited(in->owner, in->pid, 0);
				break;
			}
		}
	depend_update();
}

/* Fold one service's deadlines into the earliest, *arg. */
static void
fold_deadline(struct service *svc, void *arg)
{
	service_fold_deadline(svc, arg);
}

/* Act on one service's deadlines if they are due at *arg. */
static void
fire_deadline(struct service *svc, void *arg)
{
	service_deadline(svc, arg);
}

/* Wait for events and act on them until the shutdown is complete. */
static void
run_loop(int sigfd)
{
	struct scanner *sc = &hotsv_scanner;
	struct pollfd fds[4];
	struct deadline earliest;
	struct timespec now;
	unsigned int failures = 0;

	while (!shutdown_done()) {
		fds[0] = (struct pollfd){.fd = sigfd, .events = POLLIN};
		fds[1] = (struct pollfd){.fd = watch_fd(), .events = POLLIN};
		fds[2] = (struct pollfd){.fd = sc->ctlfd, .events = POLLIN};
		fds[3] = (struct pollfd){.fd = sc->epfd, .events = POLLIN};
		earliest = sc->rescan_at;
		deadline_earliest(&earliest, shutdown_deadline());
		deadline_earliest(&earliest, maincmd_deadline());
		svtable_foreach(fold_deadline, &earliest);
		if (loop_wait(fds, 4, &earliest) < 0) {
			/* PID 1 must not die of it; only endless failure. */
			if (failures++ == 0)
				log_warn("ppoll");
			if (failures > 1000)
				hook_crash("ppoll");
			continue;
		}
		failures = 0;
		if (fds[0].revents != 0)
			scansig_handle(sigfd);
		if (fds[3].revents != 0)
			handle_reports();
		if (fds[2].revents != 0)
			scanctl_handle();
		scanroot_events();
		clock_mono(&now);
		svtable_foreach(fire_deadline, &now);
		scanroot_tick(&now);
		maincmd_poll(&now);
		shutdown_step(&now);
	}
}

/*
 * Split "[SCANDIR] [-- CMD ARGS]" after the options.  Returns SCANDIR,
 * or NULL for the default; sets the main command.
 */
static const char *
parse_operands(int argc, char **argv)
{
	const char *scandir = NULL;
	int i = optind;

	/* getopt stops after a "--" that comes before any operand. */
	if (i > 1 && strcmp(argv[i - 1], "--") == 0) {
		hotsv_scanner.main_argv = i < argc ? argv + i : NULL;
		return NULL;
	}
	if (i < argc)
		scandir = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc)
		fatalxc(100,
		    "unexpected operand %s (a main command goes "
		    "after --)",
		    argv[i]);
	if (i < argc)
		hotsv_scanner.main_argv = argv + i;
	return scandir;
}

/* Become PID 1's equal: as PID 1 reap the namespace, else subreap. */
static void
become_reaper(void)
{
	hotsv_scanner.is_pid1 = getpid() == 1;
	if (!hotsv_scanner.is_pid1 &&
	    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		log_warn("cannot become a child subreaper");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"grace", required_argument, NULL, 'g'},
	    {"kill-grace", required_argument, NULL, 'k'},
	    {"prefix", optional_argument, NULL, 'p'},
	    {"wait-ready", optional_argument, NULL, 'w'},
	    {"rescan", required_argument, NULL, 't'},
	    {"term-delay", required_argument, NULL, OPT_TERM_DELAY},
	    {"statedir", required_argument, NULL, 's'},
	    {"verbose", no_argument, NULL, 'v'},
	    OPTIONS_COMMON,
	};
	struct scanner *sc = &hotsv_scanner;
	const char *statedir = getenv("HOTSV_STATEDIR"), *scandir;
	char supervise[PATH_MAX];
	int opt, sigfd;

	log_init(argv[0]);
	sc->kill_grace_ms = KILL_GRACE_DEFAULT;
	sc->grace_ms = GRACE_DEFAULT;
	sc->main_code = sc->ctl_code = sc->halt_code = -1;
	deadline_never(&sc->wait_ready_at);

	if (statedir == NULL || statedir[0] == '\0')
		statedir = HOTSV_STATEDIR;
	while ((opt = getopt_long(
	            argc, argv, "+g:k:pt:s:w::vhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'g':
			sc->grace_ms = parse_ms("-g", optarg);
			break;
		case 'k':
			sc->kill_grace_ms = parse_ms("-k", optarg);
			break;
		case 'p':
			sc->prefix = true;
			sc->prefix_json = parse_prefix_format(optarg);
			break;
		case 'w':
			sc->main_waiting = true;
			if (optarg != NULL)
				deadline_in_ms(&sc->wait_ready_at,
				    parse_ms("--wait-ready", optarg));
			break;
		case 't':
			sc->rescan_ms = parse_ms("-t", optarg);
			break;
		case 's':
			statedir = optarg;
			break;
		case OPT_TERM_DELAY:
			sc->term_delay_ms = parse_ms("--term-delay", optarg);
			break;
		case 'v':
			log_set_verbose(1);
			break;
		default:
			usage_exit(opt, usage_text);
		}
	}
	scandir = parse_operands(argc, argv);
	fd_sanitize_std();
	/* Before the two descriptors per service that children never get. */
	spawn_reserve_slots();
	sc->scandir = absolute_path(scandir != NULL ? scandir : HOTSV_SCANDIR);
	sc->statedir = absolute_path(statedir);
	/* From here on, a fatal error runs .hotsv/crash. */
	log_set_fatal_hook(hook_crash);
	/* So that hotsv, run from a service, finds this scanner. */
	setenv("HOTSV_SCANDIR", sc->scandir, 1);
	setenv("HOTSV_STATEDIR", sc->statedir, 1);
	sc->supervise_path = xstrdup(
	    find_our_program("hotsv-supervise", supervise, sizeof supervise));
	sc->log_path =
	    xstrdup(find_our_program("hotsv-log", supervise, sizeof supervise));
	sc->ctlfd = sc->lockfd = sc->root_wd = sc->parent_wd = -1;
	sc->scanfd = -1;
	sc->look_at_entry = scan_entry;
	deadline_never(&sc->rescan_at);
	raise_fd_limit();
	sigfd = sig_setup(&sc->child_mask, true);
	sigemptyset(&sc->child_mask);
	become_reaper();
	/* The terminal is the main command's (or the operator's), not the
	 * services'; so is any stdin given to a main command ("docker run
	 * -i"), whose lines a service reading stdin would steal. */
	sc->stdin_fd = isatty(STDIN_FILENO) || sc->main_argv != NULL
	    ? open("/dev/null", O_RDONLY | O_CLOEXEC)
	    : -1;

	/* Prefixers share our stdout: they take turns on this lock. */
	sc->turn_fd = -1;
	if (sc->prefix &&
	    (sc->turn_fd = memfd_create("hotsv-console", MFD_CLOEXEC)) < 0)
		log_warn("memfd_create: lines of --prefix may interleave");

	sc->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sc->epfd < 0)
		fatal("epoll_create1");
	if (!scanroot_attach()) {
		if (sc->lock_busy)
			return 100;
		/* SCANDIR is there, but no state can be kept: waiting for
		 * it to appear would wait for ever. */
		if (scanctl_failure() != NULL)
			hook_exec("crash", scanctl_failure(), 111);
		scanroot_wait();
	}
	if (sc->rescan_ms > 0)
		deadline_in_ms(&sc->rescan_at, sc->rescan_ms);
	log_debug("scanning %s", sc->scandir);
	if (sc->main_argv == NULL)
		sc->main_waiting = false;
	else if (!sc->main_waiting)
		maincmd_start();
	run_loop(sigfd);
	shutdown_finish();
}
