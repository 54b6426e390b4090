/*
 * Unknown bytes written to a control FIFO are counted, not logged one by
 * one: the count and the first byte go out in one line once the FIFO has
 * been drained, however many reads and wake-ups the burst took.
 */
#include "config.h"

#include <sys/ioctl.h>

#include "lib/log.h"
#include "sv/ignoredbytes.h"

/* Count one ignored byte. */
void
ignored_note(struct ignored *ig, unsigned char byte)
{
	if (ig->count++ == 0)
		ig->first = byte;
}

/* Log the bytes ignored since the last report, if any, and start over. */
void
ignored_report(struct ignored *ig)
{
	if (ig->count == 0)
		return;
	log_warnx("control: ignored %zu unknown byte%s (first 0x%02x)",
	    ig->count, ig->count == 1 ? "" : "s", ig->first);
	ig->count = 0;
}

/*
 * Report once nothing waits in the FIFO fd any more: a burst ended.  A
 * reader that stops after CONTROL_READS_MAX reads may have taken the
 * last byte, and no wake-up would come to report it.
 */
void
ignored_drained(struct ignored *ig, int fd)
{
	int waiting = 0;

	if (ig->count > 0 && ioctl(fd, FIONREAD, &waiting) == 0 && waiting == 0)
		ignored_report(ig);
}
