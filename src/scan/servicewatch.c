/*
 * What makes the scanner look at a service again: the inotify watches on
 * its directory (run appearing or being completed, log/ coming or going)
 * and on its log/ while log/run is not ready, and its one deadline, armed
 * as its life (servicephase.c) says.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "scan/scan.h"
#include "scan/watch.h"

/*
 * What the scanner watches in a service directory: run appearing or
 * being completed, and log/ coming or going.
 */
#define SERVICE_EVENTS                                                      \
	(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE | \
	    IN_MOVED_FROM | IN_ONLYDIR)

/*
 * Feed an event (with its facts; whether the service's supervisor runs
 * is filled in here) to the service's life, and arm its deadline as it
 * says.  The other effects are for the caller.
 */
struct svc_effects
service_feed(struct service *svc, enum svc_event ev, struct svc_arg arg)
{
	struct svc_effects fx;

	arg.running = instance_running(&svc->sup);
	svc_life_event(&svc->life, ev, &arg, &fx);
	if (fx.arm_ms >= 0)
		deadline_in_ms(&svc->due, (unsigned long)fx.arm_ms);
	return fx;
}

/* Stop one of the service's watches. */
void
service_unwatch_one(struct service *svc, enum watch_slot slot)
{
	int wd = svc->watches[slot].wd;

	svtable_set_wd(svc, slot, -1);
	/* Two names can lead to one directory, and one watch (a rename). */
	if (wd >= 0 && !target_wd_in_use(wd))
		watch_remove(wd);
}

/* Stop every watch of the service (its directory changed, or went). */
void
service_unwatch(struct service *svc)
{
	service_unwatch_one(svc, WATCH_DIR);
	service_unwatch_one(svc, WATCH_LOG);
}

/*
 * Watch a directory of the service, the one held as dirfd (through
 * /proc/self/fd; by its name dir where there is no /proc).  Without
 * inotify the periodic scan looks; when the watch cannot be added (no
 * watches left), look again in a second.
 */
void
service_watch(
    struct service *svc, enum watch_slot slot, int dirfd, const char *dir)
{
	char held[32];
	int wd;

	if (svc->watches[slot].wd >= 0 || watch_fd() < 0)
		return;
	snprintf(held, sizeof held, "/proc/self/fd/%d", dirfd);
	wd = watch_add(held, SERVICE_EVENTS);
	if (wd < 0 && errno == ENOENT)
		wd = watch_add(dir, SERVICE_EVENTS);
	svtable_set_wd(svc, slot, wd);
	if (wd < 0)
		service_feed(svc, SE_LOOK_AGAIN, (struct svc_arg){0});
}
