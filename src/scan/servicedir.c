/*
 * What a service directory holds, read through its descriptor: its
 * identity (to tell a replacement from the same), the fingerprint of its
 * content (a symlinked service swapped for the same content is the same
 * service), and whether its run can be started.
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

#include "scan/scan.h"

/* Bounds of the content fingerprint of a symlinked service. */
#define PRINT_MAX_FILES 256
#define PRINT_MAX_BYTES 65536
#define PRINT_MAX_DEPTH 2

/* Say whether two identities are the same service definition. */
bool
svc_id_same(const struct svc_id *a, const struct svc_id *b)
{
	if (a->dev == b->dev && a->ino == b->ino)
		return true;
	/* A re-pointed symlink (a ConfigMap update) with the same content. */
	return a->symlink && b->symlink && a->fingerprint != 0 &&
	    a->fingerprint == b->fingerprint;
}

/* Mix bytes into a 64-bit FNV-1a hash. */
static uint64_t
hash_bytes(uint64_t hash, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		hash = (hash ^ p[i]) * 1099511628211ull;
	return hash;
}

/* Hash one file: its relative name, mode bits and content. */
static uint64_t
hash_file(int dirfd, const char *name, const char *relname, mode_t mode)
{
	char buf[8192];
	uint64_t hash = 14695981039346656037ull;
	size_t total = 0;
	ssize_t got;
	int fd;

	hash = hash_bytes(hash, relname, strlen(relname) + 1);
	hash = hash_bytes(hash, &mode, sizeof mode);
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return hash;
	while (
	    total < PRINT_MAX_BYTES && (got = read(fd, buf, sizeof buf)) > 0) {
		hash = hash_bytes(hash, buf, (size_t)got);
		total += (size_t)got;
	}
	close(fd);
	return hash;
}

/*
 * Sum the hashes of the files under dirfd (a sum, so that the order in
 * which readdir lists them does not matter).  supervise/, event/ and
 * log/ are left out: they are state, or a service of their own.
 */
static uint64_t
hash_tree(int dirfd, const char *prefix, int depth, int *files)
{
	struct dirent *entry;
	uint64_t sum = 0;
	DIR *dir = fdopendir(dirfd);

	if (dir == NULL) {
		close(dirfd);
		return 0;
	}
	while ((entry = readdir(dir)) != NULL && *files < PRINT_MAX_FILES) {
		char relname[PATH_MAX];
		struct stat sb;

		if (entry->d_name[0] == '.' ||
		    (depth == 0 &&
		        (strcmp(entry->d_name, "supervise") == 0 ||
		            strcmp(entry->d_name, "event") == 0 ||
		            strcmp(entry->d_name, "log") == 0)))
			continue;
		if (fstatat(dirfd, entry->d_name, &sb, 0) < 0)
			continue;
		snprintf(
		    relname, sizeof relname, "%s%s", prefix, entry->d_name);
		if (S_ISREG(sb.st_mode)) {
			(*files)++;
			sum += hash_file(
			    dirfd, entry->d_name, relname, sb.st_mode & 0777);
		} else if (S_ISDIR(sb.st_mode) && depth < PRINT_MAX_DEPTH) {
			int sub = openat(dirfd, entry->d_name,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			strncat(
			    relname, "/", sizeof relname - strlen(relname) - 1);
			if (sub >= 0)
				sum +=
				    hash_tree(sub, relname, depth + 1, files);
		}
	}
	closedir(dir);
	return sum;
}

/* The content fingerprint of a service directory (never 0 when read). */
uint64_t
servicedir_fingerprint(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int files = 0;
	uint64_t sum;

	if (fd < 0)
		return 0;
	sum = hash_tree(fd, "", 0, &files);
	return sum == 0 ? 1 : sum;
}

/*
 * Say whether run can be started: it exists, is a regular executable
 * file, and nobody has it open for writing.  The last test takes a read
 * lease, which the kernel refuses (EAGAIN) while a writer holds the file
 * open: a service copied in file by file never runs a half-written run.
 * A run that is a symbolic link is handed to the supervisor as it is:
 * where it leads may come later, and the supervisor tries it every
 * second, saying once why it cannot.
 */
int
servicedir_run_ready(int dirfd)
{
	struct stat sb;
	int fd, ready = 1;

	if (fstatat(dirfd, "run", &sb, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISLNK(sb.st_mode))
		return 1;
	if (!S_ISREG(sb.st_mode) || (sb.st_mode & 0111) == 0)
		return 0;
	fd = openat(dirfd, "run", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	/*
	 * Out of descriptors (or memory) says nothing about run: let the
	 * start be tried, which fails loudly and is retried with back-off,
	 * rather than wait for an inotify event that may never come.
	 */
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE || errno == ENOMEM;
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0)
		fcntl(fd, F_SETLEASE, F_UNLCK);
	else if (errno == EAGAIN)
		ready = 0;
	/* EACCES (not our file) or EINVAL (no leases here): cannot tell. */
	close(fd);
	return ready;
}
