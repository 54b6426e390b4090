/* Unknown bytes on a control FIFO, reported in one line per burst. */
#ifndef HOTSV_SV_IGNOREDBYTES_H
#define HOTSV_SV_IGNOREDBYTES_H

#include <stddef.h>

/* Reads of a control FIFO per wake-up: a writer that never stops cannot
 * keep us from everything else. */
#define CONTROL_READS_MAX 16

struct ignored {
	size_t count;        /* bytes ignored since the last report */
	unsigned char first; /* the first of them */
};

void ignored_note(struct ignored *, unsigned char byte);
void ignored_report(struct ignored *);
void ignored_drained(struct ignored *, int fd);

#endif
