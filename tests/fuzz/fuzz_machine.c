/*
 * libFuzzer target: the supervisor's state machine, driven the way
 * hotsv-supervise drives it.  A small model of the supervisor carries
 * out the effects as supervise_apply does (run and finish "start" and
 * get pids, one timer is armed and disarmed, finish may be missing,
 * starting run may fail, hotsv-scan may hold the start back), and the
 * input bytes are the events: control letters, signals to the
 * supervisor, the timer firing, run or finish dying, readiness, the
 * clock moving.  After every input the state and the effects must be
 * consistent; any breach aborts:
 *  - down: no pid, ready, not paused, no kill pending, no process alive;
 *    up: the status shows the live run's pid, ready only once run said
 *    so; finish: finishing (only then), not ready, finish's pid shown;
 *  - signals only to a run that is up; run started only from down (by
 *    u, U, o, the timer, a release), never with exit; exit only when
 *    down; finish started only when run died; every change of the
 *    status announced; paused follows the last SIGSTOP or SIGCONT;
 *    restart after 0 or 1000 ms only when down, wanted up and staying;
 *  - each letter and signal as s6-svc and s6-supervise document it;
 *  - between events: wanted up and down means a start is coming (timer
 *    armed, or held by hotsv-scan); told to exit is never left down.
 *
 * Input: the first byte sets the start (bit 0: no ./down; 1: a run left
 * by a killed supervisor is adopted; 2: held by hotsv-scan; 3: ./finish
 * exists; 4: starting run fails; 5: timeout-kill set; 6: timeout-finish
 * set; 7: the adopted run was ready).  Then each byte is one event:
 * 0x00-0x7f the control letter of that value, 0x80 SIGTERM, 0x81 SIGHUP,
 * 0x82 SIGQUIT, 0x83 the timer fires, 0x84 run dies (the next two bytes
 * are the wait status), 0x85 finish dies (next byte odd: it exited 125),
 * 0x86 readiness, 0x87 hotsv-scan releases a held start, 0x88-0x8b
 * toggle start bits 3-6, 0x8c the wall clock steps back an hour, 0x8d
 * the next byte is a control letter, 0x8e the next byte is what the type
 * and on-exit files say from now on (bit 0: oneshot; bits 1-2: on-exit,
 * modulo 3; bit 3: timeout-up set), read at the next start, 0x8f-0xff
 * the clock moves on by 40 ms per step.
 *
 * With a policy: a one-shot's timeout-up kills a run that is not dying,
 * and is armed again for a one-shot's run adopted;
 * readiness never comes before a one-shot is done; the restart letter
 * starts a one-shot that is down; at finish's end, done or a halt leave
 * the service not wanted up, done only after exit 0, a halt carrying
 * the exit code or 128 + the signal.
 */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "supervise/machine.h"
#include "sv/letters.h"
#include "sv/policy.h"
#include "sv/status.h"

/* The letters that set the wanted state, up or down. */
#define WANT_UP "uU"
#define WANT_DOWN "dDoOQ"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The inputs of the machine, to say what the effects answer. */
enum input {
	IN_INIT,
	IN_ADOPT,
	IN_LETTER,
	IN_SIGNAL,
	IN_TIMEOUT,
	IN_STARTED,
	IN_RUN_DIED,
	IN_FINISH_DIED,
	IN_READY,
};

/* The supervisor around the machine, and the service as it would be. */
struct world {
	const uint8_t *data;
	size_t size, at;
	struct machine m;
	struct timespec now;
	pid_t nextpid;
	pid_t runpid;    /* run, while it lives */
	pid_t finishpid; /* finish, while it lives */
	bool timer;      /* the phase's deadline is armed */
	bool held;       /* hotsv-scan has not said "go" yet */
	bool done;       /* the supervisor has left its loop */
	bool said_ready; /* run said it was ready (or was, when adopted) */
	bool fast;       /* run had been ready for 1 s when it died */
	bool has_finish;
	bool spawn_fails;
	bool timeout_kill;
	bool timeout_finish;
	bool timeout_up;         /* a one-shot's timeout-up is set */
	struct sv_policy policy; /* what the files say, read at starts */
};

static void apply(struct world *, const struct machine_effects *);

/* Return the next input byte, or 0 past the end. */
static uint8_t
next_byte(struct world *w)
{
	return w->at < w->size ? w->data[w->at++] : 0;
}

/* Say whether letter is one of set (never for NUL). */
static bool
letter_in(char letter, const char *set)
{
	return letter != '\0' && strchr(set, letter) != NULL;
}

/* Return a time in nanoseconds (the fuzzer's clock stays near 2026). */
static int64_t
nanos(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Say whether two times are the same. */
static bool
stamp_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Say whether the status the supervisor would write has changed. */
static bool
status_changed(const struct sv_status *a, const struct sv_status *b)
{
	unsigned char pa[STATUS_SIZE], pb[STATUS_SIZE];

	status_pack(pa, a);
	status_pack(pb, b);
	return memcmp(pa, pb, STATUS_SIZE) != 0;
}

/* Say whether two machines are in the same state. */
static bool
machine_eq(const struct machine *a, const struct machine *b)
{
	return a->phase == b->phase &&
	    !status_changed(&a->status, &b->status) &&
	    a->exiting == b->exiting && a->dying == b->dying &&
	    a->fast_restart == b->fast_restart;
}

/* Say whether an input asked for nothing at all. */
static bool
effects_none(const struct machine_effects *fx)
{
	return fx->nsignals == 0 && !fx->start_run &&
	    fx->restart_delay_ms == -1 && !fx->start_finish && !fx->arm_kill &&
	    !fx->kill_now && !fx->touch_down && !fx->remove_down &&
	    !fx->close_std && !fx->exit && !fx->announce &&
	    !fx->arm_up_timeout && !fx->halt && fx->events[0] == '\0';
}

/*
 * Abort unless the state holds together: the phase, the status flags,
 * the pid written in the status and the processes the supervisor has.
 */
static void
check_state(const struct world *w)
{
	const struct machine *m = &w->m;
	const struct sv_status *st = &m->status;

	if (st->paused && m->phase != PHASE_UP)
		abort();
	if (st->finishing != (m->phase == PHASE_FINISH))
		abort();
	/* Done: only down, and only after an exit 0. */
	if (st->done && (m->phase != PHASE_DOWN || st->wstat != 0))
		abort();
	switch (m->phase) {
	case PHASE_DOWN:
		/* Down is ready, as s6-svwait -D expects, with no pid. */
		if (st->pid != 0 || !st->ready || m->dying || w->runpid != 0 ||
		    w->finishpid != 0)
			abort();
		break;
	case PHASE_UP:
		if (w->runpid <= 0 || st->pid != w->runpid ||
		    w->finishpid != 0 || (st->ready && !w->said_ready))
			abort();
		break;
	case PHASE_FINISH:
		/* The pid shown while finishing is finish's, once started. */
		if (st->ready || m->dying || w->runpid != 0 ||
		    st->pid != w->finishpid)
			abort();
		break;
	default:
		abort();
	}
}

/* Abort unless the effects of any input are coherent with the state. */
static void
check_effects(const struct world *w, const struct machine *before,
    const struct machine_effects *fx)
{
	const struct machine *m = &w->m;
	int stopcont = 0;

	if (fx->nsignals < 0 || fx->nsignals > 2)
		abort();
	/* Signals go to run only: never while down or finishing. */
	if (fx->nsignals > 0 &&
	    (before->phase != PHASE_UP || m->phase != PHASE_UP))
		abort();
	for (int i = 0; i < fx->nsignals; i++)
		if (fx->signals[i] == SIGSTOP || fx->signals[i] == SIGCONT)
			stopcont = fx->signals[i];
	/* The paused flag says what the last SIGSTOP or SIGCONT did. */
	if (stopcont != 0 && m->status.paused != (stopcont == SIGSTOP))
		abort();
	/* Never a second run, and never leave one behind. */
	if (fx->start_run && (m->phase != PHASE_DOWN || fx->exit))
		abort();
	if (fx->exit && m->phase != PHASE_DOWN)
		abort();
	if (fx->start_finish && m->phase != PHASE_FINISH)
		abort();
	if (fx->arm_kill && (m->phase != PHASE_UP || !m->dying))
		abort();
	if (fx->kill_now && m->phase != PHASE_FINISH &&
	    !(m->phase == PHASE_UP && (m->dying || m->timed_out)))
		abort();
	if (fx->arm_up_timeout && m->phase != PHASE_UP)
		abort();
	/* A halt leaves the service down, not wanted up, with its code. */
	if (fx->halt &&
	    (m->phase != PHASE_DOWN || m->status.wantup ||
	        fx->halt_code != svpolicy_code(m->status.wstat)))
		abort();
	if (fx->restart_delay_ms != -1 && fx->restart_delay_ms != 0 &&
	    fx->restart_delay_ms != 1000)
		abort();
	if (fx->restart_delay_ms >= 0 &&
	    (m->phase != PHASE_DOWN || !m->status.wantup || m->exiting ||
	        fx->exit))
		abort();
	if (fx->touch_down && fx->remove_down)
		abort();
	if (strnlen(fx->events, sizeof fx->events) == sizeof fx->events)
		abort();
	for (const char *e = fx->events; *e != '\0'; e++)
		if (strchr("sudUDO", *e) == NULL)
			abort();
	/* Every change of the status is written. */
	if (status_changed(&before->status, &m->status) && !fx->announce)
		abort();
	/* Becoming ready stamps the readiness now. */
	if (m->status.ready && !before->status.ready &&
	    !stamp_eq(&m->status.readystamp, &w->now))
		abort();
}

/* Abort unless a control letter did what s6-svc documents. */
static void
check_letter(const struct world *w, const struct machine *before,
    const struct machine_effects *fx, char letter)
{
	const struct machine *m = &w->m;
	/* The restart letter runs a one-shot that is down again. */
	bool rerun = letter == 'r' && before->phase == PHASE_DOWN &&
	    before->policy.type == SV_ONESHOT;

	if (fx->unknown != !letter_known(letter))
		abort();
	if (fx->unknown) {
		if (!effects_none(fx) || !machine_eq(before, m))
			abort();
		return;
	}
	if (fx->close_std || fx->start_finish || fx->kill_now ||
	    fx->restart_delay_ms != -1 || m->phase != before->phase)
		abort();
	if (fx->touch_down != (letter == 'D' || letter == 'Q') ||
	    fx->remove_down != (letter == 'U'))
		abort();
	if (letter_in(letter, WANT_UP) && !m->status.wantup)
		abort();
	if (letter_in(letter, WANT_DOWN) && m->status.wantup)
		abort();
	if (!letter_in(letter, WANT_UP WANT_DOWN) && !rerun &&
	    m->status.wantup != before->status.wantup)
		abort();
	if (rerun && !m->status.wantup)
		abort();
	if (fx->exit != (letter == 'x' && m->phase == PHASE_DOWN))
		abort();
	if (letter == 'x' && m->phase != PHASE_DOWN && !m->exiting)
		abort();
	/* Only u, U and o start run, and only from down; then they must. */
	if (fx->start_run !=
	    ((before->phase == PHASE_DOWN && letter_in(letter, "uUo")) ||
	        rerun))
		abort();
	/* A plain signal letter sends its signal, and only that. */
	if (fx->nsignals == 1 && letter_for_signal(fx->signals[0]) != letter)
		abort();
	if (m->phase == PHASE_UP && letter_in(letter, "dDr") &&
	    (fx->nsignals != 2 || fx->signals[0] != MACHINE_DOWNSIG ||
	        fx->signals[1] != SIGCONT || !m->dying || !fx->arm_kill))
		abort();
}

/* Abort unless SIGTERM, SIGHUP or SIGQUIT did what they should. */
static void
check_signal(const struct world *w, const struct machine *before,
    const struct machine_effects *fx, enum machine_signal sig)
{
	const struct machine *m = &w->m;

	if (fx->close_std != (sig == MSIG_QUIT) || m->phase != before->phase)
		abort();
	if (before->phase == PHASE_DOWN) {
		if (!fx->exit)
			abort();
		return;
	}
	if (fx->exit || !m->exiting || fx->start_run)
		abort();
	if (sig == MSIG_TERM && before->phase == PHASE_UP &&
	    (m->status.wantup || !m->dying || fx->nsignals != 2 ||
	        fx->signals[0] != MACHINE_DOWNSIG))
		abort();
	if ((sig != MSIG_TERM || before->phase != PHASE_UP) &&
	    fx->nsignals != 0)
		abort();
}

/* Check the effects of an input, and the state it leaves. */
static void
check(const struct world *w, const struct machine *before,
    const struct machine_effects *fx, enum input in, int arg)
{
	const struct machine *m = &w->m;

	check_state(w);
	check_effects(w, before, fx);
	if (in != IN_LETTER && fx->unknown)
		abort();
	if (in != IN_SIGNAL && fx->close_std)
		abort();
	switch (in) {
	case IN_INIT:
		if (m->phase != PHASE_DOWN ||
		    fx->start_run != m->status.wantup ||
		    strcmp(fx->events, "s") != 0 || !fx->announce)
			abort();
		break;
	case IN_ADOPT:
		/* An adopted one-shot keeps what is left of timeout-up. */
		if (m->phase != PHASE_UP || fx->start_run || !fx->announce ||
		    fx->arm_up_timeout != (m->policy.type == SV_ONESHOT))
			abort();
		break;
	case IN_LETTER:
		check_letter(w, before, fx, (char)arg);
		break;
	case IN_SIGNAL:
		check_signal(w, before, fx, (enum machine_signal)arg);
		break;
	case IN_TIMEOUT:
		if (status_changed(&before->status, &m->status) ||
		    m->phase != before->phase ||
		    fx->start_run !=
		        (m->phase == PHASE_DOWN && m->status.wantup))
			abort();
		break;
	case IN_STARTED:
		if (m->phase != PHASE_UP || m->status.ready ||
		    m->status.paused || m->dying ||
		    strcmp(fx->events, "u") != 0 ||
		    fx->arm_up_timeout != (m->policy.type == SV_ONESHOT))
			abort();
		break;
	case IN_RUN_DIED:
		if (m->phase != PHASE_FINISH || !fx->start_finish ||
		    m->status.wstat != (uint16_t)arg ||
		    strcmp(fx->events, "d") != 0)
			abort();
		break;
	case IN_FINISH_DIED:
		if (m->phase != PHASE_DOWN ||
		    strcmp(fx->events, arg ? "OD" : "D") != 0 ||
		    (arg && m->status.wantup) || fx->exit != m->exiting)
			abort();
		/* Wanted up: again after 1 s, at once if it had been ready. */
		if (!m->exiting && m->status.wantup &&
		    fx->restart_delay_ms != (w->fast ? 0 : 1000))
			abort();
		/* Done or halted: not wanted up any more. */
		if ((m->status.done || fx->halt) && m->status.wantup)
			abort();
		break;
	case IN_READY:
		if (before->phase == PHASE_UP && !before->status.ready &&
		    before->policy.type != SV_ONESHOT) {
			if (!m->status.ready || strcmp(fx->events, "U") != 0)
				abort();
		} else if (!effects_none(fx) || !machine_eq(before, m))
			abort();
		break;
	}
}

/* Start run, as start_run in src/supervise/effects.c. */
static void
start_run(struct world *w)
{
	struct machine before = w->m;
	struct machine_effects fx;

	if (w->held)
		return;
	if (w->spawn_fails) {
		/* Retried every second while wanted up. */
		if (w->m.status.wantup)
			w->timer = true;
		return;
	}
	w->runpid = w->nextpid++;
	w->said_ready = false;
	w->timer = false;
	machine_started(&w->m, w->runpid, &w->now, &fx);
	check(w, &before, &fx, IN_STARTED, 0);
	apply(w, &fx);
}

/* Start finish if there is one, as start_finish in src/supervise/effects.c. */
static bool
start_finish(struct world *w)
{
	if (!w->has_finish)
		return false;
	w->finishpid = w->nextpid++;
	w->m.status.pid = w->finishpid;
	if (w->timeout_finish)
		w->timer = true;
	return true;
}

/* finish ended, or there was none. */
static void
finish_died(struct world *w, bool permanent)
{
	struct machine before = w->m;
	struct machine_effects fx;

	w->finishpid = 0;
	w->timer = false;
	machine_finish_died(&w->m, permanent, &w->now, &fx);
	check(w, &before, &fx, IN_FINISH_DIED, permanent);
	apply(w, &fx);
}

/* Carry out the effects, in the order supervise_apply does. */
static void
apply(struct world *w, const struct machine_effects *fx)
{
	bool no_finish = false;

	if (fx->kill_now &&
	    (w->m.phase == PHASE_FINISH ? w->finishpid : w->runpid) > 0)
		w->timer = true; /* SIGKILL again in 5 s */
	if (fx->start_finish)
		no_finish = !start_finish(w);
	if (fx->arm_kill && w->timeout_kill)
		w->timer = true;
	if (fx->arm_up_timeout && w->timeout_up)
		w->timer = true;
	if (fx->restart_delay_ms >= 0)
		w->timer = true;
	if (fx->start_run) {
		machine_set_policy(&w->m, &w->policy);
		start_run(w);
	}
	if (fx->exit)
		w->done = true;
	if (no_finish)
		finish_died(w, false);
}

/* A control letter arrived. */
static void
letter(struct world *w, char c)
{
	struct machine before = w->m;
	struct machine_effects fx;

	machine_letter(&w->m, c, &fx);
	check(w, &before, &fx, IN_LETTER, c);
	apply(w, &fx);
}

/* SIGTERM, SIGHUP or SIGQUIT reached the supervisor. */
static void
supervisor_signal(struct world *w, enum machine_signal sig)
{
	struct machine before = w->m;
	struct machine_effects fx;

	machine_signal(&w->m, sig, &fx);
	check(w, &before, &fx, IN_SIGNAL, sig);
	apply(w, &fx);
}

/* The deadline passed (or hotsv-scan released a held start). */
static void
timeout(struct world *w)
{
	struct machine before = w->m;
	struct machine_effects fx;

	machine_timeout(&w->m, &fx);
	check(w, &before, &fx, IN_TIMEOUT, 0);
	apply(w, &fx);
}

/* run died with this wait status. */
static void
run_died(struct world *w, int wstat)
{
	struct machine before = w->m;
	struct machine_effects fx;

	w->fast = before.status.ready &&
	    nanos(&w->now) - nanos(&before.status.readystamp) >= 1000000000;
	w->runpid = 0;
	w->timer = false;
	machine_run_died(&w->m, wstat, &w->now, &fx);
	check(w, &before, &fx, IN_RUN_DIED, wstat);
	apply(w, &fx);
}

/* run said it is ready. */
static void
ready(struct world *w)
{
	struct machine before = w->m;
	struct machine_effects fx;

	machine_ready(&w->m, &w->now, &fx);
	if (w->m.phase == PHASE_UP && w->m.status.ready)
		w->said_ready = true;
	check(w, &before, &fx, IN_READY, 0);
	apply(w, &fx);
}

/* hotsv-scan says the held service may start (src/supervise/scannermsg.c). */
static void
release(struct world *w)
{
	w->held = false;
	if (w->m.phase == PHASE_DOWN && w->m.status.wantup)
		timeout(w);
}

/* Start up as main in src/supervise/main.c does, adopting run if asked. */
static void
start(struct world *w)
{
	uint8_t bits = next_byte(w);
	struct machine before;
	struct machine_effects init, fx;
	struct sv_status old;

	w->held = (bits & 0x04) != 0;
	w->has_finish = (bits & 0x08) != 0;
	w->spawn_fails = (bits & 0x10) != 0;
	w->timeout_kill = (bits & 0x20) != 0;
	w->timeout_finish = (bits & 0x40) != 0;
	memset(&before, 0, sizeof before);
	machine_init(&w->m, (bits & 0x01) != 0, &w->now, &init);
	check(w, &before, &init, IN_INIT, 0);
	if (bits & 0x02) {
		/* A status our own supervisor wrote: run was up. */
		memset(&old, 0, sizeof old);
		old.pid = w->nextpid++;
		old.stamp.tv_sec = w->now.tv_sec - next_byte(w);
		old.ready = (bits & 0x80) != 0;
		old.readystamp.tv_sec = w->now.tv_sec - next_byte(w);
		old.readystamp.tv_nsec = 1000000 * (long)(next_byte(w) % 250);
		old.paused = (next_byte(w) & 1) != 0;
		old.wantup = true;
		w->runpid = old.pid;
		w->said_ready = old.ready;
		before = w->m;
		machine_set_policy(&w->m, &w->policy);
		machine_adopt(&w->m, &old, &fx);
		check(w, &before, &fx, IN_ADOPT, 0);
		apply(w, &fx);
		init.start_run = false;
	}
	apply(w, &init);
}

/* Feed one event from the input. */
static void
event(struct world *w)
{
	uint8_t b = next_byte(w);

	if (b < 0x80) {
		letter(w, (char)b);
		return;
	}
	switch (b) {
	case 0x80:
		supervisor_signal(w, MSIG_TERM);
		break;
	case 0x81:
		supervisor_signal(w, MSIG_HUP);
		break;
	case 0x82:
		supervisor_signal(w, MSIG_QUIT);
		break;
	case 0x83:
		if (w->timer) {
			w->timer = false;
			timeout(w);
		}
		break;
	case 0x84:
		if (w->runpid > 0) {
			int wstat = next_byte(w) << 8;

			run_died(w, wstat | next_byte(w));
		}
		break;
	case 0x85:
		if (w->finishpid > 0)
			finish_died(w, (next_byte(w) & 1) != 0);
		break;
	case 0x86:
		ready(w);
		break;
	case 0x87:
		if (w->held)
			release(w);
		break;
	case 0x88:
		w->has_finish = !w->has_finish;
		break;
	case 0x89:
		w->spawn_fails = !w->spawn_fails;
		break;
	case 0x8a:
		w->timeout_kill = !w->timeout_kill;
		break;
	case 0x8b:
		w->timeout_finish = !w->timeout_finish;
		break;
	case 0x8c:
		w->now.tv_sec -= 3600;
		break;
	case 0x8d:
		letter(w, (char)next_byte(w));
		break;
	case 0x8e:
		b = next_byte(w);
		w->policy.type = (b & 1) != 0 ? SV_ONESHOT : SV_LONGRUN;
		w->policy.on_exit = (enum sv_on_exit)((b >> 1 & 3) % 3);
		w->timeout_up = (b & 8) != 0;
		break;
	default:
		w->now.tv_nsec += 40000000L * (b - 0x8e);
		w->now.tv_sec += w->now.tv_nsec / 1000000000;
		w->now.tv_nsec %= 1000000000;
		break;
	}
}

/*
 * Abort if, between events, a service is left stuck: wanted up and down
 * with nothing due to start it, or told to exit and still running.
 */
static void
check_between(const struct world *w)
{
	const struct machine *m = &w->m;

	check_state(w);
	if (m->phase == PHASE_DOWN && m->status.wantup && !w->timer && !w->held)
		abort();
	if (m->phase == PHASE_DOWN && m->exiting)
		abort();
	if (m->phase == PHASE_FINISH && w->finishpid == 0)
		abort();
}

/* Entry point: start, then one event per byte until the supervisor exits. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world w;

	memset(&w, 0, sizeof w);
	w.data = data;
	w.size = size;
	w.now.tv_sec = 1795927811;
	w.now.tv_nsec = 274717787;
	w.nextpid = 1000;
	start(&w);
	while (!w.done && w.at < w.size) {
		check_between(&w);
		event(&w);
	}
	if (!w.done)
		check_between(&w);
	return 0;
}
