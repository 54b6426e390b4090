/*
 * hotsv logs: one stream per log directory (a directory under a
 * service's log/ holding current), shown and followed line by line.
 */
#ifndef HOTSV_CLI_LOGS_H
#define HOTSV_CLI_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cli/cli.h"

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

int cli_logs(const struct cli *, int argc, char **argv);

/* logs.c */
void logstream_put(struct logstream *, const char *data, size_t len);
bool logstream_drain(struct logstream *);
void logs_flush(void);

/* follow.c */
int logs_follow(struct logstream *, size_t count, int status);

#endif
