/*
 * Where hotsv-scan's own directory lives (sv/scannerdir.h): the scanner
 * creates it, the hotsv command writes letters to its FIFO; both reach
 * it through here.  Nothing allocates: the scanner may be PID 1.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "sv/scannerdir.h"

/*
 * Write BASE/.hotsv (file NULL) or BASE/.hotsv/FILE into buf; false if
 * it does not fit in size bytes.
 */
bool
scannerdir_path(char *buf, size_t size, const char *base, const char *file)
{
	int len = file == NULL
	    ? snprintf(buf, size, "%s/%s", base, SCANNERDIR)
	    : snprintf(buf, size, "%s/%s/%s", base, SCANNERDIR, file);

	return len >= 0 && (size_t)len < size;
}

/*
 * For a client: FILE in the scanner's directory, SCANDIR/.hotsv/FILE,
 * or STATEDIR/.hotsv/FILE when SCANDIR/.hotsv/control does not exist
 * (the scanner found SCANDIR read-only).  False if the path does not fit.
 */
bool
scannerdir_file(char *buf, size_t size, const char *scandir,
    const char *statedir, const char *file)
{
	if (!scannerdir_path(buf, size, scandir, SCANNERDIR_CONTROL))
		return false;
	if (access(buf, F_OK) == 0)
		return scannerdir_path(buf, size, scandir, file);
	return scannerdir_path(buf, size, statedir, file);
}
