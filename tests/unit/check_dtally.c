/*
 * supervise/death_tally: the 14-byte records s6 writes, and only the last
 * max-death-tally of them kept (none for 0, at most 4096).
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/tai.h"
#include "sv/deathtally.h"
#include "units.h"

/* Wait statuses and the exit code and signal bytes of their record. */
static const struct {
	int wstat;
	unsigned char code, sig;
} dtally_records[] = {
    {0x0000, 0, 0},
    {0x0300, 3, 0},
    {0x7d00, 125, 0},
    {0x000f, 128 + SIGTERM, SIGTERM},
    {0x0009, 128 + SIGKILL, SIGKILL},
};

/* Open a fresh directory as a supervisor's supervise/. */
static int
open_supdir(void)
{
	const char *dir = unit_tmp_dir();
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "cannot open %s", dir);
	return fd;
}

/* Read the whole tally of supfd into buf; returns its size in bytes. */
static size_t
read_tally(int supfd, unsigned char *buf, size_t size)
{
	int fd = openat(supfd, "death_tally", O_RDONLY | O_CLOEXEC);
	ssize_t got;

	ck_assert_msg(fd >= 0, "no death_tally");
	got = read(fd, buf, size);
	ck_assert_int_ge(got, 0);
	close(fd);
	return (size_t)got;
}

/* Add a death exiting code at second when_sec; fail if it cannot. */
static void
append_exit(int supfd, long when_sec, int code, unsigned int keep)
{
	struct timespec when = {when_sec, 0};

	ck_assert_int_eq(dtally_append(supfd, &when, code << 8, keep), 0);
}

/* Each death is one record: its TAI64N stamp, exit code, signal. */
START_TEST(record_bytes)
{
	struct timespec when = {1795927811, 274717787};
	unsigned char want_stamp[TAI64N_PACK], rec[2 * DTALLY_RECORD];
	int supfd = open_supdir();

	ck_assert_int_eq(dtally_count(supfd), 0);
	ck_assert_int_eq(
	    dtally_append(supfd, &when, dtally_records[_i].wstat, 100), 0);
	ck_assert_uint_eq(read_tally(supfd, rec, sizeof rec), DTALLY_RECORD);
	tai64n_pack(want_stamp, &when);
	ck_assert_mem_eq(rec, want_stamp, TAI64N_PACK);
	ck_assert_uint_eq(rec[12], dtally_records[_i].code);
	ck_assert_uint_eq(rec[13], dtally_records[_i].sig);
	ck_assert_int_eq(dtally_count(supfd), 1);
	close(supfd);
}
END_TEST

/* The limits tried, each with seven deaths more than it keeps. */
static const unsigned int dtally_keeps[] = {1, 2, 5, 100};

/* Past max-death-tally records, the oldest go: the last ones stay. */
START_TEST(keeps_last)
{
	unsigned int keep = dtally_keeps[_i], deaths = keep + 7;
	unsigned char tally[100 * DTALLY_RECORD];
	struct timespec stamp;
	int supfd = open_supdir();

	for (unsigned int i = 1; i <= deaths; i++) {
		append_exit(supfd, 1000 + i, (int)i, keep);
		ck_assert_int_eq(dtally_count(supfd), i < keep ? i : keep);
	}
	ck_assert_uint_eq(
	    read_tally(supfd, tally, sizeof tally), keep * DTALLY_RECORD);
	for (unsigned int k = 0; k < keep; k++) {
		unsigned int death = deaths - keep + 1 + k;

		ck_assert_uint_eq(tally[k * DTALLY_RECORD + 12], death);
		tai64n_unpack(tally + k * DTALLY_RECORD, &stamp);
		ck_assert_int_eq(stamp.tv_sec, 1000 + death);
	}
	close(supfd);
}
END_TEST

/* max-death-tally 0 keeps none. */
START_TEST(keeps_none)
{
	int supfd = open_supdir();

	for (int i = 1; i <= 3; i++)
		append_exit(supfd, 1000 + i, i, 0);
	ck_assert_int_eq(dtally_count(supfd), 0);
	close(supfd);
}
END_TEST

/* Above 4096, max-death-tally is 4096: a full tally drops its oldest. */
START_TEST(keeps_at_most_max)
{
	static unsigned char tally[(DTALLY_MAX + 1) * DTALLY_RECORD];
	struct timespec stamp = {0, 0};
	int supfd = open_supdir();
	char dir[PATH_MAX];

	for (int i = 0; i < DTALLY_MAX; i++) {
		stamp.tv_sec = 1000 + i;
		tai64n_pack(tally + i * DTALLY_RECORD, &stamp);
		tally[i * DTALLY_RECORD + 12] = (unsigned char)(i % 100);
	}
	snprintf(dir, sizeof dir, "/proc/self/fd/%d", supfd);
	unit_put(dir, "death_tally", tally, DTALLY_MAX * DTALLY_RECORD);
	ck_assert_int_eq(dtally_count(supfd), DTALLY_MAX);
	append_exit(supfd, 9999, 200, 100000);
	ck_assert_int_eq(dtally_count(supfd), DTALLY_MAX);
	ck_assert_uint_eq(
	    read_tally(supfd, tally, sizeof tally), DTALLY_MAX * DTALLY_RECORD);
	tai64n_unpack(tally, &stamp);
	ck_assert_int_eq(stamp.tv_sec, 1001);
	tai64n_unpack(tally + (DTALLY_MAX - 1) * DTALLY_RECORD, &stamp);
	ck_assert_int_eq(stamp.tv_sec, 9999);
	ck_assert_uint_eq(tally[(DTALLY_MAX - 1) * DTALLY_RECORD + 12], 200);
	close(supfd);
}
END_TEST

/* The death tally suite. */
Suite *
dtally_suite(void)
{
	Suite *s = suite_create("dtally");
	TCase *tc = tcase_create("tally");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_loop_test(tc, record_bytes, 0, NELEM(dtally_records));
	tcase_add_loop_test(tc, keeps_last, 0, NELEM(dtally_keeps));
	tcase_add_test(tc, keeps_none);
	tcase_add_test(tc, keeps_at_most_max);
	suite_add_tcase(s, tc);
	return s;
}
