/*
 * The life of a scanned service as a pure state machine (see
 * servicephase.h).  A name is absent until its entry leads to a
 * directory; one created in place waits to be quiet, one found by a poll
 * waits for two polls to agree, one renamed waits for its old name's
 * supervisor to go; then it is wanted.  A running service whose log/
 * moved follows once that lasted.  Once the directory is gone, what runs
 * stops, after its stopping dependents, or regardless once half the
 * shutdown's grace is over.  Starts that fail back off, doubling.
 */
#include "config.h"

#include "scan/servicephase.h"

/* Set up the life of a name nothing is known of yet. */
void
svc_life_init(struct svc_life *life)
{
	*life = (struct svc_life){.phase = SP_ABSENT};
}

/* Say whether the phase says its directory is there. */
bool
svc_life_wanted(const struct svc_life *life)
{
	switch (life->phase) {
	case SP_QUIET:
	case SP_POLLED:
	case SP_RENAMED:
	case SP_WANTED:
	case SP_LOG_MOVING:
	case SP_LOG_MOVED:
		return true;
	default:
		return false;
	}
}

/* Say whether it may not start yet: its directory is settling. */
bool
svc_life_settling(const struct svc_life *life)
{
	return life->phase == SP_QUIET || life->phase == SP_POLLED;
}

/* Say whether it waits for another name (to start, or to stop). */
bool
svc_life_waits(const struct svc_life *life)
{
	return life->phase == SP_RENAMED || life->phase == SP_DEPENDENTS;
}

/* Arm its deadline: a phase's replaces a pending retry (sooner). */
static void
arm(struct svc_life *life, struct svc_effects *fx, long ms)
{
	life->armed = true;
	fx->arm_ms = ms;
}

/*
 * Its entry leads to a directory.  Another directory found by a poll,
 * with nothing running, waits for two polls to agree; coming back from
 * gone, it is wanted.
 */
static void
seen(struct svc_life *life, const struct svc_arg *arg)
{
	bool polled = arg->new_dir && arg->by_poll && !arg->running;

	if (!svc_life_wanted(life))
		life->phase = polled ? SP_POLLED : SP_WANTED;
	else if (polled)
		life->phase = SP_POLLED;
	else if (life->phase == SP_POLLED && arg->new_dir)
		life->phase = SP_WANTED;
}

/* Created in place (or touched while settling): wait for quiet. */
static void
quiet(struct svc_life *life, const struct svc_arg *arg, struct svc_effects *fx,
    bool fresh)
{
	if (arg->running)
		return;
	if (life->phase == SP_QUIET ||
	    (fresh && svc_life_wanted(life) && life->phase != SP_POLLED)) {
		life->phase = SP_QUIET;
		arm(life, fx, SP_QUIET_MS);
	}
}

/* Its deadline passed: quiet over, log/ settled, or just look again. */
static void
due(struct svc_life *life, struct svc_effects *fx)
{
	life->armed = false;
	fx->reconsider = true;
	if (life->phase == SP_QUIET)
		life->phase = SP_WANTED;
	else if (life->phase == SP_LOG_MOVING)
		life->phase = SP_LOG_MOVED;
}

/*
 * Its log/ came, went or was replaced.  A running service restarts to
 * write elsewhere only once that lasted SP_LOG_SETTLE_MS, so that an
 * "rm -rf" of the whole service (log/ goes first) is not raced by a
 * restart, and "rm -rf log && mv new log" counts as one change.
 */
static void
log_changed(
    struct svc_life *life, const struct svc_arg *arg, struct svc_effects *fx)
{
	if (!arg->running || life->phase == SP_LOG_MOVED) {
		if (life->phase == SP_LOG_MOVING || life->phase == SP_LOG_MOVED)
			life->phase = SP_WANTED;
		fx->take_log = true;
	} else if (life->phase == SP_WANTED) {
		life->phase = SP_LOG_MOVING;
		arm(life, fx, SP_LOG_SETTLE_MS);
	} else if (life->phase != SP_LOG_MOVING)
		fx->take_log = true; /* gone, stopping anyway */
}

/* What runs must stop: now, or once its stopping dependents are down. */
static void
stop(struct svc_life *life, const struct svc_arg *arg, struct svc_effects *fx)
{
	if (life->phase == SP_ABSENT || life->phase == SP_UNRESOLVED ||
	    life->phase == SP_DEPENDENTS) {
		if (arg->dependents_run) {
			life->phase = SP_DEPENDENTS;
			return;
		}
		if (life->phase == SP_DEPENDENTS)
			life->phase = SP_ABSENT;
	}
	fx->stop = true;
}

/* Half the shutdown's grace is over: gone ones wait for nobody. */
static void
half_grace(struct svc_life *life, struct svc_effects *fx)
{
	if (svc_life_wanted(life))
		return;
	if (life->phase == SP_DEPENDENTS) {
		fx->say = SP_SAY_REGARDLESS;
		fx->reconsider = true;
	}
	life->phase = SP_RELEASED;
}

/* Starting failed: wait twice as long as last time, up to a bound. */
static void
start_failed(struct svc_life *life, struct svc_effects *fx)
{
	life->backoff_ms =
	    life->backoff_ms == 0 ? SP_BACKOFF_FIRST_MS : life->backoff_ms * 2;
	if (life->backoff_ms > SP_BACKOFF_MAX_MS)
		life->backoff_ms = SP_BACKOFF_MAX_MS;
	fx->retry_ms = (long)life->backoff_ms;
}

/* Its supervisor died unasked: a stranger's lock is said once. */
static void
sup_died(
    struct svc_life *life, const struct svc_arg *arg, struct svc_effects *fx)
{
	if (!arg->inherited) {
		if (arg->locked && !life->locked_out)
			fx->say = SP_SAY_LOCKED;
		life->locked_out = arg->locked;
	}
	if (life->locked_out)
		fx->retry_ms = SP_RETRY_MS;
}

/* Feed one event to the service's life; *fx says what to do about it. */
void
svc_life_event(struct svc_life *life, enum svc_event ev,
    const struct svc_arg *arg, struct svc_effects *fx)
{
	*fx = (struct svc_effects){.arm_ms = -1, .retry_ms = -1};
	switch (ev) {
	case SE_SEEN:
		seen(life, arg);
		break;
	case SE_GONE:
		if (svc_life_wanted(life) || life->phase == SP_UNRESOLVED)
			life->phase = SP_ABSENT;
		break;
	case SE_UNRESOLVED:
		life->phase = SP_UNRESOLVED;
		fx->back_off = !arg->running;
		break;
	case SE_FRESH:
	case SE_TOUCHED:
		quiet(life, arg, fx, ev == SE_FRESH);
		break;
	case SE_POLL_AGREED:
		if (life->phase == SP_POLLED)
			life->phase = SP_WANTED;
		break;
	case SE_DUE:
		due(life, fx);
		break;
	case SE_LOOK_AGAIN:
		if (!life->armed)
			arm(life, fx, SP_RETRY_MS);
		break;
	case SE_LOG_CHANGED:
		log_changed(life, arg, fx);
		break;
	case SE_LOG_SAME:
		if (life->phase == SP_LOG_MOVING || life->phase == SP_LOG_MOVED)
			life->phase = SP_WANTED;
		break;
	case SE_OLD_NAME:
		if (life->phase == SP_WANTED || life->phase == SP_RENAMED)
			life->phase = arg->old_runs ? SP_RENAMED : SP_WANTED;
		break;
	case SE_STOP:
		stop(life, arg, fx);
		break;
	case SE_HALF_GRACE:
		half_grace(life, fx);
		break;
	case SE_START_FAILED:
		start_failed(life, fx);
		break;
	case SE_STARTED:
		life->backoff_ms = 0;
		break;
	case SE_SUP_DIED:
		sup_died(life, arg, fx);
		break;
	case SE_EVENTS:
		break;
	}
}

/* The name of a phase, for messages and tests. */
const char *
svc_phase_name(enum svc_phase phase)
{
	static const char *const names[SP_PHASES] = {"absent", "unresolved",
	    "quiet", "polled", "renamed", "wanted", "log-moving", "log-moved",
	    "dependents", "released"};

	return phase < SP_PHASES ? names[phase] : "?";
}
