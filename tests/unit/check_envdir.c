/*
 * env/ files and the files that set up run's process: s6-envdir's
 * content rules (first line, trailing blanks, NUL bytes, empty file),
 * names, the layers of an environment, and the parsers of limits, nice,
 * oom-score-adj and umask.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/complaints.h"
#include "lib/procset.h"
#include "sv/envdir.h"
#include "sv/settings.h"
#include "units.h"

/* The value of content (len bytes), or NULL when the file unsets. */
static const char *
value_of(const char *content, size_t len)
{
	static char buf[128];

	memcpy(buf, content, len);
	if (!envdir_value(buf, &len))
		return NULL;
	buf[len] = '\0';
	return buf;
}

/* The first line, trailing spaces and tabs removed; NULs made newlines. */
START_TEST(content_rules)
{
	ck_assert_str_eq(value_of("plain", 5), "plain");
	ck_assert_str_eq(value_of("first\nsecond\n", 13), "first");
	ck_assert_str_eq(value_of("blanks \t \n", 10), "blanks");
	ck_assert_str_eq(value_of(" lead", 5), " lead");
	ck_assert_str_eq(value_of("cr\r", 3), "cr\r");
	ck_assert_str_eq(value_of("a\0b\0", 4), "a\nb\n");
	ck_assert_str_eq(value_of("a\0 \n", 4), "a\n");
	/* A newline alone sets the variable empty; nothing unsets it. */
	ck_assert_str_eq(value_of("\n", 1), "");
	ck_assert_str_eq(value_of("  \n", 3), "");
	ck_assert_ptr_null(value_of("", 0));
}
END_TEST

/* A name with '=' (or none) cannot be a variable's. */
START_TEST(names)
{
	ck_assert_ptr_null(envdir_name_why("DB_PASSWORD"));
	ck_assert_ptr_null(envdir_name_why("lower.case-ok"));
	ck_assert_ptr_nonnull(envdir_name_why("A=B"));
	ck_assert_ptr_nonnull(envdir_name_why("="));
	ck_assert_ptr_nonnull(envdir_name_why(""));
}
END_TEST

/* Write content (len bytes) to dir/name. */
static void
put(const char *dir, const char *name, const char *content, size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, content, len), (ssize_t)len);
	close(fd);
}

/* The value and source of name in env, or NULL. */
static const struct envvar *
var_of(const struct envlist *env, const char *name)
{
	for (size_t i = 0; i < env->count; i++)
		if (strcmp(env->vars[i].name, name) == 0)
			return &env->vars[i];
	return NULL;
}

/*
 * Inherited, then .hotsv/env, then env/: the later wins, an empty file
 * unsets; a directory, a name with '=', a file over 64 KiB and a link
 * to nothing are one complaint each; dot files are skipped.
 */
START_TEST(layers)
{
	char keep[] = "KEEP=1", gone[] = "GONE=2", mine[] = "MINE=3";
	char *const inherited[] = {keep, gone, mine, NULL};
	static char big[ENVDIR_FILE_MAX + 1];
	const char *tmp = unit_tmp_dir();
	char scan[PATH_MAX / 2], svc[PATH_MAX / 2], path[PATH_MAX];
	struct envlist env = {0};
	int scanfd, svcfd;

	snprintf(scan, sizeof scan, "%s/scan", tmp);
	snprintf(svc, sizeof svc, "%s/svc", tmp);
	ck_assert_int_eq(mkdir(scan, 0755), 0);
	snprintf(path, sizeof path, "%s/.hotsv", scan);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/.hotsv/env", scan);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put(path, "MINE", "global\n", 7);
	put(path, "ALL", "global\n", 7);
	ck_assert_int_eq(mkdir(svc, 0755), 0);
	snprintf(path, sizeof path, "%s/env", svc);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put(path, "MINE", "mine\n", 5);
	put(path, "GONE", "", 0);
	put(path, "A=B", "x\n", 2);
	put(path, ".hidden", "x\n", 2);
	memset(big, 'x', sizeof big);
	put(path, "BIG", big, sizeof big);
	snprintf(path, sizeof path, "%s/env/DIR", svc);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/env/DANGLING", svc);
	ck_assert_int_eq(symlink("/nonexistent/secret", path), 0);
	scanfd = open(scan, O_PATH | O_DIRECTORY);
	svcfd = open(svc, O_PATH | O_DIRECTORY);
	envlist_for_run(&env, inherited, scanfd, svcfd, NULL);
	ck_assert_str_eq(var_of(&env, "KEEP")->value, "1");
	ck_assert_str_eq(var_of(&env, "KEEP")->source, "inherited");
	ck_assert_str_eq(var_of(&env, "ALL")->source, ".hotsv/env");
	ck_assert_str_eq(var_of(&env, "MINE")->value, "mine");
	ck_assert_str_eq(var_of(&env, "MINE")->source, "env/");
	ck_assert_ptr_null(var_of(&env, "GONE"));
	ck_assert_ptr_null(var_of(&env, "A"));
	ck_assert_ptr_null(var_of(&env, "BIG"));
	ck_assert_ptr_null(var_of(&env, ".hidden"));
	ck_assert_uint_eq(env.count, 3);
	ck_assert_ptr_nonnull(strstr(env.bad.text, "env/A=B: "));
	ck_assert_ptr_nonnull(strstr(env.bad.text, "env/DIR: "));
	ck_assert_ptr_nonnull(strstr(env.bad.text, "env/BIG: "));
	ck_assert_ptr_nonnull(
	    strstr(env.bad.text, "env/DANGLING: a symbolic link to nothing"));
	ck_assert_ptr_null(strstr(env.bad.text, "hidden"));
	envlist_free(&env);
	close(scanfd);
	close(svcfd);
}
END_TEST

/* Signed numbers within bounds; umask in octal up to 0777. */
START_TEST(numbers)
{
	const char *why = NULL;
	mode_t mask;
	long value;

	ck_assert_int_eq(svparse_int(" -20\n", 5, -20, 19, &value, &why), 0);
	ck_assert_int_eq(value, -20);
	ck_assert_int_eq(svparse_int("19", 2, -20, 19, &value, &why), 0);
	ck_assert_int_eq(value, 19);
	ck_assert_int_eq(svparse_int("20", 2, -20, 19, &value, &why), -1);
	ck_assert_int_eq(svparse_int("-21", 3, -20, 19, &value, &why), -1);
	ck_assert_int_eq(svparse_int("five", 4, -20, 19, &value, &why), -1);
	ck_assert_int_eq(svparse_int("", 0, -20, 19, &value, &why), -1);
	ck_assert_int_eq(svparse_int("-1000", 5, -1000, 1000, &value, &why), 0);
	ck_assert_int_eq(value, -1000);
	ck_assert_int_eq(svparse_umask("027\n", 4, &mask, &why), 0);
	ck_assert_uint_eq(mask, 027);
	ck_assert_int_eq(svparse_umask("0", 1, &mask, &why), 0);
	ck_assert_uint_eq(mask, 0);
	ck_assert_int_eq(svparse_umask("0777", 4, &mask, &why), 0);
	ck_assert_int_eq(svparse_umask("1000", 4, &mask, &why), -1);
	ck_assert_int_eq(svparse_umask("08", 2, &mask, &why), -1);
	ck_assert_int_eq(svparse_umask("", 0, &mask, &why), -1);
}
END_TEST

/* NAME VALUE, NAME SOFT:HARD, unlimited; garbage refused. */
START_TEST(limit_lines)
{
	const char *why = NULL;
	struct rlimit lim;
	int res;

	ck_assert_int_eq(svparse_limit("nofile 1024", 11, &res, &lim, &why), 0);
	ck_assert_int_eq(res, RLIMIT_NOFILE);
	ck_assert_uint_eq(lim.rlim_cur, 1024);
	ck_assert_uint_eq(lim.rlim_max, 1024);
	ck_assert_int_eq(
	    svparse_limit("\tcore  0:unlimited ", 19, &res, &lim, &why), 0);
	ck_assert_int_eq(res, RLIMIT_CORE);
	ck_assert_uint_eq(lim.rlim_cur, 0);
	ck_assert(lim.rlim_max == RLIM_INFINITY);
	ck_assert_int_eq(
	    svparse_limit("stack unlimited", 15, &res, &lim, &why), 0);
	ck_assert(lim.rlim_cur == RLIM_INFINITY);
	ck_assert_int_eq(svparse_limit("NOFILE 1", 8, &res, &lim, &why), -1);
	ck_assert_int_eq(svparse_limit("nofile", 6, &res, &lim, &why), -1);
	ck_assert_int_eq(svparse_limit("nofile x", 8, &res, &lim, &why), -1);
	ck_assert_int_eq(svparse_limit("nofile 2:1", 10, &res, &lim, &why), -1);
	ck_assert_int_eq(
	    svparse_limit("nofile 1:2:3", 12, &res, &lim, &why), -1);
	ck_assert_int_eq(svparse_limit("rss 1", 5, &res, &lim, &why), -1);
}
END_TEST

/* A whole file: comments and blank lines skipped, bad lines named. */
START_TEST(limits_file)
{
	static const char text[] = "# comment\n\nnofile 10:20\nbogus 1\n"
	                           "core unlimited\nnofile 30";
	struct proc_settings ps = {0};
	struct complaints bad = {0};

	svparse_limits(text, sizeof text - 1, "limits", &ps, &bad);
	ck_assert_int_eq(ps.nlimits, 2);
	ck_assert_int_eq(ps.limits[0].resource, RLIMIT_NOFILE);
	ck_assert_uint_eq(ps.limits[0].value.rlim_cur, 30);
	ck_assert_int_eq(ps.limits[1].resource, RLIMIT_CORE);
	ck_assert_str_eq(
	    bad.text, "limits:4: not a limit name (line skipped)\n");
	complaints_free(&bad);
}
END_TEST

/* The suite. */
Suite *
envdir_suite(void)
{
	Suite *s = suite_create("envdir");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, content_rules);
	tcase_add_test(tc, names);
	tcase_add_test(tc, layers);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, limit_lines);
	tcase_add_test(tc, limits_file);
	suite_add_tcase(s, tc);
	return s;
}
