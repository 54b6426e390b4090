/* Escaping names for a terminal and for JSON (src/lib/escape.c). */
#include "config.h"

#include <string.h>

#include "lib/escape.h"
#include "units.h"

/* A text, as a terminal shows it and the columns that takes, and as the
 * inside of a JSON string. */
static const struct {
	const char *what;
	const char *text;
	const char *terminal;
	size_t columns;
	const char *json;
} escape_cases[] = {
    {"empty", "", "", 0, ""},
    {"ASCII", "web-1_x.y", "web-1_x.y", 9, "web-1_x.y"},
    {"space", "a b", "a b", 3, "a b"},
    {"e acute", "caf\xc3\xa9", "caf\xc3\xa9", 4, "caf\xc3\xa9"},
    {"e and a combining acute", "e\xcc\x81", "e\xcc\x81", 1, "e\xcc\x81"},
    {"CJK, two columns each", "\xe6\xbc\xa2\xe5\xad\x97",
        "\xe6\xbc\xa2\xe5\xad\x97", 4, "\xe6\xbc\xa2\xe5\xad\x97"},
    {"emoji, four bytes", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 2,
        "\xf0\x9f\x98\x80"},
    {"last code point", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 1,
        "\xf4\x8f\xbf\xbf"},
    {"newline", "new\nline", "new\\x0aline", 11, "new\\u000aline"},
    {"tab", "a\tb", "a\\x09b", 6, "a\\u0009b"},
    {"escape (ESC)", "\x1b[2J", "\\x1b[2J", 7, "\\u001b[2J"},
    {"DEL", "a\x7f", "a\\x7f", 5, "a\\u007f"},
    {"C1 control (NEL)", "a\xc2\x85", "a\\xc2\\x85", 9, "a\\u0085"},
    {"C1 CSI", "\xc2\x9b", "\\xc2\\x9b", 8, "\\u009b"},
    {"first after C1", "\xc2\xa0", "\xc2\xa0", 1, "\xc2\xa0"},
    {"backslash", "a\\b", "a\\x5cb", 6, "a\\\\b"},
    {"double quote", "a\"b", "a\"b", 3, "a\\\"b"},
    {"invalid byte", "bad\xff", "bad\\xff", 7, "bad\\u00ff"},
    {"lone continuation", "\x80", "\\x80", 4, "\\u0080"},
    {"truncated two-byte", "ab\xc3", "ab\\xc3", 6, "ab\\u00c3"},
    {"truncated three-byte", "\xe6\xbc", "\\xe6\\xbc", 8, "\\u00e6\\u00bc"},
    {"truncated, then ASCII", "\xe6\xbcz", "\\xe6\\xbcz", 9, "\\u00e6\\u00bcz"},
    {"overlong slash", "over\xc0\xaflong", "over\\xc0\\xaflong", 16,
        "over\\u00c0\\u00aflong"},
    {"overlong three-byte", "\xe0\x80\xaf", "\\xe0\\x80\\xaf", 12,
        "\\u00e0\\u0080\\u00af"},
    {"surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80", 12,
        "\\u00ed\\u00a0\\u0080"},
    {"past U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", 16,
        "\\u00f4\\u0090\\u0080\\u0080"},
    {"five-byte lead", "\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80", 20,
        "\\u00f8\\u0088\\u0080\\u0080\\u0080"},
};

/* Escape each text of the table both ways. */
START_TEST(escape_table)
{
	const char *text = escape_cases[_i].text;
	char terminal[ESCAPE_TERMINAL_SIZE(32)], json[ESCAPE_JSON_SIZE(32)];
	size_t columns;

	ck_assert(strlen(text) <= 32);
	memset(terminal, 'X', sizeof terminal);
	columns = escape_terminal(text, terminal, sizeof terminal);
	ck_assert_msg(strcmp(terminal, escape_cases[_i].terminal) == 0,
	    "%s: terminal \"%s\", want \"%s\"", escape_cases[_i].what, terminal,
	    escape_cases[_i].terminal);
	ck_assert_msg(columns == escape_cases[_i].columns,
	    "%s: %zu columns, want %zu", escape_cases[_i].what, columns,
	    escape_cases[_i].columns);
	memset(json, 'X', sizeof json);
	escape_json(text, json, sizeof json);
	ck_assert_msg(strcmp(json, escape_cases[_i].json) == 0,
	    "%s: JSON \"%s\", want \"%s\"", escape_cases[_i].what, json,
	    escape_cases[_i].json);
}
END_TEST

/* The worst case fits the documented size exactly. */
START_TEST(worst_case_sizes)
{
	char terminal[ESCAPE_TERMINAL_SIZE(3)], json[ESCAPE_JSON_SIZE(3)];

	ck_assert_uint_eq(
	    escape_terminal("\xff\xff\xff", terminal, sizeof terminal), 12);
	ck_assert_str_eq(terminal, "\\xff\\xff\\xff");
	escape_json("\x01\x02\xff", json, sizeof json);
	ck_assert_str_eq(json, "\\u0001\\u0002\\u00ff");
}
END_TEST

/* A buffer too small gets whole pieces only, and columns to match. */
START_TEST(truncated_output)
{
	char out[6];

	ck_assert_uint_eq(escape_terminal("abcdefgh", out, sizeof out), 5);
	ck_assert_str_eq(out, "abcde");
	ck_assert_uint_eq(escape_terminal("ab\x01z", out, sizeof out), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_uint_eq(
	    escape_terminal("a\xe6\xbc\xa2\xe5\xad\x97", out, sizeof out), 3);
	ck_assert_str_eq(out, "a\xe6\xbc\xa2");
	escape_json("a\"\x01", out, sizeof out);
	ck_assert_str_eq(out, "a\\\"");
	ck_assert_uint_eq(escape_terminal("abc", out, 0), 0);
}
END_TEST

/*
 * A log line by its length: NUL bytes are characters, a sequence cut by
 * the length is bytes that are not UTF-8, and the length written comes
 * back.
 */
START_TEST(json_bytes)
{
	static const char line[] = "say \"hi\"\\\t\x01\0end\xc3\xa9";
	static const char want[] =
	    "say \\\"hi\\\"\\\\\\u0009\\u0001\\u0000end\xc3\xa9";
	char out[ESCAPE_JSON_SIZE(sizeof line)];
	size_t n;

	n = escape_json_bytes(line, sizeof line - 1, out, sizeof out);
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(n, strlen(want));
	/* The same line cut in the middle of its e acute. */
	n = escape_json_bytes(line, sizeof line - 2, out, sizeof out);
	ck_assert_uint_eq(n, strlen(want) - 2 + 6);
	ck_assert_str_eq(out + n - 6, "\\u00c3");
	ck_assert_uint_eq(escape_json_bytes("abc", 0, out, sizeof out), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* The escape suite. */
Suite *
escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");

	tcase_add_loop_test(tc, escape_table, 0, NELEM(escape_cases));
	tcase_add_test(tc, worst_case_sizes);
	tcase_add_test(tc, truncated_output);
	tcase_add_test(tc, json_bytes);
	suite_add_tcase(s, tc);
	return s;
}
