/*
 * Unit tests of hotsv-log's line framing and archive names, and of how
 * hotsv logs finds the last lines of a log (check_lastlines.c).
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv/logarchive.h"
#include "log/framing.h"

/* hotsv logs' line finding, in check_lastlines.c. */
Suite *lastlines_suite(void);

/* 2026-11-20T02:38:09.123456789Z */
static const struct timespec when = {1795142289, 123456789};

/* Frame one input with the given settings, in one block. */
static char *
frame(unsigned stamps, const char *prefix, size_t maxlen, const char *in,
    int finish)
{
	struct logline ll;
	struct logbuf out = {0};
	char *text;

	logline_init(&ll, stamps, prefix, maxlen);
	logline_stamp(&ll, &when);
	logline_feed(&ll, in, strlen(in), &out);
	if (finish)
		logline_finish(&ll, &out);
	text = strndup(out.data != NULL ? out.data : "", out.len);
	logline_free(&ll);
	logbuf_free(&out);
	return text;
}

START_TEST(iso_format)
{
	char text[LOGLINE_ISO_TEXT + 1];
	struct timespec epoch = {0, 999};

	logline_iso(text, &when);
	ck_assert_str_eq(text, "2026-11-20T02:38:09.123456Z");
	logline_iso(text, &epoch);
	ck_assert_str_eq(text, "1970-01-01T00:00:00.000000Z");
}
END_TEST

START_TEST(headers)
{
	char *got;

	got = frame(LOGLINE_ISO, "", 100, "a\n", 0);
	ck_assert_str_eq(got, "2026-11-20T02:38:09.123456Z a\n");
	free(got);
	got = frame(LOGLINE_TAI, "web: ", 100, "a\nb\n", 0);
	ck_assert_str_eq(got,
	    "@400000006affb2b6075bcd15 web: a\n"
	    "@400000006affb2b6075bcd15 web: b\n");
	free(got);
	got = frame(LOGLINE_TAI | LOGLINE_ISO, "p ", 100, "\n", 0);
	ck_assert_str_eq(got,
	    "@400000006affb2b6075bcd15 "
	    "2026-11-20T02:38:09.123456Z p \n");
	free(got);
}
END_TEST

/* Inputs and their framing without header, finished at EOF or not. */
static const struct {
	size_t maxlen;
	const char *in;
	int finish;
	const char *want;
} framings[] = {
    {100, "one\ntw", 0, "one\n"},
    {100, "one\ntw", 1, "one\ntw\n"},
    {100, "", 1, ""},
    {100, "\n\n", 1, "\n\n"},
    {4, "abcd\n", 0, "abcd\n"},
    {4, "abcde\n", 0, "abcd\\\ne\n"},
    {4, "abcdefgh\n", 0, "abcd\\\nefgh\n"},
    {4, "abcdefghi\nxy\n", 0, "abcd\\\nefgh\\\ni\nxy\n"},
    /* Four bytes may still be followed by the newline: wait. */
    {4, "abcd", 0, ""},
    {4, "abcdef", 1, "abcd\\\nef\n"},
    {1, "ab\n", 0, "a\\\nb\n"},
};

START_TEST(framing)
{
	char *got = frame(
	    0, "", framings[_i].maxlen, framings[_i].in, framings[_i].finish);

	ck_assert_str_eq(got, framings[_i].want);
	free(got);
}
END_TEST

START_TEST(cut_keeps_header)
{
	char *got = frame(0, "> ", 3, "abcdefg\n", 0);

	ck_assert_str_eq(got, "> abc\\\n> def\\\n> g\n");
	free(got);
}
END_TEST

START_TEST(any_blocks_same_lines)
{
	static const char in[] = "first\n\nsecond line that is long\nx\n"
	                         "0123456789abcdef0123\nlast";
	size_t len = sizeof in - 1;
	char *whole = frame(0, "", 7, in, 1);

	/* Every split of the input into two blocks frames the same. */
	for (size_t cut = 0; cut <= len; cut++) {
		struct logline ll;
		struct logbuf out = {0};

		logline_init(&ll, 0, "", 7);
		logline_feed(&ll, in, cut, &out);
		logline_feed(&ll, in + cut, len - cut, &out);
		logline_finish(&ll, &out);
		ck_assert_uint_eq(out.len, strlen(whole));
		ck_assert(memcmp(out.data, whole, out.len) == 0);
		logline_free(&ll);
		logbuf_free(&out);
	}
	free(whole);
}
END_TEST

/* --json: one object per line, escaped, cut pieces marked in the string. */
START_TEST(json_lines)
{
	char *got;

	got = frame(
	    LOGLINE_JSON | LOGLINE_ISO, "we\"b", 100, "a \"b\"\\\t\x01\n", 0);
	ck_assert_str_eq(got,
	    "{\"time\":\"2026-11-20T02:38:09.123456Z\",\"service\":\"we\\\"b\","
	    "\"line\":\"a \\\"b\\\"\\\\\\u0009\\u0001\"}\n");
	free(got);
	got = frame(LOGLINE_JSON, "", 3, "abcd\n\xff", 1);
	ck_assert_str_eq(got,
	    "{\"time\":\"2026-11-20T02:38:09.123456Z\",\"line\":\"abc\\\\\"}\n"
	    "{\"time\":\"2026-11-20T02:38:09.123456Z\",\"line\":\"d\"}\n"
	    "{\"time\":\"2026-11-20T02:38:09.123456Z\",\"line\":\"\\u00ff\"}"
	    "\n");
	free(got);
}
END_TEST

/* A character split between two reads is escaped whole, not as bytes. */
START_TEST(json_split_character)
{
	struct logline ll;
	struct logbuf out = {0};
	char *got;

	logline_init(&ll, LOGLINE_JSON, "", 100);
	logline_stamp(&ll, &when);
	logline_feed(&ll, "caf\xc3", 4, &out);
	logline_feed(&ll, "\xa9\n", 2, &out);
	got = strndup(out.data, out.len);
	ck_assert_str_eq(got,
	    "{\"time\":\"2026-11-20T02:38:09.123456Z\",\"line\":"
	    "\"caf\xc3\xa9\"}\n");
	free(got);
	logline_free(&ll);
	logbuf_free(&out);
}
END_TEST

START_TEST(archive_names)
{
	struct timespec stamp;

	ck_assert(archive_name_parse("@400000006affb2b6075bcd15.s", &stamp));
	ck_assert_int_eq(stamp.tv_sec, when.tv_sec);
	ck_assert_int_eq(stamp.tv_nsec, when.tv_nsec);
	ck_assert(!archive_name_parse("@400000006affb2b6075bcd15.u", &stamp));
	ck_assert(!archive_name_parse("@400000006AFFB2B6075BCD15.s", &stamp));
	ck_assert(!archive_name_parse("400000006affb2b6075bcd15.s", &stamp));
	ck_assert(!archive_name_parse("current", &stamp));
	ck_assert(!archive_name_parse("lock", &stamp));
}
END_TEST

START_TEST(archive_names_increase)
{
	char first[ARCHIVE_NAME_LEN + 1], second[ARCHIVE_NAME_LEN + 1];
	struct timespec newest = {0, 0}, now = {100, 999999999}, got;

	archive_next_name(first, &newest, &now);
	ck_assert(archive_name_parse(first, &got));
	ck_assert_int_eq(got.tv_sec, 100);
	/* Same instant, then a clock stepped back: still later names. */
	archive_next_name(second, &newest, &now);
	ck_assert_str_lt(first, second);
	ck_assert(archive_name_parse(second, &got));
	ck_assert_int_eq(got.tv_sec, 101);
	ck_assert_int_eq(got.tv_nsec, 0);
	now.tv_sec = 50;
	archive_next_name(first, &newest, &now);
	ck_assert_str_lt(second, first);
}
END_TEST

START_TEST(archive_pruning)
{
	static const char *const names[] = {"@4000000000000005000000ff.s",
	    "@40000000000000050000000a.s", "@400000000000000a00000000.s",
	    "@400000000000000400000000.s", "current", "lock"};
	char dir[] = "/tmp/check_log.XXXXXX";
	struct timespec newest = {-1000, 0};
	int dirfd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dirfd, 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		close(openat(dirfd, names[i], O_WRONLY | O_CREAT, 0644));
	ck_assert_int_eq(archive_scan(dirfd, 2, &newest), 0);
	ck_assert_int_eq(newest.tv_sec, 0xa - 37);
	ck_assert_int_ne(faccessat(dirfd, names[3], F_OK, 0), 0);
	ck_assert_int_ne(faccessat(dirfd, names[1], F_OK, 0), 0);
	ck_assert_int_eq(faccessat(dirfd, names[0], F_OK, 0), 0);
	ck_assert_int_eq(faccessat(dirfd, names[2], F_OK, 0), 0);
	ck_assert_int_eq(faccessat(dirfd, "current", F_OK, 0), 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		unlinkat(dirfd, names[i], 0);
	close(dirfd);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* The framing and archive suite. */
static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, iso_format);
	tcase_add_test(tc, headers);
	tcase_add_loop_test(
	    tc, framing, 0, (int)(sizeof framings / sizeof framings[0]));
	tcase_add_test(tc, cut_keeps_header);
	tcase_add_test(tc, any_blocks_same_lines);
	tcase_add_test(tc, json_lines);
	tcase_add_test(tc, json_split_character);
	tcase_add_test(tc, archive_names);
	tcase_add_test(tc, archive_names_increase);
	tcase_add_test(tc, archive_pruning);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *runner = srunner_create(log_suite());
	int failed;

	srunner_add_suite(runner, lastlines_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
