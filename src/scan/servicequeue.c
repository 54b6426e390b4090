/*
 * The queue of services an event named, oldest first: hotsv-scan feeds
 * every event of a batch to the services' lives, then brings each named
 * service in line once (service_reconcile_queued).
 */
#include "config.h"

#include "scan/scan.h"

static struct service *hotsv_queue;
static struct service **hotsv_queue_tail = &hotsv_queue;

/* Queue a service for a look, once (the order of the events). */
void
svqueue_add(struct service *svc)
{
	if (svc->queued)
		return;
	svc->queued = true;
	svc->queue_next = NULL;
	*hotsv_queue_tail = svc;
	hotsv_queue_tail = &svc->queue_next;
}

/* Take the oldest queued service off the queue, or NULL. */
struct service *
svqueue_next(void)
{
	struct service *svc = hotsv_queue;

	if (svc == NULL)
		return NULL;
	hotsv_queue = svc->queue_next;
	if (hotsv_queue == NULL)
		hotsv_queue_tail = &hotsv_queue;
	svc->queued = false;
	return svc;
}

/* Take a service about to be freed off the queue. */
void
svqueue_forget(struct service *svc)
{
	struct service **link = &hotsv_queue;

	while (*link != svc)
		link = &(*link)->queue_next;
	*link = svc->queue_next;
	if (hotsv_queue_tail == &svc->queue_next)
		hotsv_queue_tail = link;
	svc->queued = false;
}
