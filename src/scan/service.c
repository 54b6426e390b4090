/*
 * One service in the scanner: while its directory is there, keep one
 * hotsv-supervise running for it, and one for its logger when it has
 * log/ (servicelog.c).  Once the directory is gone, stop the service
 * first, then let the logger read what is left and exit.  A replaced
 * directory gets new supervisors only after the old ones have exited, so
 * two copies of a service never run at once.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/scan.h"

/*
 * The service runs for its directory, or for one with the same content
 * that took its place (a ConfigMap swap): its supervisor is handed the
 * new directory.
 */
static void
keep_running(struct service *svc)
{
	if (svc->run_id.dev != svc->want_id.dev ||
	    svc->run_id.ino != svc->want_id.ino)
		instance_send_dir(&svc->sup, svc->dirfd);
	svtable_set_run_id(svc, &svc->want_id);
}

/*
 * Stop what must not run: a service whose directory is gone, replaced
 * or whose output must go elsewhere (log/ came, went or was replaced);
 * then a logger once nothing writes to it any more.
 */
static void
stop_unwanted(struct service *svc, bool same)
{
	bool wanted = svc_life_wanted(&svc->life), keep = wanted && same;
	struct svc_arg arg = {0};

	if (instance_running(&svc->sup)) {
		if (keep && servicelog_fits(svc, svc->sup_kind)) {
			keep_running(svc);
			return;
		}
		/* Gone: its stopping dependents go first. */
		arg.dependents_run =
		    !wanted && depend_stopping_dependent(svc) != NULL;
		if (service_feed(svc, SE_STOP, arg).stop)
			instance_stop(&svc->sup);
		return;
	}
	/* Between two runs of the service, its logger and pipe stay. */
	if (!keep || !servicelog_fits(svc, servicelog_wanted(svc)) ||
	    (svc->pipe_kind != LOG_NONE && svc->pipe_w < 0))
		servicelog_retire(svc);
}

/* Start the logger, then the service, if they should run and can. */
static void
start_wanted(struct service *svc)
{
	char dir[PATH_MAX];
	enum log_kind kind = servicelog_wanted(svc);
	struct svc_arg old = {0};
	int hold;

	if ((size_t)snprintf(dir, sizeof dir, "%s/%s", hotsv_scanner.scandir,
	        svc->name) >= sizeof dir)
		return;
	service_watch(svc, WATCH_DIR, svc->dirfd, dir);
	/* Created in place and not quiet yet, or found by a poll and not
	 * seen twice the same. */
	if (svc_life_settling(&svc->life) || !servicelog_ready(svc, dir))
		return;
	if (instance_running(&svc->sup) || deadline_is_set(&svc->sup.deadline))
		return;
	/* Renamed in SCANDIR: wait for the old name's supervisor to go. */
	old.old_runs = svtable_find_running(&svc->want_id) != NULL;
	service_feed(svc, SE_OLD_NAME, old);
	if (svc->life.phase == SP_RENAMED)
		return;
	if (instance_inherit(&svc->sup, svc->dirfd)) {
		/*
		 * It supervises this very directory: its run is the one we
		 * want, to be adopted, not stopped at the next reconcile as a
		 * run of another directory would be.
		 */
		svc->sup_kind = kind;
		svtable_set_run_id(svc, &svc->want_id);
		/* A kept one may hold its run until its dependencies are up. */
		if (svc->sup.lc.kind == CHILD_KEPT)
			instance_hold(
			    &svc->sup, depend_load(svc, svc->dirfd, dir) == 1);
		return;
	}
	/* A logger an earlier scanner left reads a pipe we do not hold. */
	if (kind != LOG_NONE && svc->pipe_w < 0) {
		servicelog_retire(svc);
		return;
	}
	if (!servicedir_run_ready(svc->dirfd))
		return;
	if (svc->want_id.symlink && svc->want_id.fingerprint == 0)
		svc->want_id.fingerprint = servicedir_fingerprint(svc->dirfd);
	hold = depend_load(svc, svc->dirfd, dir);
	if (hold < 0) {
		instance_start_failed(&svc->sup, "read the dependencies", dir);
		return;
	}
	if (instance_start(&svc->sup, svc->dirfd, dir, -1,
	        kind != LOG_NONE ? svc->pipe_w : -1,
	        (hold ? INSTANCE_HOLD : 0) |
	            (kind == LOG_PREFIX ? INSTANCE_JOIN_STDERR : 0))) {
		svc->sup_kind = kind;
		svtable_set_run_id(svc, &svc->want_id);
	}
}

/*
 * Its entry could not be opened (out of descriptors): look at it again
 * now, unless the scanner is letting go of everything.
 */
static bool
resolve_again(struct service *svc)
{
	char name[NAME_MAX + 1];

	if (svc->life.phase != SP_UNRESOLVED || hotsv_scanner.shutting_down ||
	    !hotsv_scanner.attached)
		return false;
	snprintf(name, sizeof name, "%s", svc->name);
	hotsv_scanner.look_at_entry(name, 0); /* may free svc */
	service_reconcile_queued();
	return true;
}

/* Bring what runs in line with what the directory says. */
void
service_reconcile(struct service *svc)
{
	bool same = svc_id_same(&svc->want_id, &svc->run_id);

	if (resolve_again(svc))
		return;
	servicelog_follow(svc);
	stop_unwanted(svc, same);

	if (instance_running(&svc->sup) || instance_running(&svc->log)) {
		/* A replaced directory starts afresh once all has stopped. */
		if (!same || !svc_life_wanted(&svc->life))
			return;
	} else if (!svc_life_wanted(&svc->life)) {
		service_unwatch(svc);
		depend_free(svc);
		servicelog_close(svc);
		if (svc->dirfd >= 0)
			close(svc->dirfd);
		svtable_remove(svc);
		return;
	}
	start_wanted(svc);
}

/* Bring in line every service an event named, in the order they came. */
void
service_reconcile_queued(void)
{
	struct service *svc;

	while ((svc = svqueue_next()) != NULL)
		service_reconcile(svc); /* may free svc */
}

/* The directory is gone (or we are shutting down): remove the service. */
void
service_unwant(struct service *svc)
{
	service_feed(svc, SE_GONE, (struct svc_arg){0});
	service_reconcile(svc);
}

/* Mark a service as going, without acting yet. */
static void
mark_unwanted(struct service *svc, void *arg)
{
	service_feed(svc, SE_GONE, (struct svc_arg){0});
}

/* Bring one service in line (for svtable_foreach). */
static void
reconcile_each(struct service *svc, void *arg)
{
	service_reconcile(svc);
}

/*
 * Remove every service.  All are marked first, so that each one sees
 * which of its dependents are stopping too and waits for them.
 */
void
service_unwant_all(void)
{
	svtable_foreach(mark_unwanted, NULL);
	svtable_foreach(reconcile_each, NULL);
}

/* Act on the deadlines of the service and its supervisors. */
void
service_deadline(struct service *svc, const struct timespec *now)
{
	bool again = instance_deadline(&svc->sup, now);

	again |= instance_deadline(&svc->log, now);
	if (deadline_passed(&svc->due, now)) {
		deadline_never(&svc->due);
		again |=
		    service_feed(svc, SE_DUE, (struct svc_arg){0}).reconsider;
	}

	if (again)
		service_reconcile(svc);
}

/* Fold the service's deadlines into *earliest. */
void
service_fold_deadline(struct service *svc, struct deadline *earliest)
{
	deadline_earliest(earliest, &svc->due);
	deadline_earliest(earliest, &svc->sup.deadline);
	deadline_earliest(earliest, &svc->log.deadline);
}

/* SIGKILL the service (at the end of the shutdown's grace time). */
void
service_kill(struct service *svc, void *arg)
{
	instance_kill_service(&svc->sup);
}

/*
 * Half the shutdown's grace time is over: a service that waits for its
 * dependents stops now, so that it keeps the other half.
 */
void
service_half_grace(struct service *svc, void *arg)
{
	struct svc_effects fx =
	    service_feed(svc, SE_HALF_GRACE, (struct svc_arg){0});
	const struct service *dependent =
	    fx.say == SP_SAY_REGARDLESS ? depend_stopping_dependent(svc) : NULL;

	if (dependent != NULL)
		log_info("%s: half the grace time is over: stopping it "
		         "although %s, which depends on it, still runs",
		    svc->name, dependent->name);
	if (fx.reconsider)
		service_reconcile(svc);
}

/* SIGKILL the service's supervisor, when it did not exit in time. */
void
service_kill_supervisor(struct service *svc, void *arg)
{
	instance_kill_supervisor(&svc->sup);
}

/* SIGKILL the logger and its supervisor (the shutdown's last word). */
void
service_kill_logger(struct service *svc, void *arg)
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
