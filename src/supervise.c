/*
 * Carrying out the state machine's effects for one service: starting
 * run and finish, signalling, writing status, death_tally and events.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dtally.h"
#include "fifodir.h"
#include "log.h"
#include "signame.h"
#include "spawn.h"
#include "supervise.h"
#include "svdir.h"
#include "userdb.h"

/* Default and largest timeout-finish / timeout-kill, in milliseconds. */
#define TIMEOUT_FINISH_DEFAULT 5000
#define TIMEOUT_MAX 4294967295UL
/* How long after a SIGKILL we wait before sending another. */
#define KILL_AGAIN_MS 5000
/* Retry pace for a run that cannot be started. */
#define START_RETRY_MS 1000
/* Retries of a failed status write; of a fork that failed, at most. */
#define STATUS_RETRY_MS 1000
#define BACKOFF_MAX_MS 30000
/* Quick, quiet retries of a run still being written (ETXTBSY). */
#define BUSY_RETRY_MS 50
#define BUSY_RETRIES 40

/* Say (once) whether the service directory has been removed. */
static bool
directory_gone(struct supervisor *s)
{
	struct stat sb;

	if (!s->gone && stat(s->paths.svcdir, &sb) < 0 && errno == ENOENT) {
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
	if (!was_failing && !directory_gone(s))
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
	    !directory_gone(s))
		deadline_in_ms(&s->status_retry, STATUS_RETRY_MS);
	report_status(&s->report, &s->m.status);
}

/* Create or remove ./down for the D, U and Q letters. */
static void
update_down_file(struct supervisor *s, bool present)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof path, "%s/down", s->paths.svcdir);
	if (!present) {
		if (unlink(path) < 0 && errno != ENOENT)
			log_warn("remove %s", path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		log_warn("create %s", path);
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
		sig = svdir_signal(s->paths.svcdir, "down-signal", SIGTERM);
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
		log_warnx("run outlived timeout-kill: sending SIGKILL");
	kill(-target, SIGKILL);
	kill(target, SIGKILL);
	deadline_in_ms(&s->timer, KILL_AGAIN_MS);
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

/* Open the readiness pipe if notification-fd asks for one. */
static int
readiness_pipe(struct supervisor *s, int pipefd[2])
{
	int fd = svdir_notification_fd(s->paths.svcdir);

	if (fd < 0)
		return -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		log_warn("pipe for notification-fd");
		return -1;
	}
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	return fd;
}

/*
 * Where run and finish start: the directory we were started on, through
 * our descriptor, even after it was moved away and another took its
 * name; once it is deleted (a ConfigMap's old version, replaced by one
 * with the same content), its path, which leads to the new one.
 */
static int
service_dirfd(const struct supervisor *s)
{
	struct stat sb;

	return fstat(s->svcdirfd, &sb) == 0 && sb.st_nlink > 0 ? s->svcdirfd
	                                                       : 0;
}

/* Who run and finish run as, and the environment that says so. */
struct child_id {
	struct user_spec user;
	char home[300]; /* HOME=... */
	char name[80];  /* USER=... */
};

/* Add NAME=VALUE to a child's environment. */
static void
add_env(struct spawn_req *req, const char *entry)
{
	int n = 0;

	while (req->env[n] != NULL)
		n++;
	if (n < SPAWN_MAX_ENV)
		req->env[n] = entry;
}

/*
 * What run and finish share: the user of ./user, with HOME and USER set,
 * and with --join-stderr their stderr where their stdout goes.  Returns
 * false when ./user is unusable (said once): better not started than
 * started as root.
 */
static bool
child_setup(struct supervisor *s, struct spawn_req *req, struct child_id *id)
{
	int r = svdir_user(s->paths.svcdir, &id->user);

	if (r < 0)
		return false;
	if (r > 0) {
		snprintf(id->home, sizeof id->home, "HOME=%s", id->user.home);
		snprintf(id->name, sizeof id->name, "USER=%s", id->user.name);
		add_env(req, id->home);
		add_env(req, id->name);
		req->user = &id->user;
	}
	if (s->join_stderr)
		req->fds[req->nfds++] =
		    (struct spawn_fd){STDOUT_FILENO, STDERR_FILENO};
	return true;
}

/*
 * run could not be started: retry every second, with one line per
 * distinct error.  A run still open for writing (ETXTBSY: being copied
 * in) is retried quickly and quietly for a while first.
 */
static void
start_failed(struct supervisor *s, int err)
{
	if (err == ETXTBSY && s->busy_retries < BUSY_RETRIES) {
		s->busy_retries++;
		deadline_in_ms(&s->timer, BUSY_RETRY_MS);
		return;
	}
	if (err != s->start_errno && !directory_gone(s)) {
		errno = err;
		log_warn("cannot start %s/run (retrying)", s->paths.svcdir);
	}
	s->start_errno = err;
	/* Out of processes or memory: back off, up to half a minute. */
	if (err == EAGAIN || err == ENOMEM)
		s->backoff_ms = s->backoff_ms == 0        ? START_RETRY_MS
		    : s->backoff_ms >= BACKOFF_MAX_MS / 2 ? BACKOFF_MAX_MS
		                                          : s->backoff_ms * 2;
	else
		s->backoff_ms = START_RETRY_MS;
	if (s->m.status.wantup)
		deadline_in_ms(&s->timer, s->backoff_ms);
}

/* Start run; on failure, retry every second with one line per error. */
static void
start_run(struct supervisor *s)
{
	char name[] = "run";
	char *argv[] = {name, NULL};
	struct spawn_req req = {
	    .dir = s->paths.svcdir,
	    .dirfd = service_dirfd(s),
	    .file = "./run",
	    .argv = argv,
	    .mask = &s->child_mask,
	    .new_session = true,
	};
	struct machine_effects fx;
	struct child_id id;
	struct timespec now;
	int pipefd[2] = {-1, -1}, notify_fd;
	pid_t pid;

	if (s->held)
		return; /* hotsv-scan says when: its dependencies first */
	if (!child_setup(s, &req, &id)) {
		if (s->m.status.wantup)
			deadline_in_ms(&s->timer, START_RETRY_MS);
		return;
	}
	supmsg_open_notify(s);
	if (s->notify_env[0] != '\0')
		add_env(&req, s->notify_env);
	notify_fd = readiness_pipe(s, pipefd);
	if (notify_fd >= 0)
		req.fds[req.nfds++] = (struct spawn_fd){pipefd[1], notify_fd};
	pid = spawn(&req);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (pid < 0) {
		if (pipefd[0] >= 0)
			close(pipefd[0]);
		start_failed(s, errno);
		return;
	}
	if (s->start_errno != 0)
		log_info("run started");
	s->start_errno = 0;
	s->busy_retries = 0;
	s->backoff_ms = 0;
	s->runpid = pid;
	adopt_record(s, pid);
	supmsg_reset_notify(s);
	s->readyfd = pipefd[0];
	deadline_never(&s->timer);
	clock_real(&now);
	machine_started(&s->m, pid, &now, &fx);
	supervise_apply(s, &fx);
}

/*
 * Start ./finish EXIT SIG NAME PGID after run died.  Returns false when
 * there is no finish to wait for.
 */
static bool
start_finish(struct supervisor *s)
{
	char name[] = "finish", code[16], sig[16], pgid[16];
	char *argv[] = {name, code, sig, s->given, pgid, NULL};
	struct spawn_req req = {
	    .dir = s->paths.svcdir,
	    .dirfd = service_dirfd(s),
	    .file = "./finish",
	    .argv = argv,
	    .mask = &s->child_mask,
	    .new_session = true,
	};
	int wstat = s->m.status.wstat;
	struct child_id id;
	unsigned long timeout;
	pid_t pid;

	/* Not followed: a symlink loop is a finish that cannot run. */
	if (req.dirfd > 2
	        ? faccessat(req.dirfd, "finish", F_OK, AT_SYMLINK_NOFOLLOW) < 0
	        : !svfile_exists(s->paths.svcdir, "finish"))
		return false;
	snprintf(code, sizeof code, "%d",
	    WIFSIGNALED(wstat) ? 256 : WEXITSTATUS(wstat));
	snprintf(
	    sig, sizeof sig, "%d", WIFSIGNALED(wstat) ? WTERMSIG(wstat) : 0);
	snprintf(pgid, sizeof pgid, "%d", (int)s->deadpgid);
	if (!child_setup(s, &req, &id))
		return false;
	pid = spawn(&req);
	if (pid < 0) {
		int err = errno;

		/* One line per distinct error, as for run. */
		if (err != s->finish_errno && !directory_gone(s)) {
			errno = err;
			log_warn("cannot start %s/finish", s->paths.svcdir);
		}
		s->finish_errno = err;
		return false;
	}
	s->finish_errno = 0;
	s->finishpid = pid;
	s->m.status.pid = pid;
	timeout = svdir_uint(s->paths.svcdir, "timeout-finish",
	    TIMEOUT_FINISH_DEFAULT, TIMEOUT_MAX);
	if (timeout > 0)
		deadline_in_ms(&s->timer, timeout);
	return true;
}

/* Arm timeout-kill after the down-signal, if the service has one. */
static void
arm_kill(struct supervisor *s)
{
	unsigned long timeout =
	    svdir_uint(s->paths.svcdir, "timeout-kill", 0, TIMEOUT_MAX);

	if (timeout > 0)
		deadline_in_ms(&s->timer, timeout);
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
		no_finish = !start_finish(s);
	if (fx->announce)
		supervise_announce(s);
	fifodir_notify(s->paths.eventdir, fx->events, strlen(fx->events));
	if (fx->arm_kill)
		arm_kill(s);
	if (fx->restart_delay_ms >= 0)
		deadline_in_ms(&s->timer, (unsigned long)fx->restart_delay_ms);
	if (fx->start_run)
		start_run(s);
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

/* Log a death that will be followed by a restart. */
static void
log_death(struct supervisor *s, int wstat)
{
	if (!s->m.status.wantup || s->m.exiting || s->gone)
		return;

	if (WIFSIGNALED(wstat))
		log_info("run killed by %s; restarting",
		    signame_of(WTERMSIG(wstat)) != NULL
		        ? signame_of(WTERMSIG(wstat))
		        : "a signal");
	else
		log_info("run exited %d; restarting", WEXITSTATUS(wstat));
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
		        (unsigned)svdir_uint(s->paths.svcdir, "max-death-tally",
		            DTALLY_DEFAULT, DTALLY_MAX)));
		log_death(s, wstat);
		machine_run_died(&s->m, wstat, &now, &fx);
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
