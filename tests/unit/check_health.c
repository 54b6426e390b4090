/* The health rule (src/sv/health.c): status, deaths, readiness -> verdict. */
#include "config.h"

#include <string.h>

#include "sv/health.h"
#include "units.h"

/* The wall clock of every case: a second and a half into a minute. */
static const struct timespec health_now = {1700000000, 500000000};

/* One status record, as ages before health_now, and the verdict. */
static const struct {
	const char *what;
	pid_t pid;
	bool finishing, wantup, ready, paused;
	long up_ms;    /* since the last up/down transition */
	long ready_ms; /* since the last readiness */
	long deaths;
	bool has_readiness;
	enum health verdict;
	long settle_ms; /* -1: will not turn ok by itself */
} health_cases[] = {
    {"never died, up at once", 7, false, true, false, false, 0, 0, 0, false,
        HEALTH_OK, -1},
    {"never died, paused", 7, false, true, false, true, 5000, 5000, 0, false,
        HEALTH_OK, -1},
    {"never died, not ready yet", 7, false, true, false, false, 300, 9000, 0,
        true, HEALTH_STARTING, -1},
    {"never died, ready at once", 7, false, true, true, false, 10, 0, 0, true,
        HEALTH_OK, -1},
    {"died, up 0.3 s", 7, false, true, false, false, 300, 300, 1, false,
        HEALTH_RESTARTING, 700},
    {"died 42 times, up 0.999 s", 7, false, true, false, false, 999, 999, 42,
        false, HEALTH_RESTARTING, 1},
    {"died, up 1 s", 7, false, true, false, false, 1000, 1000, 1, false,
        HEALTH_OK, -1},
    {"died, up for days", 7, false, true, false, false, 400000000, 0, 100,
        false, HEALTH_OK, -1},
    {"died, up 5 s, not ready", 7, false, true, false, false, 5000, 6000, 3,
        true, HEALTH_RESTARTING, -1},
    {"died, ready 0.2 s", 7, false, true, true, false, 2000, 200, 1, true,
        HEALTH_RESTARTING, 800},
    {"died, ready 1.5 s", 7, false, true, true, false, 2000, 1500, 1, true,
        HEALTH_OK, -1},
    {"died, down, wanted up", 0, false, true, true, false, 100, 100, 5, false,
        HEALTH_RESTARTING, -1},
    {"died, finishing, wanted up", 9, true, true, false, false, 100, 900, 5,
        true, HEALTH_RESTARTING, -1},
    {"died, finishing, wanted down", 9, true, false, false, false, 100, 900, 1,
        false, HEALTH_FINISHING, -1},
    {"died, down, wanted down", 0, false, false, true, false, 100, 100, 1,
        false, HEALTH_DOWN, -1},
    {"never died, down, wanted up", 0, false, true, true, false, 0, 0, 0, false,
        HEALTH_DOWN, -1},
    {"no tally kept, finishing", 9, true, true, false, false, 10, 10, 0, false,
        HEALTH_FINISHING, -1},
    {"died, stamp ahead of the clock", 7, false, true, false, false, -60000,
        -60000, 2, false, HEALTH_OK, -1},
    {"once: up, not wanted up, died", 7, false, false, false, false, 200, 200,
        1, false, HEALTH_RESTARTING, 800},
};

/* Set *at to health_now minus ms milliseconds. */
static void
before_now(struct timespec *at, long ms)
{
	long long ns = (long long)health_now.tv_sec * 1000000000LL +
	    health_now.tv_nsec - (long long)ms * 1000000LL;

	at->tv_sec = (time_t)(ns / 1000000000LL);
	at->tv_nsec = (long)(ns % 1000000000LL);
}

/* Judge each record of the table. */
START_TEST(judge_table)
{
	struct sv_status st = {0};
	enum health verdict;
	long settle_ms = 12345;

	st.pid = health_cases[_i].pid;
	st.finishing = health_cases[_i].finishing;
	st.wantup = health_cases[_i].wantup;
	st.ready = health_cases[_i].ready;
	st.paused = health_cases[_i].paused;
	before_now(&st.stamp, health_cases[_i].up_ms);
	before_now(&st.readystamp, health_cases[_i].ready_ms);
	verdict = health_judge(&st, health_cases[_i].deaths,
	    health_cases[_i].has_readiness, &health_now, &settle_ms);
	ck_assert_msg(verdict == health_cases[_i].verdict, "%s: %s, want %s",
	    health_cases[_i].what, health_name(verdict),
	    health_name(health_cases[_i].verdict));
	ck_assert_msg(settle_ms == health_cases[_i].settle_ms,
	    "%s: settles in %ld ms, want %ld", health_cases[_i].what, settle_ms,
	    health_cases[_i].settle_ms);
	/* The same verdict without asking when it settles. */
	ck_assert(
	    health_judge(&st, health_cases[_i].deaths,
	        health_cases[_i].has_readiness, &health_now, NULL) == verdict);
}
END_TEST

/* Two status records in a row, and whether a run died between them. */
static const struct {
	const char *what;
	pid_t pid1;
	bool finishing1, ready1;
	pid_t pid2;
	bool finishing2, ready2, paused2;
	bool died;
} health_deaths[] = {
    {"up, then finishing", 7, false, false, 9, true, false, false, true},
    {"up, then down", 7, false, true, 0, false, true, false, true},
    {"up, then up again (reports merged)", 7, false, true, 8, false, false,
        false, true},
    {"up, then ready", 7, false, false, 7, false, true, false, false},
    {"up, then paused", 7, false, true, 7, false, true, true, false},
    {"finishing, then down", 9, true, false, 0, false, true, false, false},
    {"finishing, then up", 9, true, false, 8, false, false, false, false},
    {"down, then up", 0, false, true, 8, false, false, false, false},
};

/* Count deaths from each pair of records. */
START_TEST(run_died_table)
{
	struct sv_status before = {0}, after = {0};

	before.pid = health_deaths[_i].pid1;
	before.finishing = health_deaths[_i].finishing1;
	before.ready = health_deaths[_i].ready1;
	after.pid = health_deaths[_i].pid2;
	after.finishing = health_deaths[_i].finishing2;
	after.ready = health_deaths[_i].ready2;
	after.paused = health_deaths[_i].paused2;
	ck_assert_msg(
	    health_run_died(&before, &after) == health_deaths[_i].died, "%s",
	    health_deaths[_i].what);
}
END_TEST

/* A status record: whether its run is up, and serves. */
static const struct {
	const char *what;
	pid_t pid;
	bool finishing, ready, has_readiness, done;
	bool up, serving;
} health_serves[] = {
    {"down", 0, false, false, false, false, false, false},
    {"down, ready flag left", 0, false, true, true, false, false, false},
    {"up", 7, false, false, false, false, true, true},
    {"up, readiness, not ready", 7, false, false, true, false, true, false},
    {"up, readiness, ready", 7, false, true, true, false, true, true},
    {"finishing", 7, true, true, false, false, false, false},
    {"finishing, readiness", 7, true, true, true, false, false, false},
    {"one-shot done", 0, false, true, true, true, false, true},
    {"done, finishing (never written)", 9, true, true, true, true, false,
        false},
};

/* Judge each record as a held dependent does. */
START_TEST(serving_table)
{
	struct sv_status st = {0};

	st.pid = health_serves[_i].pid;
	st.finishing = health_serves[_i].finishing;
	st.ready = health_serves[_i].ready;
	st.done = health_serves[_i].done;
	ck_assert_msg(health_run_up(&st) == health_serves[_i].up, "%s: up",
	    health_serves[_i].what);
	ck_assert_msg(health_serving(&st, health_serves[_i].has_readiness) ==
	        health_serves[_i].serving,
	    "%s: serving", health_serves[_i].what);
}
END_TEST

/* A one-shot done passes, though down and not wanted up. */
START_TEST(done_passes)
{
	struct sv_status st = {.done = true, .ready = true, .wstat = 0};
	struct timespec now = {1795927811, 0};
	long settle;

	ck_assert_int_eq(health_judge(&st, 1, true, &now, &settle), HEALTH_OK);
	ck_assert_int_eq(settle, -1);
	st.done = false;
	ck_assert_int_eq(health_judge(&st, 1, true, &now, NULL), HEALTH_DOWN);
}
END_TEST

/* Every verdict has its own word. */
START_TEST(names)
{
	for (int a = HEALTH_OK; a <= HEALTH_MISSING; a++) {
		ck_assert_ptr_nonnull(health_name((enum health)a));
		for (int b = HEALTH_OK; b < a; b++)
			ck_assert_str_ne(health_name((enum health)a),
			    health_name((enum health)b));
	}
	ck_assert_str_eq(health_name(HEALTH_OK), "ok");
	ck_assert_str_eq(health_name(HEALTH_RESTARTING), "restarting");
}
END_TEST

/* The health suite. */
Suite *
health_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("health");

	tcase_add_loop_test(tc, judge_table, 0, NELEM(health_cases));
	tcase_add_loop_test(tc, run_died_table, 0, NELEM(health_deaths));
	tcase_add_loop_test(tc, serving_table, 0, NELEM(health_serves));
	tcase_add_test(tc, names);
	tcase_add_test(tc, done_passes);
	suite_add_tcase(s, tc);
	return s;
}
