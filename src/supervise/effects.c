/*
 * Carrying out the state machine's effects for one service: starting
 * run and finish, signalling, writing status, death_tally and events.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/signame.h"
#include "lib/spawn.h"
#include "lib/userdb.h"
#include "supervise/supervise.h"
#include "sv/deathtally.h"
#include "sv/fifodir.h"
#include "sv/files.h"
#include "sv/policy.h"

/* Largest timeout-kill, in milliseconds. */
#define TIMEOUT_MAX 4294967295UL
/* How long after a SIGKILL we wait before sending another. */
#define KILL_AGAIN_MS 5000
/* Retry pace of a failed status write. */
#define STATUS_RETRY_MS 1000

/*
 * Say (once) whether the service directory has been deleted: the
 * directory we hold has no name left (st_nlink 0).  Moved elsewhere, it
 * is not gone.
 */
bool
supervise_gone(struct supervisor *s)
{
	struct stat sb;

	if (!s->gone && fstat(s->svcdirfd, &sb) == 0 && sb.st_nlink == 0) {
		log_debug("service directory removed");
		s->gone = true;
	}
	return s->gone;
}

/*
 * Note how writing supervise/NAME went (result: 0, or -1 with errno).
 * The first failure of a series is logged, and the first success after
 * it, so that a full disk gives two lines, not one per event; nothing is
 * logged once the service directory is gone.  Returns whether it failed.
 */
bool
supervise_wrote(
    struct supervisor *s, enum sup_file file, const char *name, int result)
{
	bool was_failing = (s->failing & file) != 0;

	if (result == 0) {
		if (was_failing)
			log_info("%s/%s: written again", s->paths.supdir, name);
		s->failing &= ~(unsigned)file;
		return false;
	}
	if (!was_failing && !supervise_gone(s))
		log_warn("write %s/%s", s->paths.supdir, name);
	s->failing |= file;
	return true;
}

/*
 * Write supervise/status, then tell hotsv-scan: a service it starts
 * because this one is ready must find the file saying so.  When the
 * write fails (a full disk), try again now and then, so that the file is
 * right again soon after space comes back, whether or not the service
 * changes meanwhile.
 */
void
supervise_announce(struct supervisor *s)
{
	deadline_never(&s->status_retry);
	if (supervise_wrote(s, SUP_STATUS, "status",
	        status_write(s->supfd, &s->m.status)) &&
	    !supervise_gone(s))
		deadline_in_ms(&s->status_retry, STATUS_RETRY_MS);
	report_status(&s->report, &s->m.status);
}

/* Create or remove ./down for the D, U and Q letters. */
static void
update_down_file(struct supervisor *s, bool present)
{
	int fd;

	if (!present) {
		if (unlinkat(s->svcdirfd, "down", 0) < 0 && errno != ENOENT)
			log_warn("remove %s/down", s->given);
		return;
	}
	fd = openat(s->svcdirfd, "down",
	    O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		log_warn("create %s/down", s->given);
	else
		close(fd);
}

/* Send a signal to run (the down-signal for MACHINE_DOWNSIG). */
static void
signal_run(struct supervisor *s, int sig)
{
	if (s->runpid <= 0)
		return;
	if (sig == MACHINE_DOWNSIG)
		sig = svdir_signal_at(s->svcdirfd, "down-signal", SIGTERM);
	if (kill(s->runpid, sig) < 0 && errno != ESRCH)
		log_warn(
		    "kill %s to run (pid %d)", signame_of(sig), (int)s->runpid);
}

/* A timeout ran out: SIGKILL run's or finish's whole process group. */
static void
kill_now(struct supervisor *s)
{
	pid_t target = s->m.phase == PHASE_FINISH ? s->finishpid : s->runpid;

	if (target <= 0)
		return;
	if (s->m.phase == PHASE_FINISH)
		log_warnx("finish outlived timeout-finish: sending SIGKILL");
	else
		log_warnx("run outlived %s: sending SIGKILL",
		    s->m.timed_out ? "timeout-up" : "timeout-kill");
	kill(-target, SIGKILL);
	kill(target, SIGKILL);
	deadline_in_ms(&s->timer, KILL_AGAIN_MS);
}

/*
 * hotsv-scan's stop overran: SIGKILL the process group of run (or of
 * the last one, which may outlive it) and of finish, now.
 */
void
supervise_kill_all(struct supervisor *s)
{
	pid_t rungroup = s->runpid > 0 ? s->runpid : s->deadpgid;

	if (rungroup > 0) {
		log_warnx("SIGKILL to process group %d", (int)rungroup);
		kill(-rungroup, SIGKILL);
	}
	if (s->finishpid > 0 && s->finishpid != rungroup) {
		kill(-s->finishpid, SIGKILL);
		kill(s->finishpid, SIGKILL);
	}
}

/*
 * The loop ended: tell hotsv-scan, if any, that we exit.  Stopped for
 * good at its request, what the last run left in its process group (a
 * "sleep &" holding the log pipe) goes with us.
 */
void
supervise_leaving(struct supervisor *s)
{
	if (s->scanner_stopped && s->deadpgid > 0) {
		kill(-s->deadpgid, SIGTERM);
		kill(-s->deadpgid, SIGCONT);
	}
	report_exit(&s->report, CHAN_EXIT_DONE);
}

/* Point 0, 1 and 2 at /dev/null (SIGQUIT to the supervisor). */
static void
close_std(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	for (int i = 0; i <= 2; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

/*
 * Arm the phase's timer from a timeout file (timeout-kill after the
 * down-signal, a one-shot's timeout-up), if the service has one, less
 * the milliseconds already spent: a one-shot's run adopted from an
 * earlier supervisor started before us.
 */
static void
arm_timeout(struct supervisor *s, const char *file, long long spent_ms)
{
	unsigned long timeout =
	    svdir_uint_at(s->svcdirfd, file, 0, TIMEOUT_MAX);

	if (timeout == 0)
		return;
	if (spent_ms < 0) /* the wall clock stepped back */
		spent_ms = 0;
	deadline_in_ms(&s->timer,
	    spent_ms >= (long long)timeout ? 0
	                                   : timeout - (unsigned long)spent_ms);
}

/* Milliseconds since run started, by the status record's stamp. */
static long long
run_age_ms(const struct supervisor *s)
{
	struct timespec now;

	clock_real(&now);
	return timespec_diff_ms(&now, &s->m.status.stamp);
}

/*
 * on-exit halt: tell hotsv-scan, which shuts everything down.  Alone,
 * there is nothing to shut down: the service stays down (hotsv-supervise(8)).
 */
static void
halt(struct supervisor *s, int code)
{
	if (s->report.fd >= 0)
		report_halt(&s->report, code);
	else
		log_warnx("on-exit %s: no hotsv-scan to shut down; the "
		          "service stays down",
		    svpolicy_word(SV_FILE_ON_EXIT, (int)s->m.policy.on_exit));
}

/* Read the type and on-exit of the run about to start. */
void
supervise_read_policy(struct supervisor *s)
{
	struct sv_policy policy;

	svdir_policy_at(s->svcdirfd, &policy);
	machine_set_policy(&s->m, &policy);
}

/* Carry out what the state machine asked for, in s6's order. */
void
supervise_apply(struct supervisor *s, struct machine_effects *fx)
{
	bool no_finish = false;

	if (fx->touch_down || fx->remove_down)
		update_down_file(s, fx->touch_down);
	for (int i = 0; i < fx->nsignals; i++)
		signal_run(s, fx->signals[i]);
	if (fx->kill_now)
		kill_now(s);
	if (fx->close_std)
		close_std();
	if (fx->start_finish)
		no_finish = !supervise_start_finish(s);
	if (fx->announce)
		supervise_announce(s);
	/* Most letters change nothing: no event, no look at event/. */
	if (fx->events[0] != '\0')
		fifodir_notify(s->eventfd, fx->events, strlen(fx->events));
	if (fx->halt)
		halt(s, fx->halt_code);
	if (fx->arm_kill)
		arm_timeout(s, "timeout-kill", 0);
	if (fx->arm_up_timeout)
		arm_timeout(s, "timeout-up", run_age_ms(s));
	if (fx->restart_delay_ms >= 0)
		deadline_in_ms(&s->timer, (unsigned long)fx->restart_delay_ms);
	if (fx->start_run)
		supervise_start_run(s);
	if (fx->exit)
		s->done = true;
	if (no_finish) {
		struct machine_effects after;
		struct timespec now;

		clock_real(&now);
		machine_finish_died(&s->m, false, &now, &after);
		supervise_apply(s, &after);
	}
}

/*
 * Log a death that will be followed by a restart, or by the end its
 * on-exit policy gives it.
 */
static void
log_death(struct supervisor *s, int wstat)
{
	static const char *const next[] = {
	    [SV_OUT_USUAL] = "restarting",
	    [SV_OUT_DONE] = "done",
	    [SV_OUT_HALT] = "on-exit halt",
	};

	if (s->m.outcome == SV_OUT_USUAL &&
	    (!s->m.status.wantup || s->m.exiting || s->gone))
		return;
	if (WIFSIGNALED(wstat))
		log_info("run killed by %s; %s",
		    signame_of(WTERMSIG(wstat)) != NULL
		        ? signame_of(WTERMSIG(wstat))
		        : "a signal",
		    next[s->m.outcome]);
	else
		log_info("run exited %d; %s", WEXITSTATUS(wstat),
		    next[s->m.outcome]);
}

/* One of our children was reaped. */
void
supervise_reaped(struct supervisor *s, pid_t pid, int wstat)
{
	struct machine_effects fx;
	struct timespec now;

	clock_real(&now);
	if (pid == s->runpid) {
		s->runpid = 0;
		s->deadpgid = pid;
		if (s->readyfd >= 0) {
			close(s->readyfd);
			s->readyfd = -1;
		}
		deadline_never(&s->timer);
		supervise_wrote(s, SUP_DEATH_TALLY, "death_tally",
		    dtally_append(s->supfd, &now, wstat,
		        (unsigned)svdir_uint_at(s->svcdirfd, "max-death-tally",
		            DTALLY_DEFAULT, DTALLY_MAX)));
		machine_run_died(&s->m, wstat, &now, &fx);
		log_death(s, wstat);
		supervise_apply(s, &fx);
	} else if (pid == s->finishpid) {
		bool permanent = WIFEXITED(wstat) && WEXITSTATUS(wstat) == 125;

		s->finishpid = 0;
		deadline_never(&s->timer);
		if (permanent)
			log_info("finish exited 125: not restarting");
		machine_finish_died(&s->m, permanent, &now, &fx);
		supervise_apply(s, &fx);
	}
}

/* Read run's notification pipe: a newline means ready. */
void
supervise_readiness(struct supervisor *s)
{
	struct machine_effects fx;
	struct timespec now;
	char buf[512];
	ssize_t got;

	while ((got = read(s->readyfd, buf, sizeof buf)) > 0) {
		if (memchr(buf, '\n', (size_t)got) != NULL) {
			clock_real(&now);
			machine_ready(&s->m, &now, &fx);
			supervise_apply(s, &fx);
			got = 0;
			break;
		}
	}
	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
		close(s->readyfd);
		s->readyfd = -1;
	}
}
