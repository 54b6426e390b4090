/*
 * What the letters written to SCANDIR/.hotsv/control do: s6-svscanctl's
 * (rescan, shutdown, abort, reap) and ours ("e" and a byte: the exit
 * code, from hotsv shutdown -c); and a service's on-exit halt, the other
 * way to shut down with a chosen code.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/scan.h"
#include "sv/ignoredbytes.h"

/* Read waiting control letters; returns how many (0 when none). */
static ssize_t
scanctl_read(int ctlfd, char *letters, size_t size)
{
	ssize_t got = read(ctlfd, letters, size);

	if (got < 0 && errno != EAGAIN && errno != EINTR)
		log_warn("read control");
	return got < 0 ? 0 : got;
}

/*
 * Act on s6-svscanctl's letters written to .hotsv/control, and on ours:
 * "e" followed by one byte sets the exit code (hotsv shutdown -c).
 */
void
scanctl_handle(void)
{
	static struct ignored ignored;
	static bool code_next;
	char letters[64];
	ssize_t got;

	for (int reads = 0; reads < CONTROL_READS_MAX; reads++) {
		got =
		    scanctl_read(hotsv_scanner.ctlfd, letters, sizeof letters);
		if (got == 0)
			break;
		for (ssize_t i = 0; i < got; i++) {
			if (code_next) {
				/* Only a code that starts the shutdown. */
				if (!hotsv_scanner.shutting_down)
					hotsv_scanner.ctl_code =
					    (unsigned char)letters[i];
				code_next = false;
				continue;
			}

			switch (letters[i]) {
			case 'e':
				code_next = true;
				break;
			case 'a': /* rescan; removed services always go */
			case 'h':
			case 'n':
			case 'N':
				hotsv_scanner.rescan_due = true;
				break;
			case 't':
			case 'i':
			case 'q':
				shutdown_begin();
				break;
			case 'b': /* abort: finish now, leave services be */
				log_warnx("abort requested");
				shutdown_finish();

			case 'z':
				scansig_reap();
				break;
			default:
				ignored_note(
				    &ignored, (unsigned char)letters[i]);
			}
		}
	}
	ignored_drained(&ignored, hotsv_scanner.ctlfd);
}
