/* Processes as /proc shows them. */
#ifndef HOTSV_LIB_PROC_H
#define HOTSV_LIB_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

int proc_stat(
    pid_t pid, char *state, pid_t *ppid, unsigned long long *starttime);
bool proc_is_ours(void);
size_t proc_descendants(pid_t root, pid_t *out, size_t max);

#endif
