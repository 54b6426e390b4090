/* hotsv logs -f: following log streams across rotations. */
#ifndef HOTSV_CLI_FOLLOW_H
#define HOTSV_CLI_FOLLOW_H

#include <stddef.h>

#include "cli/logstream.h"

int logs_follow(struct logstream *, size_t count, int status);

#endif
