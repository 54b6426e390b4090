/*
 * The lifecycle of one supervisor of the scanner's, as a pure state
 * machine (see lifecycle.h): a stop outside the shutdown gets the kill
 * grace, then its run is killed, then after as long again the supervisor
 * itself; a logger asked to drain gets LC_DRAIN_MS, then is killed and
 * stopped; an earlier scanner's supervisor we only watch is taken over
 * at its deadline; one that exits unasked is started again at most once
 * a LC_RESPAWN_MS.
 */
#include "config.h"

#include "scan/lifecycle.h"

/* Set up a lifecycle with nothing running. */
void
lifecycle_init(struct lifecycle *lc)
{
	*lc = (struct lifecycle){.phase = LC_DOWN, .kind = CHILD_SUPERVISOR};
}

/* Say whether a supervisor runs. */
bool
lifecycle_running(const struct lifecycle *lc)
{
	return lc->phase != LC_DOWN;
}

/* Say whether it was asked to go (stop or drain): its exit is expected. */
bool
lifecycle_leaving(const struct lifecycle *lc)
{
	return lc->phase == LC_DRAINING || lc->phase == LC_STOPPING ||
	    lc->phase == LC_DRAIN_KILLED || lc->phase == LC_STOP_KILLED;
}

/* Say whether its run was asked to be SIGKILLed. */
static bool
run_killed(const struct lifecycle *lc)
{
	return lc->phase == LC_KILLED || lc->phase == LC_DRAIN_KILLED ||
	    lc->phase == LC_STOP_KILLED;
}

/* Ask it to stop, unless it was; outside a shutdown, arm the grace. */
static void
stop(struct lifecycle *lc, const struct lc_arg *arg, struct lc_effects *fx)
{
	if (lc->phase == LC_DOWN || lc->phase == LC_STOPPING ||
	    lc->phase == LC_STOP_KILLED)
		return;
	lc->phase = run_killed(lc) ? LC_STOP_KILLED : LC_STOPPING;
	fx->ask_stop = true;
	if (!arg->shutting_down)
		fx->arm_ms = (long)arg->kill_grace_ms;
}

/* Ask a logger to drain what is left in its pipe, then exit. */
static void
drain(struct lifecycle *lc, struct lc_effects *fx)
{
	if (lc->phase != LC_UP && lc->phase != LC_KILLED)
		return;
	lc->phase = lc->phase == LC_KILLED ? LC_DRAIN_KILLED : LC_DRAINING;
	/* Our own hotsv-log ends on end-of-file; a supervisor must be told. */
	fx->ask_drain = lc->kind != CHILD_PREFIXER;
	fx->arm_ms = LC_DRAIN_MS;
}

/* SIGKILL what it runs, once. */
static void
kill_run(struct lifecycle *lc, struct lc_effects *fx)
{
	switch (lc->phase) {
	case LC_UP:
		lc->phase = LC_KILLED;
		break;
	case LC_DRAINING:
		lc->phase = LC_DRAIN_KILLED;
		break;
	case LC_STOPPING:
		lc->phase = LC_STOP_KILLED;
		break;
	default:
		return;
	}
	fx->kill_run = true;
}

/* Its deadline passed: escalate, take over, or let it start again. */
static void
deadline(struct lifecycle *lc, const struct lc_arg *arg, struct lc_effects *fx)
{
	if (lc->phase == LC_DOWN) {
		fx->reconsider = true;
		return;
	}
	if (lc->kind == CHILD_WATCHED && lc->phase != LC_STOPPING &&
	    lc->phase != LC_STOP_KILLED) {
		fx->take_over = true;
		return;
	}
	switch (lc->phase) {
	case LC_DRAINING:
	case LC_DRAIN_KILLED:
		fx->warn = LC_WARN_DRAIN_OVERRAN;
		kill_run(lc, fx);
		stop(lc, arg, fx);
		break;
	case LC_STOPPING:
		fx->warn = LC_WARN_STOP_OVERRAN;
		kill_run(lc, fx);
		fx->arm_ms = (long)arg->kill_grace_ms;
		break;
	case LC_STOP_KILLED:
		fx->kill_supervisor = true;
		break;
	default:
		break;
	}
}

/* It exited: expected if we asked it to go, else respawn throttled. */
static void
exited(struct lifecycle *lc, const struct lc_arg *arg, struct lc_effects *fx)
{
	fx->expected = lifecycle_leaving(lc);
	lifecycle_init(lc);
	if (!fx->expected && arg->age_ms >= 0 && arg->age_ms < LC_RESPAWN_MS)
		fx->arm_ms = LC_RESPAWN_MS - arg->age_ms;
}

/* Feed one event to the lifecycle; *fx says what to do about it. */
void
lifecycle_event(struct lifecycle *lc, enum lc_event ev,
    const struct lc_arg *arg, struct lc_effects *fx)
{
	*fx = (struct lc_effects){.arm_ms = -1};
	switch (ev) {
	case LC_STARTED:
		*lc = (struct lifecycle){
		    .phase = LC_UP, .kind = arg->kind, .held = arg->hold};
		break;
	case LC_STOP:
		stop(lc, arg, fx);
		break;
	case LC_DRAIN:
		drain(lc, fx);
		break;
	case LC_KILL:
		kill_run(lc, fx);
		break;
	case LC_DEADLINE:
		deadline(lc, arg, fx);
		break;
	case LC_EXITED:
		exited(lc, arg, fx);
		break;
	case LC_HOLD:
		lc->held = lc->phase != LC_DOWN && arg->hold;
		break;
	case LC_RELEASED:
		lc->held = false;
		break;
	}
}

/* The name of a phase, for messages and tests. */
const char *
lifecycle_phase_name(enum lc_phase phase)
{
	static const char *const names[] = {"down", "up", "draining",
	    "stopping", "killed", "drain-killed", "stop-killed"};

	return names[phase];
}
