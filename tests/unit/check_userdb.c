/*
 * The "user" file: our own reading of /etc/passwd and /etc/group (a
 * static binary has no NSS), and the user file's text.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lib/userdb.h"
#include "units.h"

/* A passwd file with what real ones hold, and what they must not. */
static const char userdb_passwd_text[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "\n"
    "# a comment\n"
    "short:x:5:5\n"
    "baduid:x:12a:100::/home/baduid:/bin/sh\n"
    "relu:x:62001:62001:Rel U:/home/relu:/bin/sh\n"
    "rel:x:62002:62002::/home/rel:/bin/sh\n"
    "nohome:x:62003:100:::/bin/sh\n"
    "twin:x:62001:1:second with relu's uid:/twin:/bin/sh\n"
    "last:x:62004:62004::/home/last:/bin/sh";

/* Users to find by name (uid -1) or by uid, and what must come back. */
static const struct {
	const char *name;
	long uid;
	int found;
	long want_uid, want_gid;
	const char *want_name, *want_home;
} userdb_lookups[] = {
    {"relu", -1, 0, 62001, 62001, "relu", "/home/relu"},
    {"rel", -1, 0, 62002, 62002, "rel", "/home/rel"},
    {"root", -1, 0, 0, 0, "root", "/root"},
    {"nohome", -1, 0, 62003, 100, "nohome", "/"},
    {"last", -1, 0, 62004, 62004, "last", "/home/last"},
    {"", 62001, 0, 62001, 62001, "relu", "/home/relu"},
    {"", 0, 0, 0, 0, "root", "/root"},
    {"re", -1, -1, 0, 0, NULL, NULL},
    {"relux", -1, -1, 0, 0, NULL, NULL},
    {"short", -1, -1, 0, 0, NULL, NULL},
    {"baduid", -1, -1, 0, 0, NULL, NULL},
    {"# a comment", -1, -1, 0, 0, NULL, NULL},
    {"", 5, -1, 0, 0, NULL, NULL},
    {"", 99999, -1, 0, 0, NULL, NULL},
};

/* Find users by name or uid; skip malformed lines; first match wins. */
START_TEST(passwd_lookup)
{
	struct user_spec out;
	int got;

	memset(&out, 0, sizeof out);
	got = userdb_passwd(userdb_passwd_text, strlen(userdb_passwd_text),
	    userdb_lookups[_i].name, userdb_lookups[_i].uid, &out);
	ck_assert_int_eq(got, userdb_lookups[_i].found);
	if (got < 0)
		return;
	ck_assert_int_eq(out.uid, userdb_lookups[_i].want_uid);
	ck_assert_int_eq(out.gid, userdb_lookups[_i].want_gid);
	ck_assert_str_eq(out.name, userdb_lookups[_i].want_name);
	ck_assert_str_eq(out.home, userdb_lookups[_i].want_home);
}
END_TEST

/* A line too long to be an entry is skipped, not read from its middle. */
START_TEST(passwd_long_line)
{
	char text[4096];
	struct user_spec out;
	int n;

	n = snprintf(text, sizeof text, "x:x:1:1::/home/x:/bin/");
	memset(text + n, 'a', 2000);
	n += 2000;
	n += snprintf(text + n, sizeof text - (size_t)n,
	    "\nrelu:x:7:8::/h:/bin/sh\nin:x:9:9::/h:/bin/sh\n");
	ck_assert_int_eq(userdb_passwd(text, (size_t)n, "relu", -1, &out), 0);
	ck_assert_int_eq(out.uid, 7);
	ck_assert_int_eq(userdb_passwd(text, (size_t)n, "x", -1, &out), -1);
	/* Only the bytes given are read: no terminating NUL needed. */
	ck_assert_int_eq(
	    userdb_passwd(text, (size_t)n - 22, "in", -1, &out), -1);
}
END_TEST

/* A group file: members lists of every shape. */
static const char userdb_group_text[] = "root:x:0:\n"
                                        "relu:x:62001:\n"
                                        "audio:x:29:pulse,relu\n"
                                        "video:x:44:relu\n"
                                        "plugdev:x:46:relux,xrelu,rel\n"
                                        "again:x:62001:relu\n"
                                        "bad:x:4x:relu\n"
                                        "short:relu\n"
                                        "staff:x:50:a,relu,b\n";

/* Supplementary groups: the primary first, then each naming the user. */
START_TEST(groups_of_user)
{
	struct user_spec out = {.gid = 62001};
	const gid_t want[] = {62001, 29, 44, 50};

	userdb_groups(
	    userdb_group_text, strlen(userdb_group_text), "relu", &out);
	ck_assert_int_eq(out.ngroups, (int)NELEM(want));
	for (size_t i = 0; i < NELEM(want); i++)
		ck_assert_int_eq(out.groups[i], want[i]);
}
END_TEST

/* No more than USER_GROUPS_MAX groups, however many name the user. */
START_TEST(groups_capped)
{
	static char text[USER_GROUPS_MAX * 2 * 32];
	struct user_spec out = {.gid = 1};
	size_t len = 0;

	for (int i = 0; i < USER_GROUPS_MAX * 2; i++)
		len += (size_t)snprintf(
		    text + len, sizeof text - len, "g%d:x:%d:u\n", i, 1000 + i);
	userdb_groups(text, len, "u", &out);
	ck_assert_int_eq(out.ngroups, USER_GROUPS_MAX);
	ck_assert_int_eq(out.groups[0], 1);
	ck_assert_int_eq(
	    out.groups[USER_GROUPS_MAX - 1], 1000 + USER_GROUPS_MAX - 2);
}
END_TEST

/* User files and what they resolve to, against the files above. */
static const struct {
	const char *text;
	long want_uid, want_gid;
	const char *want_name, *want_home;
	int ngroups;
} userdb_resolved[] = {
    {"relu", 62001, 62001, "relu", "/home/relu", 4},
    {"relu\n", 62001, 62001, "relu", "/home/relu", 4},
    {"relu \t\r\n", 62001, 62001, "relu", "/home/relu", 4},
    {"62001:29", 62001, 29, "relu", "/home/relu", 4},
    {"62010:62011", 62010, 62011, "62010", "/", 1},
    {"0:0\n", 0, 0, "root", "/root", 1},
};

/* Resolve a user file's text with etc/passwd and etc/group. */
START_TEST(resolve_good)
{
	const char *etc = unit_tmp_dir(), *why = NULL;
	const char *text = userdb_resolved[_i].text;
	struct user_spec out;

	unit_put(etc, "passwd", userdb_passwd_text, strlen(userdb_passwd_text));
	unit_put(etc, "group", userdb_group_text, strlen(userdb_group_text));
	ck_assert_msg(user_resolve(text, strlen(text), etc, &out, &why) == 0,
	    "'%s': %s", text, why);
	ck_assert_int_eq(out.uid, userdb_resolved[_i].want_uid);
	ck_assert_int_eq(out.gid, userdb_resolved[_i].want_gid);
	ck_assert_str_eq(out.name, userdb_resolved[_i].want_name);
	ck_assert_str_eq(out.home, userdb_resolved[_i].want_home);
	ck_assert_int_eq(out.ngroups, userdb_resolved[_i].ngroups);
	ck_assert_int_eq(out.groups[0], out.gid);
}
END_TEST

/* User files refused, and the reason given. */
static const struct {
	const char *text;
	size_t len;
	const char *why;
} userdb_refused[] = {
    {"", 0, "empty"},
    {" \n", 2, "empty"},
    {"relu\nrel", 8, "not one user name or uid:gid"},
    {"re\0lu", 5, "not one user name or uid:gid"},
    {"nosuch", 6, "no such user in /etc/passwd"},
    {"62001:", 6, "uid:gid must be two numbers"},
    {":62001", 6, "uid:gid must be two numbers"},
    {"relu:1", 6, "uid:gid must be two numbers"},
    {"-1:0", 4, "uid:gid must be two numbers"},
};

/* Refuse what is not one user, saying why. */
START_TEST(resolve_bad)
{
	const char *etc = unit_tmp_dir(), *why = NULL;
	struct user_spec out;

	unit_put(etc, "passwd", userdb_passwd_text, strlen(userdb_passwd_text));
	ck_assert_int_eq(user_resolve(userdb_refused[_i].text,
	                     userdb_refused[_i].len, etc, &out, &why),
	    -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, userdb_refused[_i].why);
}
END_TEST

/* Without an etc/passwd, a name is unknown and uid:gid still works. */
START_TEST(resolve_no_passwd)
{
	const char *etc = unit_tmp_dir(), *why = NULL;
	struct user_spec out;

	ck_assert_int_eq(user_resolve("relu", 4, etc, &out, &why), -1);
	ck_assert_str_eq(why, "no such user in /etc/passwd");
	ck_assert_int_eq(user_resolve("7:8", 3, etc, &out, &why), 0);
	ck_assert_int_eq(out.uid, 7);
	ck_assert_int_eq(out.gid, 8);
	ck_assert_int_eq(out.ngroups, 1);
}
END_TEST

/* The user database suite. */
Suite *
userdb_suite(void)
{
	Suite *s = suite_create("userdb");
	TCase *parse = tcase_create("parse");
	TCase *resolve = tcase_create("resolve");

	tcase_add_loop_test(parse, passwd_lookup, 0, NELEM(userdb_lookups));
	tcase_add_test(parse, passwd_long_line);
	tcase_add_test(parse, groups_of_user);
	tcase_add_test(parse, groups_capped);
	suite_add_tcase(s, parse);
	tcase_add_unchecked_fixture(resolve, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_loop_test(resolve, resolve_good, 0, NELEM(userdb_resolved));
	tcase_add_loop_test(resolve, resolve_bad, 0, NELEM(userdb_refused));
	tcase_add_test(resolve, resolve_no_passwd);
	suite_add_tcase(s, resolve);
	return s;
}
