/* Unit tests of the programs' own log lines (src/lib/log.c). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "units.h"

/* Read what the test logged to path into buf; returns its length. */
static size_t
read_logged(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t len;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	len = fread(buf, 1, size - 1, f);
	buf[len] = '\0';
	fclose(f);
	return len;
}

/* A name holding a newline or an escape sequence stays on its line. */
START_TEST(controls_escaped)
{
	char path[4096], buf[4096];

	snprintf(path, sizeof path, "%s/err", unit_tmp_dir());
	unit_stderr_to(path);
	log_init("/usr/sbin/hotsv-scan");
	log_set_name("we\nird");
	log_warnx("service %s: bad \033[31mthing\177", "a\nb");
	read_logged(path, buf, sizeof buf);
	ck_assert_str_eq(buf,
	    "hotsv-scan: we\\x0aird: warning: service a\\x0ab: bad "
	    "\\x1b[31mthing\\x7f\n");
	log_set_name(NULL);
}
END_TEST

/* A message too long for one line is cut, still one whole line. */
START_TEST(long_line_cut)
{
	char path[4096], buf[8192], arg[3000];
	size_t len;

	memset(arg, '\n', sizeof arg - 1);
	arg[sizeof arg - 1] = '\0';
	snprintf(path, sizeof path, "%s/err", unit_tmp_dir());
	unit_stderr_to(path);
	log_init("hotsv");
	log_info("%s", arg);
	len = read_logged(path, buf, sizeof buf);
	ck_assert_uint_le(len, 1024);
	ck_assert_uint_gt(len, 1000);
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + len - 1);
	/* Cut between escapes, never inside one. */
	ck_assert_int_eq(memcmp(buf + len - 5, "\\x0a\n", 5), 0);
}
END_TEST

/* The suite of log line tests. */
Suite *
logmsg_suite(void)
{
	Suite *s = suite_create("logmsg");
	TCase *tc = tcase_create("lines");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, controls_escaped);
	tcase_add_test(tc, long_line_cut);
	suite_add_tcase(s, tc);
	return s;
}
