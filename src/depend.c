/*
 * Start-up order.  A service whose directory holds "dependencies" is
 * started held: its supervisor is up, but run waits until every named
 * service is ready (or up, when it has no readiness).  At shutdown and on
 * removal, a service stops only after the services that depend on it
 * and are stopping too are down.  Services in a dependency cycle are
 * reported once and started without waiting.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deps.h"
#include "log.h"
#include "scanner.h"
#include "svdir.h"

/* The dependencies file may be longer than the one-value files. */
#define DEPS_FILE_MAX 8192

static size_t hotsv_with_deps;  /* services that have dependencies */
static unsigned int hotsv_mark; /* generation of the cycle search */

/* Forget a service's dependencies. */
void
depend_free(struct service *svc)
{
	if (svc->ndeps > 0)
		hotsv_with_deps--;
	while (svc->ndeps > 0)
		free(svc->deps[--svc->ndeps]);
	svc->waiting_for = NULL;
}

/* Say whether dep (a name) is a dependency of svc. */
static bool
depends_on(const struct service *svc, const char *dep)
{
	for (int i = 0; i < svc->ndeps; i++)
		if (strcmp(svc->deps[i], dep) == 0)
			return true;
	return false;
}

/* Say whether following dependencies from svc leads to target. */
static bool
leads_to(struct service *svc, const struct service *target)
{
	if (svc->mark == hotsv_mark)
		return false;
	svc->mark = hotsv_mark;
	for (int i = 0; i < svc->ndeps; i++) {
		struct service *dep = svtable_find(svc->deps[i]);

		if (dep == target || (dep != NULL && leads_to(dep, target)))
			return true;
	}
	return false;
}

/* Say whether from's dependency on depname closes a cycle (ignored). */
static bool
closes_cycle(const struct service *from, const char *depname)
{
	struct service *dep = svtable_find(depname);

	if (!from->in_cycle || dep == NULL || !dep->in_cycle)
		return false;
	hotsv_mark++;
	return dep == from || leads_to(dep, from);
}

static const char *first_unready(const struct service *);

/* Find out (again) whether a service is in a cycle; say so once. */
static void
check_cycle(struct service *svc)
{
	bool was = svc->in_cycle;

	svc->in_cycle = false;
	if (svc->ndeps == 0)
		return;
	hotsv_mark++;
	for (int i = 0; i < svc->ndeps && !svc->in_cycle; i++) {
		struct service *dep = svtable_find(svc->deps[i]);

		svc->in_cycle =
		    dep == svc || (dep != NULL && leads_to(dep, svc));
	}
	if (svc->in_cycle && !was)
		log_warnx("%s: its dependencies lead back to it (a cycle): "
		          "not waiting for those in the cycle",
		    svc->name);
}

/*
 * Read the dependencies and readiness of a service about to start, from
 * its directory dirfd (dir is its name, for messages).  Returns whether
 * its supervisor must start held (1 or 0), or -1 when the file cannot be
 * read for want of descriptors or memory: that says nothing about the
 * file, so the start is tried again later.
 */
int
depend_load(struct service *svc, int dirfd, const char *dir)
{
	char buf[DEPS_FILE_MAX];
	const char *why = NULL;
	size_t len = 0;
	int r;

	depend_free(svc);
	svc->has_readiness = svdir_has_readiness_at(dirfd);
	r = svfile_read_at(dirfd, "dependencies", buf, sizeof buf, &len, &why);
	if (r < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOMEM))
		return -1;
	if (r > 0)
		r = deps_parse(buf, len, svc->deps, DEPS_MAX, &why);
	if (r < 0)
		log_warnx(
		    "%s/dependencies: %s; starting without waiting", dir, why);
	svc->ndeps = r > 0 ? r : 0;
	if (svc->ndeps > 0)
		hotsv_with_deps++;
	svtable_foreach(check_cycle);
	/* In a cycle: held only by dependencies outside it. */
	return svc->ndeps > 0 && (!svc->in_cycle || first_unready(svc) != NULL);
}

/* Say whether a service is ready for those that depend on it. */
static bool
is_ready(const struct service *dep)
{
	const struct sv_status *st = &dep->sup.status;

	return dep->wanted && instance_running(&dep->sup) &&
	    dep->sup.have_status && st->pid > 0 && !st->finishing &&
	    (st->ready || !dep->has_readiness);
}

/* The first dependency that is not ready, or NULL. */
static const char *
first_unready(const struct service *svc)
{
	for (int i = 0; i < svc->ndeps; i++) {
		struct service *dep = svtable_find(svc->deps[i]);

		if (closes_cycle(svc, svc->deps[i]))
			continue;
		if (dep == NULL || !is_ready(dep))
			return svc->deps[i];
	}
	return NULL;
}

/* Release a held service whose dependencies are ready. */
static void
release_if_ready(struct service *svc)
{
	const char *waiting;

	if (!svc->held || !instance_running(&svc->sup))
		return;
	waiting = first_unready(svc);
	if (waiting == NULL) {
		if (instance_send(&svc->sup, "G", 1))
			svc->held = false;
		return;
	}
	if (svc->waiting_for == NULL ||
	    strcmp(svc->waiting_for, waiting) != 0) {
		char msg[300];
		int len = snprintf(msg, sizeof msg, "W%s", waiting);

		if (instance_send(&svc->sup, msg, (size_t)len))
			svc->waiting_for = waiting;
	}
}

/* Something changed: release every held service that can go now. */
void
depend_update(void)
{
	if (hotsv_with_deps > 0)
		svtable_foreach(release_if_ready);
}

/* Say whether other is stopping, still up, and depends on *key. */
static bool
stopping_dependent(const struct service *other, const void *key)
{
	const struct service *svc = key;

	return !other->wanted && instance_running(&other->sup) &&
	    depends_on(other, svc->name) && !closes_cycle(other, svc->name);
}

/*
 * Say whether svc must wait before it stops: a service that depends on
 * it is being stopped too and is not down yet.
 */
bool
depend_blocks_stop(const struct service *svc)
{
	if (hotsv_with_deps == 0)
		return false;
	return svtable_find_first(stopping_dependent, svc) != NULL;
}
