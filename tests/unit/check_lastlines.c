/* Finding the last N whole lines of a log from its end (src/cli/lastlines.c).
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cli/lastlines.h"

Suite *lastlines_suite(void);

/* A log (its files, oldest first; NULL ends them), N, and what shows. */
static const struct {
	const char *what;
	const char *files[4];
	unsigned long n;
	const char *shown;
} lastlines_cases[] = {
    {"last two", {"a\nb\nc\n", NULL}, 2, "b\nc\n"},
    {"all of them", {"a\nb\nc\n", NULL}, 3, "a\nb\nc\n"},
    {"more than there are", {"x\n", "y\n", NULL}, 10, "x\ny\n"},
    {"none", {"a\nb\n", NULL}, 0, ""},
    {"a line being written", {"a\nb\nc", NULL}, 1, "b\n"},
    {"short, being written", {"a\nb\nc", NULL}, 5, "a\nb\n"},
    {"back into archives", {"1\n2\n", "3\n", "4\n5\n", NULL}, 4,
        "2\n3\n4\n5\n"},
    {"empty current", {"1\n2\n", "", NULL}, 1, "2\n"},
    {"current being written", {"1\n2\n", "par", NULL}, 2, "1\n2\n"},
    {"no newline at all", {"abc", NULL}, 3, ""},
    {"empty lines", {"\n\n\n", NULL}, 2, "\n\n"},
    {"empty log", {"", "", NULL}, 5, ""},
    {"start at a file's end", {"1\n", "2\n", NULL}, 1, "2\n"},
};

/* Scan the log back in blocks of size bytes; return what shows. */
static char *
shown_by_blocks(const char *const *files, unsigned long n, size_t size)
{
	struct lastlines ll;
	size_t count = 0, len = 0;
	char *out = calloc(1, 256);
	size_t k;

	while (files[count] != NULL)
		count++;
	lastlines_init(&ll, n);
	for (k = count; k-- > 0;) {
		size_t end = strlen(files[k]), take;
		bool found = false;

		for (; end > 0 && !found; end -= take) {
			take = end < size ? end : size;
			found = lastlines_scan(&ll, k, (off_t)(end - take),
			    files[k] + end - take, take);
		}
		if (found)
			break;
	}
	lastlines_begin(&ll, 0);
	ck_assert(ll.have_start);
	for (k = ll.start.file; ll.have_end && k <= ll.end.file; k++) {
		size_t from = k == ll.start.file ? (size_t)ll.start.offset : 0;
		size_t to =
		    k == ll.end.file ? (size_t)ll.end.offset : strlen(files[k]);

		memcpy(out + len, files[k] + from, to - from);
		len += to - from;
	}
	return out;
}

/* Each log of the table, read back in blocks of any size. */
START_TEST(lastlines_table)
{
	static const size_t sizes[] = {1, 2, 3, 7, 65536};

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *got = shown_by_blocks(
		    lastlines_cases[_i].files, lastlines_cases[_i].n, sizes[i]);

		ck_assert_msg(strcmp(got, lastlines_cases[_i].shown) == 0,
		    "%s, blocks of %zu: \"%s\", want \"%s\"",
		    lastlines_cases[_i].what, sizes[i], got,
		    lastlines_cases[_i].shown);
		free(got);
	}
}
END_TEST

/* A walk back stopped at a file that is gone starts after it. */
START_TEST(lastlines_gone_file)
{
	struct lastlines ll;

	lastlines_init(&ll, 5);
	ck_assert(!lastlines_scan(&ll, 2, 0, "c\nd\n", 4));
	lastlines_begin(&ll, 2);
	ck_assert(ll.have_start && ll.have_end);
	ck_assert_uint_eq(ll.start.file, 2);
	ck_assert_int_eq(ll.start.offset, 0);
	ck_assert_uint_eq(ll.end.file, 2);
	ck_assert_int_eq(ll.end.offset, 4);
	/* Once found, the start stays: a later begin changes nothing. */
	lastlines_init(&ll, 1);
	ck_assert(lastlines_scan(&ll, 0, 10, "a\nb\n", 4));
	lastlines_begin(&ll, 0);
	ck_assert_int_eq(ll.start.offset, 12);
}
END_TEST

/* The suite of hotsv logs' line finding. */
Suite *
lastlines_suite(void)
{
	Suite *s = suite_create("lastlines");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, lastlines_table, 0,
	    (int)(sizeof lastlines_cases / sizeof lastlines_cases[0]));
	tcase_add_test(tc, lastlines_gone_file);
	suite_add_tcase(s, tc);
	return s;
}
