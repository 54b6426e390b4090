/*
 * Adoption: a supervisor that was killed (even with SIGKILL) leaves its
 * run running, re-parented to hotsv-scan.  The supervisor started in its
 * place must take that run over instead of starting a second copy (s6
 * starts a duplicate here).  Each start of run is recorded in
 * supervise/run-id with the kernel's start time of the process, so that
 * a recycled pid is never mistaken for it; the adopted run is watched
 * with a pidfd, and its exit status comes from hotsv-scan, which reaps it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "proc.h"
#include "supervise.h"

/* How long to wait for hotsv-scan to say how an adopted run ended. */
#define ADOPT_STATUS_MS 500

/* Record the run just started: pid and kernel start time. */
void
adopt_record(struct supervisor *s, pid_t pid)
{
	unsigned long long start;
	char text[64];
	int len;

	if (proc_stat(pid, NULL, NULL, &start) < 0)
		return;
	len = snprintf(text, sizeof text, "%d %llu\n", (int)pid, start);
	supervise_wrote(s, SUP_RUN_ID, "run-id",
	    file_replace(s->supfd, "run-id", text, (size_t)len));
}

/* Say whether pid is the very process recorded in supervise/run-id. */
static bool
is_recorded_run(struct supervisor *s, pid_t pid)
{
	unsigned long long recorded, start;
	char text[64], state;
	ssize_t got = file_read_at(s->supfd, "run-id", text, sizeof text - 1);
	int rpid;

	if (got <= 0)
		return false;
	text[got] = '\0';
	return sscanf(text, "%d %llu", &rpid, &recorded) == 2 && rpid == pid &&
	    proc_stat(pid, &state, NULL, &start) == 0 && start == recorded &&
	    state != 'Z';
}

/* Say whether the run hotsv-scan named (--adopt) is alive, that very one. */
static bool
is_hinted_run(const struct supervisor *s)
{
	unsigned long long start;
	char state;

	return s->adopt_pid > 0 &&
	    proc_stat(s->adopt_pid, &state, NULL, &start) == 0 &&
	    start == s->adopt_start && state != 'Z';
}

/*
 * At start: if the last status says run was up and that very process is
 * still alive, take it over; else the one hotsv-scan names, if alive (our
 * files may not say: a full disk).  Returns whether it did.
 */
bool
adopt_run(struct supervisor *s)
{
	struct machine_effects fx;
	struct sv_status old;
	bool hinted = false;
	int fd;

	if (status_read(s->supfd, &old) < 0 || old.pid <= 0 || old.finishing ||
	    !is_recorded_run(s, old.pid)) {
		if (!is_hinted_run(s))
			return false;
		memset(&old, 0, sizeof old);
		old.pid = s->adopt_pid;
		clock_real(&old.stamp);
		old.readystamp = old.stamp;
		hinted = true;
	}
	fd = (int)syscall(SYS_pidfd_open, old.pid, 0);
	if (fd < 0) {
		log_warn("pidfd_open %d: cannot adopt run", (int)old.pid);
		return false;
	}
	s->runpid = old.pid;
	s->runpidfd = fd;
	if (hinted)
		adopt_record(s, old.pid);
	log_info("run (pid %d) outlived its supervisor: adopted", (int)old.pid);
	machine_adopt(&s->m, &old, &fx);
	supervise_apply(s, &fx);
	return true;
}

/* The adopted run is gone, with this wait status. */
static void
adopted_died(struct supervisor *s, int wstat)
{
	close(s->runpidfd);
	s->runpidfd = -1;
	s->adopt_waiting = false;
	deadline_never(&s->adopt_deadline);
	supervise_reaped(s, s->runpid, wstat);
}

/* hotsv-scan reaped a process: if it is our adopted run, it is over. */
void
adopt_reaped(struct supervisor *s, pid_t pid, int wstat)
{
	if (s->runpidfd >= 0 && pid == s->runpid)
		adopted_died(s, wstat);
}

/*
 * The adopted run's pidfd says it exited.  Its status comes from
 * hotsv-scan; without it in time (no scanner, or none that reaps it),
 * say so and carry on as if it had exited 0.
 */
void
adopt_exited(struct supervisor *s)
{
	if (s->runpidfd < 0)
		return;
	if (!s->adopt_waiting) {

		s->adopt_waiting = true;
		deadline_in_ms(&s->adopt_deadline, ADOPT_STATUS_MS);
		return;
	}
	log_warnx(
	    "run (pid %d) ended; its exit status is unknown", (int)s->runpid);
	adopted_died(s, 0);
}
