/*
 * The lifecycle of a scanner's supervisor as a table: each row drives a
 * fresh lifecycle into a start phase through the public events, feeds it
 * one more event and lists the phase that must follow and every effect,
 * as supervisor.c carries them out.  No process is forked.
 */
#include "config.h"

#include "scan/lifecycle.h"
#include "units.h"

#define GRACE 3000 /* the kill grace of every row */
#define OLD 5000   /* an age past the respawn throttle */

/* Start phases, and the events that reach them from a fresh lifecycle. */
enum start {
	S_DOWN,
	S_UP,
	S_HELD, /* up, its run held for its dependencies */
	S_DRAINING,
	S_STOPPING,
	S_KILLED,
	S_DRAIN_KILLED,
	S_STOP_KILLED,
	S_COUNT
};

static const struct {
	const char *name;
	enum lc_event events[3];
	int nevents;
	bool hold;
} lc_starts[S_COUNT] = {
    [S_DOWN] = {"down", {0}, 0, false},
    [S_UP] = {"up", {LC_STARTED}, 1, false},
    [S_HELD] = {"held", {LC_STARTED}, 1, true},
    [S_DRAINING] = {"draining", {LC_STARTED, LC_DRAIN}, 2, false},
    [S_STOPPING] = {"stopping", {LC_STARTED, LC_STOP}, 2, false},
    [S_KILLED] = {"killed", {LC_STARTED, LC_KILL}, 2, false},
    [S_DRAIN_KILLED] = {"drain-killed", {LC_STARTED, LC_DRAIN, LC_KILL}, 3,
        false},
    [S_STOP_KILLED] = {"stop-killed", {LC_STARTED, LC_STOP, LC_KILL}, 3, false},
};

/* Expected effects (and facts), one bit each. */
enum {
	KR = 1 << 0,   /* kill_run */
	AS = 1 << 1,   /* ask_stop */
	AD = 1 << 2,   /* ask_drain */
	KS = 1 << 3,   /* kill_supervisor */
	TO = 1 << 4,   /* take_over */
	RC = 1 << 5,   /* reconsider */
	EXP = 1 << 6,  /* expected */
	HELD = 1 << 7, /* held afterwards */
};

static const char *const lc_fx_names[] = {"kill_run", "ask_stop", "ask_drain",
    "kill_supervisor", "take_over", "reconsider", "expected", "held"};

/* Row flags: the facts the event comes with. */
enum {
	SHUT = 1 << 0, /* during the shutdown */
	HOLD = 1 << 1, /* hold (LC_STARTED, LC_HOLD) */
};

#define SUP CHILD_SUPERVISOR
#define NOARM -1
#define NOWARN LC_WARN_NONE
#define DRAINW LC_WARN_DRAIN_OVERRAN
#define STOPW LC_WARN_STOP_OVERRAN

static const struct lc_case {
	enum start start;
	enum instance_kind kind;
	enum lc_event ev;
	unsigned flags;
	long age_ms;
	enum lc_phase phase;
	unsigned fx;
	long arm_ms;
	enum lc_warning warn;
} lc_cases[] = {
    /* Nothing runs: only a start or the respawn deadline mean anything. */
    {S_DOWN, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_DOWN, SUP, LC_STARTED, HOLD, 0, LC_UP, HELD, NOARM, NOWARN},
    {S_DOWN, SUP, LC_STOP, 0, 0, LC_DOWN, 0, NOARM, NOWARN},
    {S_DOWN, SUP, LC_DRAIN, 0, 0, LC_DOWN, 0, NOARM, NOWARN},
    {S_DOWN, SUP, LC_KILL, 0, 0, LC_DOWN, 0, NOARM, NOWARN},
    {S_DOWN, SUP, LC_DEADLINE, 0, 0, LC_DOWN, RC, NOARM, NOWARN},
    {S_DOWN, SUP, LC_EXITED, 0, OLD, LC_DOWN, 0, NOARM, NOWARN},
    {S_DOWN, SUP, LC_HOLD, HOLD, 0, LC_DOWN, 0, NOARM, NOWARN},
    {S_DOWN, SUP, LC_RELEASED, 0, 0, LC_DOWN, 0, NOARM, NOWARN},

    /* Up. */
    {S_UP, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_UP, SUP, LC_STOP, 0, 0, LC_STOPPING, AS, GRACE, NOWARN},
    {S_UP, SUP, LC_STOP, SHUT, 0, LC_STOPPING, AS, NOARM, NOWARN},
    {S_UP, SUP, LC_DRAIN, 0, 0, LC_DRAINING, AD, LC_DRAIN_MS, NOWARN},
    {S_UP, SUP, LC_KILL, 0, 0, LC_KILLED, KR, NOARM, NOWARN},
    {S_UP, SUP, LC_DEADLINE, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_UP, SUP, LC_EXITED, 0, OLD, LC_DOWN, 0, NOARM, NOWARN},
    {S_UP, SUP, LC_EXITED, 0, 300, LC_DOWN, 0, LC_RESPAWN_MS - 300, NOWARN},
    {S_UP, SUP, LC_HOLD, HOLD, 0, LC_UP, HELD, NOARM, NOWARN},
    {S_UP, SUP, LC_RELEASED, 0, 0, LC_UP, 0, NOARM, NOWARN},

    /* Held: released by a "go"; a stop keeps the fact, an exit ends it. */
    {S_HELD, SUP, LC_RELEASED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_HELD, SUP, LC_HOLD, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_HELD, SUP, LC_STOP, 0, 0, LC_STOPPING, AS | HELD, GRACE, NOWARN},
    {S_HELD, SUP, LC_EXITED, 0, OLD, LC_DOWN, 0, NOARM, NOWARN},

    /* A logger draining: DRAIN_MS, then killed and stopped. */
    {S_DRAINING, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_DRAINING, SUP, LC_STOP, 0, 0, LC_STOPPING, AS, GRACE, NOWARN},
    {S_DRAINING, SUP, LC_DRAIN, 0, 0, LC_DRAINING, 0, NOARM, NOWARN},
    {S_DRAINING, SUP, LC_KILL, 0, 0, LC_DRAIN_KILLED, KR, NOARM, NOWARN},
    {S_DRAINING, SUP, LC_DEADLINE, 0, 0, LC_STOP_KILLED, KR | AS, GRACE,
        DRAINW},
    {S_DRAINING, SUP, LC_DEADLINE, SHUT, 0, LC_STOP_KILLED, KR | AS, NOARM,
        DRAINW},
    {S_DRAINING, SUP, LC_EXITED, 0, 300, LC_DOWN, EXP, NOARM, NOWARN},
    {S_DRAINING, SUP, LC_HOLD, 0, 0, LC_DRAINING, 0, NOARM, NOWARN},
    {S_DRAINING, SUP, LC_RELEASED, 0, 0, LC_DRAINING, 0, NOARM, NOWARN},

    /* Stopping: the kill grace, then its run killed, then itself. */
    {S_STOPPING, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_STOPPING, SUP, LC_STOP, 0, 0, LC_STOPPING, 0, NOARM, NOWARN},
    {S_STOPPING, SUP, LC_DRAIN, 0, 0, LC_STOPPING, 0, NOARM, NOWARN},
    {S_STOPPING, SUP, LC_KILL, 0, 0, LC_STOP_KILLED, KR, NOARM, NOWARN},
    {S_STOPPING, SUP, LC_DEADLINE, 0, 0, LC_STOP_KILLED, KR, GRACE, STOPW},
    {S_STOPPING, SUP, LC_EXITED, 0, 300, LC_DOWN, EXP, NOARM, NOWARN},
    {S_STOPPING, SUP, LC_HOLD, 0, 0, LC_STOPPING, 0, NOARM, NOWARN},
    {S_STOPPING, SUP, LC_RELEASED, 0, 0, LC_STOPPING, 0, NOARM, NOWARN},

    /* Killed at the shutdown's grace without a stop: still unasked. */
    {S_KILLED, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_KILLED, SUP, LC_STOP, SHUT, 0, LC_STOP_KILLED, AS, NOARM, NOWARN},
    {S_KILLED, SUP, LC_DRAIN, 0, 0, LC_DRAIN_KILLED, AD, LC_DRAIN_MS, NOWARN},
    {S_KILLED, SUP, LC_KILL, 0, 0, LC_KILLED, 0, NOARM, NOWARN},
    {S_KILLED, SUP, LC_DEADLINE, 0, 0, LC_KILLED, 0, NOARM, NOWARN},
    {S_KILLED, SUP, LC_EXITED, 0, OLD, LC_DOWN, 0, NOARM, NOWARN},
    {S_KILLED, SUP, LC_HOLD, 0, 0, LC_KILLED, 0, NOARM, NOWARN},
    {S_KILLED, SUP, LC_RELEASED, 0, 0, LC_KILLED, 0, NOARM, NOWARN},

    /* Draining and killed: its deadline stops it. */
    {S_DRAIN_KILLED, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_DRAIN_KILLED, SUP, LC_STOP, 0, 0, LC_STOP_KILLED, AS, GRACE, NOWARN},
    {S_DRAIN_KILLED, SUP, LC_DRAIN, 0, 0, LC_DRAIN_KILLED, 0, NOARM, NOWARN},
    {S_DRAIN_KILLED, SUP, LC_KILL, 0, 0, LC_DRAIN_KILLED, 0, NOARM, NOWARN},
    {S_DRAIN_KILLED, SUP, LC_DEADLINE, 0, 0, LC_STOP_KILLED, AS, GRACE, DRAINW},
    {S_DRAIN_KILLED, SUP, LC_EXITED, 0, OLD, LC_DOWN, EXP, NOARM, NOWARN},
    {S_DRAIN_KILLED, SUP, LC_HOLD, 0, 0, LC_DRAIN_KILLED, 0, NOARM, NOWARN},
    {S_DRAIN_KILLED, SUP, LC_RELEASED, 0, 0, LC_DRAIN_KILLED, 0, NOARM, NOWARN},

    /* Stopping and killed: next, the supervisor itself. */
    {S_STOP_KILLED, SUP, LC_STARTED, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_STOP, 0, 0, LC_STOP_KILLED, 0, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_DRAIN, 0, 0, LC_STOP_KILLED, 0, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_KILL, 0, 0, LC_STOP_KILLED, 0, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_DEADLINE, 0, 0, LC_STOP_KILLED, KS, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_EXITED, 0, OLD, LC_DOWN, EXP, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_HOLD, 0, 0, LC_STOP_KILLED, 0, NOARM, NOWARN},
    {S_STOP_KILLED, SUP, LC_RELEASED, 0, 0, LC_STOP_KILLED, 0, NOARM, NOWARN},

    /* Our own hotsv-log ends on end-of-file: nobody to ask. */
    {S_UP, CHILD_PREFIXER, LC_DRAIN, 0, 0, LC_DRAINING, 0, LC_DRAIN_MS, NOWARN},
    {S_UP, CHILD_PREFIXER, LC_KILL, 0, 0, LC_KILLED, KR, NOARM, NOWARN},
    /* An earlier scanner's we only watch is taken over, unless stopped. */
    {S_UP, CHILD_WATCHED, LC_DEADLINE, 0, 0, LC_UP, TO, NOARM, NOWARN},
    {S_DRAINING, CHILD_WATCHED, LC_DEADLINE, 0, 0, LC_DRAINING, TO, NOARM,
        NOWARN},
    {S_KILLED, CHILD_WATCHED, LC_DEADLINE, 0, 0, LC_KILLED, TO, NOARM, NOWARN},
    {S_STOPPING, CHILD_WATCHED, LC_DEADLINE, 0, 0, LC_STOP_KILLED, KR, GRACE,
        STOPW},
    {S_STOP_KILLED, CHILD_WATCHED, LC_DEADLINE, 0, 0, LC_STOP_KILLED, KS, NOARM,
        NOWARN},
    /* One that reports to us is like ours. */
    {S_UP, CHILD_KEPT, LC_DEADLINE, 0, 0, LC_UP, 0, NOARM, NOWARN},
    {S_STOPPING, CHILD_KEPT, LC_EXITED, 0, 0, LC_DOWN, EXP, NOARM, NOWARN},
};

/* The facts of an event, as a row gives them. */
static struct lc_arg
lc_arg_of(enum instance_kind kind, unsigned flags, long age_ms)
{
	return (struct lc_arg){.kind = kind,
	    .hold = (flags & HOLD) != 0,
	    .shutting_down = (flags & SHUT) != 0,
	    .kill_grace_ms = GRACE,
	    .age_ms = age_ms};
}

/* The effect bits of *fx and the held fact of *lc. */
static unsigned
lc_bits(const struct lifecycle *lc, const struct lc_effects *fx)
{
	return (fx->kill_run ? KR : 0) | (fx->ask_stop ? AS : 0) |
	    (fx->ask_drain ? AD : 0) | (fx->kill_supervisor ? KS : 0) |
	    (fx->take_over ? TO : 0) | (fx->reconsider ? RC : 0) |
	    (fx->expected ? EXP : 0) | (lc->held ? HELD : 0);
}

/* One row: reach its start, feed its event, compare everything. */
START_TEST(table)
{
	const struct lc_case *c = &lc_cases[_i];
	struct lc_arg arg = lc_arg_of(c->kind, 0, OLD);
	struct lc_effects fx;
	struct lifecycle lc;
	char diff[256];
	unsigned got;

	lifecycle_init(&lc);
	arg.hold = lc_starts[c->start].hold;
	for (int i = 0; i < lc_starts[c->start].nevents; i++)
		lifecycle_event(&lc, lc_starts[c->start].events[i], &arg, &fx);
	arg = lc_arg_of(c->kind, c->flags, c->age_ms);
	lifecycle_event(&lc, c->ev, &arg, &fx);
	got = lc_bits(&lc, &fx);
	unit_bits_diff(
	    diff, sizeof diff, got, c->fx, lc_fx_names, NELEM(lc_fx_names));
	ck_assert_msg(lc.phase == c->phase && got == c->fx &&
	        fx.arm_ms == c->arm_ms && fx.warn == c->warn,
	    "row %d (%s, event %d): phase %s (want %s), effects%s, arm %ld "
	    "(want %ld), warning %d (want %d)",
	    _i, lc_starts[c->start].name, (int)c->ev,
	    lifecycle_phase_name(lc.phase), lifecycle_phase_name(c->phase),
	    diff, fx.arm_ms, c->arm_ms, (int)fx.warn, (int)c->warn);
	ck_assert_int_eq(lifecycle_running(&lc), lc.phase != LC_DOWN);
}
END_TEST

/* Every event is tried in every phase of our own supervisor. */
START_TEST(table_complete)
{
	for (int s = 0; s < S_COUNT; s++) {
		if (s == S_HELD)
			continue;
		for (int ev = LC_STARTED; ev <= LC_RELEASED; ev++) {
			bool found = false;

			for (size_t i = 0; i < NELEM(lc_cases) && !found; i++)
				found = lc_cases[i].start == (enum start)s &&
				    lc_cases[i].ev == (enum lc_event)ev &&
				    lc_cases[i].kind == SUP;
			ck_assert_msg(found, "no row for %s and event %d",
			    lc_starts[s].name, ev);
		}
	}
}
END_TEST

/* The lifecycle suite. */
Suite *
lifecycle_suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("lifecycle");

	tcase_add_loop_test(tc, table, 0, NELEM(lc_cases));
	tcase_add_test(tc, table_complete);
	suite_add_tcase(s, tc);
	return s;
}
