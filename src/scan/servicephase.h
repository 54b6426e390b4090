/*
 * The life of one name in the scan directory, without any system call:
 * events in (its entry was seen, is gone, could not be opened; quiet time
 * or a settle time passed; two polls agreed; log/ moved; its supervisor
 * died or could not start; the shutdown's half grace passed), effects out
 * (arm its deadline, stop its supervisor, back off, say a line).  What
 * runs for it is the other half, one lifecycle per supervisor
 * (lifecycle.h); service.c, servicelog.c and entries.c carry the effects
 * out.
 */
#ifndef HOTSV_SCAN_SERVICEPHASE_H
#define HOTSV_SCAN_SERVICEPHASE_H

#include <stdbool.h>

/*
 * How long a directory created in place must stay quiet before its
 * service starts: files copied after run (down, dependencies, log/,
 * notification-fd) are then seen.  A directory moved in is complete and
 * starts at once.
 */
#define SP_QUIET_MS 50
/* How long log/ must stay added or removed before a running service
 * follows it. */
#define SP_LOG_SETTLE_MS 100
/* How soon to look again after a watch or a pipe could not be made. */
#define SP_RETRY_MS 1000
/* The first wait after a failed start, and the longest. */
#define SP_BACKOFF_FIRST_MS 1000
#define SP_BACKOFF_MAX_MS 30000

enum svc_phase {
	SP_ABSENT,     /* no directory under its name: what runs stops */
	SP_UNRESOLVED, /* its entry could not be opened: look again */
	SP_QUIET,      /* created in place: starts once quiet (deadline) */
	SP_POLLED,     /* found by a poll: two polls must agree first */
	SP_RENAMED,    /* waits for its old name's supervisor to go */
	SP_WANTED,     /* there: runs, or starts as soon as it can */
	SP_LOG_MOVING, /* runs, log/ came or went: settles (deadline) */
	SP_LOG_MOVED,  /* that lasted: its output follows at the next look */
	SP_DEPENDENTS, /* gone, but waits for its dependents to stop */
	SP_RELEASED,   /* gone, half the shutdown grace over: waits for none */
	SP_PHASES,
};

enum svc_event {
	SE_SEEN,         /* its entry leads to a directory */
	SE_GONE,         /* its entry is gone (or we let go of all) */
	SE_UNRESOLVED,   /* its entry could not be opened (no descriptor) */
	SE_FRESH,        /* it was just created in place */
	SE_TOUCHED,      /* something happened in its directory */
	SE_POLL_AGREED,  /* two polls in a row saw the same run */
	SE_DUE,          /* its deadline passed */
	SE_LOOK_AGAIN,   /* a watch or a pipe could not be made */
	SE_LOG_CHANGED,  /* its log/ came, went or was replaced */
	SE_LOG_SAME,     /* its log/ is as it was */
	SE_OLD_NAME,     /* about to start: is it renamed from a running name */
	SE_STOP,         /* what runs for it must stop: now, or after others */
	SE_HALF_GRACE,   /* half the shutdown's grace time is over */
	SE_START_FAILED, /* a process or a descriptor for it was refused */
	SE_STARTED,      /* a process for it started */
	SE_SUP_DIED,     /* its supervisor exited unasked */
	SE_EVENTS,
};

/* The facts an event comes with. */
struct svc_arg {
	bool running;  /* its supervisor runs */
	bool new_dir;  /* SE_SEEN: another directory than the one held */
	bool by_poll;  /* SE_SEEN: a periodic scan, not an event, saw it */
	bool old_runs; /* SE_OLD_NAME: the same directory runs elsewhere */
	bool dependents_run; /* SE_STOP: services depending on it still run */
	bool locked;         /* SE_SUP_DIED: supervise/ held by a stranger */
	bool inherited;      /* SE_SUP_DIED: an earlier scanner's supervisor */
};

/* Lines the caller says, as an effect. */
enum svc_say {
	SP_SAY_NONE,
	SP_SAY_LOCKED,    /* supervised by another process: trying again */
	SP_SAY_REGARDLESS /* stops although a dependent still runs */
};

/* What the caller must do. */
struct svc_effects {
	long arm_ms;      /* >= 0: arm its deadline this far ahead */
	bool stop;        /* SE_STOP: stop its supervisor now */
	bool take_log;    /* SE_LOG_CHANGED: follow log/ now */
	bool reconsider;  /* bring what runs in line again */
	bool back_off;    /* SE_UNRESOLVED: count it as a failed start */
	long retry_ms;    /* >= 0: try its supervisor again this far ahead */
	enum svc_say say; /* a line to say */
};

struct svc_life {
	enum svc_phase phase;
	/* Its one deadline is armed (what it means, the phase says; a
	 * phase deadline replaces a retry, as passing it looks again). */
	bool armed;
	/*
	 * Its last supervisor found supervise/ locked by a stranger.  Kept
	 * beside the phase: it is about that supervisor, in whatever phase
	 * the directory is, and says the warning once per lock.
	 */
	bool locked_out;
	/* Starting keeps failing: the next wait (0: it works). */
	unsigned long backoff_ms;
};

void svc_life_init(struct svc_life *);
void svc_life_event(struct svc_life *, enum svc_event, const struct svc_arg *,
    struct svc_effects *);
bool svc_life_wanted(const struct svc_life *);
bool svc_life_settling(const struct svc_life *);
bool svc_life_waits(const struct svc_life *);
const char *svc_phase_name(enum svc_phase);

#endif
