/*
 * Entries whose target is not there yet: a symbolic link in SCANDIR that
 * leads nowhere (ln -s /srv/later scan/z, then /srv/later/run appears).
 * Each is watched through the nearest existing ancestor of where it
 * leads; anything created there makes the scanner look at the entry
 * again, until it resolves.  Without inotify, the periodic scan looks.
 * One line says what the entry waits for.  There are few such entries:
 * a list will do.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/scan.h"
#include "scan/watch.h"

/* What creates the missing part of the path in its nearest ancestor. */
#define TARGET_EVENTS \
	(IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR | IN_MASK_ADD)

struct target {
	char *name;          /* the entry in SCANDIR */
	char *awaited;       /* where it leads (absolute), as last said */
	int wd;              /* watch on the nearest existing ancestor */
	unsigned int seen;   /* scan generation that last saw it dangle */
	bool due;            /* an event asks for another look */
	struct target *next; /* the next entry waiting */
};

static struct target *hotsv_targets;

/* Find the waiting entry name, or NULL. */
static struct target *
find(const char *name)
{
	struct target *t = hotsv_targets;

	while (t != NULL && strcmp(t->name, name) != 0)
		t = t->next;
	return t;
}

/*
 * Say whether a watch descriptor is in use by anything of ours: SCANDIR
 * or its parent, a service, a waiting entry.  Two names can lead to one
 * directory, and inotify gives both one watch.
 */
bool
target_wd_in_use(int wd)
{
	struct scanner *sc = &hotsv_scanner;
	enum watch_slot slot;

	if (wd == sc->root_wd || wd == sc->parent_wd ||
	    svtable_find_wd(wd, &slot) != NULL)
		return true;
	for (struct target *t = hotsv_targets; t != NULL; t = t->next)
		if (t->wd == wd)
			return true;
	return false;
}

/* Stop the entry's watch, unless something else uses it too. */
static void
unwatch(struct target *t)
{
	int wd = t->wd;

	t->wd = -1;
	if (wd >= 0 && !target_wd_in_use(wd))
		watch_remove(wd);
}

/*
 * Where the link name leads, made absolute (relative to SCANDIR) in
 * buf; false if it cannot be read.
 */
static bool
read_link(const char *name, char *buf, size_t size)
{
	char text[PATH_MAX];
	ssize_t len =
	    readlinkat(hotsv_scanner.scanfd, name, text, sizeof text - 1);

	if (len <= 0)
		return false;
	text[len] = '\0';
	if (text[0] == '/')
		return (size_t)snprintf(buf, size, "%s", text) < size;
	return (size_t)snprintf(
	           buf, size, "%s/%s", hotsv_scanner.scandir, text) < size;
}

/* Cut path back to its nearest existing ancestor directory. */
static void
nearest_existing(char *path)
{
	struct stat sb;
	char *slash;

	while (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		slash = strrchr(path, '/');
		if (slash == NULL || slash == path) {
			strcpy(path, "/");
			return;
		}
		*slash = '\0';
	}
}

/*
 * Watch the nearest existing ancestor of where t leads.  A part of the
 * path made while the watch moved would go unseen: look again until the
 * ancestor watched is still the nearest, and ask for a full scan if the
 * whole path is there by then.
 */
static void
watch_ancestor(struct target *t)
{
	char watched[PATH_MAX] = "", now[PATH_MAX];

	if (watch_fd() < 0)
		return;
	for (;;) {
		snprintf(now, sizeof now, "%s", t->awaited);
		nearest_existing(now);
		if (strcmp(now, watched) == 0)
			break;
		snprintf(watched, sizeof watched, "%s", now);
		unwatch(t);
		t->wd = watch_add(watched, TARGET_EVENTS);
	}
	if (strcmp(watched, t->awaited) == 0)
		hotsv_scanner.rescan_due = true;
}

/*
 * The entry name is a symbolic link that leads nowhere yet: say once
 * what it waits for, and watch for it to appear.
 */
void
target_wait(const char *name, unsigned int generation)
{
	char awaited[PATH_MAX];
	struct target *t = find(name);

	if (!read_link(name, awaited, sizeof awaited))
		return;
	if (t == NULL) {
		t = calloc(1, sizeof *t);
		if (t == NULL || (t->name = strdup(name)) == NULL) {
			free(t);
			return;
		}
		t->wd = -1;
		t->next = hotsv_targets;
		hotsv_targets = t;
	}
	t->seen = generation;
	if (t->awaited == NULL || strcmp(t->awaited, awaited) != 0) {
		free(t->awaited);
		t->awaited = strdup(awaited);
		if (t->awaited == NULL)
			return;
		log_info("%s: waiting for %s, where it leads, to appear", name,
		    awaited);
	}
	watch_ancestor(t);
}

/* Unlink t from the list and free it. */
static void
drop(struct target *t)
{
	struct target **link = &hotsv_targets;

	while (*link != t)
		link = &(*link)->next;
	*link = t->next;
	unwatch(t);
	free(t->name);
	free(t->awaited);
	free(t);
}

/* The entry resolves now, or is gone: stop waiting for it. */
void
target_forget(const char *name)
{
	struct target *t = find(name);

	if (t != NULL)
		drop(t);
}

/* Forget the waiting entries a full scan (generation) did not see. */
void
target_sweep(unsigned int generation)
{
	struct target *t = hotsv_targets, *next;

	for (; t != NULL; t = next) {
		next = t->next;
		if (t->seen != generation)
			drop(t);
	}
}

/*
 * An inotify event on wd: look again (the scanner's look_at_entry) at
 * every entry that waits through it (looking may drop them, so pick them
 * one at a time).  Returns whether there was one.
 */
bool
target_event(int wd)
{
	char name[NAME_MAX + 1];
	bool any = false;
	struct target *t;

	for (t = hotsv_targets; t != NULL; t = t->next)
		t->due = t->wd == wd;
	for (;;) {
		for (t = hotsv_targets; t != NULL && !t->due; t = t->next)
			;
		if (t == NULL)
			return any;
		t->due = false;
		any = true;
		snprintf(name, sizeof name, "%s", t->name);
		/* Made in place, most likely: let it settle. */
		hotsv_scanner.look_at_entry(name, SCAN_FRESH);
	}
}

/* inotify was started afresh: every watch is gone. */
void
target_unwatch_all(void)
{
	for (struct target *t = hotsv_targets; t != NULL; t = t->next)
		t->wd = -1;
}
