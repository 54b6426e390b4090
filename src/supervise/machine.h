/*
 * The supervisor's state machine, without any system call: inputs are
 * control letters, signals to the supervisor, deaths and timeouts; the
 * outputs are the effects the supervisor must carry out.
 */
#ifndef HOTSV_SUPERVISE_MACHINE_H
#define HOTSV_SUPERVISE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sv/policy.h"
#include "sv/status.h"

/* Placeholder in effects.signals for "the service's down-signal". */
#define MACHINE_DOWNSIG 0

enum machine_phase {
	PHASE_DOWN,   /* nothing running */
	PHASE_UP,     /* run is running */
	PHASE_FINISH, /* finish is running */
};

enum machine_signal {
	MSIG_TERM, /* bring the service down, run finish, exit */
	MSIG_HUP,  /* exit when the service next dies on its own */
	MSIG_QUIT, /* as HUP, and close our standard descriptors */
};

struct machine {
	enum machine_phase phase;
	struct sv_status status;
	bool exiting;            /* exit once the service is down */
	bool dying;              /* down-signal sent, timeout-kill armed */
	bool fast_restart;       /* had been ready >= 1 s when it died */
	bool timed_out;          /* a one-shot outlived timeout-up: a failure */
	uint64_t signalled;      /* signal n sent to this run: bit n - 1 */
	struct sv_policy policy; /* of the run that runs or ran last */
	enum sv_outcome outcome; /* of the run that died, for finish's end */
};

struct machine_effects {
	int signals[2]; /* to run, in order; MACHINE_DOWNSIG allowed */
	int nsignals;
	bool start_run;       /* start run now */
	int restart_delay_ms; /* >= 0: start run after this delay */
	bool start_finish;    /* run died: start finish now */
	bool arm_kill;        /* down-signal sent: arm timeout-kill */
	bool kill_now;        /* SIGKILL what runs (timeout reached) */
	bool arm_up_timeout;  /* a one-shot started: arm timeout-up */
	bool halt;            /* on-exit halt: the scanner shuts down */
	int halt_code;        /* with this code (0..255) */
	bool touch_down;      /* create ./down */
	bool remove_down;     /* remove ./down */
	bool close_std;       /* point 0, 1, 2 at /dev/null */
	bool exit;            /* the supervisor exits now */
	bool announce;        /* the status changed: write it */
	bool unknown;         /* the letter means nothing */
	char events[4];       /* event letters to send, in order */
};

void machine_init(struct machine *, bool wantup, const struct timespec *now,
    struct machine_effects *);
void machine_set_policy(struct machine *, const struct sv_policy *);
void machine_letter(struct machine *, char letter, struct machine_effects *);
void machine_signal(
    struct machine *, enum machine_signal, struct machine_effects *);
void machine_timeout(struct machine *, struct machine_effects *);
void machine_started(struct machine *, pid_t pid, const struct timespec *now,
    struct machine_effects *);
void machine_adopt(
    struct machine *, const struct sv_status *old, struct machine_effects *);
void machine_run_died(struct machine *, int wstat, const struct timespec *now,
    struct machine_effects *);
void machine_finish_died(struct machine *, bool permanent,
    const struct timespec *now, struct machine_effects *);
void machine_ready(
    struct machine *, const struct timespec *now, struct machine_effects *);

#endif
