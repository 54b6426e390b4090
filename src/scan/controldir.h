/* The scanner's own directory: .hotsv/ with its lock and control FIFO. */
#ifndef HOTSV_SCAN_CONTROLDIR_H
#define HOTSV_SCAN_CONTROLDIR_H

#include <stdbool.h>
#include <stddef.h>

bool scanctl_dir(const char *scandir, const char *statedir, char *buf);
const char *scanctl_failure(void);
int scanctl_open(const char *ctldir, const char *scandir, int *lockfd);
void scanctl_mark_stopping(const char *ctldir);

#endif
