/*
 * Messages to a supervisor, besides control letters: from hotsv-scan on
 * the report socket ("G": a held service may start; "W" and a name: what
 * it waits for; "X", a pid and a wait status: an adopted run was reaped;
 * "D" and a descriptor: the service directory is now that one), and
 * from run on the notify socket (systemd's sd_notify: READY=1, STATUS=,
 * STOPPING=1, RELOADING=1).  What they say is kept in supervise/waiting and
 * supervise/notify-status for hotsv status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "notify.h"
#include "supervise.h"
#include "svdir.h"

/* Release a held service: start run if it is wanted up. */
static void
release(struct supervisor *s)
{
	struct machine_effects fx;

	if (!s->held)
		return;
	s->held = false;
	unlinkat(s->supfd, "waiting", 0);
	if (s->m.phase == PHASE_DOWN && s->m.status.wantup) {
		machine_timeout(&s->m, &fx);
		supervise_apply(s, &fx);
	}
}

/*
 * hotsv-scan says the service directory is now dirfd (a ConfigMap's
 * "..data" swapped to a copy): hold that one instead, under the same
 * descriptor number.  supervise/ stays where it is.
 */
static void
replace_directory(struct supervisor *s, int dirfd)
{
	struct stat sb;

	if (fstat(dirfd, &sb) < 0 || !S_ISDIR(sb.st_mode))
		log_warnx("hotsv-scan passed a descriptor that is not a "
		          "directory: ignored");
	else if (dup3(dirfd, s->svcdirfd, O_CLOEXEC) < 0)
		log_warn("take the new service directory");
	else {
		log_debug("service directory replaced");
		s->gone = false;
	}
	close(dirfd);
}

/*
 * Read what hotsv-scan sent on the report socket.  Once it is gone, go
 * on alone until another connects to supervise/report.  A descriptor
 * that comes with anything but "D" is closed.
 */
void
supmsg_from_scanner(struct supervisor *s)
{
	char msg[320];
	ssize_t got;
	int passed;

	while (
	    (got = report_recv(s->report.fd, msg, sizeof msg, &passed)) > 0) {
		if (msg[0] == REPORT_DIR && got == 1 && passed >= 0) {
			replace_directory(s, passed);
			continue;
		}
		if (passed >= 0)
			close(passed);
		if (msg[0] == 'G')
			release(s);
		else if (msg[0] == 'X' && got == 1 + 2 * sizeof(int32_t)) {
			int32_t pid, wstat;

			memcpy(&pid, msg + 1, sizeof pid);
			memcpy(&wstat, msg + 1 + sizeof pid, sizeof wstat);
			adopt_reaped(s, (pid_t)pid, (int)wstat);
		} else if (msg[0] == 'W' && s->held &&
		    file_replace(
		        s->supfd, "waiting", msg + 1, (size_t)got - 1) < 0)
			log_warn("write %s/waiting", s->paths.supdir);
	}
	if (got == 0 || (errno != EAGAIN && errno != EINTR))
		report_close(&s->report);
}

/* A hotsv-scan connected to supervise/report: tell it where we stand. */
void
supmsg_scanner_back(struct supervisor *s)
{
	if (report_accept(&s->report, s->report_listenfd)) {
		alone_unwatch(s);
		report_status(&s->report, &s->m.status);
	}
}

/*
 * Open the notify socket if the service directory asks for one (a file
 * named notify-socket).  It is a datagram socket in supervise/, or an
 * abstract one when that path is too long for a socket address.
 */
void
supmsg_open_notify(struct supervisor *s)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	char link[32], supdir[PATH_MAX];
	ssize_t got;
	int one = 1, len;

	if (s->notifyfd >= 0 || !svfile_exists_at(s->svcdirfd, "notify-socket"))
		return;
	/* run starts elsewhere: the path must be absolute, and current. */
	snprintf(link, sizeof link, "/proc/self/fd/%d", s->supfd);
	got = readlink(link, supdir, sizeof supdir - 1);
	supdir[got > 0 ? got : 0] = '\0';
	len = got > 0
	    ? snprintf(addr.sun_path, sizeof addr.sun_path, "%s/notify", supdir)
	    : -1;
	/* supervise/ is ours alone: a run that is another user (./user)
	 * gets an abstract socket, which it can reach. */
	if (len < 0 || (size_t)len >= sizeof addr.sun_path ||
	    svfile_exists_at(s->svcdirfd, "user"))
		len = snprintf(addr.sun_path, sizeof addr.sun_path,
		    "%chotsv-notify-%d", '\0', (int)getpid());
	snprintf(s->notify_env, sizeof s->notify_env, "NOTIFY_SOCKET=%s%s",
	    addr.sun_path[0] == '\0' ? "@" : "",
	    addr.sun_path + (addr.sun_path[0] == '\0'));
	if (addr.sun_path[0] != '\0')
		unlink(addr.sun_path);
	s->notifyfd =
	    socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->notifyfd < 0 ||
	    setsockopt(s->notifyfd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) <
	        0 ||
	    bind(s->notifyfd, (struct sockaddr *)&addr,
	        (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	            (size_t)len + (addr.sun_path[0] != '\0'))) < 0) {
		log_warn("notify socket %s", s->notify_env + 14);
		if (s->notifyfd >= 0)
			close(s->notifyfd);
		s->notifyfd = -1;
		s->notify_env[0] = '\0';
	}
}

/* A new run: what the last one said no longer holds. */
void
supmsg_reset_notify(struct supervisor *s)
{
	memset(&s->said, 0, sizeof s->said);
	unlinkat(s->supfd, "notify-status", 0);
}

/* Say whether a message's sender is run, or in run's process group. */
static bool
from_run(const struct supervisor *s, pid_t sender)
{
	return s->runpid > 0 &&
	    (sender == s->runpid || getpgid(sender) == s->runpid);
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
supmsg_from_run(struct supervisor *s)
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
		struct ucred cred = {.pid = 0};

		if (cm != NULL && cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_CREDENTIALS)
			memcpy(&cred, CMSG_DATA(cm), sizeof cred);
		if ((mh.msg_flags & MSG_TRUNC) || !from_run(s, cred.pid) ||
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
