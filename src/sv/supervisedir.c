/*
 * Locating supervise/ and event/.  They live in the service directory,
 * as in s6, so that s6-svstat and s6-svc work.  When the service
 * directory is read-only (a ConfigMap volume, a ":ro" bind mount) they
 * live in STATEDIR/NAME instead, and hotsv finds them there.
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

#include "lib/lock.h"
#include "lib/xmalloc.h"
#include "sv/supervisedir.h"

/*
 * supervise/ lets anyone reach status and lock (0644, as in s6), so
 * that hotsv status works for every user; control stays 0600.
 */
#define SUPERVISE_MODE 0711

/* mkdir with exactly this mode, whatever the umask. */
static int
mkdir_mode(const char *path, mode_t mode)
{
	if (mkdir(path, mode) < 0)
		return -1;
	chmod(path, mode);
	return 0;
}

/* mkdirat with exactly this mode, whatever the umask. */
static int
mkdirat_mode(int dirfd, const char *name, mode_t mode)
{
	if (mkdirat(dirfd, name, mode) < 0)
		return -1;
	fchmodat(dirfd, name, mode, 0);
	return 0;
}

/* Copy path without its trailing slashes (but keep "/"). */
static char *
strip_slashes(const char *path)
{
	char *copy = xstrdup(path);
	size_t len = strlen(copy);

	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	return copy;
}

/* Return a pointer to the last component of a slash-stripped path. */
static const char *
last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/*
 * The service's name: the last component of its directory, or
 * "PARENT/log" for a logger, that is a "log" whose parent directory is a
 * service directory (holds run): a service named "log" at the top of a
 * scan directory is not the logger of a service named like that
 * directory.  "." and ".." are resolved first.  dirfd is the directory
 * itself, or -1 if it could not be opened (then it is no logger).
 */
char *
svpath_name(int dirfd, const char *svcdir)
{
	char *path = strip_slashes(svcdir), *name, *resolved;
	const char *base = last_component(path);
	struct stat sb;

	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		resolved = realpath(path, NULL);
		if (resolved != NULL) {
			free(path);
			path = resolved;
			base = last_component(path);
		}
	}
	if (strcmp(base, "log") == 0 && base != path && dirfd >= 0 &&
	    fstatat(dirfd, "../run", &sb, 0) == 0) {
		char *parent = xstrdup(path);
		const char *pbase;

		parent[base - path - 1] = '\0';
		pbase = last_component(parent);
		xasprintf(&name, "%s/log", pbase[0] != '\0' ? pbase : "/");
		free(parent);
	} else
		name = xstrdup(base);
	free(path);
	return name;
}

/* mkdir -p: create path and its missing parents. */
int
mkdir_parents(const char *path, int mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir_mode(buf, (mode_t)mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir_mode(buf, (mode_t)mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Where NAME's supervise/ and event/ live when its service directory is
 * read-only: STATEDIR/NAME, in buf.  Returns 0, or -1 (ENAMETOOLONG).
 */
static int
state_base(char *buf, size_t size, const char *statedir, const char *name)
{
	if ((size_t)snprintf(buf, size, "%s/%s", statedir, name) < size)
		return 0;
	errno = ENAMETOOLONG;
	return -1;
}

/* Fill the name and the paths under base (the svcdir or a state dir). */
static void
paths_under(struct svpaths *sp, const char *base, bool in_statedir)
{
	xasprintf(&sp->supdir, "%s/supervise", base);
	xasprintf(&sp->eventdir, "%s/event", base);
	sp->in_statedir = in_statedir;
}

/* Say whether an errno means "this filesystem will not take writes". */
static bool
errno_is_readonly(int err)
{
	return err == EROFS || err == EACCES || err == EPERM;
}

/*
 * For the supervisor of the service NAME, whose directory is dirfd:
 * create supervise/ (0711) in the service directory, or in STATEDIR/NAME
 * when the service directory is read-only.  Returns a descriptor of the
 * directory that holds supervise/ (and event/), or -1 with errno set.
 */
int
svpaths_create(struct svpaths *sp, int dirfd, const char *svcdir,
    const char *name, const char *statedir)
{
	char base[PATH_MAX];
	int basefd;

	memset(sp, 0, sizeof *sp);
	sp->svcdir = strip_slashes(svcdir);
	sp->name = xstrdup(name);
	paths_under(sp, sp->svcdir, false);
	if (mkdirat_mode(dirfd, "supervise", SUPERVISE_MODE) == 0 ||
	    (errno == EEXIST && faccessat(dirfd, "supervise", W_OK, 0) == 0))
		return fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (!errno_is_readonly(errno) ||
	    state_base(base, sizeof base, statedir, sp->name) < 0)
		return -1;
	free(sp->supdir);
	free(sp->eventdir);
	paths_under(sp, base, true);
	basefd = mkdir_parents(base, 0755) < 0
	    ? -1
	    : open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (basefd >= 0 &&
	    mkdirat_mode(basefd, "supervise", SUPERVISE_MODE) < 0 &&
	    errno != EEXIST) {
		close(basefd);
		return -1;
	}
	return basefd;
}

/* How much a supervise/ directory says: 2 live, 1 present, 0 absent. */
static int
supervise_rank(const char *supdir)
{
	struct stat sb;
	int fd, held;

	if (stat(supdir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return 0;
	fd = open(supdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	held = fd >= 0 ? lock_probe(fd, "lock") : -1;
	if (fd >= 0)
		close(fd);
	return held == 1 ? 2 : 1;
}

/*
 * For clients: find an existing supervise/, in the service directory or
 * in STATEDIR/NAME, preferring one a live supervisor holds (a read-only
 * directory may carry a stale supervise/ from where it was built).
 * Returns 0, or -1 with errno ENOENT.
 */
int
svpaths_find(struct svpaths *sp, const char *svcdir, const char *statedir)
{
	char base[PATH_MAX];
	int in_dir, dirfd;

	memset(sp, 0, sizeof *sp);
	sp->svcdir = strip_slashes(svcdir);
	dirfd = open(sp->svcdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	sp->name = svpath_name(dirfd, sp->svcdir);
	if (dirfd >= 0)
		close(dirfd);
	paths_under(sp, sp->svcdir, false);
	in_dir = supervise_rank(sp->supdir);
	if (in_dir == 2)
		return 0;
	if (state_base(base, sizeof base, statedir, sp->name) == 0) {
		free(sp->supdir);
		free(sp->eventdir);
		paths_under(sp, base, true);
		if (supervise_rank(sp->supdir) > in_dir)
			return 0;
		free(sp->supdir);
		free(sp->eventdir);
		paths_under(sp, sp->svcdir, false);
	}
	if (in_dir > 0)
		return 0;
	errno = ENOENT;
	return -1;
}

/* Open path (relative to basefd) if a live process locks it, else -1. */
static int
locked_at(int basefd, const char *path, pid_t *holder)
{
	int fd = openat(basefd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && lock_holder(fd, "lock", holder) == 1 && *holder > 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * For hotsv-scan: the supervise/ of the service NAME, whose directory is
 * dirfd (in it, or in STATEDIR/NAME), that a live process locks: an
 * O_PATH descriptor, and the holder's pid in *holder; or -1.  No
 * allocation: this runs in the scanner, which may be PID 1.
 */
int
svpaths_locked(int dirfd, const char *statedir, const char *name, pid_t *holder)
{
	char base[PATH_MAX];
	int basefd, fd = locked_at(dirfd, "supervise", holder);

	if (fd >= 0 || state_base(base, sizeof base, statedir, name) < 0)
		return fd;
	basefd = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (basefd < 0)
		return -1;
	fd = locked_at(basefd, "supervise", holder);
	close(basefd);
	return fd;
}

/* Free what svpaths_create or svpaths_find allocated. */
void
svpaths_free(struct svpaths *sp)
{
	free(sp->svcdir);
	free(sp->name);
	free(sp->supdir);
	free(sp->eventdir);
	memset(sp, 0, sizeof *sp);
}
