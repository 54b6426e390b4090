/* event/: s6's fifodir of listeners, each a FIFO named ftrig1... */
#ifndef HOTSV_SV_FIFODIR_H
#define HOTSV_SV_FIFODIR_H

#include <stddef.h>

int fifodir_make(int basefd, const char *name);
void fifodir_notify(int evfd, const char *letters, size_t len);

#endif
