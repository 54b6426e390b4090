/*
 * Directory ownership locks.  s6 tools (s6-svok, s6-svc) test a
 * supervisor's liveness with an fcntl lock on supervise/lock, so we use
 * fcntl locks too: they vanish with the process, however it dies.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/lock.h"

/*
 * Create and write-lock dirfd/name.  Returns the open fd (keep it open
 * to keep the lock), or -1 with errno (EWOULDBLOCK when already held).
 */
int
lock_take(int dirfd, const char *name)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	int fd, saved_errno;

	fd = openat(
	    dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		saved_errno = errno;
		close(fd);
		errno = saved_errno == EACCES ? EWOULDBLOCK : saved_errno;
		return -1;
	}
	/* 0644 whatever the umask: clients probe the lock to see who runs. */
	fchmod(fd, 0644);
	return fd;
}

/*
 * Say whether a live process holds dirfd/name: 1 yes (its pid in *holder
 * if holder is not NULL), 0 no, -1 with errno when it cannot be told
 * (ENOENT: never supervised).
 */
int
lock_holder(int dirfd, const char *name, pid_t *holder)
{
	struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	int fd, r;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = fcntl(fd, F_GETLK, &fl);
	close(fd);
	if (r < 0)
		return -1;
	if (holder != NULL)
		*holder = fl.l_pid;
	return fl.l_type != F_UNLCK;
}

/* Say whether a live process holds dirfd/name (see lock_holder). */
int
lock_probe(int dirfd, const char *name)
{
	return lock_holder(dirfd, name, NULL);
}
