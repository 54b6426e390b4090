/* One output of hotsv-log: a rotated log directory, or stdout. */
#ifndef HOTSV_LOG_OUTPUT_H
#define HOTSV_LOG_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "lib/loop.h"

struct logdir {
	const char *path; /* as given, or "stdout" for "-" */
	bool is_stdout;
	int dirfd;  /* -1 while the directory is lost */
	int lockfd; /* holds DIR/lock */
	int fd;     /* current (or stdout); -1 until reopened */
	int turnfd; /* stdout: lock taken for each batch, or -1 */
	bool turn;  /* we hold it */
	off_t size; /* bytes in current */
	off_t maxsize;
	unsigned keep;          /* archives kept */
	struct timespec newest; /* stamp of the newest archive */
	size_t done;            /* bytes of the pending batch written here */
	bool midline;           /* the last byte written was not a newline */
	bool rotate;            /* a rotation is due at the next line end */
	bool blocked;           /* stdout said EAGAIN: poll for POLLOUT */
	bool failing;           /* an error was logged and not yet cleared */
	unsigned delay_ms;      /* the current back-off */
	struct deadline retry;  /* when to try again while failing */
};

void logdir_open(
    struct logdir *, const char *path, off_t maxsize, unsigned keep);
void logdir_flush(struct logdir *, const char *data, size_t len);

#endif
