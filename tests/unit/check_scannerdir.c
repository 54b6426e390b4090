/*
 * Where hotsv-scan's directory lives: the paths it is given, their
 * length limit, and the client's choice between SCANDIR and STATEDIR.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sv/scannerdir.h"
#include "units.h"

/* The paths, and a buffer one byte short refused. */
START_TEST(paths)
{
	char buf[64];

	ck_assert(scannerdir_path(buf, sizeof buf, "/run/sv", NULL));
	ck_assert_str_eq(buf, "/run/sv/.hotsv");
	ck_assert(scannerdir_path(buf, sizeof buf, "/run/sv", "lock"));
	ck_assert_str_eq(buf, "/run/sv/.hotsv/lock");
	/* "/a/.hotsv" is 9 bytes: it needs 10 with its NUL. */
	ck_assert(scannerdir_path(buf, 10, "/a", NULL));
	ck_assert(!scannerdir_path(buf, 9, "/a", NULL));
	ck_assert(!scannerdir_path(buf, 14, "/a", SCANNERDIR_CONTROL));
	ck_assert(scannerdir_path(buf, 18, "/a", SCANNERDIR_CONTROL));
	ck_assert_str_eq(buf, "/a/.hotsv/control");
}
END_TEST

/* A client finds the FIFO (and the rest) in SCANDIR, else in STATEDIR. */
START_TEST(control_in_scandir_or_statedir)
{
	const char *tmp = unit_tmp_dir();
	char scan[PATH_MAX / 4], state[PATH_MAX / 4], want[PATH_MAX];
	char got[PATH_MAX];

	snprintf(scan, sizeof scan, "%s/scan", tmp);
	snprintf(state, sizeof state, "%s/state", tmp);
	ck_assert_int_eq(mkdir(scan, 0755), 0);
	/* No scanner made it yet: STATEDIR's, the last resort. */
	ck_assert(
	    scannerdir_file(got, sizeof got, scan, state, SCANNERDIR_CONTROL));
	snprintf(want, sizeof want, "%s/.hotsv/control", state);
	ck_assert_str_eq(got, want);
	/* SCANDIR's, once it is there. */
	snprintf(want, sizeof want, "%s/.hotsv", scan);
	ck_assert_int_eq(mkdir(want, 0755), 0);
	snprintf(want, sizeof want, "%s/.hotsv/control", scan);
	ck_assert_int_eq(mkfifo(want, 0600), 0);
	ck_assert(
	    scannerdir_file(got, sizeof got, scan, state, SCANNERDIR_CONTROL));
	ck_assert_str_eq(got, want);
	ck_assert(!scannerdir_file(got, 8, scan, state, SCANNERDIR_CONTROL));
	/* Any other file of it: beside the FIFO found. */
	ck_assert(
	    scannerdir_file(got, sizeof got, scan, state, SCANNERDIR_STOPPING));
	snprintf(want, sizeof want, "%s/.hotsv/stopping", scan);
	ck_assert_str_eq(got, want);
}
END_TEST

/* The suite. */
Suite *
scannerdir_suite(void)
{
	Suite *s = suite_create("scannerdir");
	TCase *tc = tcase_create("scannerdir");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, paths);
	tcase_add_test(tc, control_in_scandir_or_statedir);
	suite_add_tcase(s, tc);
	return s;
}
