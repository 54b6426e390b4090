/*
 * The death tally: for each death of run, a TAI64N stamp, the exit code
 * (128 + signal when killed) and the signal (0 when it exited).  Only the
 * last max-death-tally records are kept, as s6 does.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "lib/fileio.h"
#include "lib/tai.h"
#include "sv/deathtally.h"

#define DTALLY_FILE "death_tally"

/* Add a death to the tally; returns 0, or -1 with errno set. */
int
dtally_append(
    int supfd, const struct timespec *when, int wstat, unsigned int keep)
{
	static unsigned char records[(DTALLY_MAX + 1) * DTALLY_RECORD];
	unsigned char *rec;
	ssize_t got;
	size_t count;

	if (keep == 0)
		return 0;
	if (keep > DTALLY_MAX)
		keep = DTALLY_MAX;
	got = file_read_at(
	    supfd, DTALLY_FILE, records, (size_t)DTALLY_MAX * DTALLY_RECORD);
	if (got < 0 && errno != ENOENT)
		return -1;
	count = got < 0 ? 0 : (size_t)got / DTALLY_RECORD;
	rec = records + count * DTALLY_RECORD;
	tai64n_pack(rec, when);
	rec[12] = (unsigned char)(WIFSIGNALED(wstat) ? 128 + WTERMSIG(wstat)
	                                             : WEXITSTATUS(wstat));
	rec[13] = (unsigned char)(WIFSIGNALED(wstat) ? WTERMSIG(wstat) : 0);
	count++;
	rec = records;
	if (count > keep) {
		rec += (count - keep) * DTALLY_RECORD;
		count = keep;
	}
	return file_replace(supfd, DTALLY_FILE, rec, count * DTALLY_RECORD);
}

/* Count the deaths on record, or -1 with errno set. */
long
dtally_count(int supfd)
{
	struct stat sb;

	if (fstatat(supfd, DTALLY_FILE, &sb, 0) < 0)
		return errno == ENOENT ? 0 : -1;
	return (long)(sb.st_size / DTALLY_RECORD);
}
