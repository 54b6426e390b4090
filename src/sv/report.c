/*
 * Supervisor side and wire format of the report channel.  Sends never
 * block: when the scanner is slow (or stopped), the newest status waits
 * and is sent when the socket is writable again; older ones are
 * superseded, since only the current state matters.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/log.h"
#include "sv/report.h"

/* The socket a supervisor listens on, in its supervise/. */
#define REPORT_SOCKET "report"

/* Take over the report socket (close-on-exec: run must not see it). */
void
report_sender_init(struct report_sender *rs, int fd)
{
	memset(rs, 0, sizeof *rs);
	rs->fd = fd;
	if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		log_warn("report fd %d", fd);
		rs->fd = -1;
	}
}

/* Try to send the pending message; keep it pending if it cannot go. */
void
report_flush(struct report_sender *rs)
{
	if (rs->fd < 0 || !rs->pending)
		return;
	if (chan_send(rs->fd, &rs->msg) == 0) {
		rs->pending = false;
		return;
	}
	if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
		return;
	report_close(rs);
}

/* The scanner is gone: supervise on alone, as s6 would. */
void
report_close(struct report_sender *rs)
{
	if (rs->fd < 0)
		return;
	log_debug("report channel closed");
	close(rs->fd);
	rs->fd = -1;
	rs->pending = false;
}

/*
 * A socket for supervise/report, and its address in *addr (of *len
 * bytes), reached through the descriptor of supervise/ so that its
 * length does not depend on where that is.
 */
static int
report_socket(int supfd, struct sockaddr_un *addr, socklen_t *len)
{
	int used;

	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	used = snprintf(addr->sun_path, sizeof addr->sun_path,
	    "/proc/self/fd/%d/" REPORT_SOCKET, supfd);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    (size_t)used + 1);
	return socket(
	    AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

/*
 * For a supervisor under hotsv-scan: listen on supervise/report (0600)
 * for the next hotsv-scan, should this one die.  Returns the listening
 * socket, or -1 (without /proc, say: an earlier scanner's successor then
 * replaces the supervisor instead of keeping it).
 */
int
report_listen(int supfd)
{
	struct sockaddr_un addr;
	socklen_t len;
	int fd = report_socket(supfd, &addr, &len);

	unlinkat(supfd, REPORT_SOCKET, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, len) < 0 ||
	    fchmodat(supfd, REPORT_SOCKET, 0600, 0) < 0 || listen(fd, 4) < 0) {
		log_debug("cannot listen on supervise/" REPORT_SOCKET ": %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Stop listening (at exit): no stale socket is left for the next. */
void
report_unlisten(int supfd, int listenfd)
{
	if (listenfd < 0)
		return;
	close(listenfd);
	unlinkat(supfd, REPORT_SOCKET, 0);
}

/* Say whether the report socket's peer has closed it. */
static bool
report_hung_up(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR));
}

/*
 * A hotsv-scan connects to supervise/report: if it is root or our user,
 * and the scanner we reported to is gone, report to it from now on.
 * Returns whether it was taken.
 */
bool
report_accept(struct report_sender *rs, int listenfd)
{
	struct ucred cred;
	socklen_t credlen = sizeof cred;
	int fd = accept4(listenfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return false;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &credlen) < 0 ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		log_warnx("supervise/" REPORT_SOCKET
		          ": refused a connection from uid %d",
		    (int)cred.uid);
		close(fd);
		return false;
	}
	if (rs->fd >= 0 && !report_hung_up(rs->fd)) {
		log_debug("supervise/" REPORT_SOCKET ": already reporting");
		close(fd);
		return false;
	}
	report_close(rs);
	rs->fd = fd;
	log_debug("reporting to hotsv-scan %d", (int)cred.pid);
	return true;
}

/*
 * For hotsv-scan: connect to the supervisor whose supervise/ is supfd.
 * Returns the report socket (non-blocking), or -1.
 */
int
report_connect(int supfd)
{
	struct sockaddr_un addr;
	socklen_t len;
	int fd = report_socket(supfd, &addr, &len);

	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, len) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Queue the newest status and send it if possible. */
void
report_status(struct report_sender *rs, const struct sv_status *st)
{
	if (rs->fd < 0)
		return;
	chan_init(&rs->msg, CHAN_STATUS);
	rs->msg.status = *st;
	rs->pending = true;
	report_flush(rs);
}

/*
 * Send m after the newest status, if there is a scanner.  Returns 0, or
 * -1 with errno.
 */
static int
send_after_status(struct report_sender *rs, const struct chan_msg *m)
{
	if (rs->fd < 0)
		return 0;
	report_flush(rs);
	return chan_send(rs->fd, m);
}

/*
 * Tell the scanner, if any, that we exit now and why: after the newest
 * status, if it can still go.
 */
void
report_exit(struct report_sender *rs, enum chan_exit_reason reason)
{
	struct chan_msg m;

	chan_init(&m, CHAN_EXIT);
	m.reason = reason;
	if (send_after_status(rs, &m) < 0)
		log_debug(
		    "cannot tell hotsv-scan why we exit: %s", strerror(errno));
}

/*
 * Tell the scanner that run ended and its on-exit policy halts the
 * scanner with this code: after the newest status, which says it down.
 */
void
report_halt(struct report_sender *rs, int code)
{
	struct chan_msg m;

	chan_init(&m, CHAN_HALT);
	m.code = code;
	if (send_after_status(rs, &m) < 0)
		log_warn("cannot ask hotsv-scan to halt");
}
