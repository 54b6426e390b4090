/* The unit test program: every Check suite, forked per test. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "units.h"

/* The scratch directory of the running test case, "" when none. */
static char hotsv_unit_tmp[PATH_MAX];

/* Create a scratch directory under $TMPDIR (an unchecked fixture). */
void
unit_tmp_setup(void)
{
	const char *base = getenv("TMPDIR");

	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(hotsv_unit_tmp, sizeof hotsv_unit_tmp, "%s/hotsv-unit.XXXXXX",
	    base);
	if (mkdtemp(hotsv_unit_tmp) == NULL) {
		perror("mkdtemp");
		exit(EXIT_FAILURE);
	}
}

/* Remove one entry, deepest first; never follows a symbolic link. */
static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	if (remove(path) < 0)
		perror(path);
	return 0;
}

/* Remove the scratch directory and all it holds. */
void
unit_tmp_teardown(void)
{
	if (hotsv_unit_tmp[0] == '\0')
		return;
	nftw(hotsv_unit_tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	hotsv_unit_tmp[0] = '\0';
}

/* Make a fresh directory inside the scratch directory; returns its path. */
const char *
unit_tmp_dir(void)
{
	static char path[PATH_MAX];

	ck_assert_msg(hotsv_unit_tmp[0] != '\0', "no scratch directory");
	ck_assert((size_t)snprintf(path, sizeof path, "%s/t.XXXXXX",
	              hotsv_unit_tmp) < sizeof path);
	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp %s", path);
	return path;
}

/* Create or replace DIR/NAME with exactly len bytes of data. */
void
unit_put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_msg(fd >= 0, "cannot create %s", path);
	ck_assert_msg(write(fd, data, len) == (ssize_t)len, "write %s", path);
	ck_assert_int_eq(close(fd), 0);
}

/* Send this test's standard error (warning lines) to path. */
void
unit_stderr_to(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ck_assert_msg(fd >= 0, "cannot open %s", path);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

/*
 * Name the effect bits that differ between got and want (bit i is
 * names[i]), as " +name" (got only) or " -name" (wanted only), for a
 * failing table row's message.
 */
void
unit_bits_diff(char *buf, size_t size, unsigned got, unsigned want,
    const char *const *names, size_t count)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < count && len < size; i++)
		if (((got ^ want) >> i) & 1)
			len += (size_t)snprintf(buf + len, size - len, " %s%s",
			    (got >> i) & 1 ? "+" : "-", names[i]);
}

/* Run every suite; the exit status tells make check the outcome. */
int
main(void)
{
	Suite *(*const suites[])(void) = {status_suite, machine_suite,
	    svdir_suite, tai_suite, signame_suite, logmsg_suite, health_suite,
	    escape_suite, dtally_suite, userdb_suite, channel_suite,
	    lifecycle_suite, scannerdir_suite, servicephase_suite, envdir_suite,
	    policy_suite};
	SRunner *runner = srunner_create(suites[0]());
	int failed;

	for (size_t i = 1; i < NELEM(suites); i++)
		srunner_add_suite(runner, suites[i]());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
