/*
 * The lifecycle of one supervisor the scanner runs for a service (or for
 * its logger), without any system call: events in (it started, we ask it
 * to stop, drain or kill, its deadline passed, it exited), effects out
 * (what to ask it, which deadline to arm, what to log).  supervisor.c
 * carries the effects out.
 */
#ifndef HOTSV_SCAN_LIFECYCLE_H
#define HOTSV_SCAN_LIFECYCLE_H

#include <stdbool.h>

/* A supervisor is started at most once a second. */
#define LC_RESPAWN_MS 1000
/* How long a logger gets to read what is left once its input closed. */
#define LC_DRAIN_MS 1000

/* What process an instance is. */
enum instance_kind {
	CHILD_SUPERVISOR, /* a hotsv-supervise of ours, on a report socket */
	CHILD_PREFIXER,   /* a hotsv-log of ours (--prefix): no supervisor */
	CHILD_KEPT,       /* an earlier scanner's supervisor, reporting to us */
	CHILD_WATCHED,    /* an earlier scanner's, watched by a pidfd only */
};

enum lc_phase {
	LC_DOWN,         /* no supervisor runs */
	LC_UP,           /* it runs, asked nothing */
	LC_DRAINING,     /* a logger whose input closed, asked to drain */
	LC_STOPPING,     /* asked to stop */
	LC_KILLED,       /* asked to SIGKILL its run, not to stop (shutdown) */
	LC_DRAIN_KILLED, /* asked to drain, then to SIGKILL its run */
	LC_STOP_KILLED,  /* asked to stop, then to SIGKILL: next, itself */
};

enum lc_event {
	LC_STARTED,  /* it runs now (ours, or an earlier scanner's) */
	LC_STOP,     /* stop: down-signal, finish, exit */
	LC_DRAIN,    /* a logger's input closed */
	LC_KILL,     /* SIGKILL what it runs (a grace time is over) */
	LC_DEADLINE, /* its deadline passed */
	LC_EXITED,   /* it was reaped (or its socket ended) */
	LC_HOLD,     /* its run waits for its dependencies (arg.hold) */
	LC_RELEASED, /* it was told its run may start */
};

/* The facts an event comes with. */
struct lc_arg {
	enum instance_kind kind;     /* LC_STARTED */
	bool hold;                   /* LC_STARTED, LC_HOLD */
	bool shutting_down;          /* the shutdown has its own grace */
	unsigned long kill_grace_ms; /* hotsv-scan -k */
	long age_ms;                 /* LC_EXITED: since it started */
};

enum lc_warning {
	LC_WARN_NONE,
	LC_WARN_DRAIN_OVERRAN, /* a logger still runs DRAIN_MS after */
	LC_WARN_STOP_OVERRAN,  /* a stop took the kill grace */
};

struct lifecycle {
	enum lc_phase phase;
	enum instance_kind kind;
	bool held; /* its run waits for a "go" from us */
};

/* What the caller must do, in this order. */
struct lc_effects {
	enum lc_warning warn;
	bool kill_run;        /* SIGKILL what it runs (ask, or ourselves) */
	bool ask_stop;        /* ask it to stop (T, or SIGTERM) */
	bool ask_drain;       /* ask it to drain (H, or SIGHUP) */
	long arm_ms;          /* >= 0: arm its deadline this far ahead */
	bool kill_supervisor; /* SIGKILL the supervisor itself */
	bool take_over;       /* an earlier scanner's: take it over */
	bool reconsider;      /* nothing runs: look at the service again */
	bool expected;        /* LC_EXITED: we had asked it to go */
};

void lifecycle_init(struct lifecycle *);
void lifecycle_event(struct lifecycle *, enum lc_event, const struct lc_arg *,
    struct lc_effects *);
bool lifecycle_running(const struct lifecycle *);
bool lifecycle_leaving(const struct lifecycle *);
const char *lifecycle_phase_name(enum lc_phase);

#endif
