/* Lines of complaint gathered now, to be said (or not) later. */
#ifndef HOTSV_LIB_COMPLAINTS_H
#define HOTSV_LIB_COMPLAINTS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/log.h"

struct complaints {
	char *text; /* lines, each ending in a newline; NULL when none */
	size_t len;
};

void complain(struct complaints *, const char *fmt, ...) HOTSV_PRINTF(2, 3);
uint32_t complaints_hash(const struct complaints *);
void complaints_say(const struct complaints *);
void complaints_free(struct complaints *);

#endif
