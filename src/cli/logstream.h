/* One log directory of hotsv logs, shown and followed line by line. */
#ifndef HOTSV_CLI_LOGSTREAM_H
#define HOTSV_CLI_LOGSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct logstream {
	char *path;  /* the log directory, for messages and the watch */
	char *label; /* put before each line: "NAME: ", or "" */
	int dirfd;   /* the log directory, held */
	int fd;      /* the file being read: current, until archived; -1 */
	dev_t dev;   /* the file read last (fd's, or one read whole) */
	ino_t ino;
	char *carry; /* the start of a line not yet whole */
	size_t carrylen;
	size_t carrycap;
	int wd;       /* its inotify watch, or -1 */
	bool touched; /* an event came: read it again */
};

/* How much a log is read at a time. */
#define LOGSTREAM_BLOCK 65536

void logstream_put(struct logstream *, const char *data, size_t len);
bool logstream_drain(struct logstream *);
bool logstream_show(struct logstream *, int fd, off_t from, off_t to);
void logs_flush(void);

#endif
