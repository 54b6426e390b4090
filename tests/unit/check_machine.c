/*
 * The supervisor's state machine as a table: each row drives a fresh
 * machine into a start state through the public inputs, feeds it one more
 * input and lists every effect and the state that must follow, as
 * s6-supervise does it (see s6-compat.md).
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "supervise/machine.h"
#include "sv/letters.h"
#include "units.h"

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

static const char *const input_names[] = {"none", "init", "letter", "signal",
    "timeout", "started", "run_died", "finish_died", "ready", "policy"};

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

static const struct {
	const char *name;
	struct step steps[6];
} machine_starts[ST_COUNT] = {
    [ST_FRESH] = {"fresh", {{IN_NONE, 0, NULL}}},
    [ST_DOWN] = {"down", {{INIT_DOWN}}},
    [ST_DOWN_W] = {"down, wanted up", {{INIT_UP}}},
    [ST_DOWN_2] = {"down again", {{INIT_UP}, {STARTED}, {KILLED}, {FINISHED}}},
    [ST_UP] = {"up", {{INIT_UP}, {STARTED}}},
    [ST_UP_R] = {"up, ready", {{INIT_UP}, {STARTED}, {READY}}},
    [ST_UP_P] = {"up, paused", {{INIT_UP}, {STARTED}, {L("p")}}},
    [ST_UP_O] = {"up once", {{INIT_DOWN}, {L("o")}, {STARTED}}},
    [ST_UP_D] = {"up, dying", {{INIT_UP}, {STARTED}, {L("d")}}},
    [ST_UP_X] = {"up, exiting", {{INIT_UP}, {STARTED}, {L("x")}}},
    [ST_FIN] = {"finish", {{INIT_UP}, {STARTED}, {KILLED}}},
    [ST_FIN_R] = {"finish after ready",
        {{INIT_UP}, {STARTED}, {READY}, {KILLED}}},
    [ST_FIN_O] = {"finish, once",
        {{INIT_DOWN}, {L("o")}, {STARTED}, {EXITED3}}},
    [ST_FIN_X] = {"finish, exiting",
        {{INIT_UP}, {STARTED}, {KILLED}, {L("x")}}},
    [ST_OS_W] = {"oneshot, wanted up", {{INIT_UP}, {ONESHOT}}},
    [ST_OS_UP] = {"oneshot up", {{INIT_UP}, {ONESHOT}, {STARTED}}},
    [ST_OS_F0] = {"oneshot, finish after exit 0",
        {{INIT_UP}, {ONESHOT}, {STARTED}, {EXITED0}}},
    [ST_OS_F3] = {"oneshot, finish after exit 3",
        {{INIT_UP}, {ONESHOT}, {STARTED}, {EXITED3}}},
    [ST_OS_FT] = {"oneshot, finish after timeout-up",
        {{INIT_UP}, {ONESHOT}, {STARTED}, {TIMEOUT}, {SIGKILLED}}},
    [ST_OS_FD] = {"oneshot, finish after d",
        {{INIT_UP}, {ONESHOT}, {STARTED}, {L("d")}, {KILLED}}},
    [ST_OS_DN] = {"oneshot done",
        {{INIT_UP}, {ONESHOT}, {STARTED}, {EXITED0}, {FINISHED}}},
    [ST_OSR_F0] = {"oneshot restart, finish after exit 0",
        {{INIT_UP}, {ONESHOT_R}, {STARTED}, {EXITED0}}},
    [ST_OSR_F3] = {"oneshot restart, finish after exit 3",
        {{INIT_UP}, {ONESHOT_R}, {STARTED}, {EXITED3}}},
    [ST_H_F0] = {"halt, finish after exit 0",
        {{INIT_UP}, {HALT}, {STARTED}, {EXITED0}}},
    [ST_H_F3] = {"halt, finish after exit 3",
        {{INIT_UP}, {HALT}, {STARTED}, {EXITED3}}},
    [ST_H_FK] = {"halt, finish after SIGKILL",
        {{INIT_UP}, {HALT}, {STARTED}, {SIGKILLED}}},
    [ST_H_FD] = {"halt, finish after d",
        {{INIT_UP}, {HALT}, {STARTED}, {L("d")}, {KILLED}}},
    [ST_H_FR] = {"halt, finish after r",
        {{INIT_UP}, {HALT}, {STARTED}, {L("r")}, {KILLED}}},
    [ST_HF_F0] = {"halt-on-failure, finish after exit 0",
        {{INIT_UP}, {HALT_F}, {STARTED}, {EXITED0}}},
    [ST_HF_F3] = {"halt-on-failure, finish after exit 3",
        {{INIT_UP}, {HALT_F}, {STARTED}, {EXITED3}}},
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

static const char *const fx_names[] = {"start_run", "start_finish", "arm_kill",
    "kill_now", "touch_down", "remove_down", "close_std", "exit", "announce",
    "unknown", "restart now", "restart in 1 s", "arm_up_timeout", "halt"};

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

static const char *const state_names[] = {"paused", "finishing", "wantup",
    "ready", "done", "exiting", "dying", "stamp", "readystamp"};

/* The signals an input must send to run, in order; -1 for none. */
#define NOSIG -1, -1
#define SIG1(s) s, -1
#define DOWNCONT MACHINE_DOWNSIG, SIGCONT

static const struct machine_case {
	enum start start;
	struct step input;
	int sig0, sig1;
	unsigned fx;
	const char *events;
	unsigned after;
	enum machine_phase phase;
} machine_cases[] = {
    /* Start: announce, "s", start run unless ./down; down and ready. */
    {ST_FRESH, {INIT_DOWN}, NOSIG, ANN, "s", RD | ST | RS, PHASE_DOWN},
    {ST_FRESH, {INIT_UP}, NOSIG, ANN | START, "s", WU | RD | ST | RS,
        PHASE_DOWN},

    /* Letters while down (not wanted up): signals go nowhere. */
    {ST_DOWN, {L("abqhkti12ypcr")}, NOSIG, 0, "", RD, PHASE_DOWN},
    {ST_DOWN, {L("dO")}, NOSIG, 0, "", RD, PHASE_DOWN},
    {ST_DOWN, {L("u")}, NOSIG, START | ANN, "", WU | RD, PHASE_DOWN},
    {ST_DOWN, {L("U")}, NOSIG, START | ANN | RM, "", WU | RD, PHASE_DOWN},
    {ST_DOWN, {L("D")}, NOSIG, TOUCH, "", RD, PHASE_DOWN},
    {ST_DOWN, {L("Q")}, NOSIG, TOUCH, "", RD, PHASE_DOWN},
    {ST_DOWN, {L("o")}, NOSIG, START, "", RD, PHASE_DOWN},
    {ST_DOWN, {L("x")}, NOSIG, EXIT, "", RD, PHASE_DOWN},
    {ST_DOWN, {L("Z?\x7f")}, NOSIG, UNKNOWN, "", RD, PHASE_DOWN},

    /* Letters while down but wanted up: only real changes announce. */
    {ST_DOWN_W, {L("dO")}, NOSIG, ANN, "", RD, PHASE_DOWN},
    {ST_DOWN_W, {L("DQ")}, NOSIG, ANN | TOUCH, "", RD, PHASE_DOWN},
    {ST_DOWN_W, {L("u")}, NOSIG, START, "", WU | RD, PHASE_DOWN},
    {ST_DOWN_W, {L("o")}, NOSIG, START | ANN, "", RD, PHASE_DOWN},
    {ST_DOWN_W, {L("x")}, NOSIG, EXIT, "", WU | RD, PHASE_DOWN},

    /* Letters while up. */
    {ST_UP, {L("a")}, SIG1(SIGALRM), 0, "", WU, PHASE_UP},
    {ST_UP, {L("b")}, SIG1(SIGABRT), 0, "", WU, PHASE_UP},
    {ST_UP, {L("q")}, SIG1(SIGQUIT), 0, "", WU, PHASE_UP},
    {ST_UP, {L("h")}, SIG1(SIGHUP), 0, "", WU, PHASE_UP},
    {ST_UP, {L("k")}, SIG1(SIGKILL), 0, "", WU, PHASE_UP},
    {ST_UP, {L("t")}, SIG1(SIGTERM), 0, "", WU, PHASE_UP},
    {ST_UP, {L("i")}, SIG1(SIGINT), 0, "", WU, PHASE_UP},
    {ST_UP, {L("1")}, SIG1(SIGUSR1), 0, "", WU, PHASE_UP},
    {ST_UP, {L("2")}, SIG1(SIGUSR2), 0, "", WU, PHASE_UP},
    {ST_UP, {L("y")}, SIG1(SIGWINCH), 0, "", WU, PHASE_UP},
    {ST_UP, {L("p")}, SIG1(SIGSTOP), ANN, "", WU | PA, PHASE_UP},
    {ST_UP, {L("c")}, SIG1(SIGCONT), ANN, "", WU, PHASE_UP},
    {ST_UP, {L("r")}, DOWNCONT, ARM, "", WU | DY, PHASE_UP},
    {ST_UP, {L("d")}, DOWNCONT, ARM | ANN, "", DY, PHASE_UP},
    {ST_UP, {L("D")}, DOWNCONT, ARM | ANN | TOUCH, "", DY, PHASE_UP},
    {ST_UP, {L("u")}, NOSIG, 0, "", WU, PHASE_UP},
    {ST_UP, {L("U")}, NOSIG, RM, "", WU, PHASE_UP},
    {ST_UP, {L("oO")}, NOSIG, ANN, "", 0, PHASE_UP},
    {ST_UP, {L("Q")}, NOSIG, ANN | TOUCH, "", 0, PHASE_UP},
    {ST_UP, {L("x")}, NOSIG, 0, "", WU | EX, PHASE_UP},
    {ST_UP, {L("Z?\x7f")}, NOSIG, UNKNOWN, "", WU, PHASE_UP},

    /* Letters in other up states. */
    {ST_UP_P, {L("p")}, SIG1(SIGSTOP), ANN, "", WU | PA, PHASE_UP},
    {ST_UP_P, {L("c")}, SIG1(SIGCONT), ANN, "", WU, PHASE_UP},
    {ST_UP_P, {L("r")}, DOWNCONT, ARM | ANN, "", WU | DY, PHASE_UP},
    {ST_UP_P, {L("d")}, DOWNCONT, ARM | ANN, "", DY, PHASE_UP},
    {ST_UP_R, {L("r")}, DOWNCONT, ARM, "", WU | RD | DY, PHASE_UP},
    {ST_UP_O, {L("u")}, NOSIG, ANN, "", WU, PHASE_UP},
    {ST_UP_O, {L("U")}, NOSIG, ANN | RM, "", WU, PHASE_UP},
    {ST_UP_D, {L("d")}, DOWNCONT, ARM, "", DY, PHASE_UP},
    {ST_UP_X, {L("d")}, DOWNCONT, ARM | ANN, "", EX | DY, PHASE_UP},

    /* Letters while finish runs: no signal is for finish. */
    {ST_FIN, {L("abqhkti12ypcr")}, NOSIG, 0, "", WU | FI, PHASE_FINISH},
    {ST_FIN, {L("d")}, NOSIG, ANN, "", FI, PHASE_FINISH},
    {ST_FIN, {L("D")}, NOSIG, ANN | TOUCH, "", FI, PHASE_FINISH},
    {ST_FIN, {L("u")}, NOSIG, 0, "", WU | FI, PHASE_FINISH},
    {ST_FIN, {L("U")}, NOSIG, RM, "", WU | FI, PHASE_FINISH},
    {ST_FIN, {L("oO")}, NOSIG, ANN, "", FI, PHASE_FINISH},
    {ST_FIN, {L("Q")}, NOSIG, ANN | TOUCH, "", FI, PHASE_FINISH},
    {ST_FIN, {L("x")}, NOSIG, 0, "", WU | FI | EX, PHASE_FINISH},
    {ST_FIN, {L("Z?\x7f")}, NOSIG, UNKNOWN, "", WU | FI, PHASE_FINISH},
    {ST_FIN_O, {L("u")}, NOSIG, ANN, "", WU | FI, PHASE_FINISH},

    /* SIGTERM, SIGHUP, SIGQUIT to the supervisor. */
    {ST_DOWN, {GOT_TERM}, NOSIG, EXIT, "", RD, PHASE_DOWN},
    {ST_DOWN, {GOT_HUP}, NOSIG, EXIT, "", RD, PHASE_DOWN},
    {ST_DOWN, {GOT_QUIT}, NOSIG, EXIT | CLOSE, "", RD, PHASE_DOWN},
    {ST_DOWN_W, {GOT_TERM}, NOSIG, EXIT, "", WU | RD, PHASE_DOWN},
    {ST_UP, {GOT_TERM}, DOWNCONT, ARM | ANN, "", EX | DY, PHASE_UP},
    {ST_UP, {GOT_HUP}, NOSIG, 0, "", WU | EX, PHASE_UP},
    {ST_UP, {GOT_QUIT}, NOSIG, CLOSE, "", WU | EX, PHASE_UP},
    {ST_UP_P, {GOT_TERM}, DOWNCONT, ARM | ANN, "", EX | DY, PHASE_UP},
    {ST_FIN, {GOT_TERM}, NOSIG, 0, "", WU | FI | EX, PHASE_FINISH},
    {ST_FIN, {GOT_HUP}, NOSIG, 0, "", WU | FI | EX, PHASE_FINISH},
    {ST_FIN, {GOT_QUIT}, NOSIG, CLOSE, "", WU | FI | EX, PHASE_FINISH},

    /* The one deadline: restart, timeout-kill or timeout-finish. */
    {ST_DOWN, {TIMEOUT}, NOSIG, 0, "", RD, PHASE_DOWN},
    {ST_DOWN_W, {TIMEOUT}, NOSIG, START, "", WU | RD, PHASE_DOWN},
    {ST_DOWN_2, {TIMEOUT}, NOSIG, START, "", WU | RD, PHASE_DOWN},
    {ST_UP, {TIMEOUT}, NOSIG, 0, "", WU, PHASE_UP},
    {ST_UP_D, {TIMEOUT}, NOSIG, KILL, "", DY, PHASE_UP},
    {ST_FIN, {TIMEOUT}, NOSIG, KILL, "", WU | FI, PHASE_FINISH},

    /* run started: "u", not ready any more. */
    {ST_DOWN_W, {STARTED}, NOSIG, ANN, "u", WU | ST, PHASE_UP},
    {ST_DOWN_2, {STARTED}, NOSIG, ANN, "u", WU | ST, PHASE_UP},
    {ST_DOWN, {STARTED}, NOSIG, ANN, "u", ST, PHASE_UP},

    /* run died: "d", start finish. */
    {ST_UP, {KILLED}, NOSIG, FINISH | ANN, "d", WU | FI | ST, PHASE_FINISH},
    {ST_UP_R, {EXITED3}, NOSIG, FINISH | ANN, "d", WU | FI | ST, PHASE_FINISH},
    {ST_UP_P, {KILLED}, NOSIG, FINISH | ANN, "d", WU | FI | ST, PHASE_FINISH},
    {ST_UP_D, {KILLED}, NOSIG, FINISH | ANN, "d", FI | ST, PHASE_FINISH},
    {ST_UP_X, {KILLED}, NOSIG, FINISH | ANN, "d", WU | FI | EX | ST,
        PHASE_FINISH},

    /* finish died: "D" (after "O" for exit 125), down and ready. */
    {ST_FIN, {FINISHED}, NOSIG, ANN | SEC, "D", WU | RD | RS, PHASE_DOWN},
    {ST_FIN_R, {FINISHED}, NOSIG, ANN | NOW, "D", WU | RD | RS, PHASE_DOWN},
    {ST_FIN, {FAILED}, NOSIG, ANN, "OD", RD | RS, PHASE_DOWN},
    {ST_FIN_R, {FAILED}, NOSIG, ANN, "OD", RD | RS, PHASE_DOWN},
    {ST_FIN_O, {FINISHED}, NOSIG, ANN, "D", RD | RS, PHASE_DOWN},
    {ST_FIN_X, {FINISHED}, NOSIG, ANN | EXIT, "D", WU | RD | EX | RS,
        PHASE_DOWN},
    {ST_FIN_X, {FAILED}, NOSIG, ANN | EXIT, "OD", RD | EX | RS, PHASE_DOWN},

    /* Readiness counts only while run is up, and only once. */
    {ST_UP, {READY}, NOSIG, ANN, "U", WU | RD | RS, PHASE_UP},
    {ST_UP_P, {READY}, NOSIG, ANN, "U", WU | PA | RD | RS, PHASE_UP},
    {ST_UP_R, {READY}, NOSIG, 0, "", WU | RD, PHASE_UP},
    {ST_DOWN, {READY}, NOSIG, 0, "", RD, PHASE_DOWN},
    {ST_FIN, {READY}, NOSIG, 0, "", WU | FI, PHASE_FINISH},

    /* A one-shot: timeout-up armed, never ready before it is done. */
    {ST_OS_W, {STARTED}, NOSIG, ANN | ARMUP, "u", WU | ST, PHASE_UP},
    {ST_OS_UP, {READY}, NOSIG, 0, "", WU, PHASE_UP},
    {ST_OS_UP, {TIMEOUT}, NOSIG, KILL, "", WU, PHASE_UP},
    {ST_OS_UP, {EXITED0}, NOSIG, FINISH | ANN, "d", WU | FI | ST, PHASE_FINISH},
    /* Exit 0: done, not restarted; a failure (timeout-up's SIGKILL
     * too) halts by default; a stop hotsv asked for does neither. */
    {ST_OS_F0, {FINISHED}, NOSIG, ANN, "D", RD | DN | RS, PHASE_DOWN},
    {ST_OS_F3, {FINISHED}, NOSIG, ANN | HLT, "D", RD | RS, PHASE_DOWN},
    {ST_OS_FT, {FINISHED}, NOSIG, ANN | HLT, "D", RD | RS, PHASE_DOWN},
    {ST_OS_FD, {FINISHED}, NOSIG, ANN, "D", RD | RS, PHASE_DOWN},
    /* Run again by a restart (or up); the done flag lasts until then. */
    {ST_OS_DN, {L("ru")}, NOSIG, START | ANN, "", WU | RD | DN, PHASE_DOWN},
    {ST_OS_DN, {STARTED}, NOSIG, ANN | ARMUP, "u", ST, PHASE_UP},
    /* on-exit restart: a failed one-shot is retried at s6's pace. */
    {ST_OSR_F0, {FINISHED}, NOSIG, ANN, "D", RD | DN | RS, PHASE_DOWN},
    {ST_OSR_F3, {FINISHED}, NOSIG, ANN | SEC, "D", WU | RD | RS, PHASE_DOWN},

    /* on-exit halt: any end of run's own halts; down and r do not. */
    {ST_H_F0, {FINISHED}, NOSIG, ANN | HLT, "D", RD | DN | RS, PHASE_DOWN},
    {ST_H_F3, {FINISHED}, NOSIG, ANN | HLT, "D", RD | RS, PHASE_DOWN},
    {ST_H_FK, {FINISHED}, NOSIG, ANN | HLT, "D", RD | RS, PHASE_DOWN},
    {ST_H_FD, {FINISHED}, NOSIG, ANN, "D", RD | RS, PHASE_DOWN},
    {ST_H_FR, {FINISHED}, NOSIG, ANN | SEC, "D", WU | RD | RS, PHASE_DOWN},
    {ST_H_F3, {GOT_TERM}, NOSIG, 0, "", WU | FI | EX, PHASE_FINISH},
    /* halt-on-failure: exit 0 is done, a failure halts. */
    {ST_HF_F0, {FINISHED}, NOSIG, ANN, "D", RD | DN | RS, PHASE_DOWN},
    {ST_HF_F3, {FINISHED}, NOSIG, ANN | HLT, "D", RD | RS, PHASE_DOWN},
};

/* The time of the nth step: one second apart, in the middle of a second. */
static struct timespec
step_time(int n)
{
	return (struct timespec){1795927811 + n, 500000000};
}

/* Feed one input (with letter for IN_LETTER) to the machine. */
static void
machine_feed(struct machine *m, enum input in, int arg,
    const struct timespec *now, struct machine_effects *fx)
{
	switch (in) {
	case IN_NONE:
		break;
	case IN_INIT:
		machine_init(m, arg != 0, now, fx);
		break;
	case IN_LETTER:
		machine_letter(m, (char)arg, fx);
		break;
	case IN_SIGNAL:
		machine_signal(m, (enum machine_signal)arg, fx);
		break;
	case IN_TIMEOUT:
		machine_timeout(m, fx);
		break;
	case IN_STARTED:
		machine_started(m, (pid_t)arg, now, fx);
		break;
	case IN_RUN_DIED:
		machine_run_died(m, arg, now, fx);
		break;
	case IN_FINISH_DIED:
		machine_finish_died(m, arg != 0, now, fx);
		break;
	case IN_READY:
		machine_ready(m, now, fx);
		break;
	case IN_POLICY:
		machine_set_policy(m,
		    &(struct sv_policy){
		        .type = (enum sv_type)(arg / 4),
		        .on_exit = (enum sv_on_exit)(arg % 4),
		    });
		break;
	}
}

/* Bring a zeroed machine to a start state; returns the steps taken. */
static int
machine_start(struct machine *m, enum start start)
{
	const struct step *s = machine_starts[start].steps;
	struct machine_effects fx;
	struct timespec now;
	int n = 0;

	memset(m, 0, sizeof *m);
	for (; s->in != IN_NONE; s++, n++) {
		now = step_time(n);
		if (s->in == IN_LETTER)
			for (const char *c = s->letters; *c != '\0'; c++)
				machine_feed(m, s->in, *c, &now, &fx);
		else
			machine_feed(m, s->in, s->arg, &now, &fx);
	}
	return n;
}

/* Return the effects as FX bits. */
static unsigned
effect_bits(const struct machine_effects *fx)
{
	const bool bits[] = {fx->start_run, fx->start_finish, fx->arm_kill,
	    fx->kill_now, fx->touch_down, fx->remove_down, fx->close_std,
	    fx->exit, fx->announce, fx->unknown, fx->restart_delay_ms == 0,
	    fx->restart_delay_ms == 1000, fx->arm_up_timeout, fx->halt};
	unsigned out = 0;

	for (size_t i = 0; i < NELEM(bits); i++)
		out |= bits[i] ? 1u << i : 0;
	return out;
}

/* Return whether two times are equal. */
static bool
same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Return the state bits of a machine after an input made at now. */
static unsigned
state_bits(const struct machine *m, const struct timespec *now)
{
	unsigned char packed[STATUS_SIZE];

	status_pack(packed, &m->status);
	return packed[34] | (m->exiting ? EX : 0) | (m->dying ? DY : 0) |
	    (same_time(&m->status.stamp, now) ? ST : 0) |
	    (same_time(&m->status.readystamp, now) ? RS : 0);
}

/* Fail listing the bits that are missing and those that should not be. */
static void
assert_bits(const char *row, const char *what, unsigned got, unsigned want,
    const char *const names[], size_t nnames)
{
	char text[512] = "";
	size_t used = 0;

	for (size_t i = 0; i < nnames && used < sizeof text; i++)
		if ((got ^ want) & 1u << i)
			used +=
			    (size_t)snprintf(text + used, sizeof text - used,
			        " %c%s", want & 1u << i ? '-' : '+', names[i]);
	ck_assert_msg(got == want, "%s: %s differ (- missing, + extra):%s", row,
	    what, text);
}

/* Check one input of one row against what the row expects. */
static void
check_case(const struct machine_case *c, int arg, int row)
{
	struct machine m;
	struct machine_effects fx;
	struct sv_status before;
	struct timespec now;
	char desc[128];
	const int sigs[2] = {c->sig0, c->sig1};
	int nsigs = (sigs[0] >= 0) + (sigs[1] >= 0);

	now = step_time(machine_start(&m, c->start));
	before = m.status;
	snprintf(desc, sizeof desc,
	    c->input.in == IN_LETTER && arg > 0x20 && arg < 0x7f
	        ? "row %d (%s, %s '%c')"
	        : "row %d (%s, %s %#x)",
	    row, machine_starts[c->start].name, input_names[c->input.in], arg);
	machine_feed(&m, c->input.in, arg, &now, &fx);
	ck_assert_msg(fx.nsignals == nsigs, "%s: %d signals, want %d", desc,
	    fx.nsignals, nsigs);
	for (int i = 0; i < nsigs; i++)
		ck_assert_msg(fx.signals[i] == sigs[i],
		    "%s: signal %d is %d, want %d", desc, i, fx.signals[i],
		    sigs[i]);
	ck_assert_msg(fx.restart_delay_ms == -1 || fx.restart_delay_ms == 0 ||
	        fx.restart_delay_ms == 1000,
	    "%s: restart_delay_ms %d", desc, fx.restart_delay_ms);
	assert_bits(desc, "effects", effect_bits(&fx), c->fx, fx_names,
	    NELEM(fx_names));
	ck_assert_msg(strcmp(fx.events, c->events) == 0,
	    "%s: events \"%s\", want \"%s\"", desc, fx.events, c->events);
	assert_bits(desc, "state", state_bits(&m, &now), c->after, state_names,
	    NELEM(state_names));
	ck_assert_msg(m.phase == c->phase, "%s: phase %d, want %d", desc,
	    m.phase, c->phase);
	ck_assert_msg(m.status.pid == (m.phase == PHASE_UP ? PID : 0),
	    "%s: pid %ld", desc, (long)m.status.pid);
	ck_assert_msg(m.status.wstat ==
	        (c->input.in == IN_RUN_DIED ? c->input.arg : before.wstat),
	    "%s: wstat %#x", desc, m.status.wstat);
}

/* Run one row of the table, once per letter for a row of letters. */
START_TEST(table)
{
	const struct machine_case *c = &machine_cases[_i];

	if (c->input.in != IN_LETTER) {
		check_case(c, c->input.arg, _i);
		return;
	}
	for (const char *l = c->input.letters; *l != '\0'; l++)
		check_case(c, *l, _i);
}
END_TEST

/* The code an on-exit halt carries: the exit code, or 128 + signal. */
START_TEST(halt_codes)
{
	static const struct {
		enum start start;
		int code;
	} halts[] = {{ST_H_F0, 0}, {ST_H_F3, 3}, {ST_H_FK, 137}, {ST_OS_F3, 3},
	    {ST_OS_FT, 137}, {ST_HF_F3, 3}};
	struct machine_effects fx;
	struct machine m;
	struct timespec now;

	for (size_t i = 0; i < NELEM(halts); i++) {
		now = step_time(machine_start(&m, halts[i].start));
		machine_finish_died(&m, false, &now, &fx);
		ck_assert_msg(fx.halt && fx.halt_code == halts[i].code,
		    "%s: halt %d code %d, want %d",
		    machine_starts[halts[i].start].name, fx.halt, fx.halt_code,
		    halts[i].code);
	}
}
END_TEST

/* Cover every letter (and an unknown byte) in each of the three phases. */
START_TEST(table_complete)
{
	static const enum start phases[] = {ST_DOWN, ST_UP, ST_FIN};
	const char *letters = LETTERS "Z";

	for (size_t p = 0; p < NELEM(phases); p++) {
		for (const char *l = letters; *l != '\0'; l++) {
			bool found = false;

			for (size_t i = 0; i < NELEM(machine_cases); i++)
				found |= machine_cases[i].start == phases[p] &&
				    machine_cases[i].input.in == IN_LETTER &&
				    strchr(machine_cases[i].input.letters,
				        *l) != NULL;
			ck_assert_msg(found, "no row for '%c' in %s", *l,
			    machine_starts[phases[p]].name);
		}
	}
}
END_TEST

/* Ignore every other byte in every phase, changing nothing. */
START_TEST(unknown_bytes)
{
	static const enum start starts[] = {ST_DOWN, ST_UP_P, ST_FIN_X};
	unsigned char packed[STATUS_SIZE], after[STATUS_SIZE];
	struct machine_effects fx;
	struct machine m;
	char c = (char)_i;

	ck_assert_int_eq(
	    letter_known(c), c != '\0' && strchr(LETTERS, c) != NULL);
	if (letter_known(c))
		return;
	for (size_t s = 0; s < NELEM(starts); s++) {
		machine_start(&m, starts[s]);
		status_pack(packed, &m.status);
		machine_letter(&m, c, &fx);
		status_pack(after, &m.status);
		ck_assert_uint_eq(effect_bits(&fx), UNKNOWN);
		ck_assert_int_eq(fx.nsignals, 0);
		ck_assert_str_eq(fx.events, "");
		ck_assert_mem_eq(after, packed, STATUS_SIZE);
	}
}
END_TEST

/* Map each signal a letter sends back to that letter. */
START_TEST(signal_letters)
{
	struct machine_effects fx;
	struct machine m;
	int found = 0;

	for (int sig = 1; sig <= 64; sig++) {
		char letter = letter_for_signal(sig);

		if (letter == 0)
			continue;
		found++;
		machine_start(&m, ST_UP);
		machine_letter(&m, letter, &fx);
		ck_assert_msg(fx.nsignals == 1 && fx.signals[0] == sig,
		    "'%c' does not send signal %d", letter, sig);
	}
	ck_assert_int_eq(found, 12);
	ck_assert_int_eq(letter_for_signal(SIGSEGV), 0);
	ck_assert_int_eq(letter_for_signal(0), 0);
}
END_TEST

/*
 * The restart throttle: run readied ready_ns after it started (-1: never)
 * and died died_ns after; finish took 10 ms.  Back at once when it had been
 * ready for at least 1 s, else in 1 s.
 */
static const struct {
	long long ready_ns;
	long long died_ns;
	int delay;
} machine_throttle[] = {
    {-1, 5000000000, 1000},
    {0, 999999999, 1000},
    {0, 1000000000, 0},
    {100000000, 1099999999, 1000},
    {100000000, 1100000000, 0},
    {900000000, 1899999999, 1000},
    {900000000, 1900000000, 0},
    {0, 3600000000000, 0},
};

/* Return base plus ns nanoseconds. */
static struct timespec
time_plus(const struct timespec *base, long long ns)
{
	long long total = base->tv_nsec + ns;

	return (struct timespec){base->tv_sec + (time_t)(total / 1000000000),
	    (long)(total % 1000000000)};
}

/* Run through one death and check the restart delay. */
START_TEST(throttle)
{
	const struct timespec t0 = {1795927811, 500000000};
	struct machine_effects fx;
	struct machine m;
	struct timespec t;

	machine_init(&m, true, &t0, &fx);
	machine_started(&m, PID, &t0, &fx);
	if (machine_throttle[_i].ready_ns >= 0) {
		t = time_plus(&t0, machine_throttle[_i].ready_ns);
		machine_ready(&m, &t, &fx);
	}
	t = time_plus(&t0, machine_throttle[_i].died_ns);
	machine_run_died(&m, 0x0100, &t, &fx);
	t = time_plus(&t, 10000000);
	machine_finish_died(&m, false, &t, &fx);
	ck_assert_int_eq(fx.restart_delay_ms, machine_throttle[_i].delay);
	ck_assert_str_eq(fx.events, "D");
}
END_TEST

/*
 * What s6-supervise did in the runs that wrote the golden status files,
 * fed to our machine at the same times: the status must come out the
 * same, byte for byte.
 */
static const struct {
	struct step step;
	struct timespec at;
	int golden; /* compare with this vector afterwards, or -1 */
} machine_s6_trace[] = {
    {{INIT_UP}, {1795927811, 273533508}, -1},
    {{IN_STARTED, 10986, NULL}, {1795927811, 274717787}, GOLDEN_UP},
    {{L("d")}, {1795927811, 585000000}, -1},
    {{KILLED}, {1795927811, 585919447}, -1},
    {{FINISHED}, {1795927811, 586410066}, GOLDEN_DOWN},
    {{INIT_DOWN}, {1795927842, 762518948}, GOLDEN_INIT},
};

/* Replay s6's runs and compare with the status files it wrote. */
START_TEST(s6_trace)
{
	unsigned char packed[STATUS_SIZE];
	struct machine_effects fx;
	struct machine m;

	memset(&m, 0, sizeof m);
	for (size_t i = 0; i < NELEM(machine_s6_trace); i++) {
		const struct step *s = &machine_s6_trace[i].step;
		int g = machine_s6_trace[i].golden;

		machine_feed(&m, s->in,
		    s->in == IN_LETTER ? *s->letters : s->arg,
		    &machine_s6_trace[i].at, &fx);
		if (g < 0)
			continue;
		status_pack(packed, &m.status);
		ck_assert_msg(
		    memcmp(packed, hotsv_golden[g].bytes, STATUS_SIZE) == 0,
		    "step %zu: not the same as %s", i, hotsv_golden[g].what);
	}
}
END_TEST

/* The state machine suite. */
Suite *
machine_suite(void)
{
	Suite *s = suite_create("machine");
	TCase *tc = tcase_create("machine");

	tcase_add_loop_test(tc, table, 0, NELEM(machine_cases));
	tcase_add_test(tc, table_complete);
	tcase_add_test(tc, halt_codes);
	tcase_add_loop_test(tc, unknown_bytes, 0, 256);
	tcase_add_test(tc, signal_letters);
	tcase_add_loop_test(tc, throttle, 0, NELEM(machine_throttle));
	tcase_add_test(tc, s6_trace);
	suite_add_tcase(s, tc);
	return s;
}
