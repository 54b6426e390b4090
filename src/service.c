/*
 * One service in the scanner: while its directory is there, keep one
 * hotsv-supervise running for it, and one for its logger when it has
 * log/, joined by a pipe the scanner holds so that no restart loses a
 * byte.  Once the directory is gone, stop the service first, then let
 * the logger read what is left and exit.  A replaced directory gets new
 * supervisors only after the old ones have exited, so two copies of a
 * service never run at once.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "scanner.h"
#include "watch.h"

/* How soon to look again at a directory we cannot watch. */
#define RETRY_MS 1000
/* How long log/ must stay added or removed before the service follows. */
#define LOG_SETTLE_MS 100
/*
 * How long a directory created in place must stay quiet before its
 * service starts: files copied after run (down, dependencies, log/,
 * notification-fd) are then seen.  A directory moved in is complete and
 * starts at once.
 */
#define QUIET_MS 50

/*
 * What the scanner watches in a service directory: run appearing or
 * being completed, and log/ coming or going.
 */
#define SERVICE_EVENTS                                                      \
	(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE | \
	    IN_MOVED_FROM | IN_ONLYDIR)

/* Write SCANDIR/NAME[/log] into path; false if it does not fit. */
static bool
service_path(
    const struct service *svc, const char *sub, char *path, size_t size)
{
	return (size_t)snprintf(path, size, "%s/%s%s", hotsv_scanner.scandir,
	           svc->name, sub) < size;
}

/* Say whether path is a directory (following symlinks). */
static bool
is_directory(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Stop one of the service's watches. */
static void
unwatch(struct service *svc, enum watch_slot slot)
{
	int wd = svc->watches[slot].wd;
	enum watch_slot other;

	svtable_set_wd(svc, slot, -1);
	/* Two names can lead to one directory, and one watch (a rename). */
	if (wd >= 0 && svtable_find_wd(wd, &other) == NULL)
		watch_remove(wd);
}

/* Stop every watch of the service (its directory changed, or went). */
void
service_unwatch(struct service *svc)
{
	unwatch(svc, WATCH_DIR);
	unwatch(svc, WATCH_LOG);
}

/* Watch a directory of the service; without a watch, look in a second. */
static void
watch_directory(struct service *svc, enum watch_slot slot, const char *dir)
{
	if (svc->watches[slot].wd >= 0)
		return;
	svtable_set_wd(svc, slot, watch_add(dir, SERVICE_EVENTS));
	if (svc->watches[slot].wd < 0 && !deadline_is_set(&svc->deadline))
		deadline_in_ms(&svc->deadline, RETRY_MS);
}

/* Create the service-to-logger pipe if there is none. */
static bool
ensure_pipe(struct service *svc)
{
	int fds[2];

	if (svc->pipe_r >= 0)
		return true;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		log_warn("%s: pipe for log/ (retrying)", svc->name);
		deadline_in_ms(&svc->deadline, RETRY_MS);
		return false;
	}
	svc->pipe_r = fds[0];
	svc->pipe_w = fds[1];
	return true;
}

/* Close one end of the pipe. */
static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Where the service's output should go: log/, a prefixer, or ours. */
static enum log_kind
wanted_kind(const struct service *svc)
{
	if (!svc->wanted)
		return LOG_NONE;
	if (svc->want_log)
		return LOG_DIR;
	return hotsv_scanner.prefix ? LOG_PREFIX : LOG_NONE;
}

/* What the running logger is. */
static enum log_kind
running_kind(const struct service *svc)
{
	if (!instance_running(&svc->log))
		return LOG_NONE;
	return svc->log.direct ? LOG_PREFIX : LOG_DIR;
}

/*
 * Stop what must not run: a service whose directory is gone, replaced
 * or whose output must go elsewhere (log/ came or went); then a logger
 * once nothing writes to it any more.
 */
static void
stop_unwanted(struct service *svc, bool same)
{
	bool keep = svc->wanted && same;
	enum log_kind kind = wanted_kind(svc);

	if (instance_running(&svc->sup)) {
		svc->stop_deferred = false;
		if (keep && svc->sup_kind == kind)
			svc->run_id = svc->want_id;
		else if (!svc->wanted && depend_blocks_stop(svc))
			svc->stop_deferred = true; /* its dependents go first */
		else
			instance_stop(&svc->sup);
		return;
	}
	/* Between two runs of the service, its logger stays. */
	if (keep && kind != LOG_NONE &&
	    (running_kind(svc) == LOG_NONE || running_kind(svc) == kind))
		return;
	/* Nothing writes to the logger now but the pipe: close it. */
	close_fd(&svc->pipe_w);
	if (instance_running(&svc->log))
		instance_drain(&svc->log);
	else
		close_fd(&svc->pipe_r);
}

/* Start the logger the service needs, if it is not running. */
static void
start_logger(struct service *svc, enum log_kind kind, const char *logdir)
{
	if (kind == LOG_NONE || instance_running(&svc->log) ||
	    deadline_is_set(&svc->log.deadline))
		return;
	if (kind == LOG_DIR && instance_foreign(&svc->log, logdir)) {
		/* Its logger runs for this very directory: keep it. */
		svc->run_id = svc->want_id;
		return;
	}
	/* A log/run not ready yet: watch log/ until it is. */
	if (kind == LOG_DIR && !scan_run_ready(logdir)) {
		watch_directory(svc, WATCH_LOG, logdir);
		return;
	}
	unwatch(svc, WATCH_LOG);
	if (kind == LOG_DIR && scan_run_ready(logdir) && ensure_pipe(svc))
		instance_start(&svc->log, logdir, svc->pipe_r, -1, 0);
	else if (kind == LOG_PREFIX && ensure_pipe(svc))
		instance_start_prefixer(&svc->log, svc->name, svc->pipe_r);
}

/* The directory was just created in place: let it settle first. */
void
service_settle(struct service *svc)
{
	if (!instance_running(&svc->sup))
		deadline_in_ms(&svc->quiet, QUIET_MS);
}

/* Something happened in the directory: if it is settling, wait more. */
void
service_touched(struct service *svc)
{
	if (deadline_is_set(&svc->quiet))
		service_settle(svc);
}

/* Start the logger, then the service, if they should run and can. */
static void
start_wanted(struct service *svc)
{
	char dir[PATH_MAX], logdir[PATH_MAX];
	enum log_kind kind = wanted_kind(svc);
	int hold;

	if (!service_path(svc, "", dir, sizeof dir) ||
	    !service_path(svc, "/log", logdir, sizeof logdir))
		return;
	watch_directory(svc, WATCH_DIR, dir);
	/* A logger still reading the old pipe finishes before a new one. */
	if (deadline_is_set(&svc->deadline) || deadline_is_set(&svc->quiet) ||
	    (svc->log.draining && kind != LOG_NONE))
		return;
	start_logger(svc, kind, logdir);
	if (instance_running(&svc->sup) || deadline_is_set(&svc->sup.deadline))
		return;
	/* Renamed in SCANDIR: wait for the old name's supervisor to go. */
	svc->blocked = svtable_find_running(&svc->want_id) != NULL;
	if (svc->blocked)
		return;
	if (instance_foreign(&svc->sup, dir)) {
		/*
		 * It supervises this very directory: its run is the one we
		 * want, to be adopted, not stopped at the next reconcile as a
		 * run of another directory would be.
		 */
		svc->sup_kind = kind;
		svc->run_id = svc->want_id;
		/* A kept one may hold its run until its dependencies are up. */
		if (svc->sup.kept)
			svc->held = depend_load(svc, dir) == 1;
		return;
	}
	if (!scan_run_ready(dir))
		return;
	if (kind != LOG_NONE && !ensure_pipe(svc))
		return;
	if (svc->want_id.symlink && svc->want_id.fingerprint == 0)
		svc->want_id.fingerprint = scan_fingerprint(dir);
	hold = depend_load(svc, dir);
	if (hold < 0) {
		instance_start_failed(&svc->sup, "read the dependencies", dir);
		return;
	}
	if (instance_start(&svc->sup, dir, -1,
	        kind != LOG_NONE ? svc->pipe_w : -1,
	        (hold ? INSTANCE_HOLD : 0) |
	            (kind == LOG_PREFIX ? INSTANCE_JOIN_STDERR : 0))) {
		svc->held = hold;
		svc->sup_kind = kind;
		svc->run_id = svc->want_id;
	}
}

/*
 * Follow log/ coming or going.  A running service must be restarted to
 * write elsewhere; that waits until log/ has stayed so for LOG_SETTLE_MS,
 * so that an "rm -rf" of the whole service, which removes log/ first, is
 * not raced by the restart writing into supervise/.
 */
static void
update_want_log(struct service *svc)
{
	char logdir[PATH_MAX];
	struct timespec now;
	bool has_log = svc->wanted &&
	    service_path(svc, "/log", logdir, sizeof logdir) &&
	    is_directory(logdir);

	clock_mono(&now);
	if (has_log == svc->want_log || !instance_running(&svc->sup) ||
	    deadline_passed(&svc->log_settle, &now)) {
		svc->want_log = has_log;
		deadline_never(&svc->log_settle);
	} else if (!deadline_is_set(&svc->log_settle))
		deadline_in_ms(&svc->log_settle, LOG_SETTLE_MS);
}

/* Bring what runs in line with what the directory says. */
void
service_reconcile(struct service *svc)
{
	bool same = svc_id_same(&svc->want_id, &svc->run_id);

	update_want_log(svc);
	stop_unwanted(svc, same);

	if (instance_running(&svc->sup) || instance_running(&svc->log)) {
		/* A replaced directory starts afresh once all has stopped. */
		if (!same || !svc->wanted)
			return;
	} else if (!svc->wanted) {
		service_unwatch(svc);
		depend_free(svc);
		close_fd(&svc->pipe_w);
		close_fd(&svc->pipe_r);
		svtable_remove(svc);
		return;
	}
	start_wanted(svc);
}

/* The directory is gone (or we are shutting down): remove the service. */
void
service_unwant(struct service *svc)
{
	svc->wanted = false;
	service_reconcile(svc);
}

/* Mark a service as going, without acting yet. */
static void
mark_unwanted(struct service *svc)
{
	svc->wanted = false;
}

/*
 * Remove every service.  All are marked first, so that each one sees
 * which of its dependents are stopping too and waits for them.
 */
void
service_unwant_all(void)
{
	svtable_foreach(mark_unwanted);
	svtable_foreach(service_reconcile);
}

/* Try again to start a service that waited for another to stop. */
static void
retry_blocked(struct service *svc)
{
	if (svc->blocked || svc->stop_deferred)
		service_reconcile(svc);
}

/*
 * Describe how a supervisor ended, for a log line: gone, what it was
 * (the service's or, with is_log, its logger's) before it was reaped.
 */
static void
log_unexpected(struct service *svc, bool is_log, const struct instance *gone,
    pid_t pid, int wstat)
{
	const char *what = is_log ? "logger supervisor" : "supervisor";
	char dir[PATH_MAX];

	if (gone->foreign || gone->kept) {
		log_info("%s: the %s an earlier hotsv-scan left is gone",
		    svc->name, what);
		return;
	}
	if (WIFEXITED(wstat) && WEXITSTATUS(wstat) == 100) {
		if (!svc->foreign)
			log_warnx("%s: supervised by another process; trying "
			          "again every second",
			    svc->name);
		svc->foreign = true;
		return;
	}
	svc->foreign = false;
	/* It found its directory gone (moved out as it started): the
	 * event that says so is on its way, and nothing is wrong. */
	if (WIFEXITED(wstat) && WEXITSTATUS(wstat) == 111 &&
	    service_path(svc, is_log ? "/log" : "", dir, sizeof dir) &&
	    !is_directory(dir)) {
		log_debug("%s: %s %d exited: directory gone", svc->name, what,
		    (int)pid);
		return;
	}
	/* Its run goes on, our child now; the next supervisor adopts it. */
	log_warnx("%s: %s %d died (%s %d); starting another", svc->name, what,
	    (int)pid, WIFSIGNALED(wstat) ? "signal" : "exit code",
	    WIFSIGNALED(wstat) ? WTERMSIG(wstat) : WEXITSTATUS(wstat));
}

/* Say whether one of svc's supervisors reported run as *key. */
static bool
runs_pid(const struct service *svc, const void *key)
{
	pid_t pid = *(const pid_t *)key;

	return instance_runs(&svc->sup, pid) || instance_runs(&svc->log, pid);
}

/*
 * We reaped an orphan.  If it was a run adopted by a new supervisor
 * (its first supervisor was killed), that supervisor cannot reap it:
 * tell it how it ended ("X", pid, wait status).
 */
void
service_orphan_reaped(pid_t pid, int wstat)
{
	struct service *svc = svtable_find_first(runs_pid, &pid);
	int32_t fields[2] = {(int32_t)pid, (int32_t)wstat};
	char msg[1 + sizeof fields];

	if (svc == NULL)
		return;
	msg[0] = 'X';
	memcpy(msg + 1, fields, sizeof fields);
	instance_send(instance_runs(&svc->sup, pid) ? &svc->sup : &svc->log,
	    msg, sizeof msg);
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

	if (gone->foreign || !gone->have_status || gone->status.pid <= 0 ||
	    gone->status.finishing)
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
	struct instance gone = *in;

	if (!instance_exited(in)) {
		log_unexpected(svc, in == &svc->log, &gone, pid, wstat);
		note_orphan(in, &gone);
		if (svc->foreign)
			deadline_in_ms(&in->deadline, RETRY_MS);
	} else if (gone.runpgid > 0) {
		/* Stopped for good: what its run left in its process group
		 * (a "sleep &" holding the log pipe) goes with it. */
		kill(-gone.runpgid, SIGTERM);
		kill(-gone.runpgid, SIGCONT);
	}

	service_reconcile(svc); /* may free svc */

	svtable_foreach(retry_blocked);
}

/* Act on the deadlines of the service and its supervisors. */
void
service_deadline(struct service *svc, const struct timespec *now)
{
	bool again = instance_deadline(&svc->sup, now);

	again |= instance_deadline(&svc->log, now);
	if (deadline_passed(&svc->deadline, now)) {
		deadline_never(&svc->deadline);
		again = true;
	}
	again |= deadline_passed(&svc->log_settle, now);
	if (deadline_passed(&svc->quiet, now)) {
		deadline_never(&svc->quiet);
		again = true;
	}

	if (again)
		service_reconcile(svc);
}

/* Fold the service's deadlines into *earliest. */
void
service_fold_deadline(struct service *svc, struct deadline *earliest)
{
	deadline_earliest(earliest, &svc->deadline);
	deadline_earliest(earliest, &svc->log_settle);
	deadline_earliest(earliest, &svc->quiet);

	deadline_earliest(earliest, &svc->sup.deadline);
	deadline_earliest(earliest, &svc->log.deadline);
}

/* SIGKILL the service (at the end of the shutdown's grace time). */
void
service_kill(struct service *svc)
{
	instance_kill_service(&svc->sup);
}

/* SIGKILL the service's supervisor, when it did not exit in time. */
void
service_kill_supervisor(struct service *svc)
{
	instance_kill_supervisor(&svc->sup);
}

/* SIGKILL the logger and its supervisor (the shutdown's last word). */
void
service_kill_logger(struct service *svc)
{
	instance_kill_service(&svc->log);
	instance_kill_supervisor(&svc->log);
}

/* Send a signal to the service's run, if it is up (not to its logger). */
void
service_signal_run(struct service *svc, int sig)
{
	instance_signal_run(&svc->sup, sig);
}
