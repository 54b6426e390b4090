/*
 * One output of hotsv-log: DIR/current, its rotation into archives, and
 * the retry state after an error.  The caller keeps a batch of framed
 * lines (it always ends with a newline) until every output has written
 * all of it; each output counts the bytes of the batch it has written,
 * so a write cut short by ENOSPC in mid-line resumes at the exact byte:
 * nothing is lost and nothing is written twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/lock.h"
#include "lib/log.h"
#include "sv/logarchive.h"
#include "log/output.h"

/* Back-off after a failed write: first delay, doubled up to the cap. */
#define RETRY_FIRST_MS 100
#define RETRY_MAX_MS 5000

/* Create the directory if missing, open it, lock it, prune archives. */
static const char *
logdir_take(struct logdir *ld)
{
	int saved_errno;

	if (mkdir(ld->path, 0755) < 0 && errno != EEXIST)
		return "create directory";
	ld->dirfd = open(ld->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ld->dirfd < 0)
		return "open directory";
	ld->lockfd = lock_take(ld->dirfd, "lock");
	if (ld->lockfd < 0) {
		saved_errno = errno;
		close(ld->dirfd);
		ld->dirfd = -1;
		errno = saved_errno;
		return "take lock";
	}
	if (archive_scan(ld->dirfd, ld->keep, &ld->newest) < 0)
		log_warn("%s: delete old archives", ld->path);
	return NULL;
}

/* Open current for appending and learn its size. */
static const char *
logdir_open_current(struct logdir *ld)
{
	off_t end;

	ld->fd = openat(ld->dirfd, "current",
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (ld->fd < 0)
		return "open current";
	end = lseek(ld->fd, 0, SEEK_END);
	ld->size = end > 0 ? end : 0;
	ld->midline = false;
	return NULL;
}

/*
 * Close current if it has been unlinked (by hand, or with the whole
 * directory): writes to it would still succeed, into a file nobody can
 * read any more.
 */
static void
logdir_check_current(struct logdir *ld)
{
	struct stat sb;

	if (ld->is_stdout || ld->fd < 0)
		return;
	if (fstat(ld->fd, &sb) == 0 && sb.st_nlink == 0) {
		close(ld->fd);
		ld->fd = -1;
	}
}

/* Reopen current, retaking the directory if it was removed. */
static const char *
logdir_reopen(struct logdir *ld)
{
	struct stat sb;
	const char *what;

	/* A removed directory keeps its inode while we hold it open. */
	if (ld->dirfd >= 0 && fstat(ld->dirfd, &sb) == 0 && sb.st_nlink == 0) {
		close(ld->lockfd);
		close(ld->dirfd);
		ld->dirfd = ld->lockfd = -1;
	}
	if (ld->dirfd < 0 && (what = logdir_take(ld)) != NULL)
		return what;
	return logdir_open_current(ld);
}

/* Make current safe on disk, archive it, prune, open a new one. */
static const char *
logdir_rotate(struct logdir *ld)
{
	char name[ARCHIVE_NAME_LEN + 1];
	struct timespec now;

	if (fsync(ld->fd) < 0)
		return "fsync current";
	clock_real(&now);
	archive_next_name(name, &ld->newest, &now);
	if (renameat(ld->dirfd, "current", ld->dirfd, name) < 0)
		return "archive current";
	close(ld->fd);
	ld->fd = -1;
	ld->rotate = false;
	if (archive_scan(ld->dirfd, ld->keep, &ld->newest) < 0)
		log_warn("%s: delete old archives", ld->path);
	return logdir_open_current(ld);
}

/*
 * Count the bytes of the batch to write next: the whole lines that still
 * fit in current, or 0 when current must rotate first.  An empty current
 * takes one line however long, and a line already begun is finished.
 */
static size_t
logdir_chunk(const struct logdir *ld, const char *data, size_t len)
{
	const char *from = data + ld->done, *nl;
	size_t left = len - ld->done, room;

	if (ld->is_stdout || ld->size + (off_t)left <= ld->maxsize)
		return left;
	room = ld->size < ld->maxsize ? (size_t)(ld->maxsize - ld->size) : 0;
	if ((nl = memrchr(from, '\n', room)) != NULL)
		return (size_t)(nl - from) + 1;
	if (ld->size > 0 && !ld->midline)
		return 0;
	/* The batch ends with a newline, so there is one. */
	nl = memchr(from, '\n', left);
	return (size_t)(nl - from) + 1;
}

/*
 * Take (F_WRLCK) or give back (F_UNLCK) the turn on a stdout shared with
 * other loggers (hotsv-scan --prefix): a batch longer than PIPE_BUF is
 * not written atomically to a pipe, and another logger's write would
 * land in the middle of a line.  POSIX locks belong to the process, so
 * loggers sharing one open lock file still exclude each other.
 */
static void
logdir_turn(struct logdir *ld, short type)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET};

	if (ld->turnfd < 0 || ld->turn == (type == F_WRLCK))
		return;
	while (fcntl(ld->turnfd, F_SETLKW, &fl) < 0 && errno == EINTR)
		;
	ld->turn = type == F_WRLCK;
}

/* Write the rest of the batch, rotating on the way; NULL or what failed. */
static const char *
logdir_drain(struct logdir *ld, const char *data, size_t len)
{
	const char *what;
	ssize_t written;
	size_t n;

	if (ld->done < len)
		logdir_check_current(ld);
	if (ld->fd < 0 && (what = logdir_reopen(ld)) != NULL)
		return what;
	for (;;) {
		/* Rotate only between lines: no line spans two files. */
		if (ld->rotate && !ld->midline) {
			if (ld->size > 0 && (what = logdir_rotate(ld)) != NULL)
				return what;
			ld->rotate = false;
		}
		if (ld->done == len) {
			logdir_turn(ld, F_UNLCK);
			return NULL;
		}
		logdir_turn(ld, F_WRLCK);
		if ((n = logdir_chunk(ld, data, len)) == 0) {
			ld->rotate = true;
			continue;
		}
		written = write(ld->fd, data + ld->done, n);
		if (written < 0)
			return ld->is_stdout ? "write" : "write current";
		ld->done += (size_t)written;
		ld->size += written;
		ld->midline = data[ld->done - 1] != '\n';
	}
}

/* Log the start of an error episode and schedule the next attempt. */
static void
logdir_failed(struct logdir *ld, const char *what)
{
	/* A non-blocking stdout is not an error: wait until it drains. */
	if (ld->is_stdout && errno == EAGAIN) {
		ld->blocked = true;
		return;
	}
	if (!ld->failing) {
		log_warn("%s: %s (retrying)", ld->path, what);
		ld->failing = true;
		ld->delay_ms = RETRY_FIRST_MS;
	} else if ((ld->delay_ms *= 2) > RETRY_MAX_MS) {
		ld->delay_ms = RETRY_MAX_MS;
	}
	deadline_in_ms(&ld->retry, ld->delay_ms);
}

/*
 * Take an output: stdout for "-", else lock DIR (exit 100 if another
 * logger holds it) and open DIR/current; other errors exit 111.
 */
void
logdir_open(struct logdir *ld, const char *path, off_t maxsize, unsigned keep)
{
	const char *what;

	*ld = (struct logdir){.path = path, .maxsize = maxsize, .keep = keep};
	ld->dirfd = ld->lockfd = ld->fd = ld->turnfd = -1;
	deadline_never(&ld->retry);
	if (strcmp(path, "-") == 0) {
		ld->path = "stdout";
		ld->is_stdout = true;
		ld->fd = STDOUT_FILENO;
		return;
	}
	what = logdir_take(ld);
	if (what != NULL && errno == EWOULDBLOCK)
		fatalxc(100, "%s is in use by another logger (%s/lock is held)",
		    path, path);
	if (what != NULL || (what = logdir_open_current(ld)) != NULL)
		fatal("%s: %s", path, what);
}

/*
 * Write what this output has not yet written of the batch, unless it
 * waits for a retry deadline or for stdout to drain.
 */
void
logdir_flush(struct logdir *ld, const char *data, size_t len)
{
	struct timespec now;
	const char *what;

	if (ld->blocked)
		return;
	if (ld->failing) {
		clock_mono(&now);
		if (!deadline_passed(&ld->retry, &now))
			return;
	}
	if ((what = logdir_drain(ld, data, len)) != NULL) {
		logdir_failed(ld, what);
		return;
	}
	if (ld->failing)
		log_info("%s: writing again", ld->path);
	ld->failing = false;
	deadline_never(&ld->retry);
}
