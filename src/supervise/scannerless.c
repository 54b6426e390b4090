/*
 * A supervisor whose hotsv-scan died supervises on alone until another
 * connects to supervise/report.  Meanwhile nobody would stop it if its
 * service directory were removed, so it watches the directory's parent
 * (the scan directory, or the service directory for a logger) and, when
 * its directory leaves its path, does what hotsv-scan would have asked:
 * brings the service down, runs finish and exits.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "supervise/supervise.h"

#define PARENT_EVENTS                                          \
	(IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | \
	    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* Say whether the service directory still stands at its path. */
static bool
still_there(const struct supervisor *s)
{
	struct stat at_path, ours;

	return stat(s->given, &at_path) == 0 &&
	    fstat(s->svcdirfd, &ours) == 0 && at_path.st_dev == ours.st_dev &&
	    at_path.st_ino == ours.st_ino;
}

/* Stop watching; s->alone stays as it is. */
static void
close_watch(struct supervisor *s)
{
	if (s->alonefd >= 0)
		close(s->alonefd);
	s->alonefd = -1;
}

/* The directory has left its path: stop as hotsv-scan would have. */
static void
stop_removed(struct supervisor *s)
{
	struct machine_effects fx;

	log_info("service directory %s removed while no hotsv-scan runs: "
	         "stopping",
	    s->given);
	close_watch(s);
	machine_signal(&s->m, MSIG_TERM, &fx);
	supervise_apply(s, &fx);
}

/* The scanner is gone: watch for the removal of the service directory. */
void
alone_watch(struct supervisor *s)
{
	char parent[PATH_MAX];

	s->alone = true;
	snprintf(parent, sizeof parent, "%s", s->given);
	s->alonefd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->alonefd < 0 ||
	    inotify_add_watch(s->alonefd, dirname(parent), PARENT_EVENTS) < 0) {
		log_warn(
		    "no hotsv-scan, and cannot watch %s for removal", s->given);
		close_watch(s);
		return;
	}
	log_debug("hotsv-scan is gone: watching %s", parent);
	if (!still_there(s))
		stop_removed(s);
}

/* A scanner connected again: it follows the directory from now on. */
void
alone_unwatch(struct supervisor *s)
{
	close_watch(s);
	s->alone = false;
}

/* Something changed beside the service directory: is it still there? */
void
alone_events(struct supervisor *s)
{
	char buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(s->alonefd, buf, sizeof buf) > 0)
		;
	if (!still_there(s))
		stop_removed(s);
}
