/*
 * SCANDIR/.hotsv, the control directory: the scanner's lock (one
 * hotsv-scan per directory) and its control FIFO, which takes
 * s6-svscanctl's letters.  A .s6-svscan symlink to it lets s6-svscanctl
 * work unchanged; a "stopping" file in it tells hotsv check that we
 * drain or shut down.  When SCANDIR is read-only (a ConfigMap volume), the
 * directory lives in STATEDIR.  Nothing here exits: the scanner may be
 * PID 1.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/lock.h"
#include "lib/log.h"
#include "scan/controldir.h"
#include "sv/scannerdir.h"
#include "sv/supervisedir.h"

/* What last kept the control directory from being had, or NULL. */
static const char *hotsv_ctl_failure;

/* Write base/.hotsv into buf; false (logged) if it does not fit. */
static bool
scannerdir_at(char *buf, const char *base)
{
	if (scannerdir_path(buf, PATH_MAX, base, NULL))
		return true;
	log_warnx("%s/%s: path too long", base, SCANNERDIR);
	return false;
}

/* Write dir/name into buf; false (logged) if it does not fit. */
static bool
join(char *buf, size_t size, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", dir, name) < size)
		return true;
	log_warnx("%s/%s: path too long", dir, name);
	return false;
}

/*
 * Create the control directory: SCANDIR/.hotsv, or STATEDIR/.hotsv when
 * SCANDIR is read-only.  Its path goes in buf (PATH_MAX bytes); returns
 * false (logged) when it cannot be made.  Nothing here allocates: the
 * scanner may be PID 1, which must not die of a full memory.
 */
bool
scanctl_dir(const char *scandir, const char *statedir, char *buf)
{
	hotsv_ctl_failure = "control";
	if (!scannerdir_at(buf, scandir))
		return false;
	if (mkdir(buf, 0755) == 0) {
		chmod(buf, 0755); /* whatever the umask, as supervise/ */
		hotsv_ctl_failure = NULL;
		return true;
	}
	if (errno == EEXIST && access(buf, W_OK) == 0) {
		hotsv_ctl_failure = NULL;
		return true;
	}
	if (errno != EROFS && errno != EACCES && errno != EPERM) {
		/* ENOENT: SCANDIR went away meanwhile; waiting is right. */
		if (errno == ENOENT)
			hotsv_ctl_failure = NULL;
		log_warn("create %s", buf);
		return false;
	}
	hotsv_ctl_failure = "statedir";
	if (!scannerdir_at(buf, statedir))
		return false;
	if (mkdir_parents(buf, 0755) < 0) {
		log_warn("%s is not writable, nor is the state directory: "
		         "create %s",
		    scandir, buf);
		return false;
	}
	hotsv_ctl_failure = NULL;
	return true;
}

/*
 * Say what kept the last scanctl_dir or scanctl_open from having the
 * control directory ("statedir" when neither SCANDIR nor STATEDIR can
 * hold it, "control" otherwise), or NULL: it was had, or only the lock
 * was busy.
 */
const char *
scanctl_failure(void)
{
	return hotsv_ctl_failure;
}

/*
 * Let s6-svscanctl reach us: point SCANDIR/.s6-svscan at our directory;
 * when s6 has its own .s6-svscan/ (its hooks, or left by s6-svscan),
 * point .s6-svscan/control at our FIFO, over a FIFO s6-svscan left.
 */
static void
link_for_s6(const char *ctldir, const char *scandir)
{
	char link[PATH_MAX], ctl[PATH_MAX], tmp[PATH_MAX], target[PATH_MAX];
	struct stat st;

	if (!join(link, sizeof link, scandir, ".s6-svscan") ||
	    symlink(ctldir, link) == 0 || errno == EROFS)
		return;
	if (errno != EEXIST || lstat(link, &st) < 0 || !S_ISDIR(st.st_mode)) {
		if (errno != EEXIST)
			log_warn("symlink %s", link);
		return;
	}
	if (!join(ctl, sizeof ctl, link, "control") ||
	    !join(tmp, sizeof tmp, link, "control.hotsv") ||
	    !join(target, sizeof target, ctldir, SCANNERDIR_CONTROL))
		return;
	(void)unlink(tmp);
	if (symlink(target, tmp) < 0 || rename(tmp, ctl) < 0) {
		log_warn("link %s", ctl);
		(void)unlink(tmp);
	}
}

/*
 * Take the lock and open the control FIFO.  Returns the FIFO, or -1 with
 * errno set (EWOULDBLOCK: another scanner holds the lock).
 */
int
scanctl_open(const char *ctldir, const char *scandir, int *lockfd)
{
	int dirfd, fd = -1, saved_errno;

	dirfd = open(ctldir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		hotsv_ctl_failure = "control";
		return -1;
	}
	*lockfd = lock_take(dirfd, SCANNERDIR_LOCK);
	if (*lockfd >= 0) {
		/* A scanner killed while it stopped left it: we run. */
		(void)unlinkat(dirfd, SCANNERDIR_STOPPING, 0);
		fd = fifo_open_rdwr(dirfd, SCANNERDIR_CONTROL);
		if (fd < 0) {
			saved_errno = errno;
			close(*lockfd);
			*lockfd = -1;
			errno = saved_errno;
		}
	}
	saved_errno = errno;
	close(dirfd);
	errno = saved_errno;
	hotsv_ctl_failure = fd < 0 && errno != EWOULDBLOCK ? "control" : NULL;
	if (fd >= 0)
		link_for_s6(ctldir, scandir);
	return fd;
}

/*
 * Create ctldir/stopping, which makes hotsv check fail: we drain before
 * a shutdown, or shut down.  Nothing to do without a control directory.
 */
void
scanctl_mark_stopping(const char *ctldir)
{
	char path[PATH_MAX];
	int fd;

	if (ctldir[0] == '\0' ||
	    !join(path, sizeof path, ctldir, SCANNERDIR_STOPPING))
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		log_warn("create %s", path);
	else
		close(fd);
}
