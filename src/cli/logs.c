/*
 * hotsv logs [-f] [-n N] SERVICE...: the last N lines of each service's
 * log directories (archives included when N reaches back), then, with
 * -f, the lines written after (follow.c).  A log directory is a
 * directory under SERVICE/log/, or log/ itself, that holds a current
 * file: what hotsv-log, s6-log or svlogd write.  Only whole lines are
 * shown: bytes after a log's last newline are a line still being
 * written.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/follow.h"
#include "cli/lastlines.h"
#include "cli/logs.h"
#include "cli/logstream.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "sv/logarchive.h"

#define DEFAULT_LINES 10

/* The files of one log, oldest first: its archives, then current. */
struct logfiles {
	int dirfd;
	archive_name *names;
	size_t count; /* archives, then current at index count */
	int *fds;     /* -1 until opened */
	off_t *sizes;
};

/* Count lines back from the end of file k; false on error. */
static bool
scan_back(
    const struct logfiles *lf, size_t k, struct lastlines *ll, const char *path)
{
	char buf[LOGSTREAM_BLOCK];
	off_t end = lf->sizes[k];
	ssize_t got;

	while (end > 0) {
		size_t want =
		    end < LOGSTREAM_BLOCK ? (size_t)end : LOGSTREAM_BLOCK;

		got = pread(lf->fds[k], buf, want, end - (off_t)want);
		if (got != (ssize_t)want) {
			log_warn("read %s", path);
			return false;
		}
		end -= got;
		if (lastlines_scan(ll, k, end, buf, want))
			break;
	}
	return true;
}

/*
 * Open archive k and learn its size.  One that is gone (pruned since it
 * was listed), or is the file opened as current (archived since), ends
 * the walk back: false.
 */
static bool
open_archive(struct logfiles *lf, size_t k, const struct stat *current)
{
	struct stat sb;
	int fd = openat(lf->dirfd, lf->names[k], O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (fstat(fd, &sb) < 0 ||
	    (sb.st_dev == current->st_dev && sb.st_ino == current->st_ino)) {
		close(fd);
		return false;
	}
	lf->fds[k] = fd;
	lf->sizes[k] = sb.st_size;
	return true;
}

/* Show the lines from start to end of the log. */
static bool
show_lines(
    struct logstream *ls, const struct logfiles *lf, const struct lastlines *ll)
{
	for (size_t k = ll->start.file; k <= ll->end.file; k++) {
		off_t from = k == ll->start.file ? ll->start.offset : 0;
		off_t to = k == ll->end.file ? ll->end.offset : lf->sizes[k];

		if (!logstream_show(ls, lf->fds[k], from, to))
			return false;
	}
	return true;
}

/*
 * Show the last n whole lines of a stream, walking back from current
 * through the archives, and leave its fd on current just after them.
 * Returns 0, or 111 after a message.
 */
static int
show_last(struct logstream *ls, unsigned long n)
{
	struct logfiles lf = {.dirfd = ls->dirfd};
	struct lastlines ll;
	struct stat current;
	ssize_t listed;
	size_t k;
	bool ok = true;

	ls->fd = openat(ls->dirfd, "current", O_RDONLY | O_CLOEXEC);
	if (ls->fd < 0 || fstat(ls->fd, &current) < 0) {
		log_warn("open %s/current", ls->path);
		return 111;
	}
	ls->dev = current.st_dev;
	ls->ino = current.st_ino;
	if ((listed = archive_list(ls->dirfd, &lf.names)) < 0) {
		log_warn("list the archives of %s", ls->path);
		listed = 0;
	}
	lf.count = (size_t)listed;
	lf.fds = xcalloc(lf.count + 1, sizeof *lf.fds);
	lf.sizes = xcalloc(lf.count + 1, sizeof *lf.sizes);
	for (k = 0; k < lf.count; k++)
		lf.fds[k] = -1;
	lf.fds[lf.count] = ls->fd;
	lf.sizes[lf.count] = current.st_size;
	lastlines_init(&ll, n);
	for (k = lf.count + 1; k-- > 0;) {
		if (k < lf.count && !open_archive(&lf, k, &current))
			break;
		if (!(ok = scan_back(&lf, k, &ll, ls->path)) || ll.have_start)
			break;
	}
	/* The walk stopped before file k: the log starts after it. */
	lastlines_begin(&ll, k + 1);
	if (ok && ll.have_end)
		ok = show_lines(ls, &lf, &ll);
	if (lseek(ls->fd,
	        ll.have_end && ll.end.file == lf.count ? ll.end.offset : 0,
	        SEEK_SET) < 0)
		ok = false;
	for (k = 0; k < lf.count; k++)
		if (lf.fds[k] >= 0)
			close(lf.fds[k]);
	free(lf.fds);
	free(lf.sizes);
	free(lf.names);
	return ok ? 0 : 111;
}

/* Add a stream for the log directory name of logfd (hold it). */
static void
add_stream(struct logstream **streams, size_t *count, int logfd,
    const char *logpath, const char *name)
{
	struct logstream *ls;
	int dirfd = openat(logfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dirfd < 0) {
		log_warn("open %s/%s", logpath, name);
		return;
	}
	*streams = xreallocarray(*streams, *count + 1, sizeof **streams);
	ls = &(*streams)[(*count)++];
	*ls = (struct logstream){.dirfd = dirfd, .fd = -1, .wd = -1};
	if (strcmp(name, ".") == 0)
		ls->path = xstrdup(logpath);
	else
		xasprintf(&ls->path, "%s/%s", logpath, name);
}

/* Say whether name in dirfd is a log directory: it holds current. */
static bool
holds_current(int dirfd, const char *name)
{
	char path[NAME_MAX + sizeof "/current"];
	struct stat sb;

	snprintf(path, sizeof path, "%s/current", name);
	return fstatat(dirfd, path, &sb, 0) == 0 && S_ISREG(sb.st_mode);
}

/* Sort names with strcmp. */
static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Add the log directories of logfd (log/ itself, then those under it in
 * name order); returns how many.
 */
static size_t
add_log_dirs(
    struct logstream **streams, size_t *count, int logfd, const char *logpath)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, before = *count;
	int fd = openat(logfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;

	if (holds_current(logfd, "."))
		add_stream(streams, count, logfd, logpath, ".");
	if (dir == NULL) {
		log_warn("read %s", logpath);
		if (fd >= 0)
			close(fd);
		return *count - before;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    !holds_current(logfd, de->d_name))
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n > 0)
		qsort(names, n, sizeof *names, compare_names);
	for (size_t i = 0; i < n; i++) {
		add_stream(streams, count, logfd, logpath, names[i]);
		free(names[i]);
	}
	free(names);
	return *count - before;
}

/*
 * Add the log directories of a service, labelled with its name (and the
 * directory's, when it has several).  Returns 0; 1 after one line when
 * it has none; 111 when its log/ cannot be opened.
 */
static int
add_service(const struct cli *cli, const char *service,
    struct logstream **streams, size_t *count)
{
	char *svdir = cli_service_dir(cli, service), *logpath;
	char *shown = cli_shown_name(service, NULL);
	size_t first = *count, added = 0;
	int logfd, status = 0;

	xasprintf(&logpath, "%s/log", svdir);
	logfd = open(logpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (logfd < 0 && access(svdir, F_OK) < 0)
		fprintf(stderr, "hotsv: %s: no service directory %s\n", shown,
		    svdir);
	else if (logfd < 0 && (errno == ENOENT || errno == ENOTDIR))
		printf("%s: no log/: its output goes to hotsv-scan's "
		       "console\n",
		    shown);
	else if (logfd < 0) {
		log_warn("%s: open %s", shown, logpath);
		status = 111;
	} else if ((added = add_log_dirs(streams, count, logfd, logpath)) == 0)
		printf("%s: no log directory in %s (none holds current)\n",
		    shown, logpath);
	if (added == 0 && status == 0)
		status = 1;
	for (size_t i = first; i < *count; i++) {
		const char *dir = strrchr((*streams)[i].path, '/') + 1;

		if (added > 1 && strcmp((*streams)[i].path, logpath) != 0)
			xasprintf(&(*streams)[i].label, "%s/%s: ", shown, dir);
		else
			xasprintf(&(*streams)[i].label, "%s: ", shown);
	}
	if (logfd >= 0)
		close(logfd);
	free(logpath);
	free(shown);
	free(svdir);
	return status;
}

/* hotsv logs [-f] [-n N] [--] SERVICE... */
int
cli_logs(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"follow", no_argument, NULL, 'f'},
	    {"lines", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct logstream *streams = NULL;
	unsigned long lines = DEFAULT_LINES;
	size_t count = 0;
	bool follow = false;
	int opt, status = 0, one;

	while ((opt = cli_getopt(argc, argv, "fn:", longopts)) != -1) {
		if (opt == 'f')
			follow = true;
		else if (!cli_number(optarg, 100000000, &lines)) {
			fprintf(stderr,
			    "hotsv: logs: -n wants a number of lines, not "
			    "\"%s\"\n",
			    optarg);
			return 100;
		}
	}
	if (optind >= argc) {
		fprintf(stderr,
		    "hotsv: usage: hotsv logs [-f] [-n N] "
		    "SERVICE...\n");
		return 100;
	}
	for (int i = optind; i < argc; i++)
		if ((one = add_service(cli, argv[i], &streams, &count)) >
		    status)
			status = one;
	/* One log alone is shown as tail shows one file: no label. */
	if (count == 1)
		streams[0].label[0] = '\0';
	logs_flush();
	for (size_t i = 0; i < count; i++) {
		if ((one = show_last(&streams[i], lines)) > status)
			status = one;
		logs_flush();
	}
	if (follow && count > 0)
		status = logs_follow(streams, count, status);
	for (size_t i = 0; i < count; i++) {
		if (streams[i].fd >= 0)
			close(streams[i].fd);
		close(streams[i].dirfd);
		free(streams[i].path);
		free(streams[i].label);
		free(streams[i].carry);
	}
	free(streams);
	return status;
}
