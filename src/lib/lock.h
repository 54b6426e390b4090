/* fcntl write locks: "a live process owns this directory". */
#ifndef HOTSV_LIB_LOCK_H
#define HOTSV_LIB_LOCK_H

#include <stdbool.h>
#include <sys/types.h>

int lock_take(int dirfd, const char *name);
int lock_probe(int dirfd, const char *name);
int lock_holder(int dirfd, const char *name, pid_t *holder);

#endif
