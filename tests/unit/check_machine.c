/*
 * The supervisor's state machine as a table: each row drives a fresh
 * machine into a start state through the public inputs, feeds it one more
 * input and lists every effect and the state that must follow, as
 * s6-supervise does it (see s6-compat.md).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "machine_table.h"
#include "supervise/machine.h"
#include "sv/letters.h"
#include "units.h"

/* The names of the inputs, effects and state bits, for failures. */
static const char *const input_names[] = {"none", "init", "letter", "signal",
    "timeout", "started", "run_died", "finish_died", "ready", "policy"};
static const char *const fx_names[] = {"start_run", "start_finish", "arm_kill",
    "kill_now", "touch_down", "remove_down", "close_std", "exit", "announce",
    "unknown", "restart now", "restart in 1 s", "arm_up_timeout", "halt"};
static const char *const state_names[] = {"paused", "finishing", "wantup",
    "ready", "done", "exiting", "dying", "stamp", "readystamp"};

/* The time of the nth step: one second apart, in the middle of a second. */
static struct timespec
step_time(int n)
{
	return (struct timespec){1795927811 + n, 500000000};
}

/* Feed one input (with letter for IN_LETTER) to the machine. */
static void
machine_feed(struct machine *m, enum input in, int arg,
    const struct timespec *now, struct machine_effects *fx)
{
	switch (in) {
	case IN_NONE:
		break;
	case IN_INIT:
		machine_init(m, arg != 0, now, fx);
		break;
	case IN_LETTER:
		machine_letter(m, (char)arg, fx);
		break;
	case IN_SIGNAL:
		machine_signal(m, (enum machine_signal)arg, fx);
		break;
	case IN_TIMEOUT:
		machine_timeout(m, fx);
		break;
	case IN_STARTED:
		machine_started(m, (pid_t)arg, now, fx);
		break;
	case IN_RUN_DIED:
		machine_run_died(m, arg, now, fx);
		break;
	case IN_FINISH_DIED:
		machine_finish_died(m, arg != 0, now, fx);
		break;
	case IN_READY:
		machine_ready(m, now, fx);
		break;
	case IN_POLICY:
		machine_set_policy(m,
		    &(struct sv_policy){
		        .type = (enum sv_type)(arg / 4),
		        .on_exit = (enum sv_on_exit)(arg % 4),
		    });
		break;
	}
}

/* Bring a zeroed machine to a start state; returns the steps taken. */
static int
machine_start(struct machine *m, enum start start)
{
	const struct step *s = machine_starts[start].steps;
	struct machine_effects fx;
	struct timespec now;
	int n = 0;

	memset(m, 0, sizeof *m);
	for (; s->in != IN_NONE; s++, n++) {
		now = step_time(n);
		if (s->in == IN_LETTER)
			for (const char *c = s->letters; *c != '\0'; c++)
				machine_feed(m, s->in, *c, &now, &fx);
		else
			machine_feed(m, s->in, s->arg, &now, &fx);
	}
	return n;
}

/* Return the effects as FX bits. */
static unsigned
effect_bits(const struct machine_effects *fx)
{
	const bool bits[] = {fx->start_run, fx->start_finish, fx->arm_kill,
	    fx->kill_now, fx->touch_down, fx->remove_down, fx->close_std,
	    fx->exit, fx->announce, fx->unknown, fx->restart_delay_ms == 0,
	    fx->restart_delay_ms == 1000, fx->arm_up_timeout, fx->halt};
	unsigned out = 0;

	for (size_t i = 0; i < NELEM(bits); i++)
		out |= bits[i] ? 1u << i : 0;
	return out;
}

/* Return whether two times are equal. */
static bool
same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Return the state bits of a machine after an input made at now. */
static unsigned
state_bits(const struct machine *m, const struct timespec *now)
{
	unsigned char packed[STATUS_SIZE];

	status_pack(packed, &m->status);
	return packed[34] | (m->exiting ? EX : 0) | (m->dying ? DY : 0) |
	    (same_time(&m->status.stamp, now) ? ST : 0) |
	    (same_time(&m->status.readystamp, now) ? RS : 0);
}

/* Fail listing the bits that are missing and those that should not be. */
static void
assert_bits(const char *row, const char *what, unsigned got, unsigned want,
    const char *const names[], size_t nnames)
{
	char text[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < nnames && used < sizeof text; i++)
		if ((got ^ want) & 1u << i)
			used +=
			    (size_t)snprintf(text + used, sizeof text - used,
			        " %c%s", want & 1u << i ? '-' : '+', names[i]);
	ck_assert_msg(got == want, "%s: %s differ (- missing, + extra):%s", row,
	    what, text);
}

/* Check one input of one row against what the row expects. */
static void
check_case(const struct machine_case *c, int arg, int row)
{
	struct machine m;
	struct machine_effects fx;
	struct sv_status before;
	struct timespec now;
	char desc[128];
	const int sigs[2] = {c->sig0, c->sig1};
	int nsigs = (sigs[0] >= 0) + (sigs[1] >= 0);

	now = step_time(machine_start(&m, c->start));
	before = m.status;
	snprintf(desc, sizeof desc,
	    c->input.in == IN_LETTER && arg > 0x20 && arg < 0x7f
	        ? "row %d (%s, %s '%c')"
	        : "row %d (%s, %s %#x)",
	    row, machine_starts[c->start].name, input_names[c->input.in], arg);
	machine_feed(&m, c->input.in, arg, &now, &fx);
	ck_assert_msg(fx.nsignals == nsigs, "%s: %d signals, want %d", desc,
	    fx.nsignals, nsigs);
	for (int i = 0; i < nsigs; i++)
		ck_assert_msg(fx.signals[i] == sigs[i],
		    "%s: signal %d is %d, want %d", desc, i, fx.signals[i],
		    sigs[i]);
	ck_assert_msg(fx.restart_delay_ms == -1 || fx.restart_delay_ms == 0 ||
	        fx.restart_delay_ms == 1000,
	    "%s: restart_delay_ms %d", desc, fx.restart_delay_ms);
	assert_bits(desc, "effects", effect_bits(&fx), c->fx, fx_names,
	    NELEM(fx_names));
	ck_assert_msg(strcmp(fx.events, c->events) == 0,
	    "%s: events \"%s\", want \"%s\"", desc, fx.events, c->events);
	assert_bits(desc, "state", state_bits(&m, &now), c->after, state_names,
	    NELEM(state_names));
	ck_assert_msg(m.phase == c->phase, "%s: phase %d, want %d", desc,
	    m.phase, c->phase);
	ck_assert_msg(m.status.pid == (m.phase == PHASE_UP ? PID : 0),
	    "%s: pid %ld", desc, (long)m.status.pid);
	ck_assert_msg(m.status.wstat ==
	        (c->input.in == IN_RUN_DIED ? c->input.arg : before.wstat),
	    "%s: wstat %#x", desc, m.status.wstat);
}

/* Run one row of the table, once per letter for a row of letters. */
START_TEST(table)
{
	const struct machine_case *c = &machine_cases[_i];

	if (c->input.in != IN_LETTER) {
		check_case(c, c->input.arg, _i);
		return;
	}
	for (const char *l = c->input.letters; *l != '\0'; l++)
		check_case(c, *l, _i);
}
END_TEST

/* The code an on-exit halt carries: the exit code, or 128 + signal. */
START_TEST(halt_codes)
{
	static const struct {
		enum start start;
		int code;
	} halts[] = {{ST_H_F0, 0}, {ST_H_F3, 3}, {ST_H_FK, 137}, {ST_OS_F3, 3},
	    {ST_OS_FT, 137}, {ST_HF_F3, 3}};
	struct machine_effects fx;
	struct machine m;
	struct timespec now;

	for (size_t i = 0; i < NELEM(halts); i++) {
		now = step_time(machine_start(&m, halts[i].start));
		machine_finish_died(&m, false, &now, &fx);
		ck_assert_msg(fx.halt && fx.halt_code == halts[i].code,
		    "%s: halt %d code %d, want %d",
		    machine_starts[halts[i].start].name, fx.halt, fx.halt_code,
		    halts[i].code);
	}
}
END_TEST

/* Cover every letter (and an unknown byte) in each of the three phases. */
START_TEST(table_complete)
{
	static const enum start phases[] = {ST_DOWN, ST_UP, ST_FIN};
	const char *letters = LETTERS "Z";

	for (size_t p = 0; p < NELEM(phases); p++) {
		for (const char *l = letters; *l != '\0'; l++) {
			bool found = false;

			for (size_t i = 0; i < machine_case_count; i++)
				found |= machine_cases[i].start == phases[p] &&
				    machine_cases[i].input.in == IN_LETTER &&
				    strchr(machine_cases[i].input.letters,
				        *l) != NULL;
			ck_assert_msg(found, "no row for '%c' in %s", *l,
			    machine_starts[phases[p]].name);
		}
	}
}
END_TEST

/* Ignore every other byte in every phase, changing nothing. */
START_TEST(unknown_bytes)
{
	static const enum start starts[] = {ST_DOWN, ST_UP_P, ST_FIN_X};
	unsigned char packed[STATUS_SIZE], after[STATUS_SIZE];
	struct machine_effects fx;
	struct machine m;
	char c = (char)_i;

	ck_assert_int_eq(
	    letter_known(c), c != '\0' && strchr(LETTERS, c) != NULL);
	if (letter_known(c))
		return;
	for (size_t s = 0; s < NELEM(starts); s++) {
		machine_start(&m, starts[s]);
		status_pack(packed, &m.status);
		machine_letter(&m, c, &fx);
		status_pack(after, &m.status);
		ck_assert_uint_eq(effect_bits(&fx), UNKNOWN);
		ck_assert_int_eq(fx.nsignals, 0);
		ck_assert_str_eq(fx.events, "");
		ck_assert_mem_eq(after, packed, STATUS_SIZE);
	}
}
END_TEST

/* Map each signal a letter sends back to that letter. */
START_TEST(signal_letters)
{
	struct machine_effects fx;
	struct machine m;
	int found = 0;

	for (int sig = 1; sig <= 64; sig++) {
		char letter = letter_for_signal(sig);

		if (letter == 0)
			continue;
		found++;
		machine_start(&m, ST_UP);
		machine_letter(&m, letter, &fx);
		ck_assert_msg(fx.nsignals == 1 && fx.signals[0] == sig,
		    "'%c' does not send signal %d", letter, sig);
	}
	ck_assert_int_eq(found, 12);
	ck_assert_int_eq(letter_for_signal(SIGSEGV), 0);
	ck_assert_int_eq(letter_for_signal(0), 0);
}
END_TEST

/*
 * The restart throttle: run readied ready_ns after it started (-1: never)
 * and died died_ns after; finish took 10 ms.  Back at once when it had been
 * ready for at least 1 s, else in 1 s.
 */
static const struct {
	long long ready_ns;
	long long died_ns;
	int delay;
} machine_throttle[] = {
    {-1, 5000000000, 1000},
    {0, 999999999, 1000},
    {0, 1000000000, 0},
    {100000000, 1099999999, 1000},
    {100000000, 1100000000, 0},
    {900000000, 1899999999, 1000},
    {900000000, 1900000000, 0},
    {0, 3600000000000, 0},
};

/* Return base plus ns nanoseconds. */
static struct timespec
time_plus(const struct timespec *base, long long ns)
{
	long long total = base->tv_nsec + ns;

	return (struct timespec){base->tv_sec + (time_t)(total / 1000000000),
	    (long)(total % 1000000000)};
}

/* Run through one death and check the restart delay. */
START_TEST(throttle)
{
	const struct timespec t0 = {1795927811, 500000000};
	struct machine_effects fx;
	struct machine m;
	struct timespec t;

	machine_init(&m, true, &t0, &fx);
	machine_started(&m, PID, &t0, &fx);
	if (machine_throttle[_i].ready_ns >= 0) {
		t = time_plus(&t0, machine_throttle[_i].ready_ns);
		machine_ready(&m, &t, &fx);
	}
	t = time_plus(&t0, machine_throttle[_i].died_ns);
	machine_run_died(&m, 0x0100, &t, &fx);
	t = time_plus(&t, 10000000);
	machine_finish_died(&m, false, &t, &fx);
	ck_assert_int_eq(fx.restart_delay_ms, machine_throttle[_i].delay);
	ck_assert_str_eq(fx.events, "D");
}
END_TEST

/*
 * What s6-supervise did in the runs that wrote the golden status files,
 * fed to our machine at the same times: the status must come out the
 * same, byte for byte.
 */
static const struct {
	struct step step;
	struct timespec at;
	int golden; /* compare with this vector afterwards, or -1 */
} machine_s6_trace[] = {
    {{INIT_UP}, {1795927811, 273533508}, -1},
    {{IN_STARTED, 10986, NULL}, {1795927811, 274717787}, GOLDEN_UP},
    {{L("d")}, {1795927811, 585000000}, -1},
    {{KILLED}, {1795927811, 585919447}, -1},
    {{FINISHED}, {1795927811, 586410066}, GOLDEN_DOWN},
    {{INIT_DOWN}, {1795927842, 762518948}, GOLDEN_INIT},
};

/* Replay s6's runs and compare with the status files it wrote. */
START_TEST(s6_trace)
{
	unsigned char packed[STATUS_SIZE];
	struct machine_effects fx;
	struct machine m;

	memset(&m, 0, sizeof m);
	for (size_t i = 0; i < NELEM(machine_s6_trace); i++) {
		const struct step *s = &machine_s6_trace[i].step;
		int g = machine_s6_trace[i].golden;

		machine_feed(&m, s->in,
		    s->in == IN_LETTER ? *s->letters : s->arg,
		    &machine_s6_trace[i].at, &fx);
		if (g < 0)
			continue;
		status_pack(packed, &m.status);
		ck_assert_msg(
		    memcmp(packed, hotsv_golden[g].bytes, STATUS_SIZE) == 0,
		    "step %zu: not the same as %s", i, hotsv_golden[g].what);
	}
}
END_TEST

/* The state machine suite. */
Suite *
machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *tc = tcase_create("machine");

	tcase_add_loop_test(tc, table, 0, machine_case_count);
	tcase_add_test(tc, table_complete);
	tcase_add_test(tc, halt_codes);
	tcase_add_loop_test(tc, unknown_bytes, 0, 256);
	tcase_add_test(tc, signal_letters);
	tcase_add_loop_test(tc, throttle, 0, NELEM(machine_throttle));
	tcase_add_test(tc, s6_trace);
	suite_add_tcase(s, tc);
	return s;
}
