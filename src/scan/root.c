/*
 * Following SCANDIR: its descriptor (held while it is followed), its
 * inotify watch, what its events mean, and what happens when it goes
 * away (every service is removed, and its parent is watched until it
 * comes back) or when events are lost (a full rescan).  Where inotify
 * cannot be used, SCANDIR is polled: read again every second (or every
 * -t), which then does all that events do.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/controldir.h"
#include "scan/scan.h"
#include "scan/watch.h"

#define ROOT_EVENTS                                            \
	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
	    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define PARENT_EVENTS (IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)
/*
 * In the parent while SCANDIR is followed: SCANDIR itself going away.
 * Our descriptors open in .hotsv pin SCANDIR's dentry, so its rmdir sends
 * IN_DELETE_SELF only once they are closed; the parent hears of it at
 * once (IN_DELETE).
 */
#define PARENT_GONE_EVENTS (IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR)
#define POLL_MS 1000

static bool hotsv_poll_due; /* the rescan due is a periodic one */

/* How often to poll: -t, else every second. */
static unsigned long
poll_ms(void)
{
	return hotsv_scanner.rescan_ms > 0 ? hotsv_scanner.rescan_ms : POLL_MS;
}

/* Fall back to polling SCANDIR, with one warning. */
static void
start_polling(const char *why)
{
	struct scanner *sc = &hotsv_scanner;

	if (!sc->polling)
		log_warnx("%s: rescanning %s every %lu ms", why, sc->scandir,
		    poll_ms());
	sc->polling = true;
	deadline_in_ms(&sc->rescan_at, poll_ms());
}

/* Start inotify (again) if it is not running. */
static bool
ensure_inotify(void)
{
	char why[128];

	if (watch_fd() >= 0)
		return true;
	if (watch_start() >= 0)
		return true;
	snprintf(why, sizeof why, "inotify unavailable (%s)", strerror(errno));
	start_polling(why);
	return false;
}

/* Watch SCANDIR's parent for these events. */
static void
watch_parent(unsigned int events)
{
	struct scanner *sc = &hotsv_scanner;
	char buf[PATH_MAX];
	const char *parent;

	snprintf(buf, sizeof buf, "%s", sc->scandir);
	parent = dirname(buf);
	/* "/" is its own parent: a second mask would replace the first. */
	if (strcmp(parent, sc->scandir) != 0)
		sc->parent_wd = watch_add(parent, events);
}

/* Say whether an event in the parent names SCANDIR. */
static bool
names_scandir(const struct inotify_event *ev)
{
	const char *base = strrchr(hotsv_scanner.scandir, '/');

	return ev->len > 0 && base != NULL && strcmp(ev->name, base + 1) == 0;
}

/* Take SCANDIR's control directory: its lock and its control FIFO. */
static bool
take_control(void)
{
	struct scanner *sc = &hotsv_scanner;

	if (sc->ctlfd >= 0)
		return true;
	if (!scanctl_dir(sc->scandir, sc->statedir, sc->ctldir))
		return false;
	sc->ctlfd = scanctl_open(sc->ctldir, sc->scandir, &sc->lockfd);
	sc->lock_busy = sc->ctlfd < 0 && errno == EWOULDBLOCK;
	if (sc->ctlfd >= 0)
		return true;
	if (sc->lock_busy)
		log_warnx("%s is already scanned by another hotsv-scan "
		          "(%s/lock is held)",
		    sc->scandir, sc->ctldir);
	else
		log_warn("open %s/control", sc->ctldir);
	return false;
}

/* Release the control directory of a SCANDIR that went away. */
static void
drop_control(void)
{
	struct scanner *sc = &hotsv_scanner;

	if (sc->ctlfd >= 0)
		close(sc->ctlfd);
	if (sc->lockfd >= 0)
		close(sc->lockfd);
	sc->ctlfd = sc->lockfd = -1;
}

/* Let go of SCANDIR's descriptor. */
static void
close_scandir(void)
{
	if (hotsv_scanner.scanfd >= 0)
		close(hotsv_scanner.scanfd);
	hotsv_scanner.scanfd = -1;
}

/*
 * Follow SCANDIR: control directory, watch, full scan.  Returns false
 * when SCANDIR is not there (or another scanner owns it).
 */
bool
scanroot_attach(void)
{
	struct scanner *sc = &hotsv_scanner;

	if (sc->scanfd < 0)
		sc->scanfd =
		    open(sc->scandir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc->scanfd < 0 || !take_control()) {
		close_scandir();
		return false;
	}
	if (ensure_inotify()) {
		sc->root_wd = watch_add(sc->scandir, ROOT_EVENTS);
		if (sc->root_wd < 0)
			start_polling(strerror(errno));
		else
			sc->polling = false;
		watch_parent(PARENT_GONE_EVENTS);
	}
	sc->attached = true;
	sc->root_lost = false;
	sc->rescan_due = false;
	return scan_all(false);
}

/* Stop following SCANDIR (at shutdown): services are no longer added. */
void
scanroot_detach(void)
{
	struct scanner *sc = &hotsv_scanner;

	watch_stop();
	target_unwatch_all();
	sc->root_wd = sc->parent_wd = -1;
	sc->attached = false;
	sc->polling = false;
	deadline_never(&sc->rescan_at);
}

/* Forget a service's watches: it watches again at its next reconcile. */
static void
clear_service_watch(struct service *svc, void *arg)
{
	for (int w = 0; w < WATCH_SLOTS; w++)
		svtable_set_wd(svc, (enum watch_slot)w, -1);
}

/* Start libinotifytools afresh after lost events or leaked watches. */
static void
reset_inotify(void)
{
	struct scanner *sc = &hotsv_scanner;

	log_debug("resetting inotify");
	watch_stop();
	svtable_foreach(clear_service_watch, NULL);
	target_unwatch_all();
	sc->root_wd = sc->parent_wd = -1;
	sc->reset_due = false;
	if (sc->attached && ensure_inotify()) {
		sc->root_wd = watch_add(sc->scandir, ROOT_EVENTS);
		if (sc->root_wd < 0)
			start_polling(strerror(errno));
		watch_parent(PARENT_GONE_EVENTS);
	}
	sc->rescan_due = true;
}

/* Watch SCANDIR's parent until SCANDIR is there (or poll for it). */
void
scanroot_wait(void)
{
	struct scanner *sc = &hotsv_scanner;

	watch_stop();
	svtable_foreach(clear_service_watch, NULL);
	target_unwatch_all();
	sc->root_wd = sc->parent_wd = -1;
	if (ensure_inotify())
		watch_parent(PARENT_EVENTS);
	if (sc->parent_wd < 0)
		start_polling("cannot watch the parent directory");
	log_info("waiting for %s", sc->scandir);
	/* Made again before the watch was there: no event will say so. */
	if (access(sc->scandir, F_OK) == 0)
		deadline_in_ms(&sc->rescan_at, 0);
}

/* Remove one service (for svtable_foreach). */
static void
unwant_each(struct service *svc, void *arg)
{
	service_unwant(svc);
}

/* SCANDIR went away: stop everything and wait for it to come back. */
static void
root_gone(void)
{
	struct scanner *sc = &hotsv_scanner;

	log_warnx("%s went away: stopping every service until it is back",
	    sc->scandir);
	sc->attached = false;
	sc->root_lost = false;
	drop_control();
	close_scandir();
	svtable_foreach(unwant_each, NULL);
	target_sweep(0);
	scanroot_wait();
}

/* Handle one inotify event. */
static void
on_event(const struct inotify_event *ev)
{
	struct scanner *sc = &hotsv_scanner;
	enum watch_slot slot;
	struct service *svc;

	if (ev->wd < 0 || (ev->mask & IN_Q_OVERFLOW)) {
		log_warnx("inotify queue overflow: rescanning %s", sc->scandir);
		sc->reset_due = true;
		return;
	}
	/* A symlink entry may wait through any watch (even SCANDIR's). */
	target_event(ev->wd);
	if (ev->wd == sc->root_wd) {
		if (ev->mask &
		    (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED))
			sc->root_lost = true;
		else if (ev->len > 0 && ev->name[0] == '.')
			sc->rescan_due = true; /* a ConfigMap's ..data swap */
		else if (ev->len > 0 && !sc->root_lost)
			scan_entry(ev->name,
			    (ev->mask & IN_CREATE) != 0 ? SCAN_FRESH : 0);
		return;
	}
	if (ev->wd == sc->parent_wd) {
		if (!sc->attached)
			sc->rescan_due = true; /* maybe SCANDIR is back */
		else if ((ev->mask & PARENT_GONE_EVENTS & ~IN_ONLYDIR) &&
		    names_scandir(ev))
			sc->root_lost = true; /* not a waiting entry's event */
		return;
	}
	while ((ev->mask & IN_IGNORED) &&
	    (svc = svtable_find_wd(ev->wd, &slot)) != NULL) {
		svtable_set_wd(svc, slot, -1);
		service_reconcile(svc);
	}
	svc = svtable_find_wd(ev->wd, &slot);
	if (svc != NULL) {
		service_feed(svc, SE_TOUCHED, (struct svc_arg){0});
		service_reconcile(svc);
	}
}

/* Act on waiting inotify events, then on what they left to do. */
void
scanroot_events(void)
{
	struct scanner *sc = &hotsv_scanner;

	watch_drain(on_event);
	service_reconcile_queued();
	if (sc->root_lost)
		root_gone();
	if (sc->reset_due)
		reset_inotify();
	if (sc->rescan_due && !sc->shutting_down) {
		sc->rescan_due = false;
		if (sc->attached)
			scan_all(hotsv_poll_due);
		else if (scanroot_attach())
			log_info("%s is back: scanning it", sc->scandir);
	}
	hotsv_poll_due = false;
}

/*
 * Say whether SCANDIR is still there: its name leads to a directory, and
 * the one we hold was not removed.
 */
static bool
scandir_there(void)
{
	struct stat sb;

	return access(hotsv_scanner.scandir, F_OK) == 0 &&
	    fstat(hotsv_scanner.scanfd, &sb) == 0 && sb.st_nlink > 0;
}

/* The periodic rescan (-t, or polling without inotify). */
void
scanroot_tick(const struct timespec *now)
{
	struct scanner *sc = &hotsv_scanner;

	if (!deadline_passed(&sc->rescan_at, now))
		return;
	deadline_never(&sc->rescan_at);
	if (sc->polling || sc->rescan_ms > 0)
		deadline_in_ms(&sc->rescan_at, poll_ms());
	if (sc->attached && !scandir_there())
		sc->root_lost = true;
	else
		sc->rescan_due = hotsv_poll_due = true;
	scanroot_events();
}
