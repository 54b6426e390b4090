/*
 * hotsv logs: one stream per log directory (a directory under a
 * service's log/ holding current), shown and followed line by line.
 */
#ifndef HOTSV_CLI_LOGS_H
#define HOTSV_CLI_LOGS_H

#include "cli/cli.h"

int cli_logs(const struct cli *, int argc, char **argv);

#endif
