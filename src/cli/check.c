/*
 * hotsv check [SERVICE...]: a health check for HEALTHCHECK and Kubernetes
 * probes.  Exit 0 when every named service, or every service wanted up,
 * passes the health rule (sv/health.c); else exit 1 with one line per
 * failing service saying why.  While hotsv-scan drains (--term-delay)
 * or shuts down, exit 1 at once, so that a readiness probe takes the
 * pod out of its Service.  It only reads files: no fork, no waiting.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sv/health.h"
#include "sv/scannerdir.h"

/* Say why a service fails the check, or NULL when it passes. */
static const char *
check_one(const struct svinfo *info, bool named, char *why, size_t size)
{
	enum health verdict = svinfo_health(info);
	char last[32], since[32];

	format_duration(seconds_since(&info->st.stamp), since, sizeof since);
	svinfo_last(info, last, sizeof last);
	if (!named &&
	    (verdict == HEALTH_UNSUPERVISED ? !info->normally_up
	                                    : !info->st.wantup))
		return NULL; /* down on purpose */
	switch (verdict) {
	case HEALTH_OK:
		return NULL;
	case HEALTH_MISSING:
		return "no such service";
	case HEALTH_UNSUPERVISED:
		return "not supervised";
	case HEALTH_WAITING:
		snprintf(why, size, "waiting for %s", info->waiting);
		break;
	case HEALTH_RESTARTING:
		snprintf(why, size, "restarting: died %ld time%s, last %s",
		    info->deaths, info->deaths == 1 ? "" : "s", last);
		break;
	case HEALTH_FINISHING:
		snprintf(why, size, "finishing (last: %s)", last);
		break;
	case HEALTH_DOWN:
		snprintf(why, size, "down for %s (last: %s, %ld death%s)",
		    since, last, info->deaths, info->deaths == 1 ? "" : "s");
		break;
	case HEALTH_STARTING:
		snprintf(why, size, "up for %s but not ready", since);
		break;
	}
	return why;
}

/* Say whether hotsv-scan drains or shuts down (.hotsv/stopping). */
static bool
scanner_stopping(const struct cli *cli)
{
	char path[PATH_MAX];

	return scannerdir_file(path, sizeof path, cli->scandir, cli->statedir,
	           SCANNERDIR_STOPPING) &&
	    access(path, F_OK) == 0;
}

/* hotsv check [--] [SERVICE...] */
int
cli_check(const struct cli *cli, int argc, char **argv)
{
	char **names, why[320];
	int count, code = 0;
	bool named;

	cli_no_options(argc, argv);
	names = argv + optind;
	count = argc - optind;
	named = count > 0;
	if (scanner_stopping(cli)) {
		printf("hotsv-scan: stopping (draining or shutting down)\n");
		return 1;
	}
	if (!named && (count = cli_list_services(cli, &names)) < 0)
		return 111;
	for (int i = 0; i < count; i++) {
		struct svinfo info;
		const char *problem;

		svinfo_read(cli, names[i], &info);
		problem = check_one(&info, named, why, sizeof why);
		if (problem != NULL) {
			char *shown = cli_shown_name(names[i], NULL);

			printf("%s: %s\n", shown, problem);
			free(shown);
			code = 1;
		}
	}
	if (!named)
		cli_free_list(names, count);
	return code;
}
