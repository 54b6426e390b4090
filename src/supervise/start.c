/*
 * Starting run and finish in the service directory we hold (fchdir to
 * our descriptor, wherever the directory has moved), as the user its
 * user file names, with the readiness pipe and the notify socket run
 * was promised.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "lib/userdb.h"
#include "supervise/supervise.h"
#include "sv/files.h"

/* Default and largest timeout-finish, in milliseconds. */
#define TIMEOUT_FINISH_DEFAULT 5000
#define TIMEOUT_MAX 4294967295UL
/* Retry pace for a run that cannot be started. */
#define START_RETRY_MS 1000
/* The longest wait after a fork that failed. */
#define BACKOFF_MAX_MS 30000
/* Quick, quiet retries of a run still being written (ETXTBSY). */
#define BUSY_RETRY_MS 50
#define BUSY_RETRIES 40

/* Open the readiness pipe if notification-fd asks for one. */
static int
readiness_pipe(struct supervisor *s, int pipefd[2])
{
	int fd = svdir_notification_fd_at(s->svcdirfd);

	if (fd < 0)
		return -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		log_warn("pipe for notification-fd");
		return -1;
	}
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	return fd;
}

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
 * What run and finish share: our directory, a session of their own, our
 * original signal mask, the user of ./user with HOME and USER set, env/
 * and the limits (childprep.c), and with --join-stderr their stderr
 * where their stdout goes.  Returns false when ./user is unusable (said
 * once): better not started than started as root.  On true,
 * childprep_done must follow the spawn.
 */
static bool
child_setup(
    struct supervisor *s, struct spawn_req *req, struct child_prep *prep)
{
	int r = svdir_user_at(s->svcdirfd, &prep->user);

	req->dirfd = s->svcdirfd;
	req->mask = &s->child_mask;
	req->new_session = true;
	if (r < 0)
		return false;
	if (r > 0)
		req->user = &prep->user;
	childprep_make(s, prep, req->user, req);
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
	if (err != s->start_errno && !supervise_gone(s)) {
		errno = err;
		log_warn("cannot start %s/run (retrying)", s->given);
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
void
supervise_start_run(struct supervisor *s)
{
	char name[] = "run";
	char *argv[] = {name, NULL};
	struct spawn_req req = {.file = "./run", .argv = argv};
	struct machine_effects fx;
	struct child_prep prep;
	struct timespec now;
	int pipefd[2] = {-1, -1}, notify_fd;
	pid_t pid;

	if (s->held)
		return; /* hotsv-scan says when: its dependencies first */
	if (!child_setup(s, &req, &prep)) {
		if (s->m.status.wantup)
			deadline_in_ms(&s->timer, START_RETRY_MS);
		return;
	}
	supervise_read_policy(s); /* of this run: once it will start */
	s->run_uid = req.user != NULL ? req.user->uid : geteuid();
	supnotify_prepare(
	    s, s->run_uid, req.user != NULL ? req.user->gid : getegid());
	if (s->notify_env[0] != '\0')
		add_env(&req, s->notify_env);
	notify_fd = readiness_pipe(s, pipefd);
	if (notify_fd >= 0)
		req.fds[req.nfds++] = (struct spawn_fd){pipefd[1], notify_fd};
	pid = spawn(&req);
	childprep_done(s, &prep, pid);
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
	supnotify_reset(s);
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
bool
supervise_start_finish(struct supervisor *s)
{
	char name[] = "finish", code[16], sig[16], pgid[16];
	char *argv[] = {name, code, sig, s->given, pgid, NULL};
	struct spawn_req req = {.file = "./finish", .argv = argv};
	int wstat = s->m.status.wstat;
	struct child_prep prep;
	unsigned long timeout;
	pid_t pid;

	/* Not followed: a symlink loop is a finish that cannot run. */
	if (!svfile_exists_at(s->svcdirfd, "finish"))
		return false;
	snprintf(code, sizeof code, "%d",
	    WIFSIGNALED(wstat) ? 256 : WEXITSTATUS(wstat));
	snprintf(
	    sig, sizeof sig, "%d", WIFSIGNALED(wstat) ? WTERMSIG(wstat) : 0);
	snprintf(pgid, sizeof pgid, "%d", (int)s->deadpgid);
	if (!child_setup(s, &req, &prep))
		return false;
	pid = spawn(&req);
	childprep_done(s, &prep, pid);
	if (pid < 0) {
		int err = errno;

		/* One line per distinct error, as for run. */
		if (err != s->finish_errno && !supervise_gone(s)) {
			errno = err;
			log_warn("cannot start %s/finish", s->given);
		}
		s->finish_errno = err;
		return false;
	}
	s->finish_errno = 0;
	s->finishpid = pid;
	s->m.status.pid = pid;
	timeout = svdir_uint_at(
	    s->svcdirfd, "timeout-finish", TIMEOUT_FINISH_DEFAULT, TIMEOUT_MAX);
	if (timeout > 0)
		deadline_in_ms(&s->timer, timeout);
	return true;
}
