/*
 * The 35-byte supervise/status record: golden vectors captured from the
 * real s6-supervise 2.11, round trips, and the file helpers.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/bigendian.h"
#include "sv/status.h"
#include "units.h"

/*
 * Captured with xxd from DIR/supervise/status of `s6-supervise DIR`, DIR/run
 * being `exec sleep 1000`.  Stamps are TAI64N labels turned into UTC by
 * label - 2^62 - 37 (0x6b0baf28 - 37 = 1795927811, 0x6b0baf47 - 37 =
 * 1795927842); nanoseconds are the last 4 bytes of each stamp.
 */
const struct golden_status hotsv_golden[GOLDEN_COUNT] = {
    [GOLDEN_INIT] = {"s6 started with ./down: down and ready",
        {0x40, 0x00, 0x00, 0x00, 0x6b, 0x0b, 0xaf, 0x47, 0x2d, 0x73, 0x1d, 0xa4,
            0x40, 0x00, 0x00, 0x00, 0x6b, 0x0b, 0xaf, 0x47, 0x2d, 0x73, 0x1d,
            0xa4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x08},
        {.stamp = {1795927842, 762518948},
            .readystamp = {1795927842, 762518948},
            .ready = true}},
    [GOLDEN_UP] = {"s6 up: pid 10986, wanted up, not ready",
        {0x40, 0x00, 0x00, 0x00, 0x6b, 0x0b, 0xaf, 0x28, 0x10, 0x5f, 0xdc, 0x5b,
            0x40, 0x00, 0x00, 0x00, 0x6b, 0x0b, 0xaf, 0x28, 0x10, 0x4d, 0xca,
            0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, 0xea, 0x00, 0x00,
            0x04},
        {.stamp = {1795927811, 274717787},
            .readystamp = {1795927811, 273533508},
            .pid = 10986,
            .wantup = true}},
    [GOLDEN_DOWN] = {"s6 after s6-svc -d: SIGTERM, down and ready",
        {0x40, 0x00, 0x00, 0x00, 0x6b, 0x0b, 0xaf, 0x28, 0x22, 0xec, 0x6b, 0xd7,
            0x40, 0x00, 0x00, 0x00, 0x6b, 0x0b, 0xaf, 0x28, 0x22, 0xf3, 0xe8,
            0x52, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0f,
            0x08},
        {.stamp = {1795927811, 585919447},
            .readystamp = {1795927811, 586410066},
            .wstat = 0x000f,
            .ready = true}},
};

/* Fail unless two status records hold the same values. */
static void
assert_status_eq(
    const struct sv_status *got, const struct sv_status *want, const char *what)
{
	ck_assert_msg(got->stamp.tv_sec == want->stamp.tv_sec &&
	        got->stamp.tv_nsec == want->stamp.tv_nsec,
	    "%s: stamp %lld.%09ld, want %lld.%09ld", what,
	    (long long)got->stamp.tv_sec, got->stamp.tv_nsec,
	    (long long)want->stamp.tv_sec, want->stamp.tv_nsec);
	ck_assert_msg(got->readystamp.tv_sec == want->readystamp.tv_sec &&
	        got->readystamp.tv_nsec == want->readystamp.tv_nsec,
	    "%s: readystamp %lld.%09ld, want %lld.%09ld", what,
	    (long long)got->readystamp.tv_sec, got->readystamp.tv_nsec,
	    (long long)want->readystamp.tv_sec, want->readystamp.tv_nsec);
	ck_assert_msg(got->pid == want->pid, "%s: pid %ld, want %ld", what,
	    (long)got->pid, (long)want->pid);
	ck_assert_msg(got->wstat == want->wstat, "%s: wstat %#06x, want %#06x",
	    what, got->wstat, want->wstat);
	ck_assert_msg(got->paused == want->paused &&
	        got->finishing == want->finishing &&
	        got->wantup == want->wantup && got->ready == want->ready &&
	        got->done == want->done,
	    "%s: flags p%d f%d w%d r%d d%d, want p%d f%d w%d r%d d%d", what,
	    got->paused, got->finishing, got->wantup, got->ready, got->done,
	    want->paused, want->finishing, want->wantup, want->ready,
	    want->done);
}

/* Decode each s6 vector to its known values and encode it back exactly. */
START_TEST(golden_vectors)
{
	const struct golden_status *g = &hotsv_golden[_i];
	unsigned char packed[STATUS_SIZE];
	struct sv_status st;

	status_unpack(g->bytes, &st);
	assert_status_eq(&st, &g->decoded, g->what);
	/* UTC = TAI64 label - 2^62 - 37, straight from the bytes. */
	ck_assert_uint_eq(be64_get(g->bytes) - ((uint64_t)1 << 62) - 37,
	    (uint64_t)g->decoded.stamp.tv_sec);
	ck_assert_uint_eq(be64_get(g->bytes + 12) - ((uint64_t)1 << 62) - 37,
	    (uint64_t)g->decoded.readystamp.tv_sec);
	status_pack(packed, &g->decoded);
	ck_assert_mem_eq(packed, g->bytes, STATUS_SIZE);
}
END_TEST

/* Check that s6's wait status means what s6-svstat says it means. */
START_TEST(golden_wstat)
{
	struct sv_status up, down;

	status_unpack(hotsv_golden[GOLDEN_UP].bytes, &up);
	status_unpack(hotsv_golden[GOLDEN_DOWN].bytes, &down);
	ck_assert(WIFEXITED(up.wstat) && WEXITSTATUS(up.wstat) == 0);
	ck_assert(WIFSIGNALED(down.wstat) && WTERMSIG(down.wstat) == SIGTERM);
}
END_TEST

/* Wait statuses (exit 3, SIGTERM...), their bytes, and what they mean. */
static const struct {
	uint16_t wstat;
	unsigned char hi, lo; /* bytes 32 and 33 of the record */
	int exitcode;         /* -1 when killed */
	int sig;              /* 0 when exited */
} status_wstats[] = {
    {0x0000, 0x00, 0x00, 0, 0},
    {0x0300, 0x03, 0x00, 3, 0},
    {0x7d00, 0x7d, 0x00, 125, 0},
    {0xff00, 0xff, 0x00, 255, 0},
    {0x000f, 0x00, 0x0f, -1, SIGTERM},
    {0x0009, 0x00, 0x09, -1, SIGKILL},
    {0x0086, 0x00, 0x86, -1, SIGABRT},
};

/* Encode and decode wait statuses, checking the bytes and their meaning. */
START_TEST(wstat_bytes)
{
	unsigned char packed[STATUS_SIZE];
	struct sv_status st = {.wstat = status_wstats[_i].wstat}, back;
	int w = status_wstats[_i].wstat;

	status_pack(packed, &st);
	ck_assert_uint_eq(packed[32], status_wstats[_i].hi);
	ck_assert_uint_eq(packed[33], status_wstats[_i].lo);
	status_unpack(packed, &back);
	ck_assert_uint_eq(back.wstat, status_wstats[_i].wstat);
	if (status_wstats[_i].sig == 0)
		ck_assert(WIFEXITED(w) &&
		    WEXITSTATUS(w) == status_wstats[_i].exitcode);
	else
		ck_assert(
		    WIFSIGNALED(w) && WTERMSIG(w) == status_wstats[_i].sig);
}
END_TEST

/* Round trip every flag combination (_i) with many stamps, pids, statuses. */
START_TEST(round_trip)
{
	static const struct timespec stamps[] = {{0, 0}, {1, 999999999},
	    {1795927811, 274717787}, {INT32_MAX, 500000000},
	    {(time_t)1 << 40, 1}};
	static const pid_t pids[] = {0, 1, 10986, 4194304, INT32_MAX};
	unsigned char packed[STATUS_SIZE];
	struct sv_status st, back;

	for (size_t s = 0; s < NELEM(stamps); s++) {
		for (size_t p = 0; p < NELEM(pids); p++) {
			for (size_t w = 0; w < NELEM(status_wstats); w++) {
				st = (struct sv_status){
				    .stamp = stamps[s],
				    .readystamp = stamps[NELEM(stamps) - 1 - s],
				    .pid = pids[p],
				    .wstat = status_wstats[w].wstat,
				    .paused = (_i & STATUS_FLAG_PAUSED) != 0,
				    .finishing =
				        (_i & STATUS_FLAG_FINISHING) != 0,
				    .wantup = (_i & STATUS_FLAG_WANTUP) != 0,
				    .ready = (_i & STATUS_FLAG_READY) != 0,
				    .done = (_i & STATUS_FLAG_DONE) != 0,
				};
				status_pack(packed, &st);
				ck_assert_uint_eq(packed[34], (unsigned)_i);
				ck_assert_uint_eq(
				    be64_get(packed + 24), (uint64_t)pids[p]);
				status_unpack(packed, &back);
				assert_status_eq(&back, &st, "round trip");
			}
		}
	}
}
END_TEST

/*
 * Ignore flag bits beyond the five we know (s6 may add more); s6 reads
 * only the low four, so our done bit (0x10) is invisible to s6-svstat.
 */
START_TEST(unknown_flag_bits)
{
	unsigned char packed[STATUS_SIZE];
	struct sv_status st;

	memcpy(packed, hotsv_golden[GOLDEN_UP].bytes, STATUS_SIZE);
	packed[34] = 0xe0;
	status_unpack(packed, &st);
	ck_assert(
	    !st.paused && !st.finishing && !st.wantup && !st.ready && !st.done);
	packed[34] = 0xff;
	status_unpack(packed, &st);
	ck_assert(
	    st.paused && st.finishing && st.wantup && st.ready && st.done);
	status_pack(packed, &st);
	ck_assert_uint_eq(packed[34], 0x1f);
}
END_TEST

/* Open a fresh scratch directory. */
static int
scratch_dirfd(const char **dir)
{
	int fd;

	*dir = unit_tmp_dir();
	fd = open(*dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Write a record with status_write and read it back, raw and decoded. */
START_TEST(file_write_read)
{
	const struct golden_status *g = &hotsv_golden[GOLDEN_DOWN];
	unsigned char raw[STATUS_SIZE + 1];
	struct sv_status st;
	char path[PATH_MAX];
	const char *dir;
	int dirfd = scratch_dirfd(&dir), fd;

	ck_assert_int_eq(status_write(dirfd, &g->decoded), 0);
	snprintf(path, sizeof path, "%s/status", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, raw, sizeof raw), STATUS_SIZE);
	close(fd);
	ck_assert_mem_eq(raw, g->bytes, STATUS_SIZE);
	ck_assert_int_ne(faccessat(dirfd, "status.new", F_OK, 0), 0);
	ck_assert_int_eq(status_read(dirfd, &st), 0);
	assert_status_eq(&st, &g->decoded, "status_read");
	close(dirfd);
}
END_TEST

/* Unusable status files and the errno status_read must give. */
static const struct {
	size_t len; /* bytes written, or SIZE_MAX for no file */
	int err;
} status_bad_files[] = {
    {SIZE_MAX, ENOENT},
    {0, EPROTO},
    {1, EPROTO},
    {STATUS_SIZE - 1, EPROTO},
};

/* Refuse a missing, empty or short status file with the right errno. */
START_TEST(file_read_bad)
{
	struct sv_status st;
	const char *dir;
	int dirfd = scratch_dirfd(&dir);

	if (status_bad_files[_i].len != SIZE_MAX)
		unit_put(dir, "status", hotsv_golden[GOLDEN_UP].bytes,
		    status_bad_files[_i].len);
	errno = 0;
	ck_assert_int_eq(status_read(dirfd, &st), -1);
	ck_assert_int_eq(errno, status_bad_files[_i].err);
	close(dirfd);
}
END_TEST

/* Round trip the big-endian helpers at every byte position. */
START_TEST(big_endian)
{
	unsigned char buf[8];

	for (int bit = 0; bit < 64; bit++) {
		uint64_t v = (uint64_t)1 << bit | 0x0102030405060708u;

		be64_put(buf, v);
		ck_assert_uint_eq(
		    buf[7 - bit / 8] & 1u << (bit % 8), 1u << (bit % 8));
		ck_assert_uint_eq(be64_get(buf), v);
		be32_put(buf, (uint32_t)v);
		ck_assert_uint_eq(be32_get(buf), (uint32_t)v);
	}
	be32_put(buf, 0x0a0b0c0d);
	ck_assert_mem_eq(buf, "\x0a\x0b\x0c\x0d", 4);
}
END_TEST

/* The status suite. */
Suite *
status_suite(void)
{
	Suite *s = suite_create("status");
	TCase *codec = tcase_create("codec");
	TCase *file = tcase_create("file");

	tcase_add_loop_test(codec, golden_vectors, 0, GOLDEN_COUNT);
	tcase_add_test(codec, golden_wstat);
	tcase_add_loop_test(codec, wstat_bytes, 0, NELEM(status_wstats));
	tcase_add_loop_test(codec, round_trip, 0, 32);
	tcase_add_test(codec, unknown_flag_bits);
	tcase_add_test(codec, big_endian);
	suite_add_tcase(s, codec);
	tcase_add_unchecked_fixture(file, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(file, file_write_read);
	tcase_add_loop_test(file, file_read_bad, 0, NELEM(status_bad_files));
	suite_add_tcase(s, file);
	return s;
}
