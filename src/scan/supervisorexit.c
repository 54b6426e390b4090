/*
 * A supervisor of the scanner's ended: say how, if it was not asked to,
 * note the run it left for the next supervisor to adopt, and bring the
 * service in line again.  Orphans we reap that a supervisor of ours had
 * adopted are reported to it.
 */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/proc.h"
#include "scan/scan.h"

/*
 * Say whether the directory a supervisor of the service ran for (its
 * logger's, with is_log) is gone: removed (unlinked: "gone" is decided
 * from the descriptor), or no longer what the entry leads to.
 */
static bool
directory_gone(const struct service *svc, bool is_log)
{
	int fd = is_log ? svc->logfd : svc->dirfd;
	struct stat sb;

	if (!svc_life_wanted(&svc->life) || fd < 0 ||
	    !svc_id_same(&svc->want_id, &svc->run_id))
		return true;
	return fstat(fd, &sb) < 0 || sb.st_nlink == 0;
}

/* Try again to start a service that waited for another to stop. */
static void
retry_blocked(struct service *svc, void *arg)
{
	if (svc_life_waits(&svc->life))
		service_reconcile(svc);
}

/*
 * Describe how a supervisor ended, for a log line: gone, what it was
 * (the service's or, with is_log, its logger's) before it was reaped.
 * Why it exits is what it said (sv/channel.h), not its exit code; one
 * that said nothing crashed.  The service's life said whether a
 * stranger's lock is news (say).
 */
static void
log_unexpected(struct service *svc, bool is_log, const struct instance *gone,
    pid_t pid, int wstat, enum svc_say say)
{
	const char *what = is_log ? "logger supervisor" : "supervisor";
	if (gone->lc.kind == CHILD_KEPT || gone->lc.kind == CHILD_WATCHED) {
		log_info("%s: the %s an earlier hotsv-scan left is gone",
		    svc->name, what);
		return;
	}
	if (gone->why == CHAN_EXIT_LOCKED) {
		if (say == SP_SAY_LOCKED)
			log_warnx("%s: supervised by another process; trying "
			          "again every second",
			    svc->name);
		return;
	}
	/* It found its directory gone (moved out as it started): the
	 * event that says so is on its way, and nothing is wrong. */
	if (gone->why == CHAN_EXIT_GONE && directory_gone(svc, is_log)) {
		log_debug("%s: %s %d exited: directory gone", svc->name, what,
		    (int)pid);
		return;
	}
	/* Its run goes on, our child now; the next supervisor adopts it. */
	log_warnx("%s: %s %d died (%s %d); starting another", svc->name, what,
	    (int)pid, WIFSIGNALED(wstat) ? "signal" : "exit code",
	    WIFSIGNALED(wstat) ? WTERMSIG(wstat) : WEXITSTATUS(wstat));
}

/*
 * We reaped an orphan.  If it was a run adopted by a new supervisor
 * (its first supervisor was killed), that supervisor cannot reap it:
 * tell it how it ended ("X", pid, wait status).
 */
void
service_orphan_reaped(pid_t pid, int wstat)
{
	struct instance *in = svtable_find_run(pid);
	struct chan_msg m;

	if (in == NULL || !instance_runs(in, pid))
		return;
	chan_init(&m, CHAN_REAPED);
	m.pid = pid;
	m.wstat = wstat;
	instance_send(in, &m);
}

/*
 * A supervisor of ours died under its run, which is now our child: note
 * that process (pid and start time) for the next supervisor to adopt.
 * Its supervise/status and run-id may not name it: a full disk, or a
 * kill between the start of run and their writing.
 */
static void
note_orphan(struct instance *in, const struct instance *gone)
{
	unsigned long long start;
	pid_t ppid;
	char state;

	if (gone->lc.kind == CHILD_WATCHED || gone->run_pid <= 0)
		return;
	if (proc_stat(gone->status.pid, &state, &ppid, &start) == 0 &&
	    ppid == getpid() && state != 'Z') {
		in->adopt_pid = gone->status.pid;
		in->adopt_start = start;
	}
}

/* One of the service's supervisors was reaped. */
void
service_exited(struct service *svc, pid_t pid, int wstat)
{
	struct instance *in = pid == svc->sup.pid ? &svc->sup : &svc->log;
	struct instance gone;

	/* Why it exits was sent before it did: read it first. */
	instance_report(in);
	gone = *in;
	if (!instance_exited(in)) {
		struct svc_arg arg = {.locked = gone.why == CHAN_EXIT_LOCKED,
		    .inherited = gone.lc.kind == CHILD_KEPT ||
		        gone.lc.kind == CHILD_WATCHED};
		struct svc_effects fx;

		svc_life_event(&svc->life, SE_SUP_DIED, &arg, &fx);
		log_unexpected(svc, in == &svc->log, &gone, pid, wstat, fx.say);
		note_orphan(in, &gone);
		if (fx.retry_ms >= 0)
			deadline_in_ms(
			    &in->deadline, (unsigned long)fx.retry_ms);
	} else if (gone.runpgid > 0 && gone.why == 0) {
		/* Stopped for good, but killed before it could end what its
		 * run left in its process group (a "sleep &" holding the log
		 * pipe): that goes now, as it is gone. */
		kill(-gone.runpgid, SIGTERM);
		kill(-gone.runpgid, SIGCONT);
	}

	service_reconcile(svc); /* may free svc */

	svtable_foreach(retry_blocked, NULL);
}
