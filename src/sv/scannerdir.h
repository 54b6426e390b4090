/*
 * Where hotsv-scan's own directory lives: SCANDIR/.hotsv, or
 * STATEDIR/.hotsv when SCANDIR is read-only, with its lock and its
 * control FIFO (s6-svscanctl's letters).
 */
#ifndef HOTSV_SV_SCANNERDIR_H
#define HOTSV_SV_SCANNERDIR_H

#include <stdbool.h>
#include <stddef.h>

#define SCANNERDIR ".hotsv"
#define SCANNERDIR_LOCK "lock"       /* one hotsv-scan per SCANDIR */
#define SCANNERDIR_CONTROL "control" /* the FIFO of control letters */
/* Present while the scanner drains or shuts down: hotsv check fails. */
#define SCANNERDIR_STOPPING "stopping"

bool scannerdir_path(
    char *buf, size_t size, const char *base, const char *file);
bool scannerdir_file(char *buf, size_t size, const char *scandir,
    const char *statedir, const char *file);

#endif
