/*
 * The supervisor's state machine.  It follows s6-supervise: three phases
 * (down, up, finish), the wanted-up flag, and an "exiting" flag for the
 * last run before the supervisor leaves.  Each input fills a
 * machine_effects that the caller carries out; nothing here touches the
 * system, so every transition can be checked as a table.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "supervise/machine.h"
#include "sv/letters.h"

/* Clear the effects before an input fills them. */
static void
effects_clear(struct machine_effects *fx)
{
	memset(fx, 0, sizeof *fx);
	fx->restart_delay_ms = -1;
}

/* Append an event letter. */
static void
effects_event(struct machine_effects *fx, char event)
{
	size_t len = strlen(fx->events);

	if (len + 1 < sizeof fx->events)
		fx->events[len] = event;
}

/* Queue a signal for run. */
static void
effects_signal(struct machine_effects *fx, int sig)
{
	if (fx->nsignals < 2)
		fx->signals[fx->nsignals++] = sig;
}

/*
 * Send a letter's signal to run, and remember it: a death by it is no
 * failure of the run's own.
 */
static void
signal_run(struct machine *m, struct machine_effects *fx, int sig)
{
	if (sig >= 1 && sig <= 64)
		m->signalled |= UINT64_C(1) << (sig - 1);
	effects_signal(fx, sig);
}

/* Change the wanted-up flag, announcing only a real change. */
static void
set_wantup(struct machine *m, bool wantup, struct machine_effects *fx)
{
	if (m->status.wantup != wantup)
		fx->announce = true;
	m->status.wantup = wantup;
}

/* Send the down-signal then SIGCONT, and arm timeout-kill. */
static void
bring_down(struct machine *m, struct machine_effects *fx)
{
	effects_signal(fx, MACHINE_DOWNSIG);
	effects_signal(fx, SIGCONT);
	if (m->status.paused) {
		m->status.paused = false;
		fx->announce = true;
	}
	m->dying = true;
	fx->arm_kill = true;
}

/* Start: the supervisor reads ./down and gives wantup. */
void
machine_init(struct machine *m, bool wantup, const struct timespec *now,
    struct machine_effects *fx)
{
	effects_clear(fx);
	memset(m, 0, sizeof *m);
	m->phase = PHASE_DOWN;
	m->status.stamp = *now;
	m->status.readystamp = *now;
	m->status.wantup = wantup;
	m->status.ready = true; /* down and ready, as s6-svwait -D expects */
	fx->announce = true;
	effects_event(fx, 's');
	fx->start_run = wantup;
}

/*
 * The files say what the next run is (type, on-exit): read before each
 * start and adoption, as s6 reads its files when it needs them.
 */
void
machine_set_policy(struct machine *m, const struct sv_policy *policy)
{
	m->policy = *policy;
}

/* What a letter says of the wanted state: 1 up, 0 down, -1 nothing. */
static int
letter_want(char letter)
{
	switch (letter) {
	case 'U':
	case 'u':
		return 1;
	case 'D':
	case 'd':
	case 'o':
	case 'O':
	case 'Q':
		return 0;
	}
	return -1;
}

/* Letters while run is running: signals, pause, bringing it down. */
static void
letter_up(struct machine *m, char letter, struct machine_effects *fx)
{
	int sig = letter_signal(letter);

	if (sig != 0) {
		signal_run(m, fx, sig);
		return;
	}
	switch (letter) {
	case 'p':
	case 'c':
		signal_run(m, fx, letter == 'p' ? SIGSTOP : SIGCONT);
		m->status.paused = letter == 'p';
		fx->announce = true;
		break;
	case 'r':
	case 'D':
	case 'd':
		bring_down(m, fx);
		break;
	case 'x':
		m->exiting = true;
		break;
	}
}

/* A control letter arrived on supervise/control. */
void
machine_letter(struct machine *m, char letter, struct machine_effects *fx)
{
	effects_clear(fx);
	if (!letter_known(letter)) {
		fx->unknown = true;
		return;
	}
	fx->touch_down = letter == 'D' || letter == 'Q';
	fx->remove_down = letter == 'U';
	if (letter_want(letter) >= 0)
		set_wantup(m, letter_want(letter) == 1, fx);
	switch (m->phase) {
	case PHASE_DOWN:
		/* Signals are for run, which is not there.  A one-shot
		 * that ended is run again by a restart. */
		fx->start_run = letter == 'u' || letter == 'U' ||
		    letter == 'o' ||
		    (letter == 'r' && m->policy.type == SV_ONESHOT);
		if (fx->start_run && letter == 'r')
			set_wantup(m, true, fx);
		fx->exit = letter == 'x';
		break;
	case PHASE_UP:
		letter_up(m, letter, fx);
		break;
	case PHASE_FINISH:
		/* Signals are not for finish. */
		m->exiting |= letter == 'x';
		break;
	}
}

/* SIGTERM, SIGHUP or SIGQUIT reached the supervisor. */
void
machine_signal(
    struct machine *m, enum machine_signal sig, struct machine_effects *fx)
{
	effects_clear(fx);
	fx->close_std = sig == MSIG_QUIT;
	if (m->phase == PHASE_DOWN) {
		fx->exit = true;
		return;
	}
	m->exiting = true;
	if (sig == MSIG_TERM && m->phase == PHASE_UP) {
		set_wantup(m, false, fx);
		bring_down(m, fx);
	}
}

/* The one deadline we armed has passed. */
void
machine_timeout(struct machine *m, struct machine_effects *fx)
{
	effects_clear(fx);
	switch (m->phase) {
	case PHASE_DOWN:
		fx->start_run = m->status.wantup;
		break;
	case PHASE_UP:
		/* Not dying, the deadline was a one-shot's timeout-up. */
		m->timed_out |= !m->dying && m->policy.type == SV_ONESHOT;
		fx->kill_now = m->dying || m->timed_out;
		break;
	case PHASE_FINISH:
		fx->kill_now = true;
		break;
	}
}

/*
 * A run is ours, up since stamp: what starting and adopting share.  A
 * one-shot's timeout-up counts from that stamp.
 */
static void
run_began(struct machine *m, pid_t pid, const struct timespec *stamp,
    struct machine_effects *fx)
{
	effects_clear(fx);
	m->phase = PHASE_UP;
	m->dying = false;
	m->timed_out = false;
	m->signalled = 0;
	m->status.pid = pid;
	m->status.done = false;
	m->status.stamp = *stamp;
	fx->announce = true;
	fx->arm_up_timeout = m->policy.type == SV_ONESHOT;
}

/* run was started with this pid. */
void
machine_started(struct machine *m, pid_t pid, const struct timespec *now,
    struct machine_effects *fx)
{
	run_began(m, pid, now, fx);
	m->status.ready = false;
	m->status.paused = false;
	effects_event(fx, 'u');
}

/*
 * A run that outlived its supervisor was taken over: up since the stamp
 * the old supervisor wrote, ready if it was.
 */
void
machine_adopt(
    struct machine *m, const struct sv_status *old, struct machine_effects *fx)
{
	run_began(m, old->pid, &old->stamp, fx);
	m->status.ready = old->ready;
	m->status.readystamp = old->readystamp;
	m->status.paused = old->paused;
}

/*
 * How run, dead with wait status wstat, ended: a stop hotsv asked for
 * is no end of the run's own, nor a signal a letter sent; a timeout-up
 * is, though it is our SIGKILL.
 */
static enum sv_end
run_end(const struct machine *m, int wstat)
{
	if (m->timed_out)
		return SV_END_OWN;
	if (m->dying || !m->status.wantup || m->exiting)
		return SV_END_STOPPED;
	if (WIFSIGNALED(wstat) && WTERMSIG(wstat) <= 64 &&
	    (m->signalled >> (WTERMSIG(wstat) - 1) & 1) != 0)
		return SV_END_SIGNALLED;
	return SV_END_OWN;
}

/* run died with this wait status: finish comes next. */
void
machine_run_died(struct machine *m, int wstat, const struct timespec *now,
    struct machine_effects *fx)
{
	effects_clear(fx);
	m->fast_restart = m->status.ready &&
	    (now->tv_sec - m->status.readystamp.tv_sec > 1 ||
	        (now->tv_sec - m->status.readystamp.tv_sec == 1 &&
	            now->tv_nsec >= m->status.readystamp.tv_nsec));
	m->outcome = svpolicy_judge(&m->policy, wstat, run_end(m, wstat));
	m->phase = PHASE_FINISH;
	m->dying = false;
	m->status.wstat = (uint16_t)wstat;
	m->status.pid = 0;
	m->status.paused = false;
	m->status.ready = false;
	m->status.finishing = true;
	m->status.stamp = *now;
	fx->announce = true;
	fx->start_finish = true;
	effects_event(fx, 'd');
}

/* finish ended (or there was none): down and ready. */
void
machine_finish_died(struct machine *m, bool permanent,
    const struct timespec *now, struct machine_effects *fx)
{
	effects_clear(fx);
	m->phase = PHASE_DOWN;
	m->status.pid = 0;
	m->status.finishing = false;
	m->status.ready = true;
	m->status.readystamp = *now;
	if (permanent) {
		m->status.wantup = false;
		effects_event(fx, 'O');
	}
	if (m->outcome != SV_OUT_USUAL) {
		m->status.wantup = false;
		m->status.done = m->status.wstat == 0;
		fx->halt = m->outcome == SV_OUT_HALT;
		fx->halt_code = svpolicy_code(m->status.wstat);
		m->outcome = SV_OUT_USUAL;
	}
	effects_event(fx, 'D');
	fx->announce = true;
	if (m->exiting)
		fx->exit = true;
	else if (m->status.wantup)
		fx->restart_delay_ms = m->fast_restart ? 0 : 1000;
}

/* run said it is ready (notification-fd). */
void
machine_ready(
    struct machine *m, const struct timespec *now, struct machine_effects *fx)
{
	effects_clear(fx);
	/* A one-shot is ready when it is done, not before. */
	if (m->phase != PHASE_UP || m->status.ready ||
	    m->policy.type == SV_ONESHOT)
		return;
	m->status.ready = true;
	m->status.readystamp = *now;
	fx->announce = true;
	effects_event(fx, 'U');
}
