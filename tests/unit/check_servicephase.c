/*
 * The life of a scanned service as a table: every event is fed in every
 * phase, with every combination of its facts.  A row names the phases
 * and facts it covers and what must follow; whatever no row covers must
 * leave the phase as it was and do nothing.  No process is forked.
 */
#include "config.h"

#include "scan/servicephase.h"
#include "units.h"

/* The facts of an event, one bit each. */
enum {
	RUN = 1 << 0,  /* running */
	NEW = 1 << 1,  /* new_dir */
	POLL = 1 << 2, /* by_poll */
	OLD = 1 << 3,  /* old_runs */
	DEPS = 1 << 4, /* dependents_run */
	LOCK = 1 << 5, /* locked */
	INH = 1 << 6,  /* inherited */
	FACTS = 1 << 7,
};

/* Expected effects, one bit each. */
enum {
	STOP = 1 << 0, /* stop */
	TAKE = 1 << 1, /* take_log */
	RC = 1 << 2,   /* reconsider */
	BACK = 1 << 3, /* back_off */
};

static const char *const sp_fx_names[] = {
    "stop", "take_log", "reconsider", "back_off"};

/* Phase sets. */
#define P(x) (1u << (x))
#define ANY ((1u << SP_PHASES) - 1)
#define GONE \
	(P(SP_ABSENT) | P(SP_UNRESOLVED) | P(SP_DEPENDENTS) | P(SP_RELEASED))
#define WANTS (ANY & ~GONE)
#define SAME SP_PHASES /* the phase it was in */
#define NOARM -1

/* The events (and facts) that reach each phase from a fresh life. */
static const struct {
	enum svc_event ev;
	unsigned facts;
} sp_paths[SP_PHASES][3] = {
    [SP_ABSENT] = {{SE_EVENTS, 0}},
    [SP_UNRESOLVED] = {{SE_UNRESOLVED, 0}, {SE_EVENTS, 0}},
    [SP_QUIET] = {{SE_SEEN, NEW}, {SE_FRESH, 0}, {SE_EVENTS, 0}},
    [SP_POLLED] = {{SE_SEEN, NEW | POLL}, {SE_EVENTS, 0}},
    [SP_RENAMED] = {{SE_SEEN, NEW}, {SE_OLD_NAME, OLD}, {SE_EVENTS, 0}},
    [SP_WANTED] = {{SE_SEEN, NEW}, {SE_EVENTS, 0}},
    [SP_LOG_MOVING] = {{SE_SEEN, NEW}, {SE_LOG_CHANGED, RUN}, {SE_EVENTS, 0}},
    [SP_LOG_MOVED] = {{SE_SEEN, NEW}, {SE_LOG_CHANGED, RUN}, {SE_DUE, 0}},
    [SP_DEPENDENTS] = {{SE_STOP, DEPS}, {SE_EVENTS, 0}},
    [SP_RELEASED] = {{SE_HALF_GRACE, 0}, {SE_EVENTS, 0}},
};

/*
 * A row covers the phases in its set and the facts f with
 * (f & mask) == facts.  The first row that covers a case rules it.
 */
static const struct sp_case {
	unsigned phases;
	enum svc_event ev;
	unsigned facts, mask;
	enum svc_phase phase;
	unsigned fx;
	long arm_ms, retry_ms;
	enum svc_say say;
} sp_cases[] = {
    /* Seen: another directory found by a poll, idle, waits for two. */
    {ANY, SE_SEEN, NEW | POLL, NEW | POLL | RUN, SP_POLLED, 0, NOARM, -1, 0},
    {GONE, SE_SEEN, 0, 0, SP_WANTED, 0, NOARM, -1, 0},
    {P(SP_POLLED), SE_SEEN, NEW, NEW, SP_WANTED, 0, NOARM, -1, 0},

    /* Gone: wanted or unresolved ones are absent; the rest stay. */
    {WANTS | P(SP_UNRESOLVED), SE_GONE, 0, 0, SP_ABSENT, 0, NOARM, -1, 0},

    /* Unresolved: counted as a failed start when nothing runs. */
    {ANY, SE_UNRESOLVED, 0, RUN, SP_UNRESOLVED, BACK, NOARM, -1, 0},
    {ANY, SE_UNRESOLVED, RUN, RUN, SP_UNRESOLVED, 0, NOARM, -1, 0},

    /* Created in place, nothing running: quiet first (not polled). */
    {WANTS & ~P(SP_POLLED), SE_FRESH, 0, RUN, SP_QUIET, 0, SP_QUIET_MS, -1, 0},
    {P(SP_QUIET), SE_TOUCHED, 0, RUN, SP_QUIET, 0, SP_QUIET_MS, -1, 0},

    {P(SP_POLLED), SE_POLL_AGREED, 0, 0, SP_WANTED, 0, NOARM, -1, 0},

    /* The deadline: quiet over, log/ settled, or just look again. */
    {P(SP_QUIET), SE_DUE, 0, 0, SP_WANTED, RC, NOARM, -1, 0},
    {P(SP_LOG_MOVING), SE_DUE, 0, 0, SP_LOG_MOVED, RC, NOARM, -1, 0},
    {ANY, SE_DUE, 0, 0, SAME, RC, NOARM, -1, 0},

    /* A retry waits for a phase deadline already armed. */
    {P(SP_QUIET) | P(SP_LOG_MOVING), SE_LOOK_AGAIN, 0, 0, SAME, 0, NOARM, -1,
        0},
    {ANY, SE_LOOK_AGAIN, 0, 0, SAME, 0, SP_RETRY_MS, -1, 0},

    /* log/ moved: a running wanted service waits for it to last. */
    {P(SP_LOG_MOVING) | P(SP_LOG_MOVED), SE_LOG_CHANGED, 0, RUN, SP_WANTED,
        TAKE, NOARM, -1, 0},
    {P(SP_LOG_MOVED), SE_LOG_CHANGED, RUN, RUN, SP_WANTED, TAKE, NOARM, -1, 0},
    {P(SP_WANTED), SE_LOG_CHANGED, RUN, RUN, SP_LOG_MOVING, 0, SP_LOG_SETTLE_MS,
        -1, 0},
    {P(SP_LOG_MOVING), SE_LOG_CHANGED, RUN, RUN, SAME, 0, NOARM, -1, 0},
    {ANY, SE_LOG_CHANGED, 0, 0, SAME, TAKE, NOARM, -1, 0},
    {P(SP_LOG_MOVING) | P(SP_LOG_MOVED), SE_LOG_SAME, 0, 0, SP_WANTED, 0, NOARM,
        -1, 0},

    /* About to start: renamed from a name whose supervisor runs. */
    {P(SP_WANTED) | P(SP_RENAMED), SE_OLD_NAME, OLD, OLD, SP_RENAMED, 0, NOARM,
        -1, 0},
    {P(SP_WANTED) | P(SP_RENAMED), SE_OLD_NAME, 0, OLD, SP_WANTED, 0, NOARM, -1,
        0},

    /* Stop: gone ones wait for their stopping dependents (not after
     * the half grace). */
    {P(SP_ABSENT) | P(SP_UNRESOLVED) | P(SP_DEPENDENTS), SE_STOP, DEPS, DEPS,
        SP_DEPENDENTS, 0, NOARM, -1, 0},
    {P(SP_DEPENDENTS), SE_STOP, 0, 0, SP_ABSENT, STOP, NOARM, -1, 0},
    {ANY, SE_STOP, 0, 0, SAME, STOP, NOARM, -1, 0},

    {P(SP_DEPENDENTS), SE_HALF_GRACE, 0, 0, SP_RELEASED, RC, NOARM, -1,
        SP_SAY_REGARDLESS},
    {GONE, SE_HALF_GRACE, 0, 0, SP_RELEASED, 0, NOARM, -1, 0},

    {ANY, SE_START_FAILED, 0, 0, SAME, 0, NOARM, SP_BACKOFF_FIRST_MS, 0},

    /* Its supervisor died: a stranger's lock says so, and retries. */
    {ANY, SE_SUP_DIED, LOCK, LOCK | INH, SAME, 0, NOARM, SP_RETRY_MS,
        SP_SAY_LOCKED},
};

/* The facts as an event's argument. */
static struct svc_arg
sp_arg_of(unsigned facts)
{
	return (struct svc_arg){.running = (facts & RUN) != 0,
	    .new_dir = (facts & NEW) != 0,
	    .by_poll = (facts & POLL) != 0,
	    .old_runs = (facts & OLD) != 0,
	    .dependents_run = (facts & DEPS) != 0,
	    .locked = (facts & LOCK) != 0,
	    .inherited = (facts & INH) != 0};
}

/* A fresh life brought into phase through its path. */
static struct svc_life
sp_reach(enum svc_phase phase)
{
	struct svc_effects fx;
	struct svc_life life;

	svc_life_init(&life);
	for (int i = 0; i < 3 && sp_paths[phase][i].ev != SE_EVENTS; i++) {
		struct svc_arg arg = sp_arg_of(sp_paths[phase][i].facts);

		svc_life_event(&life, sp_paths[phase][i].ev, &arg, &fx);
	}
	return life;
}

/* The effect bits of *fx. */
static unsigned
sp_bits(const struct svc_effects *fx)
{
	return (fx->stop ? STOP : 0) | (fx->take_log ? TAKE : 0) |
	    (fx->reconsider ? RC : 0) | (fx->back_off ? BACK : 0);
}

/* The row that rules a case, or NULL: nothing must happen. */
static const struct sp_case *
sp_rule(enum svc_phase phase, enum svc_event ev, unsigned facts)
{
	for (size_t i = 0; i < NELEM(sp_cases); i++)
		if ((sp_cases[i].phases & P(phase)) && sp_cases[i].ev == ev &&
		    (facts & sp_cases[i].mask) == sp_cases[i].facts)
			return &sp_cases[i];
	return NULL;
}

/* Every path reaches the phase it is for. */
START_TEST(paths)
{
	for (int p = 0; p < SP_PHASES; p++) {
		struct svc_life life = sp_reach((enum svc_phase)p);

		ck_assert_str_eq(svc_phase_name(life.phase),
		    svc_phase_name((enum svc_phase)p));
	}
}
END_TEST

/* One phase: every event with every combination of facts. */
START_TEST(table)
{
	enum svc_phase start = (enum svc_phase)_i;

	for (int ev = 0; ev < SE_EVENTS; ev++)
		for (unsigned facts = 0; facts < FACTS; facts++) {
			const struct sp_case *c =
			    sp_rule(start, (enum svc_event)ev, facts);
			struct svc_life life = sp_reach(start);
			struct svc_arg arg = sp_arg_of(facts);
			struct sp_case want = {
			    .phase = SAME, .arm_ms = NOARM, .retry_ms = -1};
			struct svc_effects fx;
			enum svc_phase phase;
			char diff[128];

			if (c != NULL)
				want = *c;
			phase = want.phase == SAME ? start : want.phase;
			svc_life_event(&life, (enum svc_event)ev, &arg, &fx);
			unit_bits_diff(diff, sizeof diff, sp_bits(&fx), want.fx,
			    sp_fx_names, NELEM(sp_fx_names));
			ck_assert_msg(life.phase == phase &&
			        sp_bits(&fx) == want.fx &&
			        fx.arm_ms == want.arm_ms &&
			        fx.retry_ms == want.retry_ms &&
			        fx.say == want.say,
			    "%s, event %d, facts %#x: phase %s (want %s), "
			    "effects%s, arm %ld (want %ld), retry %ld (want "
			    "%ld), say %d (want %d)",
			    svc_phase_name(start), ev, facts,
			    svc_phase_name(life.phase), svc_phase_name(phase),
			    diff, fx.arm_ms, want.arm_ms, fx.retry_ms,
			    want.retry_ms, (int)fx.say, (int)want.say);
			ck_assert_int_eq(svc_life_wanted(&life),
			    (WANTS & P(life.phase)) != 0);
		}
}
END_TEST

/* Starts that keep failing wait twice as long each time, up to a bound;
 * a start that works resets the wait. */
START_TEST(back_off)
{
	struct svc_arg arg = {0};
	struct svc_effects fx;
	struct svc_life life;
	long want = SP_BACKOFF_FIRST_MS;

	svc_life_init(&life);
	for (int i = 0; i < 8; i++) {
		svc_life_event(&life, SE_START_FAILED, &arg, &fx);
		ck_assert_int_eq(fx.retry_ms, want);
		want =
		    want * 2 > SP_BACKOFF_MAX_MS ? SP_BACKOFF_MAX_MS : want * 2;
	}
	ck_assert_int_eq(fx.retry_ms, SP_BACKOFF_MAX_MS);
	svc_life_event(&life, SE_STARTED, &arg, &fx);
	svc_life_event(&life, SE_START_FAILED, &arg, &fx);
	ck_assert_int_eq(fx.retry_ms, SP_BACKOFF_FIRST_MS);
}
END_TEST

/* A stranger's lock is said once, retried while it lasts, even across
 * an earlier scanner's supervisor; another death ends it. */
START_TEST(locked_out)
{
	struct svc_arg locked = {.locked = true},
	               inherited = {.inherited = true};
	struct svc_arg died = {0};
	struct svc_effects fx;
	struct svc_life life;

	svc_life_init(&life);
	svc_life_event(&life, SE_SUP_DIED, &locked, &fx);
	ck_assert_int_eq(fx.say, SP_SAY_LOCKED);
	svc_life_event(&life, SE_SUP_DIED, &locked, &fx);
	ck_assert_int_eq(fx.say, SP_SAY_NONE);
	ck_assert_int_eq(fx.retry_ms, SP_RETRY_MS);
	svc_life_event(&life, SE_SUP_DIED, &inherited, &fx);
	ck_assert_int_eq(fx.retry_ms, SP_RETRY_MS);
	svc_life_event(&life, SE_SUP_DIED, &died, &fx);
	ck_assert_int_eq(fx.retry_ms, -1);
	svc_life_event(&life, SE_SUP_DIED, &locked, &fx);
	ck_assert_int_eq(fx.say, SP_SAY_LOCKED);
}
END_TEST

/* Once its phase deadline passed, a retry may arm the deadline again. */
START_TEST(retry_after_due)
{
	struct svc_life life = sp_reach(SP_LOG_MOVED);
	struct svc_arg arg = {0};
	struct svc_effects fx;

	svc_life_event(&life, SE_LOOK_AGAIN, &arg, &fx);
	ck_assert_int_eq(fx.arm_ms, SP_RETRY_MS);
	svc_life_event(&life, SE_LOOK_AGAIN, &arg, &fx);
	ck_assert_int_eq(fx.arm_ms, NOARM);
}
END_TEST

/* The service-phase suite. */
Suite *
servicephase_suite(void)
{
	Suite *s = suite_create("servicephase");
	TCase *tc = tcase_create("servicephase");

	tcase_add_test(tc, paths);
	tcase_add_loop_test(tc, table, 0, SP_PHASES);
	tcase_add_test(tc, back_off);
	tcase_add_test(tc, locked_out);
	tcase_add_test(tc, retry_after_due);
	suite_add_tcase(s, tc);
	return s;
}
