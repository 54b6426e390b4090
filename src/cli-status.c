/*
 * hotsv status: what each service is doing, as a table for people or as
 * JSON lines for programs.  Reads supervise/status and friends; needs no
 * permission beyond reading them (they are 0644, as in s6).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "dtally.h"
#include "lock.h"
#include "loop.h"
#include "signame.h"
#include "status.h"
#include "svdir.h"
#include "svpath.h"

struct svinfo {
	const char *name;
	bool exists;     /* the service directory exists */
	bool supervised; /* a live supervisor holds the lock */
	struct sv_status st;
	bool normally_up; /* no ./down */
	bool has_readiness;
	long deaths;
};

/* Gather what we can learn about one service. */
static void
svinfo_read(const struct cli *cli, const char *service, struct svinfo *info)
{
	char *dir = cli_service_dir(cli, service);
	struct svpaths sp;
	int supfd;

	memset(info, 0, sizeof *info);
	info->name = service;
	info->exists = access(dir, F_OK) == 0;
	info->normally_up = !svfile_exists(dir, "down");
	info->has_readiness = svfile_exists(dir, "notification-fd");
	/* svpaths_find allocates even when it finds nothing. */
	if (info->exists && svpaths_find(&sp, dir, cli->statedir) == 0) {
		supfd = open(sp.supdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (supfd >= 0) {
			info->supervised = lock_probe(supfd, "lock") == 1 &&
			    status_read(supfd, &info->st) == 0;
			info->deaths = dtally_count(supfd);
			close(supfd);
		}
	}
	if (info->exists)
		svpaths_free(&sp);
	free(dir);
}

/* The one-word state of a service. */
static const char *
svinfo_state(const struct svinfo *info)
{
	if (!info->exists)
		return "missing";
	if (!info->supervised)
		return "unsupervised";
	if (info->st.finishing)
		return "finishing";
	if (info->st.pid == 0)
		return "down";
	if (info->st.paused)
		return "paused";
	if (info->st.ready)
		return "ready";
	return info->has_readiness ? "starting" : "up";
}

/* Describe the last death: "exit 3", "SIGKILL", or "-" if none. */
static void
svinfo_last(const struct svinfo *info, char *buf, size_t size)
{
	int wstat = info->st.wstat;
	const char *name;

	if (info->deaths <= 0) {
		snprintf(buf, size, "-");
		return;
	}
	if (WIFSIGNALED(wstat)) {
		name = signame_of(WTERMSIG(wstat));
		if (name != NULL)
			snprintf(buf, size, "%s", name);
		else
			snprintf(buf, size, "signal %d", WTERMSIG(wstat));
	} else
		snprintf(buf, size, "exit %d", WEXITSTATUS(wstat));
}

/* Seconds since a status stamp. */
static long long
seconds_since(const struct timespec *stamp)
{
	struct timespec now;

	clock_real(&now);
	return timespec_diff_ms(&now, stamp) / 1000;
}

/* "3d04h", "2h05m", "4m02s" or "17s". */
static void
format_duration(long long secs, char *buf, size_t size)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		snprintf(buf, size, "%lldd%02lldh", secs / 86400,
		    secs % 86400 / 3600);
	else if (secs >= 3600)
		snprintf(
		    buf, size, "%lldh%02lldm", secs / 3600, secs % 3600 / 60);
	else if (secs >= 60)
		snprintf(buf, size, "%lldm%02llds", secs / 60, secs % 60);
	else
		snprintf(buf, size, "%llds", secs);
}

/* Print a name with unprintable bytes as \xNN, padded to width. */
static void
print_name(const char *name, int width)
{
	int shown = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p != '\0';
	     p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			putchar(*p);
			shown++;
		} else
			shown += printf("\\x%02x", *p);
	}
	printf("%*s", width > shown ? width - shown : 0, "");
}

/* Print a JSON string, escaping controls and invalid UTF-8 bytes. */
static void
print_json_string(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	putchar('"');
	while (*p != '\0') {
		size_t seq = *p < 0x80    ? 1
		    : (*p & 0xe0) == 0xc0 ? 2
		    : (*p & 0xf0) == 0xe0 ? 3
		    : (*p & 0xf8) == 0xf0 ? 4
		                          : 0;
		size_t valid = seq;

		for (size_t i = 1; i < seq; i++)
			if ((p[i] & 0xc0) != 0x80)
				valid = 0;
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || valid == 0)
			printf("\\u%04x", *p);
		else
			fwrite(p, 1, seq, stdout);
		p += valid == 0 ? 1 : seq;
	}
	putchar('"');
}

/* One table row. */
static void
print_row(const struct svinfo *info, int width)
{
	char last[32], since[32];

	svinfo_last(info, last, sizeof last);
	format_duration(seconds_since(&info->st.stamp), since, sizeof since);
	print_name(info->name, width);
	if (!info->supervised) {
		printf("  %-12s %7s %7s  %-8s %-5s %-10s %s\n",
		    svinfo_state(info), "-", "-",
		    info->normally_up ? "up" : "down", "-", "-", "-");
		return;
	}
	if (info->st.pid > 0)
		printf("  %-12s %7d %7s", svinfo_state(info), (int)info->st.pid,
		    since);
	else
		printf("  %-12s %7s %7s", svinfo_state(info), "-", since);
	printf("  %-8s %-5s %-10s %ld\n", info->normally_up ? "up" : "down",
	    info->st.wantup ? "up" : "down", last, info->deaths);
}

/* One JSON object on one line; the keys are documented in hotsv(1). */
static void
print_json(const struct svinfo *info)
{
	int wstat = info->st.wstat;

	printf("{\"name\":");
	print_json_string(info->name);
	printf(",\"state\":\"%s\",\"supervised\":%s", svinfo_state(info),
	    info->supervised ? "true" : "false");
	printf(",\"normally\":\"%s\"", info->normally_up ? "up" : "down");
	if (!info->supervised) {
		printf("}\n");
		return;
	}
	printf(",\"want\":\"%s\",\"pid\":", info->st.wantup ? "up" : "down");
	if (info->st.pid > 0)
		printf("%d", (int)info->st.pid);
	else
		printf("null");
	printf(",\"seconds\":%lld,\"ready\":%s,\"paused\":%s",
	    seconds_since(&info->st.stamp),
	    info->st.ready && info->st.pid > 0 ? "true" : "false",
	    info->st.paused ? "true" : "false");
	if (info->deaths > 0 && WIFSIGNALED(wstat))
		printf(",\"exitcode\":null,\"signal\":\"%s\"",
		    signame_of(WTERMSIG(wstat)) != NULL
		        ? signame_of(WTERMSIG(wstat))
		        : "unknown");
	else if (info->deaths > 0)
		printf(",\"exitcode\":%d,\"signal\":null", WEXITSTATUS(wstat));
	else
		printf(",\"exitcode\":null,\"signal\":null");
	printf(",\"deaths\":%ld}\n", info->deaths);
}

/* hotsv status [--json] [SERVICE...] */
int
cli_status(const struct cli *cli, int argc, char **argv)
{
	char **names = argv;
	int count = argc, code = 0, width = 7;
	bool json = false, listed = false;
	struct svinfo *infos;

	if (count > 0 && strcmp(names[0], "--json") == 0) {
		json = true;
		names++;
		count--;
	}
	if (count == 0) {
		count = cli_list_services(cli, &names);
		if (count < 0)
			return 111;
		listed = true;
	}
	infos = calloc((size_t)count + 1, sizeof *infos);
	if (infos == NULL)
		return 111;
	for (int i = 0; i < count; i++) {
		svinfo_read(cli, names[i], &infos[i]);
		if (!infos[i].supervised && !listed) {
			fprintf(
			    stderr, "hotsv: %s: not supervised\n", names[i]);
			code = 1;
		}
		if ((int)strlen(names[i]) > width)
			width = (int)strlen(names[i]) > 32
			    ? 32
			    : (int)strlen(names[i]);
	}
	if (!json && count > 0) {
		print_name("SERVICE", width);
		printf("  %-12s %7s %7s  %-8s %-5s %-10s %s\n", "STATE", "PID",
		    "SINCE", "NORMALLY", "WANT", "LAST", "DEATHS");
	}
	for (int i = 0; i < count; i++) {
		if (json)
			print_json(&infos[i]);
		else
			print_row(&infos[i], width);
	}
	free(infos);
	if (listed)
		cli_free_list(names, count);
	return code;
}
