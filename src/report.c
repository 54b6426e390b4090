/*
 * Supervisor side and wire format of the report channel.  Sends never
 * block: when the scanner is slow (or stopped), the newest status waits
 * and is sent when the socket is writable again; older ones are
 * superseded, since only the current state matters.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "report.h"

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
	if (send(rs->fd, rs->msg, sizeof rs->msg,
	        MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)sizeof rs->msg) {
		rs->pending = false;
		return;
	}
	if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
		return;
	/* The scanner is gone: supervise on alone, as s6 would. */
	log_debug("report channel closed");
	rs->fd = -1;
	rs->pending = false;
}

/* Queue the newest status and send it if possible. */
void
report_status(struct report_sender *rs, const struct sv_status *st)
{
	if (rs->fd < 0)
		return;
	rs->msg[0] = REPORT_STATUS;
	status_pack(rs->msg + 1, st);
	rs->pending = true;
	report_flush(rs);
}

/* Decode a status report; returns 0, or -1 if it is not one. */
int
report_decode(const unsigned char *msg, size_t len, struct sv_status *st)
{
	if (len != REPORT_SIZE || msg[0] != REPORT_STATUS)
		return -1;
	status_unpack(msg + 1, st);
	return 0;
}
