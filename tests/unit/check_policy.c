/*
 * The type and on-exit files: their words, defaults, the rule that
 * judges a run's end, and the one line a garbage word gets.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sv/files.h"
#include "sv/policy.h"
#include "units.h"

/* on-exit texts and what they parse to (-1: refused). */
static const struct {
	const char *text;
	int on_exit;
} policy_on_exits[] = {
    {"restart", SV_RESTART},
    {"halt\n", SV_HALT},
    {"  halt-on-failure \n", SV_HALT_ON_FAILURE},
    {"", -1},
    {"\n", -1},
    {"Halt", -1},
    {"halt now", -1},
    {"halt-on", -1},
    {"restartx", -1},
};

/* Parse each on-exit text. */
START_TEST(parse_on_exit)
{
	const char *text = policy_on_exits[_i].text, *why = NULL;
	int got = svpolicy_parse(SV_FILE_ON_EXIT, text, strlen(text), &why);

	ck_assert_int_eq(got, policy_on_exits[_i].on_exit);
	if (got < 0)
		ck_assert_ptr_nonnull(why);
}
END_TEST

/* Parse the type words, and refuse others. */
START_TEST(parse_type)
{
	const char *why;

	ck_assert_int_eq(
	    svpolicy_parse(SV_FILE_TYPE, "oneshot\n", 8, &why), SV_ONESHOT);
	ck_assert_int_eq(
	    svpolicy_parse(SV_FILE_TYPE, " longrun", 8, &why), SV_LONGRUN);
	ck_assert_int_eq(svpolicy_parse(SV_FILE_TYPE, "bundle", 6, &why), -1);
	ck_assert_int_eq(
	    svpolicy_parse(SV_FILE_TYPE, "one\0shot", 8, &why), -1);
	ck_assert_str_eq(svpolicy_word(SV_FILE_TYPE, SV_ONESHOT), "oneshot");
	ck_assert_str_eq(svpolicy_word(SV_FILE_ON_EXIT, SV_HALT_ON_FAILURE),
	    "halt-on-failure");
	ck_assert_str_eq(svpolicy_file_name(SV_FILE_ON_EXIT), "on-exit");
}
END_TEST

/* What a run's end comes to, for each policy, status and way it ended. */
static const struct {
	enum sv_type type;
	enum sv_on_exit on_exit;
	int wstat;
	enum sv_end end;
	enum sv_outcome outcome;
} policy_judged[] = {
    {SV_LONGRUN, SV_RESTART, 0x0000, SV_END_OWN, SV_OUT_USUAL},
    {SV_LONGRUN, SV_RESTART, 0x0300, SV_END_OWN, SV_OUT_USUAL},
    {SV_LONGRUN, SV_HALT, 0x0000, SV_END_OWN, SV_OUT_HALT},
    {SV_LONGRUN, SV_HALT, 0x0300, SV_END_OWN, SV_OUT_HALT},
    {SV_LONGRUN, SV_HALT, 0x0009, SV_END_OWN, SV_OUT_HALT},
    {SV_LONGRUN, SV_HALT, 0x000f, SV_END_STOPPED, SV_OUT_USUAL},
    {SV_LONGRUN, SV_HALT_ON_FAILURE, 0x0000, SV_END_OWN, SV_OUT_DONE},
    {SV_LONGRUN, SV_HALT_ON_FAILURE, 0x0300, SV_END_OWN, SV_OUT_HALT},
    {SV_LONGRUN, SV_HALT_ON_FAILURE, 0x000f, SV_END_OWN, SV_OUT_HALT},
    {SV_LONGRUN, SV_HALT_ON_FAILURE, 0x000f, SV_END_STOPPED, SV_OUT_USUAL},
    {SV_ONESHOT, SV_HALT_ON_FAILURE, 0x0000, SV_END_OWN, SV_OUT_DONE},
    {SV_ONESHOT, SV_HALT_ON_FAILURE, 0x0100, SV_END_OWN, SV_OUT_HALT},
    {SV_ONESHOT, SV_HALT_ON_FAILURE, 0x000f, SV_END_STOPPED, SV_OUT_USUAL},
    {SV_ONESHOT, SV_RESTART, 0x0000, SV_END_OWN, SV_OUT_DONE},
    {SV_ONESHOT, SV_RESTART, 0x0100, SV_END_OWN, SV_OUT_USUAL},
    {SV_ONESHOT, SV_HALT, 0x0000, SV_END_OWN, SV_OUT_HALT},
    /* A death by a letter's signal: no failure, yet not a stop. */
    {SV_LONGRUN, SV_HALT_ON_FAILURE, 0x0009, SV_END_SIGNALLED, SV_OUT_USUAL},
    {SV_LONGRUN, SV_HALT, 0x0009, SV_END_SIGNALLED, SV_OUT_HALT},
    {SV_ONESHOT, SV_HALT_ON_FAILURE, 0x000f, SV_END_SIGNALLED, SV_OUT_USUAL},
    {SV_LONGRUN, SV_RESTART, 0x0009, SV_END_SIGNALLED, SV_OUT_USUAL},
    /* Exit 0 after a letter's signal it caught: done all the same. */
    {SV_LONGRUN, SV_HALT_ON_FAILURE, 0x0000, SV_END_SIGNALLED, SV_OUT_DONE},
};

/* Judge each row. */
START_TEST(judge)
{
	struct sv_policy p = {
	    policy_judged[_i].type, policy_judged[_i].on_exit};

	ck_assert_int_eq(
	    svpolicy_judge(&p, policy_judged[_i].wstat, policy_judged[_i].end),
	    policy_judged[_i].outcome);
}
END_TEST

/* The code of a wait status, the defaults, and what is the default. */
START_TEST(codes_and_defaults)
{
	struct sv_policy plain = {SV_LONGRUN, SV_RESTART};
	struct sv_policy oneshot = {SV_ONESHOT, SV_HALT_ON_FAILURE};

	ck_assert_int_eq(svpolicy_code(0x0300), 3);
	ck_assert_int_eq(svpolicy_code(0x0009), 137);
	ck_assert_int_eq(svpolicy_code(0x000f), 143);
	ck_assert_int_eq(svpolicy_code(0xff00), 255);
	ck_assert_int_eq(svpolicy_default_on_exit(SV_LONGRUN), SV_RESTART);
	ck_assert_int_eq(
	    svpolicy_default_on_exit(SV_ONESHOT), SV_HALT_ON_FAILURE);
	ck_assert(svpolicy_is_default(&plain));
	ck_assert(!svpolicy_is_default(&oneshot));
}
END_TEST

/* Read the files: defaults by type, and one line naming a bad one. */
START_TEST(read_files)
{
	const char *dir = unit_tmp_dir();
	char log[PATH_MAX], text[1024];
	struct sv_policy p;
	ssize_t got;
	int fd, dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(dirfd, 0);
	snprintf(log, sizeof log, "%s/stderr", dir);
	unit_stderr_to(log);
	svdir_policy_at(dirfd, &p);
	ck_assert(p.type == SV_LONGRUN && p.on_exit == SV_RESTART);
	unit_put(dir, "type", "oneshot\n", 8);
	svdir_policy_at(dirfd, &p);
	ck_assert(p.type == SV_ONESHOT && p.on_exit == SV_HALT_ON_FAILURE);
	ck_assert(svdir_has_readiness_at(dirfd));
	unit_put(dir, "on-exit", "explode\n", 8);
	svdir_policy_at(dirfd, &p);
	ck_assert(p.type == SV_ONESHOT && p.on_exit == SV_HALT_ON_FAILURE);
	unit_put(dir, "on-exit", "restart", 7);
	svdir_policy(dir, &p);
	ck_assert(p.type == SV_ONESHOT && p.on_exit == SV_RESTART);
	close(dirfd);
	fd = open(log, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	got = read(fd, text, sizeof text - 1);
	close(fd);
	ck_assert_int_ge(got, 0);
	text[got] = '\0';
	ck_assert_msg(strstr(text,
	                  "on-exit: unknown word (\"explode\"); using "
	                  "halt-on-failure\n") != NULL &&
	        strchr(text, '\n') == text + strlen(text) - 1,
	    "%s", text);
}
END_TEST

/* The policy suite. */
Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *parse = tcase_create("parse");
	TCase *files = tcase_create("files");

	tcase_add_loop_test(parse, parse_on_exit, 0, NELEM(policy_on_exits));
	tcase_add_test(parse, parse_type);
	tcase_add_loop_test(parse, judge, 0, NELEM(policy_judged));
	tcase_add_test(parse, codes_and_defaults);
	suite_add_tcase(s, parse);
	tcase_add_unchecked_fixture(files, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(files, read_files);
	suite_add_tcase(s, files);
	return s;
}
