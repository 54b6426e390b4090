/*
 * hotsv logs -f: follow log directories until SIGINT, SIGTERM or SIGHUP.
 * One inotify watch per log directory (IN_MODIFY, IN_CREATE, IN_MOVED_*:
 * a line written, current archived and made anew) and one ppoll over it
 * and a signalfd; nothing wakes up on a timer.
 *
 * Across a rotation no line is lost or shown twice: the file being read
 * stays open by its descriptor.  Once the name current leads to another
 * file (or to none), the logger has renamed the old one and closed it
 * (hotsv-log renames, then closes, then opens a new current), so it is
 * read to its end once more, then every archive made after it (several
 * rotations may pass between two wake-ups), then the new current from
 * its first byte.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/follow.h"
#include "cli/logstream.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "sv/logarchive.h"

#define WATCH_MASK \
	(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR)

/* Say whether fd is the file dev/ino. */
static bool
is_file(int fd, dev_t dev, ino_t ino)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && sb.st_dev == dev && sb.st_ino == ino;
}

/* Make fd the file the stream reads, from where fd stands. */
static void
stream_take(struct logstream *ls, int fd)
{
	struct stat sb;

	ls->fd = fd;
	if (fstat(fd, &sb) == 0) {
		ls->dev = sb.st_dev;
		ls->ino = sb.st_ino;
	}
}

/* Read the whole of the file the stream reads, then let it go. */
static void
stream_finish_file(struct logstream *ls)
{
	logstream_drain(ls);
	close(ls->fd);
	ls->fd = -1;
}

/*
 * Find the archive that is the file the stream read last; returns the
 * index after it, or -1 when it is not there (pruned already: which
 * archives came after it cannot be told).
 */
static ssize_t
archive_after(struct logstream *ls, archive_name *names, ssize_t n)
{
	ssize_t after = -1;
	int fd;

	/* It is among the newest: look from the end. */
	for (ssize_t i = n; i-- > 0 && after < 0;) {
		if ((fd = openat(ls->dirfd, names[i], O_RDONLY | O_CLOEXEC)) <
		    0)
			continue;
		if (is_file(fd, ls->dev, ls->ino))
			after = i + 1;
		close(fd);
	}
	return after;
}

/*
 * Show the archives made after the file the stream read last, in order,
 * stopping at newfd (the new current, which may be archived already: it
 * is read next, by its descriptor).
 */
static void
show_missed_archives(struct logstream *ls, int newfd)
{
	archive_name *names;
	ssize_t n = archive_list(ls->dirfd, &names), from;
	struct stat sb;
	int fd;

	if (n < 0) {
		log_warn("list the archives of %s", ls->path);
		return;
	}
	if (newfd < 0 || fstat(newfd, &sb) < 0)
		sb = (struct stat){.st_ino = 0};
	from = archive_after(ls, names, n);
	for (ssize_t i = from; i >= 0 && i < n; i++) {
		if ((fd = openat(ls->dirfd, names[i], O_RDONLY | O_CLOEXEC)) <
		    0)
			continue;
		if (newfd >= 0 && is_file(fd, sb.st_dev, sb.st_ino)) {
			close(fd);
			break;
		}
		stream_take(ls, fd);
		stream_finish_file(ls);
	}
	free(names);
}

/* Show what the stream's log holds past what was shown. */
static void
stream_catch_up(struct logstream *ls)
{
	int newfd;

	for (;;) {
		if (ls->fd >= 0)
			logstream_drain(ls);
		newfd = openat(ls->dirfd, "current", O_RDONLY | O_CLOEXEC);
		if (newfd >= 0 && ls->fd >= 0 &&
		    is_file(newfd, ls->dev, ls->ino)) {
			close(newfd);
			return;
		}
		/* current is another file or none: the one read is whole. */
		if (ls->fd >= 0)
			stream_finish_file(ls);
		show_missed_archives(ls, newfd);
		if (newfd < 0)
			return; /* until IN_CREATE */
		stream_take(ls, newfd);
	}
}

/* Block the signals that end following and read them from a signalfd. */
static int
signals_open(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatal("signalfd");
	return fd;
}

/* Read the inotify events and mark the streams they name. */
static void
read_events(int ifd, struct logstream *streams, size_t count)
{
	char buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t got;

	while ((got = read(ifd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + got; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)p;
			for (size_t i = 0; i < count; i++)
				if ((ev->mask & IN_Q_OVERFLOW) != 0 ||
				    streams[i].wd == ev->wd)
					streams[i].touched = true;
		}
	}
	if (got < 0 && errno != EAGAIN && errno != EINTR)
		fatal("read inotify");
}

/*
 * Follow the streams, shown up to now, until a signal ends it; returns
 * status, or 111 if a directory cannot be watched.
 */
int
logs_follow(struct logstream *streams, size_t count, int status)
{
	struct pollfd fds[2];
	struct deadline never;
	int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (ifd < 0)
		fatal("inotify_init1");
	fds[0] = (struct pollfd){.fd = signals_open(), .events = POLLIN};
	fds[1] = (struct pollfd){.fd = ifd, .events = POLLIN};
	for (size_t i = 0; i < count; i++) {
		char held[64];

		/* The directory we hold, wherever its path leads now. */
		snprintf(
		    held, sizeof held, "/proc/self/fd/%d", streams[i].dirfd);
		streams[i].wd = inotify_add_watch(ifd, held, WATCH_MASK);
		if (streams[i].wd < 0) {
			log_warn("watch %s", streams[i].path);
			status = 111;
		}
		/* What came between showing it and watching it. */
		streams[i].touched = true;
	}
	deadline_never(&never);
	for (;;) {
		for (size_t i = 0; i < count; i++)
			if (streams[i].touched) {
				streams[i].touched = false;
				stream_catch_up(&streams[i]);
			}
		logs_flush();
		if (loop_wait(fds, 2, &never) < 0)
			fatal("ppoll");
		if (fds[0].revents != 0)
			break;
		if (fds[1].revents != 0)
			read_events(ifd, streams, count);
	}
	close(fds[0].fd);
	close(ifd);
	return status;
}
