/* TAI64N: binary and text forms, known values and malformed text. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "lib/tai.h"
#include "units.h"

/* UTC times and their TAI64N form (label = 2^62 + 37 + seconds). */
static const struct {
	struct {
		long long sec; /* wider than a 32-bit time_t */
		long nsec;
	} utc;
	unsigned char packed[TAI64N_PACK];
	const char *text;
} tai_known[] = {
    {{0, 0}, "\x40\0\0\0\0\0\0\x25\0\0\0\0", "@400000000000002500000000"},
    {{-37, 0}, "\x40\0\0\0\0\0\0\0\0\0\0\0", "@400000000000000000000000"},
    {{1, 999999999}, "\x40\0\0\0\0\0\0\x26\x3b\x9a\xc9\xff",
        "@40000000000000263b9ac9ff"},
    {{1795927811, 274717787}, "\x40\0\0\0\x6b\x0b\xaf\x28\x10\x5f\xdc\x5b",
        "@400000006b0baf28105fdc5b"},
    {{INT32_MAX, 0}, "\x40\0\0\0\x80\0\0\x24\0\0\0\0",
        "@400000008000002400000000"},
    {{1LL << 40, 1}, "\x40\0\x01\0\0\0\0\x25\0\0\0\x01",
        "@400001000000002500000001"},
};

/* Texts tai64n_parse must refuse, and why. */
static const struct {
	const char *text;
	const char *why;
} tai_malformed[] = {
    {"", "empty"},
    {"@", "no digits"},
    {"400000000000002500000000", "no @"},
    {"#400000000000002500000000", "# for @"},
    {"@40000000000000250000000", "23 digits"},
    {"@4000000000000025000000000", "25 digits"},
    {"@400000000000002500000000\n", "a newline after"},
    {" @400000000000002500000000", "a blank before"},
    {"@40000000000000250000000 ", "a blank for a digit"},
    {"@4000000000000025 0000000", "a blank inside"},
    {"@40000000000000250000000g", "not hex"},
    {"@-00000000000002500000000", "a sign"},
    {"@0x0000000000002500000000", "0x"},
    {"@4000000000000025ffffffff", "4294967295 ns"},
    {"@40000000000000253b9aca00", "10^9 ns"},
};

/* Pack, unpack, format and parse each known value. */
START_TEST(known_values)
{
	const struct timespec utc = {
	    (time_t)tai_known[_i].utc.sec, tai_known[_i].utc.nsec};
	unsigned char packed[TAI64N_PACK];
	char text[TAI64N_TEXT + 1];
	struct timespec back;

	if (utc.tv_sec != tai_known[_i].utc.sec)
		return; /* a 32-bit time_t cannot hold it */
	tai64n_pack(packed, &utc);
	ck_assert_mem_eq(packed, tai_known[_i].packed, TAI64N_PACK);
	tai64n_unpack(tai_known[_i].packed, &back);
	ck_assert_int_eq(back.tv_sec, utc.tv_sec);
	ck_assert_int_eq(back.tv_nsec, utc.tv_nsec);
	memset(text, 'z', sizeof text);
	tai64n_format(text, &utc);
	ck_assert_str_eq(text, tai_known[_i].text);
	ck_assert_int_eq(tai64n_parse(tai_known[_i].text, &back), 0);
	ck_assert_int_eq(back.tv_sec, utc.tv_sec);
	ck_assert_int_eq(back.tv_nsec, utc.tv_nsec);
}
END_TEST

/* Round trip a spread of seconds and nanoseconds through both forms. */
START_TEST(round_trip)
{
	unsigned char packed[TAI64N_PACK];
	char text[TAI64N_TEXT + 1];
	struct timespec utc, back;

	for (long long sec = -1000000; sec < 4000000000LL; sec += 9999991) {
		for (long nsec = 0; nsec < 1000000000; nsec += 99999989) {
			utc = (struct timespec){(time_t)sec, nsec};
			tai64n_pack(packed, &utc);
			tai64n_unpack(packed, &back);
			ck_assert(back.tv_sec == utc.tv_sec &&
			    back.tv_nsec == utc.tv_nsec);
			tai64n_format(text, &utc);
			ck_assert_int_eq(tai64n_parse(text, &back), 0);
			ck_assert(back.tv_sec == utc.tv_sec &&
			    back.tv_nsec == utc.tv_nsec);
		}
	}
}
END_TEST

/* Accept upper-case hex digits as well. */
START_TEST(parse_upper_case)
{
	struct timespec utc;

	ck_assert_int_eq(tai64n_parse("@400000006B0BAF28105FDC5B", &utc), 0);
	ck_assert_int_eq(utc.tv_sec, 1795927811);
	ck_assert_int_eq(utc.tv_nsec, 274717787);
}
END_TEST

/* Refuse malformed text and leave the time alone. */
START_TEST(parse_malformed)
{
	struct timespec utc = {12345, 678};

	ck_assert_msg(tai64n_parse(tai_malformed[_i].text, &utc) == -1,
	    "accepted \"%s\" (%s)", tai_malformed[_i].text,
	    tai_malformed[_i].why);
	ck_assert_int_eq(utc.tv_sec, 12345);
	ck_assert_int_eq(utc.tv_nsec, 678);
}
END_TEST

/* Read an impossible nanosecond count in binary as 0, as skalibs does. */
START_TEST(unpack_bad_nanoseconds)
{
	struct timespec utc;

	tai64n_unpack(
	    (const unsigned char *)"\x40\0\0\0\0\0\0\x25\x3b\x9a\xca\0", &utc);
	ck_assert_int_eq(utc.tv_sec, 0);
	ck_assert_int_eq(utc.tv_nsec, 0);
}
END_TEST

/* The TAI64N suite. */
Suite *
tai_suite(void)
{
	Suite *s = suite_create("tai");
	TCase *tc = tcase_create("tai64n");

	tcase_add_loop_test(tc, known_values, 0, NELEM(tai_known));
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, parse_upper_case);
	tcase_add_loop_test(tc, parse_malformed, 0, NELEM(tai_malformed));
	tcase_add_test(tc, unpack_bad_nanoseconds);
	suite_add_tcase(s, tc);
	return s;
}
