/* Allocation wrappers that die on failure (not for PID 1 paths). */
#ifndef HOTSV_LIB_XMALLOC_H
#define HOTSV_LIB_XMALLOC_H

#include <stddef.h>

#include "lib/log.h"

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
int xasprintf(char **, const char *, ...) HOTSV_PRINTF(2, 3);

#endif
