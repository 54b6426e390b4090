/*
 * The event fifodir.  A listener (s6-svwait, s6-svc -w, hotsv wait)
 * creates a FIFO named "ftrig1:@..." in it and reads; the supervisor
 * writes each event letter to every such FIFO.  The directory is mode
 * 03730 so that anyone in its group can create a FIFO but not list or
 * remove the others.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dirents.h"
#include "lib/log.h"
#include "sv/fifodir.h"

#define FIFODIR_MODE 03730
#define FIFO_PREFIX "ftrig1"

/*
 * Create the fifodir NAME in the directory basefd (or fix its mode).
 * Returns a descriptor of it, or -1 with errno.
 */
int
fifodir_make(int basefd, const char *name)
{
	struct stat sb;
	int fd;

	if (mkdirat(basefd, name, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = openat(
	    basefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) < 0 ||
	    ((sb.st_mode & 07777) != FIFODIR_MODE &&
	        fchmod(fd, FIFODIR_MODE) < 0)) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Write letters to one listener; a FIFO nobody reads is removed. */
static void
notify_one(int dfd, const char *name, const char *letters, size_t len)
{
	int fd = openat(dfd, name, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENXIO)
			unlinkat(dfd, name, 0);
		return;
	}
	if (len > 0 && write(fd, letters, len) < 0 && errno == EPIPE)
		unlinkat(dfd, name, 0);
	close(fd);
}

/* What notify_entry is given: the fifodir and the letters to send. */
struct notice {
	int dirfd;
	const char *letters;
	size_t len;
};

/* Send the letters to one entry of the fifodir if it is a listener's. */
static void
notify_entry(const char *name, void *arg)
{
	const struct notice *notice = arg;

	if (strncmp(name, FIFO_PREFIX, sizeof FIFO_PREFIX - 1) == 0)
		notify_one(notice->dirfd, name, notice->letters, notice->len);
}

/*
 * Send event letters to every listener in the fifodir evfd, removing the
 * FIFOs that nobody reads any more (with len 0, only that).  A directory
 * that cannot be read is reported once per error, not once per event
 * (out of descriptors, a supervisor sends many).
 */
void
fifodir_notify(int evfd, const char *letters, size_t len)
{
	static int failing; /* the errno reported last, 0 once it opens */
	struct notice notice = {-1, letters, len};

	if (evfd >= 0)
		notice.dirfd =
		    openat(evfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* A directory removed (ENOENT from getdents) has no listeners. */
	if (notice.dirfd < 0 ||
	    (dirents_each(notice.dirfd, notify_entry, &notice) < 0 &&
	        errno != ENOENT)) {
		if (evfd >= 0 && errno != failing)
			log_warn("read event/");
		failing = errno;
	} else
		failing = 0;
	if (notice.dirfd >= 0)
		close(notice.dirfd);
}
