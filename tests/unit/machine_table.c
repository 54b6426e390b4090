/*
 * The rows of the supervisor's state machine table: each drives a fresh
 * machine into a start state through the public inputs, feeds it one
 * more input and lists every effect and the state that must follow, as
 * s6-supervise does it (see s6-compat.md).
 */
#include "config.h"

#include "machine_table.h"
#include "units.h"

/* Start states, reached through the inputs one second apart. */
const struct machine_start machine_starts[ST_COUNT] = {
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

/* The rows. */
const struct machine_case machine_cases[] = {
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

const size_t machine_case_count = NELEM(machine_cases);
