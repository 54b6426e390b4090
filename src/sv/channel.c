/*
 * The scanner <-> supervisor messages: their bytes (encode and decode,
 * pure) and one packet each way (chan_send, chan_recv), never blocking.
 * CHAN_REAPED carries two int32 in host byte order: both ends are on
 * one host.  Only CHAN_DIR carries a descriptor; any other, or more
 * than one, is closed on arrival and the packet refused.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sv/channel.h"

/* The highest signal number CHAN_SIGNAL may carry. */
#define CHAN_SIGNAL_MAX 64

/* Start a message of the given type with nothing in it. */
void
chan_init(struct chan_msg *m, enum chan_type type)
{
	memset(m, 0, sizeof *m);
	m->type = type;
	m->fd = -1;
}

/* Say whether a byte is a reason CHAN_EXIT may carry. */
static int
reason_valid(int reason)
{
	return reason == CHAN_EXIT_DONE || reason == CHAN_EXIT_LOCKED ||
	    reason == CHAN_EXIT_GONE;
}

/*
 * Write the message's bytes to out.  Returns their number, or 0 when
 * the message cannot be sent (an unknown type, a bad signal, reason,
 * code or name).
 */
size_t
chan_encode(const struct chan_msg *m, unsigned char out[CHAN_MAX])
{
	int32_t fields[2];
	size_t len;

	out[0] = (unsigned char)m->type;
	switch (m->type) {
	case CHAN_STATUS:
		status_pack(out + 1, &m->status);
		return 1 + STATUS_SIZE;
	case CHAN_EXIT:
		if (!reason_valid((int)m->reason))
			return 0;
		out[1] = (unsigned char)m->reason;
		return 2;
	case CHAN_WAITING:
		len = strnlen(m->name, sizeof m->name);
		if (len == 0 || len > NAME_MAX)
			return 0;
		memcpy(out + 1, m->name, len);
		return 1 + len;
	case CHAN_REAPED:
		fields[0] = (int32_t)m->pid;
		fields[1] = (int32_t)m->wstat;
		memcpy(out + 1, fields, sizeof fields);
		return 1 + sizeof fields;
	case CHAN_SIGNAL:
		if (m->signo < 1 || m->signo > CHAN_SIGNAL_MAX)
			return 0;
		out[1] = (unsigned char)m->signo;
		return 2;
	case CHAN_HALT:
		if (m->code < 0 || m->code > 255)
			return 0;
		out[1] = (unsigned char)m->code;
		return 2;
	case CHAN_GO:
	case CHAN_DIR:
	case CHAN_STOP:
	case CHAN_DRAIN:
	case CHAN_KILL:
		return 1;
	}
	return 0;
}

/*
 * Decode len bytes that came with nfds descriptors into *m (its fd
 * stays -1: the caller sets it).  Returns 0, or -1 when they are not a
 * message: an unknown type, a wrong length, a bad field, a descriptor
 * where none belongs or none where one does.
 */
int
chan_decode(const unsigned char *in, size_t len, int nfds, struct chan_msg *m)
{
	int32_t fields[2];

	if (len == 0 || len > CHAN_MAX)
		return -1;
	chan_init(m, (enum chan_type)in[0]);
	if (nfds != (in[0] == CHAN_DIR ? 1 : 0))
		return -1;
	switch (in[0]) {
	case CHAN_STATUS:
		if (len != 1 + STATUS_SIZE)
			return -1;
		status_unpack(in + 1, &m->status);
		return 0;
	case CHAN_EXIT:
		if (len != 2 || !reason_valid(in[1]))
			return -1;
		m->reason = (enum chan_exit_reason)in[1];
		return 0;
	case CHAN_WAITING:
		if (len < 2 || memchr(in + 1, '\0', len - 1) != NULL)
			return -1;
		memcpy(m->name, in + 1, len - 1);
		m->name[len - 1] = '\0';
		return 0;
	case CHAN_REAPED:
		if (len != 1 + sizeof fields)
			return -1;
		memcpy(fields, in + 1, sizeof fields);
		m->pid = (pid_t)fields[0];
		m->wstat = (int)fields[1];
		return m->pid > 0 ? 0 : -1;
	case CHAN_SIGNAL:
		if (len != 2 || in[1] < 1 || in[1] > CHAN_SIGNAL_MAX)
			return -1;
		m->signo = in[1];
		return 0;
	case CHAN_HALT:
		if (len != 2)
			return -1;
		m->code = in[1];
		return 0;
	case CHAN_GO:
	case CHAN_DIR:
	case CHAN_STOP:
	case CHAN_DRAIN:
	case CHAN_KILL:
		return len == 1 ? 0 : -1;
	}
	return -1;
}

/*
 * Send one message on the channel sock, without blocking; CHAN_DIR
 * passes m->fd.  Returns 0, or -1 with errno (EINVAL: not a message).
 */
int
chan_send(int sock, const struct chan_msg *m)
{
	unsigned char bytes[CHAN_MAX];
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = {.iov_base = bytes};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	iov.iov_len = chan_encode(m, bytes);
	if (iov.iov_len == 0) {
		errno = EINVAL;
		return -1;
	}
	if (m->type == CHAN_DIR) {
		struct cmsghdr *cm;

		memset(&control, 0, sizeof control);
		mh.msg_control = &control;
		mh.msg_controllen = sizeof control;
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &m->fd, sizeof m->fd);
	}
	if (sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    (ssize_t)iov.iov_len)
		return -1;
	return 0;
}

/*
 * Take the descriptors an SCM_RIGHTS header carried: the first into
 * *kept if it is still -1, the others closed.  Returns their number.
 */
static int
take_passed(struct cmsghdr *cm, int *kept)
{
	size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	int fd;

	for (size_t i = 0; i < count; i++) {
		memcpy(&fd, CMSG_DATA(cm) + i * sizeof fd, sizeof fd);
		if (*kept < 0)
			*kept = fd;
		else
			close(fd);
	}
	return (int)count;
}

/*
 * Receive one message from sock, without blocking.  A packet that is
 * not one (too long, cut short, refused by chan_decode) gives
 * CHAN_GOT_BAD with every descriptor it carried closed; a CHAN_DIR
 * message's descriptor (close-on-exec) is m->fd, the caller's to close.
 */
enum chan_got
chan_recv(int sock, struct chan_msg *m)
{
	unsigned char bytes[CHAN_MAX + 1];
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(2 * sizeof(int))];
	} control;
	struct iovec iov = {.iov_base = bytes, .iov_len = sizeof bytes};
	struct msghdr mh = {.msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = &control,
	    .msg_controllen = sizeof control};
	ssize_t got = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	int fd = -1, nfds = 0;

	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? CHAN_GOT_NONE
		                                         : CHAN_GOT_ERROR;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL;
	     cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			nfds += take_passed(cm, &fd);
	if (got == 0 && nfds == 0)
		return CHAN_GOT_END;
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0 ||
	    chan_decode(bytes, (size_t)got, nfds, m) < 0) {
		if (fd >= 0)
			close(fd);
		return CHAN_GOT_BAD;
	}
	m->fd = fd;
	return CHAN_GOT_MSG;
}
