/*
 * libinotifytools, tamed.  It hides its inotify descriptor and opens it
 * without close-on-exec, so we find it in /proc/self/fd and fix it; it
 * buffers up to 64 KiB of events, so after each wake-up we drain it
 * until it has nothing left; its watch bookkeeping ignores IN_IGNORED,
 * so the caller resets it (watch_stop, watch_start) after an overflow or
 * after many watches were lost, rather than patching its tables.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <inotifytools/inotifytools.h>

#include "log.h"
#include "watch.h"

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
 * non-blocking, or -1 (logged) when inotify cannot be used.
 */
int
watch_start(void)
{
	if (!inotifytools_initialize()) {
		log_warnx(
		    "inotify unavailable: %s", strerror(inotifytools_error()));
		return -1;
	}
	hotsv_watch_fd = find_inotify_fd();
	if (hotsv_watch_fd < 0) {
		log_warnx("cannot find libinotifytools' descriptor");
		inotifytools_cleanup();
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
	char slashed[PATH_MAX + 1];
	int wd;

	if (hotsv_watch_fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (!inotifytools_watch_file(path, (int)events)) {
		errno = inotifytools_error();
		return -1;
	}
	/* The library records a directory's name with a slash appended. */
	wd = inotifytools_wd_from_filename(path);
	if (wd < 0 &&
	    (size_t)snprintf(slashed, sizeof slashed, "%s/", path) <
	        sizeof slashed)
		wd = inotifytools_wd_from_filename(slashed);
	if (wd < 0)
		errno = ENOENT;
	return wd;
}

/* Stop watching; a watch the kernel already dropped is only forgotten. */
void
watch_remove(int wd)
{
	if (hotsv_watch_fd >= 0 && wd >= 0)
		inotifytools_remove_watch_by_wd(wd);
}

/* The path a watch descriptor was added for, or NULL. */
const char *
watch_path(int wd)
{
	return hotsv_watch_fd >= 0 ? inotifytools_filename_from_wd(wd) : NULL;
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
