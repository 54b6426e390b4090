/*
 * The scanner <-> supervisor channel (src/sv/channel.c): every message
 * encodes and decodes back; bad packets are refused, on the wire too
 * (oversized, cut short, unknown, wrong lengths, stray descriptors).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sv/channel.h"
#include "units.h"

/* One message of each type, as the programs fill them. */
static const struct chan_msg samples[] = {
    {.type = CHAN_STATUS, .fd = -1}, /* the status: see sample */
    {.type = CHAN_EXIT, .reason = CHAN_EXIT_LOCKED, .fd = -1},
    {.type = CHAN_EXIT, .reason = CHAN_EXIT_GONE, .fd = -1},
    {.type = CHAN_EXIT, .reason = CHAN_EXIT_DONE, .fd = -1},
    {.type = CHAN_WAITING, .name = "db", .fd = -1},
    {.type = CHAN_WAITING, .fd = -1}, /* the longest name: see sample */
    {.type = CHAN_REAPED, .pid = 4242, .wstat = 0x0f00, .fd = -1},
    {.type = CHAN_SIGNAL, .signo = SIGHUP, .fd = -1},
    {.type = CHAN_SIGNAL, .signo = 64, .fd = -1},
    {.type = CHAN_HALT, .code = 3, .fd = -1},
    {.type = CHAN_HALT, .code = 0, .fd = -1},
    {.type = CHAN_HALT, .code = 255, .fd = -1},
    {.type = CHAN_GO, .fd = -1},
    {.type = CHAN_DIR, .fd = -1},
    {.type = CHAN_STOP, .fd = -1},
    {.type = CHAN_DRAIN, .fd = -1},
    {.type = CHAN_KILL, .fd = -1},
};
#define SAMPLES ((int)NELEM(samples))

/* Sample i, with what a static table cannot hold filled in. */
static struct chan_msg
sample(int i)
{
	struct chan_msg m = samples[i];

	if (m.type == CHAN_STATUS)
		m.status = hotsv_golden[GOLDEN_UP].decoded;
	if (m.type == CHAN_WAITING && m.name[0] == '\0')
		memset(m.name, 'n', NAME_MAX);
	return m;
}

/* Fail unless two messages say the same. */
static void
assert_same(const struct chan_msg *got, const struct chan_msg *want)
{
	ck_assert_int_eq(got->type, want->type);
	ck_assert_int_eq(got->reason, want->reason);
	ck_assert_str_eq(got->name, want->name);
	ck_assert_int_eq(got->pid, want->pid);
	ck_assert_int_eq(got->wstat, want->wstat);
	ck_assert_int_eq(got->signo, want->signo);
	ck_assert_int_eq(got->code, want->code);
	ck_assert_int_eq(got->status.pid, want->status.pid);
	ck_assert_int_eq(got->status.wantup, want->status.wantup);
	ck_assert_int_eq(got->status.stamp.tv_sec, want->status.stamp.tv_sec);
	ck_assert_int_eq(got->status.stamp.tv_nsec, want->status.stamp.tv_nsec);
}

/* Each message encodes to bytes that decode back to it. */
START_TEST(round_trip)
{
	struct chan_msg m = sample(_i), back;
	unsigned char bytes[CHAN_MAX];
	size_t len = chan_encode(&m, bytes);

	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(bytes[0], m.type);
	ck_assert_int_eq(
	    chan_decode(bytes, len, m.type == CHAN_DIR ? 1 : 0, &back), 0);
	ck_assert_int_eq(back.fd, -1);
	assert_same(&back, &m);
}
END_TEST

/* Packets that are no message, and how many descriptors came along. */
static const struct {
	const char *what;
	const char *bytes;
	size_t len;
	int nfds;
} bad_packets[] = {
    {"empty", "", 0, 0},
    {"unknown type", "Z", 1, 0},
    {"type 0", "\0", 1, 0},
    {"status cut short", "S\0\0\0", 4, 0},
    {"go with a byte", "Gx", 2, 0},
    {"stop with a byte", "T\0", 2, 0},
    {"drain with a byte", "Hh", 2, 0},
    {"kill with a byte", "K9", 2, 0},
    {"exit without reason", "E", 1, 0},
    {"exit, unknown reason", "Ez", 2, 0},
    {"exit, two bytes", "Edd", 3, 0},
    {"waiting for no name", "W", 1, 0},
    {"waiting, NUL in name", "Wa\0b", 4, 0},
    {"reaped cut short", "X\1\0\0\0", 5, 0},
    {"reaped pid 0", "X\0\0\0\0\0\0\0\0", 9, 0},
    {"signal 0", "N\0", 2, 0},
    {"signal 65", "NA", 2, 0},
    {"signal without number", "N", 1, 0},
    {"halt without code", "Q", 1, 0},
    {"halt, two bytes", "Q\3\3", 3, 0},
    {"stray descriptor on halt", "Q\3", 2, 1},
    {"directory without descriptor", "D", 1, 0},
    {"directory with two", "D", 1, 2},
    {"directory with a byte", "Dx", 2, 1},
    {"stray descriptor on go", "G", 1, 1},
    {"stray descriptor on stop", "T", 1, 1},
};

/* A packet that is no message is refused. */
START_TEST(refused)
{
	struct chan_msg m;

	ck_assert_msg(chan_decode((const unsigned char *)bad_packets[_i].bytes,
	                  bad_packets[_i].len, bad_packets[_i].nfds, &m) == -1,
	    "accepted: %s", bad_packets[_i].what);
}
END_TEST

/* Longer than CHAN_MAX is refused; a name of NAME_MAX + 1 cannot go. */
START_TEST(oversized)
{
	unsigned char bytes[CHAN_MAX + 1];
	struct chan_msg m;

	memset(bytes, 'a', sizeof bytes);
	bytes[0] = CHAN_WAITING;
	ck_assert_int_eq(chan_decode(bytes, CHAN_MAX, 0, &m), 0);
	ck_assert_int_eq(chan_decode(bytes, sizeof bytes, 0, &m), -1);
	chan_init(&m, CHAN_SIGNAL);
	ck_assert_uint_eq(chan_encode(&m, bytes), 0);
	chan_init(&m, CHAN_EXIT);
	ck_assert_uint_eq(chan_encode(&m, bytes), 0);
	chan_init(&m, CHAN_HALT);
	m.code = 256;
	ck_assert_uint_eq(chan_encode(&m, bytes), 0);
	m.code = -1;
	ck_assert_uint_eq(chan_encode(&m, bytes), 0);
	chan_init(&m, (enum chan_type)'?');
	ck_assert_uint_eq(chan_encode(&m, bytes), 0);
}
END_TEST

/* A SOCK_SEQPACKET pair, both ends close-on-exec. */
static void
pair(int sv[2])
{
	ck_assert_int_eq(
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

/* Send raw bytes with count copies of fd. */
static void
send_raw(int sock, const void *bytes, size_t len, int fd, int count)
{
	union {
		struct cmsghdr align;
		char space[CMSG_SPACE(4 * sizeof(int))];
	} control;
	unsigned char copy[CHAN_MAX + 8];
	struct iovec iov = {.iov_base = copy, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	ck_assert_uint_le(len, sizeof copy);
	memcpy(copy, bytes, len);
	if (count > 0) {
		struct cmsghdr *cm;

		memset(&control, 0, sizeof control);
		mh.msg_control = &control;
		mh.msg_controllen = CMSG_SPACE((size_t)count * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)count * sizeof(int));
		for (int i = 0; i < count; i++)
			memcpy(CMSG_DATA(cm) + i * sizeof fd, &fd, sizeof fd);
	}
	ck_assert_int_eq(sendmsg(sock, &mh, 0), (ssize_t)len);
}

/* The lowest free descriptor number: what the next open gets. */
static int
next_fd(void)
{
	int fd = dup(0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

/* Every message goes through a socket pair; the directory with its fd. */
START_TEST(wire)
{
	struct chan_msg m = sample(_i), back;
	int sv[2], dirfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	pair(sv);
	m.fd = m.type == CHAN_DIR ? dirfd : -1;
	ck_assert_int_eq(chan_send(sv[0], &m), 0);
	ck_assert_int_eq(chan_recv(sv[1], &back), CHAN_GOT_MSG);
	assert_same(&back, &m);
	if (m.type == CHAN_DIR) {
		ck_assert_int_ge(back.fd, 0);
		ck_assert_int_ne(back.fd, dirfd);
		ck_assert_int_eq(fcntl(back.fd, F_GETFD), FD_CLOEXEC);
		close(back.fd);
	} else
		ck_assert_int_eq(back.fd, -1);
	ck_assert_int_eq(chan_recv(sv[1], &back), CHAN_GOT_NONE);
	close(sv[0]);
	ck_assert_int_eq(chan_recv(sv[1], &back), CHAN_GOT_END);
	close(sv[1]);
	close(dirfd);
}
END_TEST

/*
 * Bad packets on the wire: each refused, the descriptors they carried
 * closed, and the next good message still read.
 */
START_TEST(wire_refused)
{
	unsigned char big[CHAN_MAX + 8];
	struct chan_msg m, go;
	int sv[2], fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), free_fd;

	memset(big, 'a', sizeof big);
	big[0] = CHAN_WAITING;
	pair(sv);
	free_fd = next_fd();
	send_raw(sv[0], "G", 1, fd, 1);          /* stray descriptor */
	send_raw(sv[0], "D", 1, fd, 2);          /* two descriptors */
	send_raw(sv[0], "D", 1, -1, 0);          /* none */
	send_raw(sv[0], big, sizeof big, -1, 0); /* oversized */
	send_raw(sv[0], "Q", 1, -1, 0);          /* unknown */
	chan_init(&go, CHAN_GO);
	ck_assert_int_eq(chan_send(sv[0], &go), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(chan_recv(sv[1], &m), CHAN_GOT_BAD);
	ck_assert_int_eq(next_fd(), free_fd);
	ck_assert_int_eq(chan_recv(sv[1], &m), CHAN_GOT_MSG);
	ck_assert_int_eq(m.type, CHAN_GO);
	chan_init(&m, CHAN_SIGNAL);
	errno = 0;
	ck_assert_int_eq(chan_send(sv[0], &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(sv[0]);
	close(sv[1]);
	close(fd);
}
END_TEST

/* The channel's suite. */
Suite *
channel_suite(void)
{
	Suite *s = suite_create("channel");
	TCase *tc = tcase_create("channel");

	tcase_add_loop_test(tc, round_trip, 0, SAMPLES);
	tcase_add_loop_test(tc, refused, 0, NELEM(bad_packets));
	tcase_add_test(tc, oversized);
	tcase_add_loop_test(tc, wire, 0, SAMPLES);
	tcase_add_test(tc, wire_refused);
	suite_add_tcase(s, tc);
	return s;
}
