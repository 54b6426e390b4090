/* fcntl write locks: "a live process owns this directory". */
#ifndef HOTSV_LOCK_H
#define HOTSV_LOCK_H

#include <stdbool.h>

int lock_take(int dirfd, const char *name);
int lock_probe(int dirfd, const char *name);

#endif
