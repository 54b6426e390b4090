/*
 * What hotsv status and hotsv check know of a service: its supervise/
 * status, death tally, and the notes its supervisor keeps (what it waits
 * for, what the daemon said over sd_notify).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/fileio.h"
#include "lib/lock.h"
#include "lib/loop.h"
#include "lib/signame.h"
#include "sv/deathtally.h"
#include "sv/files.h"
#include "sv/policy.h"
#include "sv/status.h"
#include "sv/supervisedir.h"

/* Copy the text of a line "NAME=value" found in text, or "". */
static void
note_value(const char *text, const char *name, char *out, size_t size)
{
	const char *at = strstr(text, name);
	size_t len;

	out[0] = '\0';
	if (at == NULL || (at != text && at[-1] != '\n'))
		return;
	at += strlen(name);
	len = strcspn(at, "\n");
	snprintf(out, size, "%.*s", (int)len, at);
}

/* Say whether text holds this whole line. */
static bool
has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *at = text; (at = strstr(at, line)) != NULL; at++)
		if ((at == text || at[-1] == '\n') &&
		    (at[len] == '\n' || at[len] == '\0'))
			return true;
	return false;
}

/* Read supervise/waiting and supervise/notify-status, if there are. */
static void
read_notes(int supfd, struct svinfo *info)
{
	char text[512];
	ssize_t got;

	got = file_read_at(
	    supfd, "waiting", info->waiting, sizeof info->waiting - 1);
	info->waiting[got > 0 ? got : 0] = '\0';
	got = file_read_at(supfd, "notify-status", text, sizeof text - 1);
	text[got > 0 ? got : 0] = '\0';
	note_value(
	    text, "STATUS=", info->notify_status, sizeof info->notify_status);
	info->stopping = has_line(text, "STOPPING=1");
	info->reloading = has_line(text, "RELOADING=1");
}

/* Gather what we can learn about one service. */
void
svinfo_read(const struct cli *cli, const char *service, struct svinfo *info)
{
	char *dir = cli_service_dir(cli, service);
	struct svpaths sp;
	int supfd;

	memset(info, 0, sizeof *info);
	info->name = service;
	info->exists = access(dir, F_OK) == 0;
	info->normally_up = !svfile_exists(dir, "down");
	info->has_readiness = svdir_has_readiness(dir);
	svdir_policy(dir, &info->policy);
	/* svpaths_find allocates even when it finds nothing. */
	if (info->exists && svpaths_find(&sp, dir, cli->statedir) == 0) {
		supfd = open(sp.supdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (supfd >= 0) {
			info->supervised = lock_probe(supfd, "lock") == 1 &&
			    status_read(supfd, &info->st) == 0;
			info->deaths = dtally_count(supfd);
			if (info->deaths < 0)
				info->deaths = 0;
			read_notes(supfd, info);
			close(supfd);
		}
	}
	if (info->exists)
		svpaths_free(&sp);
	free(dir);
}

/* The one-word state of a service. */
const char *
svinfo_state(const struct svinfo *info)
{
	if (!info->exists)
		return "missing";
	if (!info->supervised)
		return "unsupervised";
	if (info->st.finishing)
		return "finishing";
	if (info->st.pid == 0 && info->st.done)
		return "done";
	if (info->st.pid == 0 && info->policy.type == SV_ONESHOT &&
	    info->deaths > 0 && info->st.wstat != 0)
		return "failed";
	if (info->st.pid == 0)
		return info->waiting[0] != '\0' && info->st.wantup ? "waiting"
		                                                   : "down";
	if (info->st.paused)
		return "paused";
	if (info->st.ready)
		return "ready";
	return info->has_readiness ? "starting" : "up";
}

/*
 * The health verdict of a service: sv/health.c's rule, and what only the
 * files around the status say (missing, unsupervised, waiting).
 */
enum health
svinfo_health(const struct svinfo *info)
{
	struct timespec now;

	if (!info->exists)
		return HEALTH_MISSING;
	if (!info->supervised)
		return HEALTH_UNSUPERVISED;
	if (info->st.pid == 0 && !info->st.finishing && info->st.wantup &&
	    info->waiting[0] != '\0')
		return HEALTH_WAITING;
	clock_real(&now);
	return health_judge(
	    &info->st, info->deaths, info->has_readiness, &now, NULL);
}

/* Describe the last death: "exit 3", "SIGKILL", or "-" if none. */
void
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
long long
seconds_since(const struct timespec *stamp)
{
	struct timespec now;

	clock_real(&now);
	return timespec_diff_ms(&now, stamp) / 1000;
}

/* "3d04h", "2h05m", "4m02s" or "17s". */
void
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

/* A short note for people: what it waits for, what the daemon said. */
void
svinfo_note(const struct svinfo *info, char *buf, size_t size)
{
	if (info->supervised && info->waiting[0] != '\0' && info->st.pid == 0 &&
	    info->st.wantup)
		snprintf(buf, size, "waiting for %s", info->waiting);
	else if (info->supervised && info->st.pid > 0)
		snprintf(buf, size, "%s%s%s%s", info->notify_status,
		    info->notify_status[0] != '\0' &&
		            (info->stopping || info->reloading)
		        ? " "
		        : "",
		    info->stopping ? "[stopping]" : "",
		    info->reloading ? "[reloading]" : "");
	else
		buf[0] = '\0';
	/* The policy, when it is not a plain longrun's: "oneshot,
	 * on-exit halt-on-failure", "on-exit halt". */
	if (!svpolicy_is_default(&info->policy)) {
		size_t used = strlen(buf);

		snprintf(buf + used, size - used, "%s", used > 0 ? " " : "");
		used = strlen(buf);
		snprintf(buf + used, size - used, "%son-exit %s",
		    info->policy.type == SV_ONESHOT ? "oneshot, " : "",
		    svpolicy_word(SV_FILE_ON_EXIT, (int)info->policy.on_exit));
	}
}
