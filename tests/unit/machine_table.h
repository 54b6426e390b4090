/*
 * The supervisor's state machine as a table (check_machine.c runs it):
 * the inputs, the start states reached through them, the effects and
 * states expected, one bit each, and the rows.
 */
#ifndef HOTSV_TESTS_MACHINE_TABLE_H
#define HOTSV_TESTS_MACHINE_TABLE_H

#include <signal.h>
#include <stddef.h>

#include "supervise/machine.h"

/* Every control letter s6-svc writes. */
#define LETTERS "abqhkti12ypcrduDUoOQx"
#define PID 4242

/* The entry points of the machine. */
enum input {
	IN_NONE,   /* end of a list of steps */
	IN_INIT,   /* arg: wanted up (no ./down) */
	IN_LETTER, /* letters: each one tried from the same start */
	IN_SIGNAL, /* arg: enum machine_signal */
	IN_TIMEOUT,
	IN_STARTED,     /* arg: pid */
	IN_RUN_DIED,    /* arg: wait status */
	IN_FINISH_DIED, /* arg: permanent failure (finish exited 125) */
	IN_READY,
	IN_POLICY, /* arg: type * 4 + on_exit (machine_set_policy) */
};

struct step {
	enum input in;
	int arg;
	const char *letters;
};

/* Inputs for a struct step initializer, as {GOT_TERM}. */
#define INIT_UP IN_INIT, 1, NULL
#define INIT_DOWN IN_INIT, 0, NULL
#define L(s) IN_LETTER, 0, s
#define GOT_TERM IN_SIGNAL, MSIG_TERM, NULL
#define GOT_HUP IN_SIGNAL, MSIG_HUP, NULL
#define GOT_QUIT IN_SIGNAL, MSIG_QUIT, NULL
#define TIMEOUT IN_TIMEOUT, 0, NULL
#define STARTED IN_STARTED, PID, NULL
#define KILLED IN_RUN_DIED, 0x000f, NULL  /* by SIGTERM */
#define EXITED3 IN_RUN_DIED, 0x0300, NULL /* exit 3 */
#define FINISHED IN_FINISH_DIED, 0, NULL
#define FAILED IN_FINISH_DIED, 1, NULL /* finish exited 125 */
#define READY IN_READY, 0, NULL
#define EXITED0 IN_RUN_DIED, 0x0000, NULL /* exit 0 */
#define SIGKILLED IN_RUN_DIED, 0x0009, NULL
#define POL(t, o) IN_POLICY, (t)*4 + (o), NULL
#define ONESHOT POL(SV_ONESHOT, SV_HALT_ON_FAILURE)
#define ONESHOT_R POL(SV_ONESHOT, SV_RESTART)
#define HALT POL(SV_LONGRUN, SV_HALT)
#define HALT_F POL(SV_LONGRUN, SV_HALT_ON_FAILURE)

/* Start states, reached through the inputs one second apart. */
enum start {
	ST_FRESH,  /* before machine_init */
	ST_DOWN,   /* started with ./down */
	ST_DOWN_W, /* wanted up, run not started yet */
	ST_DOWN_2, /* down after a death, restart pending */
	ST_UP,     /* run started, not ready */
	ST_UP_R,   /* run ready */
	ST_UP_P,   /* run paused */
	ST_UP_O,   /* run started once ('o'): not wanted up */
	ST_UP_D,   /* down-signal sent */
	ST_UP_X,   /* 'x': exit once run is down */
	ST_FIN,    /* finish running; run was never ready */
	ST_FIN_R,  /* finish running; run had been ready for 1 s */
	ST_FIN_O,  /* finish running; not wanted up */
	ST_FIN_X,  /* finish running; exit after it */
	ST_OS_W,   /* a one-shot, wanted up, not started yet */
	ST_OS_UP,  /* a one-shot running */
	ST_OS_F0,  /* a one-shot's finish after exit 0 */
	ST_OS_F3,  /* a one-shot's finish after exit 3 */
	ST_OS_FT,  /* a one-shot's finish after timeout-up's SIGKILL */
	ST_OS_FD,  /* a one-shot's finish after 'd' */
	ST_OS_DN,  /* a one-shot done */
	ST_OSR_F0, /* on-exit restart: a one-shot's finish after exit 0 */
	ST_OSR_F3, /* on-exit restart: a one-shot's finish after exit 3 */
	ST_H_F0,   /* on-exit halt: finish after exit 0 */
	ST_H_F3,   /* on-exit halt: finish after exit 3 */
	ST_H_FK,   /* on-exit halt: finish after a SIGKILL not ours */
	ST_H_FD,   /* on-exit halt: finish after 'd' */
	ST_H_FR,   /* on-exit halt: finish after 'r' */
	ST_HF_F0,  /* halt-on-failure: finish after exit 0 */
	ST_HF_F3,  /* halt-on-failure: finish after exit 3 */
	ST_COUNT
};

/* A start state: its name and the steps that reach it. */
struct machine_start {
	const char *name;
	struct step steps[6];
};

/* Expected effects, one bit each (restart_delay_ms as NOW or SEC). */
enum {
	START = 1 << 0,   /* start_run */
	FINISH = 1 << 1,  /* start_finish */
	ARM = 1 << 2,     /* arm_kill */
	KILL = 1 << 3,    /* kill_now */
	TOUCH = 1 << 4,   /* touch_down */
	RM = 1 << 5,      /* remove_down */
	CLOSE = 1 << 6,   /* close_std */
	EXIT = 1 << 7,    /* exit */
	ANN = 1 << 8,     /* announce */
	UNKNOWN = 1 << 9, /* unknown */
	NOW = 1 << 10,    /* restart_delay_ms == 0 */
	SEC = 1 << 11,    /* restart_delay_ms == 1000 */
	ARMUP = 1 << 12,  /* arm_up_timeout */
	HLT = 1 << 13,    /* halt */
};

/* The state after an input: the five status flags, then the machine's. */
enum {
	PA = STATUS_FLAG_PAUSED,
	FI = STATUS_FLAG_FINISHING,
	WU = STATUS_FLAG_WANTUP,
	RD = STATUS_FLAG_READY,
	DN = STATUS_FLAG_DONE,
	EX = 1 << 5, /* exiting */
	DY = 1 << 6, /* dying */
	ST = 1 << 7, /* stamp set to the input's time */
	RS = 1 << 8, /* readystamp set to the input's time */
};

/* The signals an input must send to run, in order; -1 for none. */
#define NOSIG -1, -1
#define SIG1(s) s, -1
#define DOWNCONT MACHINE_DOWNSIG, SIGCONT

/* One row: from a start state, one input, and all that must follow. */
struct machine_case {
	enum start start;
	struct step input;
	int sig0, sig1;
	unsigned fx;
	const char *events;
	unsigned after;
	enum machine_phase phase;
};

extern const struct machine_start machine_starts[ST_COUNT];
extern const struct machine_case machine_cases[];
extern const size_t machine_case_count;

#endif
