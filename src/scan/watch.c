/*
 * libinotifytools, tamed.  It hides its inotify descriptor and opens it
 * without close-on-exec, so we find it in /proc/self/fd and fix it; it
 * buffers up to 64 KiB of events, so after each wake-up we drain it
 * until it has nothing left.  Its watch bookkeeping ignores IN_IGNORED:
 * after a watched directory is deleted and created again under the same
 * name, inotifytools_wd_from_filename() still returns the dead watch
 * descriptor (seen with 3.22).  So watches are added and removed with
 * the inotify calls on its descriptor, and the caller keeps the map from
 * watch descriptors to services; the library reads and buffers events.
 * After an overflow the caller starts it afresh and rescans.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inotifytools/inotifytools.h>

#include "lib/log.h"
#include "scan/watch.h"

static int hotsv_watch_fd = -1;

/* Say whether fd is an inotify instance. */
static bool
is_inotify_fd(int dirfd, const char *name)
{
	char target[64];
	ssize_t len = readlinkat(dirfd, name, target, sizeof target - 1);

	if (len < 0)
		return false;
	target[len] = '\0';
	return strcmp(target, "anon_inode:inotify") == 0;
}

/* Find the inotify descriptor the library opened (the highest one). */
static int
find_inotify_fd(void)
{
	struct dirent *entry;
	DIR *dir = opendir("/proc/self/fd");
	int found = -1;

	if (dir == NULL)
		return -1;
	while ((entry = readdir(dir)) != NULL) {
		int fd = atoi(entry->d_name);

		if (entry->d_name[0] != '.' && fd > found &&
		    is_inotify_fd(dirfd(dir), entry->d_name))
			found = fd;
	}
	closedir(dir);
	return found;
}

/*
 * Start the library and return its descriptor, close-on-exec and
 * non-blocking, or -1 with errno set when inotify cannot be used (the
 * caller says so, once).
 */
int
watch_start(void)
{
	if (!inotifytools_initialize()) {
		errno = inotifytools_error();
		return -1;
	}
	hotsv_watch_fd = find_inotify_fd();
	if (hotsv_watch_fd < 0) {
		/* No /proc/self/fd to find it in: say so as ENOENT. */
		log_debug("cannot find libinotifytools' descriptor");
		inotifytools_cleanup();
		errno = ENOENT;
		return -1;
	}
	fcntl(hotsv_watch_fd, F_SETFD, FD_CLOEXEC);
	fcntl(hotsv_watch_fd, F_SETFL,
	    fcntl(hotsv_watch_fd, F_GETFL) | O_NONBLOCK);
	return hotsv_watch_fd;
}

/* Close the library's descriptor and forget every watch. */
void
watch_stop(void)
{
	if (hotsv_watch_fd < 0)
		return;
	inotifytools_cleanup();
	hotsv_watch_fd = -1;
}

/* The inotify descriptor, or -1. */
int
watch_fd(void)
{
	return hotsv_watch_fd;
}

/* Watch path for events; returns the watch descriptor or -1 (errno). */
int
watch_add(const char *path, unsigned int events)
{
	if (hotsv_watch_fd < 0) {
		errno = EBADF;
		return -1;
	}
	return inotify_add_watch(hotsv_watch_fd, path, events);
}

/* Stop watching; a watch the kernel already dropped is only forgotten. */
void
watch_remove(int wd)
{
	if (hotsv_watch_fd >= 0 && wd >= 0)
		inotify_rm_watch(hotsv_watch_fd, wd);
}

/* Hand every event waiting in the kernel and the library to handle. */
void
watch_drain(void (*handle)(const struct inotify_event *))
{
	struct inotify_event *event;

	if (hotsv_watch_fd < 0)
		return;
	/* A zero timeout makes the library poll, never block. */
	while ((event = inotifytools_next_events(0, 1)) != NULL)
		handle(event);
}
