/*
 * Where a service's output goes: to the logger in its log/, to an
 * implicit prefixer (--prefix), or to hotsv-scan's stdout.  The scanner
 * holds both ends of the pipe between the service and its logger, so that
 * a restart of either loses no byte.  A pipe feeds one logger: when the
 * output must go elsewhere (log/ added, removed or replaced), the service
 * is stopped, its logger reads the old pipe to its end and exits, and the
 * next logger gets a new pipe before the service starts again.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/scan.h"

/* Where the service's output should go: log/, a prefixer, or ours. */
enum log_kind
servicelog_wanted(const struct service *svc)
{
	if (!svc_life_wanted(&svc->life))
		return LOG_NONE;
	if (svc->logfd >= 0)
		return LOG_DIR;
	return hotsv_scanner.prefix ? LOG_PREFIX : LOG_NONE;
}

/*
 * Say whether output sent to kind goes where it should: no pipe for
 * LOG_NONE; else the pipe feeds the logger wanted now, of the log/ there
 * now (or one with the same content, after a swap).
 */
bool
servicelog_fits(const struct service *svc, enum log_kind kind)
{
	if (kind != servicelog_wanted(svc) || svc->pipe_kind != kind)
		return false;
	return kind != LOG_DIR ||
	    svc_id_same(&svc->pipe_log_id, &svc->want_log_id);
}

/* Create the service-to-logger pipe for the wanted logger, if none. */
static bool
ensure_pipe(struct service *svc, enum log_kind kind)
{
	int fds[2];

	if (svc->pipe_w >= 0)
		return true;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		log_warn("%s: pipe for log/ (retrying)", svc->name);
		service_feed(svc, SE_LOOK_AGAIN, (struct svc_arg){0});
		return false;
	}
	svc->pipe_r = fds[0];
	svc->pipe_w = fds[1];
	svc->pipe_kind = kind;
	svc->pipe_log_id = svc->want_log_id;
	return true;
}

/* Close one descriptor we hold, if open. */
static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Close our ends of the pipe (and, with all, our log/: it is gone). */
static void
close_pipe(struct service *svc)
{
	close_fd(&svc->pipe_w);
	close_fd(&svc->pipe_r);
	svc->pipe_kind = LOG_NONE;
}

/* The service is gone for good: let go of its pipe and log/. */
void
servicelog_close(struct service *svc)
{
	close_pipe(svc);
	close_fd(&svc->logfd);
}

/*
 * Nothing writes to the pipe any more but us: close both our ends, so
 * that its logger reads what is left, sees end-of-file and exits; the
 * next logger gets a new pipe.  (A read end kept here would hand the
 * next logger a pipe nobody writes to.)  Its supervisor is told first:
 * SIGHUP queued before the logger can end is read from its signalfd
 * before the SIGCHLD (lower signals first), so it exits rather than
 * restart the logger.
 */
void
servicelog_retire(struct service *svc)
{
	instance_drain(&svc->log);
	close_pipe(svc);
}

/*
 * Open the service's log/ (relative to its directory): a descriptor and
 * its identity, or -1 if there is none.
 */
static int
open_log(const struct service *svc, struct svc_id *id)
{
	struct stat sb;
	int fd;

	if (!svc_life_wanted(&svc->life) || svc->dirfd < 0)
		return -1;
	fd = openat(svc->dirfd, "log", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return -1;
	}
	*id = (struct svc_id){.dev = sb.st_dev,
	    .ino = sb.st_ino,
	    .symlink = svc->want_id.symlink};
	return fd;
}

/*
 * Make fd (identity id, or -1: none) the service's log/.  A log/ with the
 * same content as the one the pipe feeds (the whole service swapped, a
 * ConfigMap) keeps the pipe and the logger, whose supervisor is handed
 * the new directory.
 */
static void
take_log(struct service *svc, int fd, struct svc_id *id)
{
	service_unwatch_one(svc, WATCH_LOG);
	if (svc->logfd >= 0)
		close(svc->logfd);
	svc->logfd = fd;
	if (id->symlink && fd >= 0)
		id->fingerprint = servicedir_fingerprint(fd);
	svc->want_log_id = *id;
	if (fd >= 0 && svc->pipe_kind == LOG_DIR &&
	    svc_id_same(&svc->pipe_log_id, id)) {
		instance_send_dir(&svc->log, fd);
		svc->pipe_log_id = *id;
	}
}

/* Say whether the log/ just opened (id) is the one the service has. */
static bool
log_unchanged(const struct service *svc, const struct svc_id *id)
{
	return svc->logfd >= 0 && id->dev == svc->want_log_id.dev &&
	    id->ino == svc->want_log_id.ino;
}

/*
 * Follow log/ coming, going or being replaced.  A running service must
 * be restarted to write elsewhere; its life says when (once the change
 * lasted SP_LOG_SETTLE_MS, so that an "rm -rf" of the whole service,
 * which removes log/ first, is not raced by the restart writing into
 * supervise/).
 */
void
servicelog_follow(struct service *svc)
{
	struct svc_id id = {0};
	int fd = open_log(svc, &id);
	bool same = fd < 0 ? svc->logfd < 0 : log_unchanged(svc, &id);
	const struct svc_arg none = {0};
	bool take = false;

	if (same)
		service_feed(svc, SE_LOG_SAME, none);
	else
		take = service_feed(svc, SE_LOG_CHANGED, none).take_log;
	if (take)
		take_log(svc, fd, &id);
	else if (fd >= 0)
		close(fd);
}

/* Start the logger the service needs, if it is not running. */
static void
start_logger(struct service *svc, enum log_kind kind, const char *dir)
{
	char logdir[PATH_MAX];

	if (instance_running(&svc->log) || deadline_is_set(&svc->log.deadline))
		return;
	if (kind == LOG_DIR && instance_inherit(&svc->log, svc->logfd)) {
		/* Its logger runs for this very directory, on its own pipe. */
		svc->pipe_kind = LOG_DIR;
		svc->pipe_log_id = svc->want_log_id;
		svtable_set_run_id(svc, &svc->want_id);
		return;
	}
	if (!ensure_pipe(svc, kind))
		return;
	if (kind == LOG_PREFIX) {
		instance_start_prefixer(&svc->log, svc->name, svc->pipe_r);
		return;
	}
	snprintf(logdir, sizeof logdir, "%s/log", dir);
	/* A log/run not ready yet: watch log/ until it is. */
	if (!servicedir_run_ready(svc->logfd)) {
		service_watch(svc, WATCH_LOG, svc->logfd, logdir);
		return;
	}
	service_unwatch_one(svc, WATCH_LOG);
	instance_start(&svc->log, svc->logfd, logdir, svc->pipe_r, -1, 0);
}

/*
 * Get the service's output ready: the logger it needs started (or
 * coming), the pipe to it made.  False when the service must wait: the
 * old logger still reads the old pipe, or no pipe could be made.
 */
bool
servicelog_ready(struct service *svc, const char *dir)
{
	enum log_kind kind = servicelog_wanted(svc);

	if (kind == LOG_NONE)
		return true;
	if (lifecycle_leaving(&svc->log.lc))
		return false;
	start_logger(svc, kind, dir);
	return svc->pipe_kind == kind;
}
