/*
 * One log directory shown line by line: whole lines only, each behind
 * its label, the start of a line not yet whole carried until it is.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/logstream.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* Write data's whole lines, each behind the label; carry the rest. */
void
logstream_put(struct logstream *ls, const char *data, size_t len)
{
	const char *end = data + len, *nl;

	while ((nl = memchr(data, '\n', (size_t)(end - data))) != NULL) {
		fputs(ls->label, stdout);
		if (ls->carrylen > 0) /* carry is NULL until first needed */
			fwrite(ls->carry, 1, ls->carrylen, stdout);
		fwrite(data, 1, (size_t)(nl - data) + 1, stdout);
		ls->carrylen = 0;
		data = nl + 1;
	}
	if (data == end)
		return;
	if (ls->carrycap - ls->carrylen < (size_t)(end - data)) {
		ls->carrycap =
		    ls->carrylen + (size_t)(end - data) + LOGSTREAM_BLOCK;
		ls->carry = xreallocarray(ls->carry, ls->carrycap, 1);
	}
	memcpy(ls->carry + ls->carrylen, data, (size_t)(end - data));
	ls->carrylen += (size_t)(end - data);
}

/* Show what the stream's file holds past what was read; false on error. */
bool
logstream_drain(struct logstream *ls)
{
	char buf[LOGSTREAM_BLOCK];
	ssize_t got;

	while ((got = read(ls->fd, buf, sizeof buf)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			log_warn("read %s", ls->path);
			return false;
		}
		logstream_put(ls, buf, (size_t)got);
	}
	return true;
}

/* Send what was put to stdout, or exit 111 if it cannot be written. */
void
logs_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write standard output");
}

/* Show bytes from..to of fd, a file of the stream's log. */
bool
logstream_show(struct logstream *ls, int fd, off_t from, off_t to)
{
	char buf[LOGSTREAM_BLOCK];
	ssize_t got;

	while (from < to) {
		size_t want = to - from < LOGSTREAM_BLOCK ? (size_t)(to - from)
		                                          : LOGSTREAM_BLOCK;

		if ((got = pread(fd, buf, want, from)) <= 0) {
			log_warn("read %s", ls->path);
			return false;
		}
		logstream_put(ls, buf, (size_t)got);
		from += got;
	}
	return true;
}
