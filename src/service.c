/*
 * One service in the scanner: keep exactly one hotsv-supervise running
 * for it while its directory is there, and none once it is gone.  A
 * replaced directory gets a new supervisor only after the old one has
 * exited, so two copies of a service never run at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "report.h"
#include "scanner.h"
#include "spawn.h"
#include "watch.h"

/* A supervisor is started at most once a second per service. */
#define RESPAWN_MS 1000
/* Where a supervisor finds its report socket. */
#define REPORT_FD 3

/* What the scanner watches in a directory whose run is not ready. */
#define PENDING_EVENTS \
	(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_ONLYDIR)

/* Write SCANDIR/NAME into path; false if it does not fit. */
static bool
service_dir(const struct service *svc, char *path, size_t size)
{
	return (size_t)snprintf(path, size, "%s/%s", hotsv_scanner.scandir,
	           svc->name) < size;
}

/* Stop watching the directory for run. */
static void
unwatch(struct service *svc)
{
	if (svc->watch_wd >= 0)
		watch_remove(svc->watch_wd);
	svc->watch_wd = -1;
}

/*
 * Watch the directory until run is ready.  Without a watch (inotify
 * unusable, or out of watches) look again in a second.
 */
static void
watch_for_run(struct service *svc, const char *dir)
{
	if (svc->watch_wd >= 0)
		return;
	svc->watch_wd = watch_add(dir, PENDING_EVENTS);
	if (svc->watch_wd < 0 && !deadline_is_set(&svc->deadline))
		deadline_in_ms(&svc->deadline, RESPAWN_MS);
}

/* Start hotsv-supervise for the service; on failure retry later. */
static void
instance_start(struct service *svc, const char *dir)
{
	struct scanner *sc = &hotsv_scanner;
	char arg0[] = "hotsv-supervise", opt_r[] = "-r", opt_s[] = "-s";
	char fdtext[] = "3", dirbuf[PATH_MAX];
	char *argv[] = {arg0, opt_r, fdtext, opt_s, sc->statedir, dirbuf, NULL};
	struct spawn_req req = {
	    .file = sc->supervise_path,
	    .argv = argv,
	    .mask = &sc->child_mask,
	    .fds = {{-1, REPORT_FD}, {sc->stdin_fd, STDIN_FILENO}},
	    .nfds = sc->stdin_fd >= 0 ? 2 : 1,
	    .new_session = true,
	};

	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = svc};
	int pair[2];
	pid_t pid;

	snprintf(dirbuf, sizeof dirbuf, "%s", dir);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		log_warn("socketpair for %s (retrying)", svc->name);
		deadline_in_ms(&svc->deadline, RESPAWN_MS);
		return;
	}
	req.fds[0].from = pair[1];
	if (svc->want_id.symlink && svc->want_id.fingerprint == 0)
		svc->want_id.fingerprint = scan_fingerprint(dir);
	pid = spawn(&req);
	close(pair[1]);
	if (pid < 0) {
		log_warn("cannot start %s for %s (retrying)",
		    sc->supervise_path, svc->name);
		close(pair[0]);
		deadline_in_ms(&svc->deadline, RESPAWN_MS);
		return;
	}
	if (epoll_ctl(sc->epfd, EPOLL_CTL_ADD, pair[0], &ev) < 0)
		log_warn("epoll_ctl for %s", svc->name);
	fcntl(pair[0], F_SETFL, O_NONBLOCK);
	memset(&svc->sup, 0, sizeof svc->sup);
	svc->sup.pid = pid;
	svc->sup.reportfd = pair[0];
	clock_mono(&svc->sup.started);
	svc->run_id = svc->want_id;
	log_debug("started supervisor %d for %s", (int)pid, svc->name);
}

/*
 * Ask the supervisor to stop: SIGTERM brings the service down with its
 * down-signal, runs finish, and makes the supervisor exit.  The kill
 * grace deadline is armed in case the service does not go.
 */
static void
instance_stop(struct service *svc)
{
	if (svc->sup.stopping)
		return;
	svc->sup.stopping = true;
	kill(svc->sup.pid, SIGTERM);
	kill(svc->sup.pid, SIGCONT);
	/* At shutdown, the global grace time applies instead. */
	if (!hotsv_scanner.shutting_down)
		deadline_in_ms(&svc->deadline, hotsv_scanner.kill_grace_ms);
}

/*
 * SIGKILL the service: the process group of its last run and of
 * whatever the supervisor reports running now (finish).
 */
void
service_kill(struct service *svc)
{
	pid_t now = svc->sup.have_status ? svc->sup.status.pid : 0;

	if (svc->sup.pid <= 0 || svc->sup.killed)
		return;
	svc->sup.killed = true;
	if (svc->sup.runpgid > 0) {
		log_warnx("%s: SIGKILL to process group %d", svc->name,
		    (int)svc->sup.runpgid);
		kill(-svc->sup.runpgid, SIGKILL);
	}
	if (now > 0 && now != svc->sup.runpgid) {
		kill(-now, SIGKILL);
		kill(now, SIGKILL);
	}
}

/* SIGKILL the supervisor itself, when it did not exit in time. */
void
service_kill_supervisor(struct service *svc)
{
	if (svc->sup.pid <= 0)
		return;
	log_warnx("%s: supervisor %d did not exit: SIGKILL", svc->name,
	    (int)svc->sup.pid);
	kill(svc->sup.pid, SIGKILL);
}

/*
 * The kill grace of a removed service ran out: SIGKILL the service,
 * then, a grace later, its supervisor.
 */
static void
instance_kill(struct service *svc)
{
	if (!svc->sup.killed) {
		log_warnx("%s: still running %lu ms after removal", svc->name,
		    hotsv_scanner.kill_grace_ms);
		service_kill(svc);
		deadline_in_ms(&svc->deadline, hotsv_scanner.kill_grace_ms);
		return;
	}
	service_kill_supervisor(svc);
	deadline_never(&svc->deadline);
}

/* Send a signal to the service's run, if it is up. */
void
service_signal_run(struct service *svc, int sig)
{
	if (svc->sup.pid > 0 && svc->sup.have_status &&
	    svc->sup.status.pid > 0 && !svc->sup.status.finishing)
		kill(svc->sup.status.pid, sig);
}

/* Bring what runs in line with what the directory says. */
void
service_reconcile(struct service *svc)
{
	char dir[PATH_MAX];

	if (svc->sup.pid > 0) {
		if (!svc->wanted || !svc_id_same(&svc->want_id, &svc->run_id))
			instance_stop(svc);
		else
			svc->run_id = svc->want_id;
		return;
	}
	if (!svc->wanted) {
		unwatch(svc);
		svtable_remove(svc);
		return;
	}
	if (deadline_is_set(&svc->deadline) ||
	    !service_dir(svc, dir, sizeof dir))
		return;
	/* Renamed in SCANDIR: wait for the old name's supervisor to go. */
	svc->blocked = svtable_find_running(&svc->want_id) != NULL;
	if (svc->blocked)
		return;
	watch_for_run(svc, dir);
	if (!scan_run_ready(dir))
		return;
	unwatch(svc);
	instance_start(svc, dir);
}

/* Try again to start a service that waited for another to stop. */
static void
retry_blocked(struct service *svc)
{
	if (svc->blocked)
		service_reconcile(svc);
}

/* The directory is gone (or we are shutting down): remove the service. */
void
service_unwant(struct service *svc)
{
	svc->wanted = false;
	service_reconcile(svc);
}

/* A deadline of this service has passed. */
void
service_deadline(struct service *svc, const struct timespec *now)
{
	if (!deadline_passed(&svc->deadline, now))
		return;
	if (svc->sup.pid > 0 && svc->sup.stopping) {
		instance_kill(svc);
		return;
	}
	deadline_never(&svc->deadline);
	service_reconcile(svc);
}

/* Close the report socket (which also takes it out of the epoll set). */
static void
close_report(struct service *svc)
{
	if (svc->sup.reportfd >= 0)
		close(svc->sup.reportfd);
	svc->sup.reportfd = -1;
}

/* The supervisor of svc was reaped with this wait status. */
void
service_exited(struct service *svc, pid_t pid, int wstat)
{
	struct timespec now;
	bool expected = svc->sup.stopping;
	pid_t orphan = svc->sup.have_status && !svc->sup.status.finishing
	    ? svc->sup.status.pid
	    : 0;

	close_report(svc);
	clock_mono(&now);
	svc->sup.pid = 0;
	deadline_never(&svc->deadline);
	if (!expected && WIFEXITED(wstat) && WEXITSTATUS(wstat) == 100) {
		if (!svc->foreign)
			log_warnx("%s: supervised by another process; trying "
			          "again every second",
			    svc->name);
		svc->foreign = true;
		deadline_in_ms(&svc->deadline, RESPAWN_MS);
	} else if (!expected) {
		log_warnx("%s: supervisor %d died (%s %d); starting another",
		    svc->name, (int)pid,
		    WIFSIGNALED(wstat) ? "signal" : "exit code",
		    WIFSIGNALED(wstat) ? WTERMSIG(wstat) : WEXITSTATUS(wstat));
		/* Its service would run twice: stop the orphan first. */
		if (orphan > 0) {
			kill(-orphan, SIGTERM);
			kill(-orphan, SIGCONT);
		}
		if (timespec_diff_ms(&now, &svc->sup.started) < RESPAWN_MS)
			deadline_in_ms(&svc->deadline,
			    (unsigned long)(RESPAWN_MS -
			        timespec_diff_ms(&now, &svc->sup.started)));
	} else
		svc->foreign = false;
	service_reconcile(svc); /* may free svc */
	svtable_foreach(retry_blocked);
}

/* Read the status reports waiting on the service's socket. */
void
service_report(struct service *svc)
{
	unsigned char msg[REPORT_SIZE + 1];
	ssize_t got;

	while (svc->sup.reportfd >= 0 &&
	    (got = recv(svc->sup.reportfd, msg, sizeof msg, MSG_DONTWAIT)) !=
	        -1) {
		if (got == 0) {
			close_report(svc);
			return;
		}
		if (report_decode(msg, (size_t)got, &svc->sup.status) < 0)
			continue;
		svc->sup.have_status = true;
		if (!svc->sup.status.finishing)
			svc->sup.runpgid = svc->sup.status.pid;
	}
}
