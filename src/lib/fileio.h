/* Whole-file reads and atomic replacement. */
#ifndef HOTSV_LIB_FILEIO_H
#define HOTSV_LIB_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

int file_replace(int dirfd, const char *name, const void *data, size_t len);
ssize_t file_read_at(int dirfd, const char *name, void *buf, size_t size);
int fifo_open_rdwr(int dirfd, const char *name);

#endif
