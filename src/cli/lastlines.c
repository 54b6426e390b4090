/*
 * The last N whole lines of a log, found from its end.  The log is its
 * files in order, as if concatenated; bytes after its last newline are a
 * line still being written and are not shown.  So the lines to show end
 * just after the last newline and start just after the (N+1)th newline
 * from the end, or at the very beginning when there are not that many.
 * The caller hands the blocks from the last one back.
 */
#include "config.h"

#include "cli/lastlines.h"

/* Look for the last n whole lines. */
void
lastlines_init(struct lastlines *ll, unsigned long n)
{
	*ll = (struct lastlines){.newlines = n + 1};
}

/*
 * Count the newlines of a block, len bytes from offset at of file, that
 * comes just before every block scanned so far.  Returns true once the
 * start is known: no block further back matters.
 */
bool
lastlines_scan(
    struct lastlines *ll, size_t file, off_t at, const char *block, size_t len)
{
	for (size_t i = len; i > 0 && !ll->have_start; i--) {
		struct logpos after = {file, at + (off_t)i};

		if (block[i - 1] != '\n')
			continue;
		if (!ll->have_end) {
			ll->have_end = true;
			ll->end = after;
		}
		if (--ll->newlines == 0) {
			ll->have_start = true;
			ll->start = after;
		}
	}
	return ll->have_start;
}

/*
 * Nothing before file was scanned (it is the first, or the one before it
 * is gone): short of n lines, the lines start at its beginning.
 */
void
lastlines_begin(struct lastlines *ll, size_t file)
{
	if (!ll->have_start) {
		ll->have_start = true;
		ll->start = (struct logpos){file, 0};
	}
}
