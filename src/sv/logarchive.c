/*
 * Archives of a log directory.  A rotated "current" becomes
 * "@<tai64n>.s", as with s6-log: fixed-width lower-case hex, so names sort
 * lexically in time order.  Each new name is later than every archive
 * already there, even when the wall clock steps back or two rotations
 * fall in the same nanosecond, so names never collide and "delete the
 * first names in sorted order" always deletes the oldest.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xmalloc.h"
#include "sv/logarchive.h"

/* Say whether name is an archive's, and if so read its stamp. */
bool
archive_name_parse(const char *name, struct timespec *stamp)
{
	char tai[TAI64N_TEXT + 1];

	if (strlen(name) != ARCHIVE_NAME_LEN ||
	    strcmp(name + TAI64N_TEXT, ".s") != 0)
		return false;
	memcpy(tai, name, TAI64N_TEXT);
	tai[TAI64N_TEXT] = '\0';
	/* Upper-case hex would sort apart from ours: not an archive. */
	for (const char *p = tai + 1; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'F')
			return false;
	return tai64n_parse(tai, stamp) == 0;
}

/* Say whether a is later than b. */
static bool
stamp_after(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/* Name the next archive: now, or just after the newest if that is later. */
void
archive_next_name(char out[ARCHIVE_NAME_LEN + 1], struct timespec *newest,
    const struct timespec *now)
{
	if (stamp_after(now, newest)) {
		*newest = *now;
	} else if (++newest->tv_nsec == 1000000000L) {
		newest->tv_sec++;
		newest->tv_nsec = 0;
	}
	tai64n_format(out, newest);
	memcpy(out + TAI64N_TEXT, ".s", 3);
}

/* Order two archive names, hence two times. */
static int
archive_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * List the archives of dirfd, sorted oldest first (free *names); returns
 * the count, or -1 with errno.
 */
ssize_t
archive_list(int dirfd, archive_name **names)
{
	size_t n = 0, cap = 16;
	struct timespec stamp;
	struct dirent *de;
	DIR *dir;
	int fd;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	*names = xreallocarray(NULL, cap, sizeof **names);
	while ((de = readdir(dir)) != NULL) {
		if (!archive_name_parse(de->d_name, &stamp))
			continue;
		if (n == cap)
			*names =
			    xreallocarray(*names, cap *= 2, sizeof **names);
		memcpy((*names)[n++], de->d_name, sizeof **names);
	}
	closedir(dir);
	qsort(*names, n, sizeof **names, archive_cmp);
	return (ssize_t)n;
}

/*
 * Delete the oldest archives beyond keep and raise *newest to the stamp
 * of the newest one left.  Returns 0, or -1 with the first errno.
 */
int
archive_scan(int dirfd, unsigned keep, struct timespec *newest)
{
	archive_name *names;
	struct timespec stamp;
	ssize_t n = archive_list(dirfd, &names);
	int saved_errno = 0;

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i + (ssize_t)keep < n; i++)
		if (unlinkat(dirfd, names[i], 0) < 0 && saved_errno == 0)
			saved_errno = errno;
	if (n > 0 && archive_name_parse(names[n - 1], &stamp) &&
	    stamp_after(&stamp, newest))
		*newest = stamp;
	free(names);
	errno = saved_errno;
	return saved_errno == 0 ? 0 : -1;
}
