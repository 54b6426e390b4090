/*
 * Adoption: a supervisor that was killed (even with SIGKILL) leaves its
 * run running, re-parented to hotsv-scan.  The supervisor started in its
 * place must take that run over instead of starting a second copy (s6
 * starts a duplicate here).  Each start of run is recorded in
 * supervise/run-id with the kernel's start time of the process, so that
 * a recycled pid is never mistaken for it, and with the identity of the
 * service directory, so that a copy of the directory (supervise/ and all)
 * is a new service, not the old one.  The adopted run is watched with a
 * pidfd, and its exit status comes from hotsv-scan, which reaps it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "supervise/supervise.h"
#include "sv/health.h"

/* How long to wait for hotsv-scan to say how an adopted run ended. */
#define ADOPT_STATUS_MS 500

/* What supervise/run-id says: the run, and whose directory it is of. */
struct run_id {
	pid_t pid;
	unsigned long long start; /* kernel start time, in clock ticks */
	bool has_dir;             /* a record from before had no identity */
	unsigned long long dev, ino;
};

/*
 * Record the run just started (or adopted, or whose directory hotsv-scan
 * replaced): pid, kernel start time, and the identity of the service
 * directory we hold, so that a copy of supervise/ is known for one.
 */
void
adopt_record(struct supervisor *s, pid_t pid)
{
	unsigned long long start;
	struct stat sb;
	char text[128];
	int len;

	if (proc_stat(pid, NULL, NULL, &start) < 0 ||
	    fstat(s->svcdirfd, &sb) < 0)
		return;
	len =
	    snprintf(text, sizeof text, "%d %llu %llu %llu\n", (int)pid, start,
	        (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino);
	supervise_wrote(s, SUP_RUN_ID, "run-id",
	    file_replace(s->supfd, "run-id", text, (size_t)len));
}

/* Read supervise/run-id, in either format; returns whether it could. */
static bool
read_run_id(struct supervisor *s, struct run_id *id)
{
	char text[128];
	ssize_t got = file_read_at(s->supfd, "run-id", text, sizeof text - 1);
	int pid, fields;

	if (got <= 0)
		return false;
	text[got] = '\0';
	fields = sscanf(
	    text, "%d %llu %llu %llu", &pid, &id->start, &id->dev, &id->ino);
	id->pid = (pid_t)pid;
	id->has_dir = fields == 4;
	return fields == 2 || fields == 4;
}

/* Say whether pid runs the same program as we do: a live supervisor. */
static bool
is_supervisor(pid_t pid)
{
	char path[64], comm[32];
	struct stat theirs, ours;
	ssize_t got;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	if (stat(path, &theirs) == 0 && stat("/proc/self/exe", &ours) == 0 &&
	    theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
		return true;
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	got = read(fd, comm, sizeof comm - 1);
	close(fd);
	return got > 0 && strncmp(comm, "hotsv-supervise\n", (size_t)got) == 0;
}

/*
 * Say whether pid is alive, that very process (started at start), and an
 * orphan: a run whose parent is a live supervisor is another's.
 */
static bool
is_orphan_run(pid_t pid, unsigned long long start)
{
	unsigned long long started;
	pid_t parent;
	char state;

	if (pid <= 0 || proc_stat(pid, &state, &parent, &started) < 0 ||
	    started != start || state == 'Z')
		return false;
	if (is_supervisor(parent)) {
		log_info("run (pid %d) has a live supervisor (pid %d): "
		         "not adopted",
		    (int)pid, (int)parent);
		return false;
	}
	return true;
}

/*
 * Say whether the last status names a run we may adopt from our own
 * files: run-id must name that very process and this very directory.  A
 * run-id naming another directory is a copy of supervise/ (cp -a, cp -r):
 * stale, removed, and nothing it names is touched.  One from an older
 * supervisor, without the directory, proves nothing: only hotsv-scan's
 * hint may adopt then.
 */
static bool
is_recorded_run(struct supervisor *s, const struct sv_status *old)
{
	struct run_id id;
	struct stat sb;

	if (!health_run_up(old) || !read_run_id(s, &id) || id.pid != old->pid ||
	    !id.has_dir)
		return false;
	if (fstat(s->svcdirfd, &sb) < 0 ||
	    id.dev != (unsigned long long)sb.st_dev ||
	    id.ino != (unsigned long long)sb.st_ino) {
		log_info("supervise/ comes from another directory (a copy?): "
		         "starting afresh");
		unlinkat(s->supfd, "run-id", 0);
		return false;
	}
	return is_orphan_run(old->pid, id.start);
}

/*
 * An adopted run still has the NOTIFY_SOCKET its supervisor gave it, a
 * path in supervise/: make the socket there again, for its user (the
 * owner of /proc/PID), so that what it says is heard.
 */
static void
listen_for(struct supervisor *s, pid_t pid)
{
	char path[32];
	struct stat sb;

	snprintf(path, sizeof path, "/proc/%d", (int)pid);
	if (stat(path, &sb) < 0)
		return;
	s->run_uid = sb.st_uid;
	supnotify_prepare(s, sb.st_uid, sb.st_gid);
}

/*
 * At start: if the last status says run was up and that very process is
 * still alive, an orphan of this directory, take it over; else the one
 * hotsv-scan names, if alive and an orphan (our files may not say: a full
 * disk, an older supervisor).  Returns whether it did.
 */
bool
adopt_run(struct supervisor *s)
{
	struct machine_effects fx;
	struct sv_status old;
	bool hinted = false;
	int fd;

	if (status_read(s->supfd, &old) < 0 || !is_recorded_run(s, &old)) {
		if (!is_orphan_run(s->adopt_pid, s->adopt_start))
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
	listen_for(s, old.pid);
	log_info("run (pid %d) outlived its supervisor: adopted", (int)old.pid);
	supervise_read_policy(s);
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
