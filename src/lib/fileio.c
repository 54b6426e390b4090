/*
 * Atomic file replacement: readers see the old content or the new one,
 * never a mix (rename(2) is atomic within a filesystem).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fileio.h"

/* Write data to NAME.new in dirfd and rename it to NAME (mode 0644). */
int
file_replace(int dirfd, const char *name, const void *data, size_t len)
{
	char tmpname[256];
	ssize_t written;
	int fd, saved_errno;

	if ((size_t)snprintf(tmpname, sizeof tmpname, "%s.new", name) >=
	    sizeof tmpname) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = openat(dirfd, tmpname,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	/* 0644 whatever the umask: hotsv status is for every user. */
	fchmod(fd, 0644);
	written = len > 0 ? write(fd, data, len) : 0;
	saved_errno = errno;
	if (close(fd) < 0 && written == (ssize_t)len) {
		written = -1;
		saved_errno = errno;
	}
	if (written != (ssize_t)len) {
		unlinkat(dirfd, tmpname, 0);
		errno = written < 0 ? saved_errno : ENOSPC;
		return -1;
	}
	if (renameat(dirfd, tmpname, dirfd, name) < 0) {
		saved_errno = errno;
		unlinkat(dirfd, tmpname, 0);
		errno = saved_errno;
		return -1;
	}
	return 0;
}

/* Read up to size bytes of dirfd/name; returns the count or -1. */
ssize_t
file_read_at(int dirfd, const char *name, void *buf, size_t size)
{
	ssize_t got;
	int fd, saved_errno;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	got = read(fd, buf, size);
	saved_errno = errno;
	close(fd);
	errno = saved_errno;
	return got;
}

/*
 * Create the FIFO dirfd/name (0600; replacing anything else by that
 * name) and open it read+write, non-blocking: holding a writer of our own
 * means readers never see end-of-file between clients.
 */
int
fifo_open_rdwr(int dirfd, const char *name)
{
	struct stat sb;

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISFIFO(sb.st_mode))
		unlinkat(dirfd, name, 0);
	if (mkfifoat(dirfd, name, 0600) < 0 && errno != EEXIST)
		return -1;
	return openat(dirfd, name, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}
