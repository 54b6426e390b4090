/*
 * The service table: services chained in two hashes, by name and by the
 * inotify watch descriptor of their directory.  It grows as the scan
 * directory does; an allocation failure leaves the table as it was
 * (hotsv-scan may be PID 1, which must not die of it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scanner.h"

static struct service **hotsv_buckets;
static struct service **hotsv_wd_buckets;
static size_t hotsv_nbuckets;
static size_t hotsv_count;

/* Hash a name (FNV-1a). */
static size_t
name_hash(const char *name)
{
	uint64_t hash = 14695981039346656037ull;

	for (; *name != '\0'; name++)
		hash = (hash ^ (unsigned char)*name) * 1099511628211ull;
	return (size_t)hash;
}

/* Find a service by name. */
struct service *
svtable_find(const char *name)
{
	struct service *svc;

	if (hotsv_nbuckets == 0)
		return NULL;
	for (svc = hotsv_buckets[name_hash(name) % hotsv_nbuckets]; svc != NULL;
	     svc = svc->hash_next)
		if (strcmp(svc->name, name) == 0)
			return svc;
	return NULL;
}

/* Double the buckets when the table is full; keep them if out of memory. */
static void
grow(void)
{
	size_t nbuckets = hotsv_nbuckets == 0 ? 64 : hotsv_nbuckets * 2;
	struct service **buckets = calloc(nbuckets, sizeof *buckets);
	struct service **wd_buckets = calloc(nbuckets, sizeof *wd_buckets);

	if (buckets == NULL || wd_buckets == NULL) {
		free(buckets);
		free(wd_buckets);
		return;
	}
	for (size_t i = 0; i < hotsv_nbuckets; i++) {
		struct service *svc = hotsv_buckets[i], *next;

		for (; svc != NULL; svc = next) {
			size_t slot = name_hash(svc->name) % nbuckets;

			next = svc->hash_next;
			svc->hash_next = buckets[slot];
			buckets[slot] = svc;
			if (svc->watch_wd >= 0) {
				slot = (size_t)svc->watch_wd % nbuckets;
				svc->wd_next = wd_buckets[slot];
				wd_buckets[slot] = svc;
			}
		}
	}
	free(hotsv_buckets);
	free(hotsv_wd_buckets);
	hotsv_buckets = buckets;
	hotsv_wd_buckets = wd_buckets;
	hotsv_nbuckets = nbuckets;
}

/* Add a service with nothing running; NULL (logged) if out of memory. */
struct service *
svtable_add(const char *name)
{
	struct service *svc;
	size_t slot;

	if (hotsv_count >= hotsv_nbuckets)
		grow();
	svc = calloc(1, sizeof *svc);
	if (svc != NULL)
		svc->name = strdup(name);
	if (hotsv_nbuckets == 0 || svc == NULL || svc->name == NULL) {
		log_warn("cannot track service %s", name);
		if (svc != NULL)
			free(svc->name);
		free(svc);
		return NULL;
	}
	instance_init(&svc->sup, svc);
	instance_init(&svc->log, svc);
	svc->pipe_r = svc->pipe_w = -1;
	svc->watch_wd = -1;
	deadline_never(&svc->deadline);
	deadline_never(&svc->log_settle);
	slot = name_hash(name) % hotsv_nbuckets;
	svc->hash_next = hotsv_buckets[slot];
	hotsv_buckets[slot] = svc;
	hotsv_count++;
	return svc;
}

/* Unlink a service from the table and free it. */
void
svtable_remove(struct service *svc)
{
	struct service **link =
	    &hotsv_buckets[name_hash(svc->name) % hotsv_nbuckets];

	while (*link != svc)
		link = &(*link)->hash_next;
	*link = svc->hash_next;
	svtable_set_wd(svc, -1);
	hotsv_count--;
	free(svc->name);
	free(svc);
}

/* Call fn on every service; fn may remove the service it is given. */
void
svtable_foreach(void (*fn)(struct service *))
{
	for (size_t i = 0; i < hotsv_nbuckets; i++) {
		struct service *svc = hotsv_buckets[i], *next;

		for (; svc != NULL; svc = next) {
			next = svc->hash_next;
			fn(svc);
		}
	}
}

/* How many services are tracked. */
size_t
svtable_count(void)
{
	return hotsv_count;
}

/* Find the first service for which match says yes. */
struct service *
svtable_find_first(
    bool (*match)(const struct service *, const void *), const void *key)
{
	for (size_t i = 0; i < hotsv_nbuckets; i++)
		for (struct service *svc = hotsv_buckets[i]; svc != NULL;
		     svc = svc->hash_next)
			if (match(svc, key))
				return svc;
	return NULL;
}

/* Say whether svc's supervisor has the pid *key. */
static bool
has_pid(const struct service *svc, const void *key)
{
	pid_t pid = *(const pid_t *)key;

	return svc->sup.pid == pid || svc->log.pid == pid;
}

/* Find the service whose supervisor has this pid. */
struct service *
svtable_find_pid(pid_t pid)
{
	return svtable_find_first(has_pid, &pid);
}

/* Say whether a supervisor runs for the directory identified by *key. */
static bool
runs_directory(const struct service *svc, const void *key)
{
	const struct svc_id *id = key;

	return svc->sup.pid > 0 && svc->run_id.dev == id->dev &&
	    svc->run_id.ino == id->ino;
}

/* Find the service whose supervisor runs this directory, if any. */
struct service *
svtable_find_running(const struct svc_id *id)
{
	return svtable_find_first(runs_directory, id);
}

/* Say whether a service's own supervisor runs (loggers aside). */
static bool
runs_service(const struct service *svc, const void *key)
{
	return instance_running(&svc->sup);
}

/* Say whether any service (not counting loggers) is still running. */
bool
svtable_any_service_running(void)
{
	return svtable_find_first(runs_service, NULL) != NULL;
}

/* Find the service whose directory has this watch descriptor. */
struct service *
svtable_find_wd(int wd)
{
	struct service *svc;

	if (hotsv_nbuckets == 0 || wd < 0)
		return NULL;
	for (svc = hotsv_wd_buckets[(size_t)wd % hotsv_nbuckets]; svc != NULL;
	     svc = svc->wd_next)
		if (svc->watch_wd == wd)
			return svc;
	return NULL;
}

/* Record the watch descriptor of a service's directory (-1: none). */
void
svtable_set_wd(struct service *svc, int wd)
{
	struct service **link;

	if (svc->watch_wd >= 0) {
		link =
		    &hotsv_wd_buckets[(size_t)svc->watch_wd % hotsv_nbuckets];
		while (*link != NULL && *link != svc)
			link = &(*link)->wd_next;
		if (*link == svc)
			*link = svc->wd_next;
	}
	svc->watch_wd = wd;
	svc->wd_next = NULL;
	if (wd >= 0) {
		link = &hotsv_wd_buckets[(size_t)wd % hotsv_nbuckets];
		svc->wd_next = *link;
		*link = svc;
	}
}
