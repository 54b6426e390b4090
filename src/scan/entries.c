/*
 * Reading the scan directory.  Each entry that is a directory, or a
 * symlink to one, and whose name does not start with a dot is a service.
 * Each look at an entry resolves it once, to a descriptor of the very
 * directory it leads to: its identity (device and inode), its checks
 * (run ready, content fingerprint) and the supervisor it gets all come
 * from that descriptor, never from the path again.  A look ends in an
 * event to the service's life and the service queued: what runs is
 * brought in line once the events at hand are read, not from here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/scan.h"
#include "scan/watch.h"

static unsigned int hotsv_scan_generation;

/* What a look at run says, to tell "unchanged since the last poll". */
static struct run_stamp
run_stamp_of(int dirfd)
{
	struct run_stamp stamp = {.valid = false};
	struct stat sb;

	if (fstatat(dirfd, "run", &sb, 0) == 0 && S_ISREG(sb.st_mode) &&
	    (sb.st_mode & 0111) != 0)
		stamp = (struct run_stamp){.valid = true,
		    .dev = sb.st_dev,
		    .ino = sb.st_ino,
		    .size = sb.st_size,
		    .mtime = sb.st_mtim};
	return stamp;
}

/*
 * A poll looked at a service found by polling and not started yet: it
 * may start once two polls in a row saw the same executable run (same
 * device, inode, size and modification time), as no event says when a
 * copy is complete.
 */
static void
poll_settle(struct service *svc)
{
	struct run_stamp now = run_stamp_of(svc->dirfd);
	const struct run_stamp *was = &svc->run_stamp;

	if (now.valid && was->valid && now.dev == was->dev &&
	    now.ino == was->ino && now.size == was->size &&
	    now.mtime.tv_sec == was->mtime.tv_sec &&
	    now.mtime.tv_nsec == was->mtime.tv_nsec)
		service_feed(svc, SE_POLL_AGREED, (struct svc_arg){0});
	else
		svc->run_stamp = now;
}

/* Say whether errno says we are out of something, not about the entry. */
static bool
out_of_resources(void)
{
	return errno == EMFILE || errno == ENFILE || errno == ENOMEM;
}

/*
 * Resolve the entry name once: a descriptor of the directory it leads
 * to (following a symbolic link), or -1 with *gone saying whether there
 * is no such service (no entry, not a directory, a link leading nowhere
 * yet) rather than a failure to look (out of descriptors).
 */
static int
resolve(const char *name, struct stat *sb, bool *symlink, bool *gone)
{
	int scanfd = hotsv_scanner.scanfd, fd;
	struct stat lsb;

	*gone = true;
	if (fstatat(scanfd, name, &lsb, AT_SYMLINK_NOFOLLOW) < 0) {
		target_forget(name);
		return -1;
	}
	*symlink = S_ISLNK(lsb.st_mode);
	fd = openat(scanfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, sb) == 0) {
		target_forget(name);
		return fd;
	}
	if (fd >= 0 || out_of_resources())
		*gone = false;
	else if (*symlink && errno == ENOENT) {
		target_wait(name, hotsv_scan_generation);
		return -1;
	} else
		log_debug("ignoring %s: not a directory", name);
	if (fd >= 0)
		close(fd);
	target_forget(name);
	return -1;
}

/*
 * Make id (just resolved to fd) the service's directory.  Returns
 * whether it is another directory than the one held.
 */
static bool
take_directory(struct service *svc, int fd, const struct svc_id *id)
{
	struct svc_id new_id = *id;

	if (id->dev == svc->want_id.dev && id->ino == svc->want_id.ino &&
	    svc->dirfd >= 0) {
		/* The same directory: keep its descriptor and its hash. */
		close(fd);
		new_id.fingerprint = svc->want_id.fingerprint;
		svc->want_id = new_id;
		return false;
	}
	/* Another directory under this name: watch that one now. */
	service_unwatch(svc);
	if (svc->dirfd >= 0)
		close(svc->dirfd);
	svc->dirfd = fd;
	/*
	 * Hash the content when a symlink now leads elsewhere while a
	 * service runs: the same content (a ConfigMap swap) keeps it.
	 */
	if (new_id.symlink && svc->sup.pid > 0)
		new_id.fingerprint = servicedir_fingerprint(fd);
	svc->want_id = new_id;
	svc->run_stamp.valid = false;
	return true;
}

/*
 * The service's entry cannot be looked at now (out of descriptors): say
 * so (once for the whole scanner) and look again later, with back-off;
 * a supervisor still running for it looks again when it exits.
 */
static void
resolve_failed(struct service *svc)
{
	char path[PATH_MAX];

	svc->seen = hotsv_scan_generation;
	if (!service_feed(svc, SE_UNRESOLVED, (struct svc_arg){0}).back_off)
		return;
	snprintf(path, sizeof path, "%s/%s", hotsv_scanner.scandir, svc->name);
	instance_start_failed(&svc->sup, "open the directory", path);
}

/*
 * Look at one entry of the scan directory: tell its service what it is
 * now, and queue the service for a look (service_reconcile_queued).
 * how: SCAN_FRESH, it was just created in place (mkdir, cp -r, tar x),
 * so its files may still be coming in; SCAN_POLL, a periodic scan (not
 * an event) looks, so a new one starts once two polls agree.
 */
void
scan_entry(const char *name, int how)
{
	struct service *svc = svtable_find(name);
	struct stat sb;
	bool symlink = false, gone;
	int fd = resolve(name, &sb, &symlink, &gone);

	if (fd < 0 && !gone) {
		/* Out of descriptors: keep what was found before, if any. */
		if (svc != NULL && svc->dirfd >= 0)
			svc->seen = hotsv_scan_generation;
		else if (svc != NULL || (svc = svtable_add(name)) != NULL)
			resolve_failed(svc);
		return;
	}
	if (svc == NULL && fd < 0)
		return;
	if (svc == NULL && (svc = svtable_add(name)) == NULL) {
		close(fd);
		return;
	}
	svc->seen = hotsv_scan_generation;
	if (fd >= 0) {
		struct svc_id id = {
		    .dev = sb.st_dev, .ino = sb.st_ino, .symlink = symlink};
		struct svc_arg arg = {.by_poll = (how & SCAN_POLL) != 0};

		arg.new_dir = take_directory(svc, fd, &id);
		service_feed(svc, SE_SEEN, arg);
		if ((how & SCAN_POLL) && svc->life.phase == SP_POLLED)
			poll_settle(svc);
	} else {
		service_feed(svc, SE_GONE, (struct svc_arg){0});
		if (svc->dirfd >= 0)
			close(svc->dirfd);
		svc->dirfd = -1;
	}
	if (how & SCAN_FRESH)
		service_feed(svc, SE_FRESH, (struct svc_arg){0});
	svqueue_add(svc);
}

/* Forget a service the last full scan (generation *arg) did not see. */
static void
unseen(struct service *svc, void *arg)
{
	if (svc->seen != *(const unsigned int *)arg)
		service_unwant(svc);
}

/*
 * Read the whole scan directory; false if it cannot be read.  polled:
 * a periodic scan (-t, or without inotify) rather than an event.
 */
bool
scan_all(bool polled)
{
	struct dirent *entry;
	int fd = openat(
	    hotsv_scanner.scanfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;

	if (dir == NULL) {
		log_warn("open %s", hotsv_scanner.scandir);
		if (fd >= 0)
			close(fd);
		return false;
	}
	hotsv_scan_generation++;
	while ((entry = readdir(dir)) != NULL)
		if (entry->d_name[0] != '.')
			scan_entry(entry->d_name, polled ? SCAN_POLL : 0);
	closedir(dir);
	svtable_foreach(unseen, &hotsv_scan_generation);
	target_sweep(hotsv_scan_generation);
	service_reconcile_queued();
	return true;
}
