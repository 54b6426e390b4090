/*
 * The health rule.  A service passes when its run is up and, if it has
 * readiness notification, ready.  One whose run has died under this
 * supervisor must also have stayed so for HEALTH_SETTLE_MS, the window
 * of s6's restart throttle: a run that dies 300 ms after each start is
 * up a third of the time, and a probe that samples it must fail every
 * time, not two times in three.  A run that ended for good and well
 * (a one-shot done, the status record's done flag) passes: it did what
 * it was for, and its dependents may go.
 */
#include "config.h"

#include "lib/loop.h"
#include "sv/health.h"

static const char *const health_names[] = {
    [HEALTH_OK] = "ok",
    [HEALTH_STARTING] = "starting",
    [HEALTH_RESTARTING] = "restarting",
    [HEALTH_FINISHING] = "finishing",
    [HEALTH_DOWN] = "down",
    [HEALTH_WAITING] = "waiting",
    [HEALTH_UNSUPERVISED] = "unsupervised",
    [HEALTH_MISSING] = "missing",
};

/* Say whether the record's run ended for good and well (done). */
static bool
ended_well(const struct sv_status *st)
{
	return st->done && !st->finishing && st->pid == 0;
}

/*
 * Judge a service from its status record, the deaths of its run under
 * its supervisor, whether it has readiness notification, and the wall
 * clock (the stamps are wall-clock times).  When the verdict may turn
 * to HEALTH_OK by itself, *settle_ms (if not NULL) says in how many
 * milliseconds; else it is -1.
 */
enum health
health_judge(const struct sv_status *st, long deaths, bool has_readiness,
    const struct timespec *now, long *settle_ms)
{
	const struct timespec *since =
	    has_readiness ? &st->readystamp : &st->stamp;
	long long age;

	if (settle_ms != NULL)
		*settle_ms = -1;
	if (ended_well(st))
		return HEALTH_OK;
	if (!health_run_up(st)) {
		if (st->wantup && deaths > 0)
			return HEALTH_RESTARTING;
		return st->finishing ? HEALTH_FINISHING : HEALTH_DOWN;
	}
	if (has_readiness && !st->ready)
		return deaths > 0 ? HEALTH_RESTARTING : HEALTH_STARTING;
	age = timespec_diff_ms(now, since);
	/* A stamp ahead of the clock means the clock was set back: do not
	 * fail a service for hours over it. */
	if (deaths <= 0 || age >= HEALTH_SETTLE_MS || age < 0)
		return HEALTH_OK;
	if (settle_ms != NULL)
		*settle_ms = HEALTH_SETTLE_MS - (long)age;
	return HEALTH_RESTARTING;
}

/* Say whether the record's run is up: started, and finish not running. */
bool
health_run_up(const struct sv_status *st)
{
	return st->pid > 0 && !st->finishing;
}

/*
 * Say whether the record's run serves: up, and ready where it has
 * readiness notification, or done.  What a held dependent waits for (no
 * settling: a dependency that restarts releases it as soon as it is
 * back).
 */
bool
health_serving(const struct sv_status *st, bool has_readiness)
{
	return ended_well(st) ||
	    (health_run_up(st) && (st->ready || !has_readiness));
}

/* Say whether the run of the first status record died by the second. */
bool
health_run_died(const struct sv_status *before, const struct sv_status *after)
{
	if (!health_run_up(before))
		return false;
	return after->finishing || after->pid != before->pid;
}

/* The word for a verdict. */
const char *
health_name(enum health verdict)
{
	return health_names[verdict];
}
