/*
 * Carrying out the lifecycle of a supervisor of ours (lifecycle.c): the
 * messages that ask it to stop, drain or kill, the signals that do it
 * for one we cannot talk to or our own hotsv-log, its deadline (kill
 * grace, drain bound, respawn throttle), the warnings.
 */
#include "config.h"

#include <signal.h>

#include "lib/log.h"
#include "lib/proc.h"
#include "scan/scan.h"
#include "sv/channel.h"

static void instance_apply(struct instance *, const struct lc_effects *);

/* The facts an event of the instance's lifecycle comes with. */
static struct lc_arg
instance_facts(const struct instance *in)
{
	struct timespec now;

	clock_mono(&now);
	return (struct lc_arg){.kind = in->lc.kind,
	    .shutting_down = hotsv_scanner.shutting_down,
	    .kill_grace_ms = hotsv_scanner.kill_grace_ms,
	    .age_ms = (long)timespec_diff_ms(&now, &in->started)};
}

/* Say whether a process is stopped (SIGSTOP, SIGTSTP): state 'T'. */
static bool
process_stopped(pid_t pid)
{
	char state;

	return proc_stat(pid, &state, NULL, NULL) == 0 && state == 'T';
}

/*
 * Ask the supervisor for what a message of type says, and wake it
 * should it be stopped.  One we cannot talk to (an earlier scanner's,
 * watched only) gets the signal that means the same to any supervisor.
 * SIGCONT goes only to a stopped supervisor, or with an escalation (K):
 * generating SIGCONT discards a pending stop signal (POSIX), so sent
 * with every request it could undo a stop a tracer (LeakSanitizer's
 * exit check) has just asked for, and the tracer would wait forever.
 */
static void
instance_ask(struct instance *in, enum chan_type type, int sig)
{
	struct chan_msg m;

	chan_init(&m, type);
	if (!instance_send(in, &m) && sig != 0)
		kill(in->pid, sig);
	if (type == CHAN_KILL || process_stopped(in->pid))
		kill(in->pid, SIGCONT);
}

/* Feed an event to the instance's lifecycle and carry its effects out. */
static struct lc_effects
instance_feed(struct instance *in, enum lc_event ev)
{
	struct lc_arg arg = instance_facts(in);
	struct lc_effects fx;

	lifecycle_event(&in->lc, ev, &arg, &fx);
	instance_apply(in, &fx);
	return fx;
}

/*
 * Ask the supervisor to stop: bring its service down with the
 * down-signal, run finish, and exit.  Outside a shutdown (which has its
 * own grace time) the kill grace is armed.
 */
void
instance_stop(struct instance *in)
{
	instance_feed(in, LC_STOP);
}

/*
 * A logger whose input is closed: its supervisor exits once the logger
 * ends on end-of-file; it gets LC_DRAIN_MS to read what is left.
 */
void
instance_drain(struct instance *in)
{
	instance_feed(in, LC_DRAIN);
}

/*
 * A stop overran: SIGKILL our own hotsv-log, or ask the supervisor to
 * SIGKILL what it runs (its run's and finish's process groups).
 */
void
instance_kill_service(struct instance *in)
{
	instance_feed(in, LC_KILL);
}

/*
 * SIGKILL the supervisor itself, when it did not exit in time, and the
 * process group of the run it last reported up: one that did not obey
 * may never have read our K, and its run, reparented to us, would
 * otherwise only get the SIGTERM of a stop.  Only a run still reported
 * up (run_pid): a hung supervisor does not reap it, so its pid, and the
 * group it leads, cannot have been reused.
 */
void
instance_kill_supervisor(struct instance *in)
{
	if (!instance_running(in))
		return;
	log_warnx("%s: supervisor %d did not exit: SIGKILL", in->owner->name,
	    (int)in->pid);
	kill(in->pid, SIGKILL);
	if (in->run_pid > 0 && in->runpgid > 0)
		kill(-in->runpgid, SIGKILL);
}

/*
 * The supervisor was reaped.  Returns whether we had asked it to go;
 * after an unexpected death, a new one may start a second after the
 * last start.
 */
bool
instance_exited(struct instance *in)
{
	struct lc_arg arg = instance_facts(in);
	struct lc_effects fx;

	lifecycle_event(&in->lc, LC_EXITED, &arg, &fx);
	instance_close_report(in);
	instance_init(in, in->owner);
	instance_apply(in, &fx); /* the respawn throttle */
	return fx.expected;
}

/*
 * The instance's deadline, if passed: escalate a stop that takes too
 * long.  Returns true when nothing runs and the respawn wait is over.
 */
bool
instance_deadline(struct instance *in, const struct timespec *now)
{
	if (!deadline_passed(&in->deadline, now))
		return false;
	deadline_never(&in->deadline);
	return instance_feed(in, LC_DEADLINE).reconsider;
}

/* Carry out what the lifecycle said, in its order. */
static void
instance_apply(struct instance *in, const struct lc_effects *fx)
{
	if (fx->warn == LC_WARN_DRAIN_OVERRAN)
		log_warnx("%s: logger still running %d ms after its input "
		          "closed",
		    in->owner->name, LC_DRAIN_MS);
	else if (fx->warn == LC_WARN_STOP_OVERRAN)
		log_warnx("%s: still running %lu ms after it was asked to stop",
		    in->owner->name, hotsv_scanner.kill_grace_ms);
	if (fx->kill_run && in->lc.kind == CHILD_PREFIXER) {
		kill(-in->pid, SIGKILL);
		kill(in->pid, SIGKILL);
	} else if (fx->kill_run)
		instance_ask(in, CHAN_KILL, 0);
	if (fx->ask_stop)
		instance_ask(in, CHAN_STOP, SIGTERM);
	if (fx->ask_drain)
		instance_ask(in, CHAN_DRAIN, SIGHUP);
	if (fx->arm_ms >= 0)
		deadline_in_ms(&in->deadline, (unsigned long)fx->arm_ms);
	if (fx->kill_supervisor)
		instance_kill_supervisor(in);
	if (fx->take_over)
		instance_take_over(in);
}
