/*
 * Start-up order.  A service whose directory holds "dependencies" is
 * started held: its supervisor is up, but run waits until every named
 * service is ready (or up, when it has no readiness).  At shutdown and on
 * removal, a service stops only after the services that depend on it
 * and are stopping too are down; at shutdown, also once half the grace
 * time is over (its life says when: servicephase.c), so that it keeps at
 * least that half to finish.  A
 * dependency cycle is reported once, in one line, and its services are
 * started without waiting for each other.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "scan/scan.h"
#include "sv/dependencies.h"
#include "sv/files.h"

/* The dependencies file may be longer than the one-value files. */
#define DEPS_FILE_MAX 8192
/* The longest line naming a cycle (a longer one ends cut short). */
#define CYCLE_LINE_MAX 1024

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

/*
 * Say whether following dependencies from svc leads to target; if so,
 * each service on the way has its next step in cycle_to.
 */
static bool
leads_to(struct service *svc, const struct service *target)
{
	if (svc->mark == hotsv_mark)
		return false;
	svc->mark = hotsv_mark;
	for (int i = 0; i < svc->ndeps; i++) {
		struct service *dep = svtable_find(svc->deps[i]);

		if (dep == target || (dep != NULL && leads_to(dep, target))) {
			svc->cycle_to = dep;
			return true;
		}
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

/*
 * Say in one line the cycle that the cycle_to steps make from svc,
 * starting from its first name in byte order (the same line whichever
 * member finds it), and mark its members as reported.
 */
static void
report_cycle(struct service *svc)
{
	char line[CYCLE_LINE_MAX];
	struct service *first = svc, *s = svc;
	size_t len = 0;

	do {
		if (strcmp(s->name, first->name) < 0)
			first = s;
		s->cycle_reported = true;
		s = s->cycle_to;
	} while (s != svc);
	s = first;
	do {
		int n =
		    snprintf(line + len, sizeof line - len, "%s -> ", s->name);

		if (n < 0 || (size_t)n >= sizeof line - len)
			break; /* too long: cut short */
		len += (size_t)n;
		s = s->cycle_to;
	} while (s != first);
	snprintf(line + len, sizeof line - len, "%s",
	    s == first ? first->name : "...");
	log_warnx("cycle: %s (started without waiting for each other)", line);
}

/* Find out (again) whether a service is in a cycle; say so once. */
static void
check_cycle(struct service *svc, void *arg)
{
	svc->in_cycle = false;
	hotsv_mark++;
	for (int i = 0; i < svc->ndeps && !svc->in_cycle; i++) {
		struct service *dep = svtable_find(svc->deps[i]);

		svc->in_cycle =
		    dep == svc || (dep != NULL && leads_to(dep, svc));
		if (svc->in_cycle)
			svc->cycle_to = dep;
	}
	if (!svc->in_cycle)
		svc->cycle_reported = false;
	else if (!svc->cycle_reported)
		report_cycle(svc);
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
	bool had_deps = svc->ndeps > 0;
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
	/* A service that has no dependencies, and had none, changes no
	 * cycle: skip the look over all (starting N services would be
	 * N looks over N). */
	if (had_deps || svc->ndeps > 0)
		svtable_foreach(check_cycle, NULL);
	/* In a cycle: held only by dependencies outside it. */
	return svc->ndeps > 0 && (!svc->in_cycle || first_unready(svc) != NULL);
}

/* Say whether a service is ready for those that depend on it. */
static bool
is_ready(const struct service *dep)
{
	return svc_life_wanted(&dep->life) &&
	    instance_serving(&dep->sup, dep->has_readiness);
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
release_if_ready(struct service *svc, void *arg)
{
	const char *waiting;
	struct chan_msg m;

	if (!instance_held(&svc->sup))
		return;
	waiting = first_unready(svc);
	if (waiting == NULL) {
		chan_init(&m, CHAN_GO);
		if (instance_send(&svc->sup, &m))
			instance_hold(&svc->sup, false);
		return;
	}
	if (svc->waiting_for == NULL ||
	    strcmp(svc->waiting_for, waiting) != 0) {
		chan_init(&m, CHAN_WAITING);
		snprintf(m.name, sizeof m.name, "%s", waiting);
		if (instance_send(&svc->sup, &m))
			svc->waiting_for = waiting;
	}
}

/* Something changed: release every held service that can go now. */
void
depend_update(void)
{
	if (hotsv_with_deps > 0)
		svtable_foreach(release_if_ready, NULL);
}

/* Say whether other is stopping, still up, and depends on *key. */
static bool
stopping_dependent(const struct service *other, const void *key)
{
	const struct service *svc = key;

	return !svc_life_wanted(&other->life) &&
	    instance_running(&other->sup) && depends_on(other, svc->name) &&
	    !closes_cycle(other, svc->name);
}

/*
 * A service that depends on svc, is being stopped too and is not down
 * yet (svc stops after it), or NULL.
 */
const struct service *
depend_stopping_dependent(const struct service *svc)
{
	if (hotsv_with_deps == 0)
		return NULL;
	return svtable_find_first(stopping_dependent, svc);
}
