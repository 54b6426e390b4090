/* event/: s6's fifodir of listeners, each a FIFO named ftrig1... */
#ifndef HOTSV_FIFODIR_H
#define HOTSV_FIFODIR_H

#include <stddef.h>

int fifodir_make(const char *path);
void fifodir_notify(const char *path, const char *letters, size_t len);

#endif
