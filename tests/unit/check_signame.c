/* Signal names and numbers, both ways. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "lib/signame.h"
#include "units.h"

/* Texts and the signal they name, -1 for none. */
static const struct {
	const char *text;
	int sig;
} signame_cases[] = {
    {"TERM", SIGTERM},
    {"SIGTERM", SIGTERM},
    {"sigterm", SIGTERM},
    {"SigTerm", SIGTERM},
    {"15", SIGTERM},
    {"015", SIGTERM},
    {"HUP", SIGHUP},
    {"SIGKILL", SIGKILL},
    {"WINCH", SIGWINCH},
    {"IOT", SIGABRT},
    {"SIGPOLL", SIGIO},
    {"1", 1},
    {"64", 64},
    {"0", -1},
    {"65", -1},
    {"99999999999999999999", -1},
    {"-15", -1},
    {"+15", -1},
    {"15x", -1},
    {"15 ", -1},
    {" TERM", -1},
    {"TERM\n", -1},
    {"", -1},
    {"SIG", -1},
    {"sig", -1},
    {"SIGSIGTERM", -1},
    {"TERMINATE", -1},
    {"FOO", -1},
    {"SIGFOO", -1},
    {"SIG15", -1},
};

/* Parse each text in the table. */
START_TEST(parse_table)
{
	const char *text = signame_cases[_i].text;

	ck_assert_msg(
	    signame_parse(text, strlen(text)) == signame_cases[_i].sig,
	    "signame_parse(\"%s\") = %d, want %d", text,
	    signame_parse(text, strlen(text)), signame_cases[_i].sig);
}
END_TEST

/* Read only len bytes: the text needs no terminator. */
START_TEST(parse_length)
{
	ck_assert_int_eq(signame_parse("TERMINATE", 4), SIGTERM);
	ck_assert_int_eq(signame_parse("SIGHUPX", 6), SIGHUP);
	ck_assert_int_eq(signame_parse("150", 2), SIGTERM);
	ck_assert_int_eq(signame_parse("TERM", 0), -1);
}
END_TEST

/* Name every classic signal, and parse the name back to its number. */
START_TEST(names_round_trip)
{
	for (int sig = 1; sig < 32; sig++) {
		const char *name = signame_of(sig);

		ck_assert_msg(name != NULL, "signal %d has no name", sig);
		ck_assert_msg(strncmp(name, "SIG", 3) == 0, "%s", name);
		ck_assert_int_eq(signame_parse(name, strlen(name)), sig);
		ck_assert_int_eq(
		    signame_parse(name + 3, strlen(name + 3)), sig);
	}
}
END_TEST

/* Print the main name of an aliased signal, and nothing for unnamed ones. */
START_TEST(names_of)
{
	ck_assert_str_eq(signame_of(SIGABRT), "SIGABRT");
	ck_assert_str_eq(signame_of(SIGIO), "SIGIO");
	ck_assert_str_eq(signame_of(SIGTERM), "SIGTERM");
	ck_assert_ptr_null(signame_of(0));
	ck_assert_ptr_null(signame_of(-1));
	ck_assert_ptr_null(signame_of(SIGRTMIN));
	ck_assert_ptr_null(signame_of(1000));
}
END_TEST

/* The signal-name suite. */
Suite *
signame_suite(void)
{
	Suite *s = suite_create("signame");
	TCase *tc = tcase_create("signame");

	tcase_add_loop_test(tc, parse_table, 0, NELEM(signame_cases));
	tcase_add_test(tc, parse_length);
	tcase_add_test(tc, names_round_trip);
	tcase_add_test(tc, names_of);
	suite_add_tcase(s, tc);
	return s;
}
