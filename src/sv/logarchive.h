/*
 * The archives of a log directory: "@<tai64n>.s" files, oldest first.
 * hotsv-log names, lists and prunes them; hotsv logs reads them.
 */
#ifndef HOTSV_SV_LOGARCHIVE_H
#define HOTSV_SV_LOGARCHIVE_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "lib/tai.h"

#define ARCHIVE_NAME_LEN (TAI64N_TEXT + 2) /* "@" 24 hex digits ".s" */

typedef char archive_name[ARCHIVE_NAME_LEN + 1];

bool archive_name_parse(const char *name, struct timespec *stamp);
void archive_next_name(char out[ARCHIVE_NAME_LEN + 1], struct timespec *newest,
    const struct timespec *now);
ssize_t archive_list(int dirfd, archive_name **names);
int archive_scan(int dirfd, unsigned keep, struct timespec *newest);

#endif
