/*
 * The notify socket of a service whose directory has a notify-socket
 * file (systemd's sd_notify: READY=1, STATUS=, STOPPING=1, RELOADING=1;
 * what it says is kept in supervise/notify-status for hotsv status).  It
 * is a datagram socket in supervise/, bound through the descriptor of
 * supervise/, mode 0600 and owned by run's user: only root and that user
 * can send.  Never an abstract socket: their namespace is shared by every
 * container of a pod (a network namespace), where two supervisors of the
 * same pid collide and anyone can squat a name.  When the socket's path
 * is too long for a socket address, it is in STATEDIR/notify instead, a
 * directory of ours that nobody else can write to.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/xmalloc.h"
#include "supervise/supervise.h"
#include "sv/files.h"
#include "sv/sdnotify.h"
#include "sv/supervisedir.h"

#define SUN_PATH_SIZE sizeof(((struct sockaddr_un *)NULL)->sun_path)

/*
 * Put "NOTIFY_SOCKET=" and the absolute path of NAME in the directory
 * dirfd, as it is now, in env.  Returns false when there is none (no
 * /proc) or it is too long for a socket address.
 */
static bool
socket_env(char *env, size_t size, int dirfd, const char *name)
{
	char link[32], dir[PATH_MAX];
	ssize_t got;

	snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
	got = readlink(link, dir, sizeof dir - 1);
	if (got <= 0 || dir[0] != '/')
		return false;
	dir[got] = '\0';
	return (size_t)got + 1 + strlen(name) < SUN_PATH_SIZE &&
	    (size_t)snprintf(env, size, "NOTIFY_SOCKET=%s/%s", dir, name) <
	    size;
}

/*
 * The directory for notify sockets whose path is too long:
 * STATEDIR/notify, ours and writable by nobody else.  A descriptor, or -1
 * (said).
 */
static int
private_dir(const struct supervisor *s)
{
	struct stat sb;
	char *path;
	int fd = -1;

	xasprintf(&path, "%s/notify", s->statedir);
	if (mkdir_parents(path, 0711) < 0)
		log_warn("create %s", path);
	else if ((fd = open(
	              path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		log_warn("open %s", path);
	else if (fstat(fd, &sb) < 0 || sb.st_uid != geteuid() ||
	    (sb.st_mode & 022) != 0) {
		log_warnx(
		    "%s is not a private directory: no notify socket", path);
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

/*
 * Bind a new datagram socket to NAME in the directory dirfd, reached
 * through /proc/self/fd so that its path's length does not matter, with
 * mode 0600 from the start (no window where others could connect).
 */
static int
bind_socket(int dirfd, const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd, one = 1, r;
	mode_t umask_was;

	snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s",
	    dirfd, name);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* Credentials on every message, from the first. */
	r = setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	unlinkat(dirfd, name, 0);
	umask_was = umask(0177);
	if (r == 0)
		r = bind(fd, (struct sockaddr *)&addr, sizeof addr);
	umask(umask_was);
	if (r < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Close the notify socket and remove its file. */
void
supnotify_close(struct supervisor *s)
{
	if (s->notifyfd < 0)
		return;
	close(s->notifyfd);
	s->notifyfd = -1;
	unlinkat(s->notify_dirfd, s->notify_name, 0);
	if (s->notify_dirfd != s->supfd)
		close(s->notify_dirfd);
	s->notify_dirfd = -1;
}

/*
 * Make the notify socket: supervise/notify, or STATEDIR/notify/DEV.INO
 * (supervise/'s identity) when that path is too long; the environment
 * entry naming it in s->notify_env.
 */
static void
open_socket(struct supervisor *s)
{
	struct stat sb;

	s->notify_dirfd = s->supfd;
	snprintf(s->notify_name, sizeof s->notify_name, "notify");
	if (!socket_env(s->notify_env, sizeof s->notify_env, s->supfd,
	        s->notify_name)) {
		if (fstat(s->supfd, &sb) < 0 ||
		    (s->notify_dirfd = private_dir(s)) < 0)
			return;
		snprintf(s->notify_name, sizeof s->notify_name, "%llx.%llx",
		    (unsigned long long)sb.st_dev,
		    (unsigned long long)sb.st_ino);
		if (!socket_env(s->notify_env, sizeof s->notify_env,
		        s->notify_dirfd, s->notify_name)) {
			log_warnx("no notify socket: the path of %s/%s is too "
			          "long",
			    s->statedir, "notify");
			close(s->notify_dirfd);
			return;
		}
	}
	s->notifyfd = bind_socket(s->notify_dirfd, s->notify_name);
	if (s->notifyfd < 0) {
		log_warn("notify socket %s", s->notify_env + 14);
		if (s->notify_dirfd != s->supfd)
			close(s->notify_dirfd);
	}
}

/*
 * Before run starts: if the service directory asks for a notify socket
 * (a file named notify-socket), make it (once) and hand it to run's user
 * (uid, gid); s->notify_env names it, or is empty.  A socket whose
 * directory moved to a path too long for a socket address is made again.
 */
void
supnotify_prepare(struct supervisor *s, uid_t uid, gid_t gid)
{
	s->notify_env[0] = '\0';
	if (!svfile_exists_at(s->svcdirfd, "notify-socket"))
		return;
	if (s->notifyfd >= 0 &&
	    !socket_env(s->notify_env, sizeof s->notify_env, s->notify_dirfd,
	        s->notify_name))
		supnotify_close(s);
	if (s->notifyfd < 0)
		open_socket(s);
	if (s->notifyfd < 0) {
		s->notify_env[0] = '\0';
		return;
	}
	/* Ours already: no chown (none is possible when we are not root). */
	if (uid == geteuid() && gid == getegid())
		return;
	if (fchownat(s->notify_dirfd, s->notify_name, uid, gid,
	        AT_SYMLINK_NOFOLLOW) < 0)
		log_warn("give the notify socket to uid %d", (int)uid);
}

/* A new run: what the last one said no longer holds. */
void
supnotify_reset(struct supervisor *s)
{
	memset(&s->said, 0, sizeof s->said);
	unlinkat(s->supfd, "notify-status", 0);
}

/* Say whether a message's sender is run, or in run's process group. */
static bool
from_run(const struct supervisor *s, pid_t sender)
{
	return s->runpid > 0 && sender > 0 &&
	    (sender == s->runpid || getpgid(sender) == s->runpid);
}

/*
 * Say whether the sender of a message has exited since it sent it: its
 * pid no longer exists (or was not visible here: 0), is a zombie, or is
 * now a process of another user (the pid was reused).  Its process group
 * cannot be checked any more.
 */
static bool
sender_exited(const struct ucred *cred)
{
	char path[32], state;
	struct stat sb;

	if (cred->pid <= 0 || proc_stat(cred->pid, &state, NULL, NULL) < 0 ||
	    state == 'Z')
		return true;
	snprintf(path, sizeof path, "/proc/%d", (int)cred->pid);
	return stat(path, &sb) == 0 && sb.st_uid != cred->uid;
}

/*
 * Say whether a message is believed: sent by run or its process group,
 * or by a process of the service's user that has exited since (a
 * short-lived systemd-notify, read late under load).  Only root and that
 * user can reach the socket at all.
 */
static bool
believed(const struct supervisor *s, const struct ucred *cred)
{
	return from_run(s, cred->pid) ||
	    (s->runpid > 0 && cred->uid == s->run_uid && sender_exited(cred));
}

/*
 * Fold a message into what run said, as systemd keeps it: STATUS= stays
 * until replaced, READY=1 ends a reload.  Keep it for hotsv status.
 */
static void
record_notify(struct supervisor *s, const struct notify_msg *n)
{
	struct notify_msg *said = &s->said;
	char text[NOTIFY_STATUS_MAX + 64];
	int len;

	if (!n->has_status && !n->stopping && !n->reloading &&
	    !(n->ready && said->reloading))
		return;
	if (n->has_status) {
		memcpy(said->status, n->status, sizeof said->status);
		said->has_status = true;
	}
	said->stopping |= n->stopping;
	if (n->reloading)
		said->reloading = true;
	else if (n->ready)
		said->reloading = false;
	len = snprintf(text, sizeof text, "%s%s%s%s%s",
	    said->has_status ? "STATUS=" : "",
	    said->has_status ? said->status : "", said->has_status ? "\n" : "",
	    said->stopping ? "STOPPING=1\n" : "",
	    said->reloading ? "RELOADING=1\n" : "");
	if (len > 0 &&
	    file_replace(s->supfd, "notify-status", text, (size_t)len) < 0)
		log_warn("write %s/notify-status", s->paths.supdir);
}

/* Read sd_notify messages; only run's are believed. */
void
supnotify_read(struct supervisor *s)
{
	char buf[NOTIFY_MAX + 1];
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(struct ucred))];
	} control;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
	struct msghdr mh = {.msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = &control,
	    .msg_controllen = sizeof control};
	struct notify_msg n;
	ssize_t got;

	while ((got = recvmsg(s->notifyfd, &mh, MSG_DONTWAIT)) >= 0) {
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		struct ucred cred = {.pid = 0, .uid = (uid_t)-1};

		if (cm != NULL && cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS)
			memcpy(&cred, CMSG_DATA(cm), sizeof cred);
		if ((mh.msg_flags & MSG_TRUNC) || !believed(s, &cred) ||
		    notify_parse(buf, (size_t)got, &n) < 0)
			log_debug("notify: ignored a message from pid %d",
			    (int)cred.pid);
		else {
			record_notify(s, &n);
			if (n.ready) {
				struct machine_effects fx;
				struct timespec now;

				clock_real(&now);
				machine_ready(&s->m, &now, &fx);
				supervise_apply(s, &fx);
			}
		}
		mh.msg_controllen = sizeof control;
		mh.msg_flags = 0;
	}
}
