/*
 * Where the last N whole lines of a log start and end, found by reading
 * its files (archives oldest first, then current) backwards in blocks.
 * Pure: the caller reads, this only counts newlines.
 */
#ifndef HOTSV_CLI_LASTLINES_H
#define HOTSV_CLI_LASTLINES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A byte of the log: which file (0 the oldest), and where in it. */
struct logpos {
	size_t file;
	off_t offset;
};

struct lastlines {
	unsigned long
	    newlines;  /* newlines still to pass, the start's included */
	bool have_end; /* end is known: after the last newline */
	struct logpos end;
	bool have_start; /* start is known: the first byte to show */
	struct logpos start;
};

void lastlines_init(struct lastlines *, unsigned long n);
bool lastlines_scan(
    struct lastlines *, size_t file, off_t at, const char *block, size_t len);
void lastlines_begin(struct lastlines *, size_t file);

#endif
