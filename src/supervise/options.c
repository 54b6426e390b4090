/*
 * hotsv-supervise's command line: the options hotsv-scan passes (its
 * descriptors, the name, --hold, --adopt) and those a person types.
 */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/usage.h"
#include "supervise/supervise.h"
#include "sv/values.h"

static const char usage_text[] =
    "usage: hotsv-supervise [-vHe] [-s STATEDIR] [-r FD] [-d FD] [-S FD]\n"
    "                       [-n NAME] [-A PID:START] SVCDIR\n"
    "Supervise the service in SVCDIR: run ./run, restart it when it dies,\n"
    "obey the letters written to SVCDIR/supervise/control.\n"
    "  -s, --statedir DIR  state for read-only service directories\n"
    "                      (default " HOTSV_STATEDIR ")\n"
    "  -d, --dir-fd FD     the service directory is the open descriptor\n"
    "                      FD; SVCDIR is only its name\n"
    "  -n, --name NAME     the service's name (\"web\", \"web/log\"):\n"
    "                      STATEDIR/NAME, log prefixes\n"
    "  -r, --report-fd FD  send status changes to hotsv-scan on FD\n"
    "  -S, --scandir-fd FD hotsv-scan's SCANDIR, for its .hotsv/env\n"
    "  -H, --hold          start run only when hotsv-scan says so\n"
    "  -e, --join-stderr   give run and finish stdout as stderr too\n"
    "  -A, --adopt PID:START  adopt this run if status and run-id do not\n"
    "                      name a live one (from hotsv-scan)\n"
    "  -v, --verbose       log debug lines\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n";

/*
 * The open descriptor an option (-d, -r, -S) names, at least lowest, made
 * close-on-exec unless it is 0, 1 or 2 (hold_directory moves it).
 */
static int
option_fd(int opt, const char *text, unsigned long lowest)
{
	const char *why;
	unsigned long fd;

	if (svparse_uint(text, strlen(text), INT_MAX, &fd, &why) != 0 ||
	    fd < lowest || fcntl((int)fd, F_GETFD) < 0 ||
	    (fd > 2 && fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0))
		fatalxc(100, "-%c %s: not an open descriptor%s", opt, text,
		    lowest > 0 ? " above 2" : "");
	return (int)fd;
}

/*
 * Say whether a --name can name a state directory: "NAME" or
 * "NAME/log", no empty, "." or ".." component.
 */
static bool
name_valid(const char *name)
{
	const char *slash = strchr(name, '/');
	size_t len = slash != NULL ? (size_t)(slash - name) : strlen(name);

	if (len == 0 ||
	    (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))))
		return false;
	return slash == NULL || strcmp(slash, "/log") == 0;
}

/*
 * Read the command line into s (statedir, the directory as given,
 * --hold, --join-stderr, --adopt, -S) and opts; a usage error exits 100.
 */
void
supervise_options(
    int argc, char **argv, struct supervisor *s, struct sup_options *opts)
{
	static const struct option longopts[] = {
	    {"statedir", required_argument, NULL, 's'},
	    {"report-fd", required_argument, NULL, 'r'},
	    {"hold", no_argument, NULL, 'H'},
	    {"join-stderr", no_argument, NULL, 'e'},
	    {"adopt", required_argument, NULL, 'A'},
	    {"dir-fd", required_argument, NULL, 'd'},
	    {"scandir-fd", required_argument, NULL, 'S'},
	    {"name", required_argument, NULL, 'n'},
	    {"verbose", no_argument, NULL, 'v'},
	    OPTIONS_COMMON,
	};
	const char *statedir = getenv("HOTSV_STATEDIR");
	int opt;

	*opts = (struct sup_options){.report_fd = -1, .dir_fd = -1};
	while ((opt = getopt_long(
	            argc, argv, "s:r:A:d:S:n:HevhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'A': {
			int pid;

			if (sscanf(optarg, "%d:%llu", &pid, &s->adopt_start) !=
			        2 ||
			    pid <= 0)
				fatalxc(100, "-A %s: not PID:START", optarg);
			s->adopt_pid = (pid_t)pid;
			break;
		}
		case 's':
			statedir = optarg;
			break;
		case 'd':
			opts->dir_fd = option_fd(opt, optarg, 0);
			break;
		case 'S':
			s->scandirfd = option_fd(opt, optarg, 3);
			break;
		case 'n':
			if (!name_valid(optarg))
				fatalxc(
				    100, "-n %s: not a service name", optarg);
			opts->name = optarg;
			break;
		case 'H':
			s->held = true;
			break;
		case 'e':
			s->join_stderr = true;
			break;
		case 'r':
			/* 0, 1 and 2 are run's: the socket cannot be there. */
			opts->report_fd = option_fd(opt, optarg, 3);
			break;
		case 'v':
			log_set_verbose(1);
			break;
		default:
			usage_exit(opt, usage_text);
		}
	}
	if (statedir == NULL || statedir[0] == '\0')
		statedir = HOTSV_STATEDIR;
	s->statedir = statedir;
	if (argc - optind != 1)
		usage_exit('?', usage_text);
	s->given = argv[optind];
}
