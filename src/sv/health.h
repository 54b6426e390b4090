/*
 * Health: whether a service can be trusted to serve, from its status
 * record.  One rule for hotsv check, hotsv status --json and hotsv-scan
 * --wait-ready, so that they never disagree.
 */
#ifndef HOTSV_SV_HEALTH_H
#define HOTSV_SV_HEALTH_H

#include <stdbool.h>
#include <time.h>

#include "sv/status.h"

/* A run that died before must stay up (and ready) this long to pass. */
#define HEALTH_SETTLE_MS 1000

/* The verdicts, as hotsv status --json names them (see hotsv(1)). */
enum health {
	HEALTH_OK,           /* up, ready if it says so, trusted */
	HEALTH_STARTING,     /* up for the first time, not ready yet */
	HEALTH_RESTARTING,   /* died before, wanted up, not settled again */
	HEALTH_FINISHING,    /* finish runs, the service is not wanted up */
	HEALTH_DOWN,         /* nothing runs */
	HEALTH_WAITING,      /* held until a dependency is ready */
	HEALTH_UNSUPERVISED, /* no live supervisor */
	HEALTH_MISSING,      /* no service directory */
};

enum health health_judge(const struct sv_status *, long deaths,
    bool has_readiness, const struct timespec *now, long *settle_ms);
bool health_run_up(const struct sv_status *);
bool health_serving(const struct sv_status *, bool has_readiness);
bool health_run_died(
    const struct sv_status *before, const struct sv_status *after);
const char *health_name(enum health);

#endif
