/*
 * Reading the small files of a service directory (timeout-finish,
 * down-signal, ...) through a descriptor of the directory, never by its
 * path: a hot-reload scanner moves directories, descriptors stay.  They
 * are read each time they are needed, as s6 does.  Garbage gets one
 * warning line naming the file and the problem, and the default is used;
 * the same problem is not repeated on every restart, only when it
 * changes.  Clients that only have a path (hotsv) open it once per read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/signame.h"
#include "lib/userdb.h"
#include "sv/files.h"
#include "sv/policy.h"
#include "sv/values.h"

/* The highest notification-fd accepted (the limit is checked too). */
#define NOTIFICATION_FD_MAX 1048575

/* Files whose last warning we remember, so that it is given once. */
#define WARN_SLOTS 16

static struct {
	const char *name;
	uint32_t last; /* hash of the last message, 0 when the file is fine */
} svdir_warned[WARN_SLOTS];

/*
 * Read NAME in the directory dirfd into buf (NUL-terminated).  Returns 1
 * when read, 0 when absent, -1 with *why when it cannot be used.
 * O_NONBLOCK keeps a FIFO from hanging us; only regular files are read.
 */
int
svfile_read_at(int dirfd, const char *name, char *buf, size_t size, size_t *len,
    const char **why)
{
	struct stat sb;
	ssize_t got;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		*why = strerror(errno);
		return -1;
	}
	if (fstat(fd, &sb) < 0)
		*why = strerror(errno);
	else if (S_ISDIR(sb.st_mode))
		*why = "is a directory";
	else if (!S_ISREG(sb.st_mode))
		*why = "not a regular file";
	else
		*why = NULL;
	if (*why != NULL) {
		close(fd);
		return -1;
	}
	got = read(fd, buf, size);
	if (got < 0)
		*why = strerror(errno);
	close(fd);
	if (got < 0)
		return -1;
	if ((size_t)got == size) {
		*why = "too long";
		return -1;
	}
	buf[got] = '\0';
	*len = (size_t)got;
	return 1;
}

/* Say whether NAME exists (any type, a dangling symlink too) in dirfd. */
bool
svfile_exists_at(int dirfd, const char *name)
{
	struct stat sb;

	return fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Open a directory a client named, once, to read through it. */
static int
open_dir(const char *dir)
{
	return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* svfile_read_at for a client that has a path: DIR/NAME. */
int
svfile_read(const char *dir, const char *name, char *buf, size_t size,
    size_t *len, const char **why)
{
	int dirfd = open_dir(dir), r;

	if (dirfd < 0) {
		*why = strerror(errno);
		return errno == ENOENT ? 0 : -1;
	}
	r = svfile_read_at(dirfd, name, buf, size, len, why);
	close(dirfd);
	return r;
}

/* svfile_exists_at for a client that has a path: DIR/NAME. */
bool
svfile_exists(const char *dir, const char *name)
{
	int dirfd = open_dir(dir);
	bool exists = dirfd >= 0 && svfile_exists_at(dirfd, name);

	if (dirfd >= 0)
		close(dirfd);
	return exists;
}

/* Hash a message with FNV-1a, never 0. */
static uint32_t
message_hash(const char *msg)
{
	uint32_t hash = 2166136261u;

	for (; *msg != '\0'; msg++)
		hash = (hash ^ (unsigned char)*msg) * 16777619u;
	return hash == 0 ? 1 : hash;
}

/* Log msg for file name unless it is what we said last time; NULL clears. */
static void
warn_once(const char *name, const char *msg)
{
	size_t slot;

	for (slot = 0; slot < WARN_SLOTS; slot++)
		if (svdir_warned[slot].name == NULL ||
		    strcmp(svdir_warned[slot].name, name) == 0)
			break;
	if (slot == WARN_SLOTS) {
		if (msg != NULL)
			log_warnx("%s", msg);
		return;
	}
	if (msg == NULL) {
		svdir_warned[slot].last = 0;
		return;
	}
	svdir_warned[slot].name = name;
	if (svdir_warned[slot].last != message_hash(msg))
		log_warnx("%s", msg);
	svdir_warned[slot].last = message_hash(msg);
}

/*
 * Warn once that NAME cannot be used, showing its content if it was read
 * and saying what is done instead ("using 5000").
 */
static void
warn_bad(const char *name, const char *why, const char *content, size_t len,
    const char *instead)
{
	char shown[160], msg[320];

	if (content != NULL) {
		svparse_trim(&content, &len);
		svparse_quote(shown, sizeof shown, content, len);
		snprintf(msg, sizeof msg, "%s: %s (\"%s\"); %s", name, why,
		    shown, instead);
	} else
		snprintf(msg, sizeof msg, "%s: %s; %s", name, why, instead);
	warn_once(name, msg);
}

/* Read an unsigned integer file: default when absent or bad. */
unsigned long
svdir_uint_at(int dirfd, const char *name, unsigned long def, unsigned long max)
{
	char buf[SVFILE_MAX], fallback[32];
	const char *why = NULL;
	unsigned long value = def;
	size_t len = 0;
	int r;

	r = svfile_read_at(dirfd, name, buf, sizeof buf, &len, &why);
	if (r < 0) {
		snprintf(fallback, sizeof fallback, "using %lu", def);
		warn_bad(name, why, NULL, 0, fallback);
		return def;
	}
	if (r > 0) {
		r = svparse_uint(buf, len, max, &value, &why);
		if (r != 0) {
			value = r > 0 ? value : def;
			snprintf(fallback, sizeof fallback, "using %lu", value);
			warn_bad(name, why, buf, len, fallback);
			return value;
		}
	}
	warn_once(name, NULL);
	return value;
}

/* Read a signal file: default when absent or bad. */
int
svdir_signal_at(int dirfd, const char *name, int def)
{
	char buf[SVFILE_MAX], instead[32];
	const char *why = NULL;
	size_t len = 0;
	int sig = def, r;

	snprintf(instead, sizeof instead, "using %s", signame_of(def));
	r = svfile_read_at(dirfd, name, buf, sizeof buf, &len, &why);

	if (r < 0) {
		warn_bad(name, why, NULL, 0, instead);
		return def;
	}
	if (r > 0 && svparse_signal(buf, len, &sig, &why) < 0) {
		warn_bad(name, why, buf, len, instead);
		return def;
	}
	warn_once(name, NULL);
	return sig;
}

/*
 * Parse notification-fd quietly: the descriptor, or -1 with *why (NULL
 * when the file is simply absent).  content/len are what was read.
 */
static int
parse_notification_fd(
    int dirfd, char *buf, size_t size, size_t *len, const char **why)
{
	unsigned long fd = 0;
	struct rlimit rl;
	int r;

	*why = NULL;
	*len = 0;
	r = svfile_read_at(dirfd, "notification-fd", buf, size, len, why);
	if (r <= 0)
		return -1;
	r = svparse_uint(buf, *len, NOTIFICATION_FD_MAX, &fd, why);
	if (r != 0)
		return -1;
	if (fd < 3) {
		*why = "0, 1 and 2 are run's standard descriptors";
		return -1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && fd >= rl.rlim_cur) {
		*why = "beyond the open file limit";
		return -1;
	}
	return (int)fd;
}

/*
 * Read notification-fd: the descriptor run writes its readiness line to,
 * or -1 when there is none or it is unusable (one warning says why).
 */
int
svdir_notification_fd_at(int dirfd)
{
	char buf[SVFILE_MAX];
	const char *why;
	size_t len;
	int fd = parse_notification_fd(dirfd, buf, sizeof buf, &len, &why);

	if (why != NULL)
		warn_bad("notification-fd", why, len > 0 ? buf : NULL, len,
		    "readiness ignored");
	else
		warn_once("notification-fd", NULL);
	return fd;
}

/*
 * Read one policy file into *out, which keeps its value (the default)
 * when the file is absent or bad.  loud: one warning names the file.
 */
static void
read_word(int dirfd, enum sv_policy_file file, bool loud, int *out)
{
	const char *name = svpolicy_file_name(file), *why = NULL;
	char buf[SVFILE_MAX], instead[64];
	size_t len = 0;
	int r = svfile_read_at(dirfd, name, buf, sizeof buf, &len, &why);

	if (r > 0 && (r = svpolicy_parse(file, buf, len, &why)) >= 0)
		*out = r;
	if (!loud)
		return;
	snprintf(
	    instead, sizeof instead, "using %s", svpolicy_word(file, *out));
	if (r < 0)
		warn_bad(name, why, len > 0 ? buf : NULL, len, instead);
	else
		warn_once(name, NULL);
}

/* Read type and on-exit into *p, defaults for what is absent or bad. */
static void
read_policy(int dirfd, struct sv_policy *p, bool loud)
{
	int type = SV_LONGRUN, on_exit;

	read_word(dirfd, SV_FILE_TYPE, loud, &type);
	p->type = (enum sv_type)type;
	on_exit = (int)svpolicy_default_on_exit(p->type);
	read_word(dirfd, SV_FILE_ON_EXIT, loud, &on_exit);
	p->on_exit = (enum sv_on_exit)on_exit;
}

/* Read the service's type and on-exit policy (garbage: one warning). */
void
svdir_policy_at(int dirfd, struct sv_policy *p)
{
	read_policy(dirfd, p, true);
}

/* svdir_policy_at for a client that has a path, without a word. */
void
svdir_policy(const char *dir, struct sv_policy *p)
{
	int dirfd = open_dir(dir);

	p->type = SV_LONGRUN;
	p->on_exit = SV_RESTART;
	if (dirfd >= 0) {
		read_policy(dirfd, p, false);
		close(dirfd);
	}
}

/*
 * Say, without a word, whether a service has readiness: notification,
 * or being a one-shot, whose run is not ready until it is done.
 */
bool
svdir_has_readiness_at(int dirfd)
{
	char buf[SVFILE_MAX];
	const char *why;
	size_t len;
	int type = SV_LONGRUN;

	if (parse_notification_fd(dirfd, buf, sizeof buf, &len, &why) >= 0 ||
	    svfile_exists_at(dirfd, "notify-socket"))
		return true;
	read_word(dirfd, SV_FILE_TYPE, false, &type);
	return type == SV_ONESHOT;
}

/* svdir_has_readiness_at for a client that has a path. */
bool
svdir_has_readiness(const char *dir)
{
	int dirfd = open_dir(dir);
	bool has = dirfd >= 0 && svdir_has_readiness_at(dirfd);

	if (dirfd >= 0)
		close(dirfd);
	return has;
}

/*
 * Read the user file: whom run and finish run as.  Returns 0 when there
 * is none, 1 with *user filled, -1 (one warning) when it is unusable:
 * the service is then not started, never started as root instead.  Not
 * being root, we can run nobody but ourselves: the file, usable or not,
 * is ignored (one warning), as a rootless container (OpenShift's
 * arbitrary uid) expects.
 */
int
svdir_user_at(int dirfd, struct user_spec *user)
{
	char buf[SVFILE_MAX], ours[64];
	const char *why = NULL;
	size_t len = 0;
	int r = svfile_read_at(dirfd, "user", buf, sizeof buf, &len, &why);

	if (r != 0 && geteuid() != 0) {
		snprintf(ours, sizeof ours, "run and finish run as uid %ld",
		    (long)geteuid());
		warn_bad(
		    "user", "ignored: not root", r > 0 ? buf : NULL, len, ours);
		return 0;
	}
	if (r > 0)
		r = user_resolve(buf, len, "/etc", user, &why) == 0 ? 1 : -1;
	if (r < 0)
		warn_bad("user", why, len > 0 ? buf : NULL, len,
		    "run and finish not started");
	else
		warn_once("user", NULL);
	return r;
}
