/*
 * The service table: services chained in hashes by name, by the inotify
 * watch descriptors of their directories and by the directory their
 * supervisor runs (to find a renamed one's old name), and their
 * supervisors (instances) by pid and by the pid of the run each
 * reported, for the reaper.  It grows as the scan directory does; an
 * allocation failure leaves the table as it was (hotsv-scan may be PID
 * 1, which must not die of it).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "scan/scan.h"

static struct service **hotsv_buckets;
static struct service **hotsv_wd_buckets[WATCH_SLOTS];
static struct instance **hotsv_pid_buckets[PID_SLOTS];
static size_t hotsv_nbuckets;
static size_t hotsv_count;
/* Services by the directory their supervisor runs (run_id). */
static struct service **hotsv_id_buckets;

/* Hash a name (FNV-1a). */
static size_t
name_hash(const char *name)
{
	uint64_t hash = 14695981039346656037ull;

	for (; *name != '\0'; name++)
		hash = (hash ^ (unsigned char)*name) * 1099511628211ull;
	return (size_t)hash;
}

/* Set up an instance with nothing running (out of the pid index). */
void
instance_init(struct instance *in, struct service *owner)
{
	if (in->pid > 0)
		svtable_set_pid(in, 0);
	if (in->run_pid > 0)
		svtable_set_run(in, 0);
	memset(in, 0, sizeof *in);
	in->owner = owner;
	in->reportfd = in->supfd = -1;
	lifecycle_init(&in->lc);
	deadline_never(&in->deadline);
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

/* Hang svc in the watch-descriptor buckets of one slot. */
static void
chain_wd(struct service **buckets, size_t nbuckets, struct service *svc,
    enum watch_slot slot)
{
	size_t at = (size_t)svc->watches[slot].wd % nbuckets;

	svc->watches[slot].next = buckets[at];
	buckets[at] = svc;
}

/* Where an instance keeps its pid of one slot (supervisor or run). */
static pid_t *
slot_pid(struct instance *in, enum pid_slot slot)
{
	return slot == PID_SUPERVISOR ? &in->pid : &in->run_pid;
}

/* Where an instance keeps its next in the same bucket of one slot. */
static struct instance **
slot_next(struct instance *in, enum pid_slot slot)
{
	return &in->pid_next[slot];
}

/* Hang an instance with a pid of slot in that slot's buckets. */
static void
chain_pid(struct instance **buckets, size_t nbuckets, struct instance *in,
    enum pid_slot slot)
{
	pid_t pid = *slot_pid(in, slot);
	size_t at;

	if (pid <= 0)
		return;
	at = (size_t)pid % nbuckets;
	*slot_next(in, slot) = buckets[at];
	buckets[at] = in;
}

/* Hash a directory's identity (device and inode). */
static size_t
id_hash(const struct svc_id *id)
{
	return (size_t)(id->ino ^ ((uint64_t)id->dev * 0x9e3779b97f4a7c15ULL));
}

/* Say whether a service is in the run_id index (started for a dir). */
static bool
id_indexed(const struct service *svc)
{
	return svc->run_id.dev != 0 || svc->run_id.ino != 0;
}

/* Hang svc in the run_id buckets, if it has a run_id. */
static void
chain_id(struct service **buckets, size_t nbuckets, struct service *svc)
{
	size_t at;

	if (!id_indexed(svc))
		return;
	at = id_hash(&svc->run_id) % nbuckets;
	svc->id_next = buckets[at];
	buckets[at] = svc;
}

/* Double the buckets when the table is full; keep them if out of memory. */
static void
grow(void)
{
	size_t nbuckets = hotsv_nbuckets == 0 ? 64 : hotsv_nbuckets * 2;
	struct service **buckets = calloc(nbuckets, sizeof *buckets);
	struct service **wd_buckets[WATCH_SLOTS];
	struct service **id_buckets = calloc(nbuckets, sizeof *id_buckets);
	struct instance **pid_buckets[PID_SLOTS];
	bool ok = buckets != NULL && id_buckets != NULL;

	for (int w = 0; w < WATCH_SLOTS; w++) {
		wd_buckets[w] = calloc(nbuckets, sizeof *wd_buckets[w]);
		ok &= wd_buckets[w] != NULL;
	}
	for (int p = 0; p < PID_SLOTS; p++) {
		pid_buckets[p] = calloc(nbuckets, sizeof *pid_buckets[p]);
		ok &= pid_buckets[p] != NULL;
	}
	if (!ok) {
		free(buckets);
		free(id_buckets);
		for (int p = 0; p < PID_SLOTS; p++)
			free(pid_buckets[p]);
		for (int w = 0; w < WATCH_SLOTS; w++)
			free(wd_buckets[w]);
		return;
	}
	for (size_t i = 0; i < hotsv_nbuckets; i++) {
		struct service *svc = hotsv_buckets[i], *next;

		for (; svc != NULL; svc = next) {
			size_t slot = name_hash(svc->name) % nbuckets;

			next = svc->hash_next;
			svc->hash_next = buckets[slot];
			buckets[slot] = svc;
			chain_id(id_buckets, nbuckets, svc);
			for (int w = 0; w < WATCH_SLOTS; w++)
				if (svc->watches[w].wd >= 0)
					chain_wd(wd_buckets[w], nbuckets, svc,
					    (enum watch_slot)w);
			for (int p = 0; p < PID_SLOTS; p++) {
				chain_pid(pid_buckets[p], nbuckets, &svc->sup,
				    (enum pid_slot)p);
				chain_pid(pid_buckets[p], nbuckets, &svc->log,
				    (enum pid_slot)p);
			}
		}
	}
	free(hotsv_buckets);
	hotsv_buckets = buckets;
	free(hotsv_id_buckets);
	hotsv_id_buckets = id_buckets;
	for (int p = 0; p < PID_SLOTS; p++) {
		free(hotsv_pid_buckets[p]);
		hotsv_pid_buckets[p] = pid_buckets[p];
	}
	for (int w = 0; w < WATCH_SLOTS; w++) {
		free(hotsv_wd_buckets[w]);
		hotsv_wd_buckets[w] = wd_buckets[w];
	}
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
	svc->pipe_r = svc->pipe_w = svc->dirfd = svc->logfd = -1;
	for (int w = 0; w < WATCH_SLOTS; w++)
		svc->watches[w].wd = -1;
	svc_life_init(&svc->life);
	deadline_never(&svc->due);
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
	for (int w = 0; w < WATCH_SLOTS; w++)
		svtable_set_wd(svc, (enum watch_slot)w, -1);
	svtable_set_pid(&svc->sup, 0);
	svtable_set_pid(&svc->log, 0);
	svtable_set_run(&svc->sup, 0);
	svtable_set_run(&svc->log, 0);
	svtable_set_run_id(svc, &(struct svc_id){0});
	if (svc->queued)
		svqueue_forget(svc);
	hotsv_count--;
	free(svc->name);
	free(svc);
}

/*
 * Call fn on every service, with arg; fn may remove the service it is
 * given.
 */
void
svtable_foreach(void (*fn)(struct service *, void *), void *arg)
{
	for (size_t i = 0; i < hotsv_nbuckets; i++) {
		struct service *svc = hotsv_buckets[i], *next;

		for (; svc != NULL; svc = next) {
			next = svc->hash_next;
			fn(svc, arg);
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

/* Find the instance whose pid of slot is pid, or NULL. */
static struct instance *
find_slot(pid_t pid, enum pid_slot slot)
{
	if (hotsv_nbuckets == 0 || pid <= 0)
		return NULL;
	for (struct instance *in =
	         hotsv_pid_buckets[slot][(size_t)pid % hotsv_nbuckets];
	     in != NULL; in = *slot_next(in, slot))
		if (*slot_pid(in, slot) == pid)
			return in;
	return NULL;
}

/* Find the service whose supervisor (or logger's) has this pid. */
struct service *
svtable_find_pid(pid_t pid)
{
	struct instance *in = find_slot(pid, PID_SUPERVISOR);

	return in != NULL ? in->owner : NULL;
}

/* Find the instance whose supervisor reported its run up as pid. */
struct instance *
svtable_find_run(pid_t pid)
{
	return find_slot(pid, PID_RUN);
}

/* Record an instance's pid of slot (0: none) in that slot's index. */
static void
set_slot(struct instance *in, enum pid_slot slot, pid_t pid)
{
	pid_t *now = slot_pid(in, slot);
	struct instance **at;

	if (*now > 0) {
		at = &hotsv_pid_buckets[slot][(size_t)*now % hotsv_nbuckets];
		while (*at != NULL && *at != in)
			at = slot_next(*at, slot);
		if (*at == in)
			*at = *slot_next(in, slot);
	}
	*now = pid;
	*slot_next(in, slot) = NULL;
	chain_pid(hotsv_pid_buckets[slot], hotsv_nbuckets, in, slot);
}

/*
 * Record the pid of an instance's process (0: none), in the pid index.
 * Every change of instance.pid goes through here.
 */
void
svtable_set_pid(struct instance *in, pid_t pid)
{
	set_slot(in, PID_SUPERVISOR, pid);
}

/*
 * Record the pid of the run an instance's supervisor reported up (0:
 * none, or finishing), for the reaper of orphans.  Every change of
 * instance.run_pid goes through here.
 */
void
svtable_set_run(struct instance *in, pid_t pid)
{
	set_slot(in, PID_RUN, pid);
}

/* Find the service whose supervisor runs this directory, if any. */
struct service *
svtable_find_running(const struct svc_id *id)
{
	if (hotsv_nbuckets == 0)
		return NULL;
	for (struct service *svc =
	         hotsv_id_buckets[id_hash(id) % hotsv_nbuckets];
	     svc != NULL; svc = svc->id_next)
		if (svc->sup.pid > 0 && svc->run_id.dev == id->dev &&
		    svc->run_id.ino == id->ino)
			return svc;
	return NULL;
}

/* Record the directory a service's supervisor was started for. */
void
svtable_set_run_id(struct service *svc, const struct svc_id *id)
{
	if (id_indexed(svc)) {
		struct service **link =
		    &hotsv_id_buckets[id_hash(&svc->run_id) % hotsv_nbuckets];

		while (*link != svc)
			link = &(*link)->id_next;
		*link = svc->id_next;
	}
	svc->run_id = *id;
	chain_id(hotsv_id_buckets, hotsv_nbuckets, svc);
}

/* Say whether a service's own supervisor runs (loggers aside). */
static bool
runs_service(const struct service *svc, const void *key)
{
	return lifecycle_running(&svc->sup.lc);
}

/* Say whether any service (not counting loggers) is still running. */
bool
svtable_any_service_running(void)
{
	return svtable_find_first(runs_service, NULL) != NULL;
}

/* Find the service holding this watch descriptor, and in which slot. */
struct service *
svtable_find_wd(int wd, enum watch_slot *slot)
{
	if (hotsv_nbuckets == 0 || wd < 0)
		return NULL;
	for (int w = 0; w < WATCH_SLOTS; w++)
		for (struct service *svc =
		         hotsv_wd_buckets[w][(size_t)wd % hotsv_nbuckets];
		     svc != NULL; svc = svc->watches[w].next)
			if (svc->watches[w].wd == wd) {
				*slot = (enum watch_slot)w;
				return svc;
			}
	return NULL;
}

/* Record a watch descriptor of a service (-1: none). */
void
svtable_set_wd(struct service *svc, enum watch_slot slot, int wd)
{
	struct watch_link *link = &svc->watches[slot];
	struct service **at;

	if (link->wd >= 0) {
		at = &hotsv_wd_buckets[slot][(size_t)link->wd % hotsv_nbuckets];
		while (*at != NULL && *at != svc)
			at = &(*at)->watches[slot].next;
		if (*at == svc)
			*at = link->next;
	}
	link->wd = wd;
	link->next = NULL;
	if (wd >= 0)
		chain_wd(hotsv_wd_buckets[slot], hotsv_nbuckets, svc, slot);
}
