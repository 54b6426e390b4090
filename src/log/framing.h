/* Line framing for hotsv-log: stamps, a fixed prefix, long lines cut. */
#ifndef HOTSV_LOG_FRAMING_H
#define HOTSV_LOG_FRAMING_H

#include <stddef.h>
#include <time.h>

#define LOGLINE_ISO_TEXT 27 /* "2026-11-29T04:38:09.123456Z" */

/* The stamps that start each line, in this order (as s6-log's t and T). */
#define LOGLINE_TAI 0x1u
#define LOGLINE_ISO 0x2u
/* Instead of stamps and prefix: a JSON object per line (--json). */
#define LOGLINE_JSON 0x4u

/*
 * Ends every piece of a cut line but the last.  A marked piece holds
 * exactly maxlen bytes before the marker, one more than an uncut line
 * may hold, so a line that really ends in a backslash is never mistaken
 * for a cut one.
 */
#define LOGLINE_CUT '\\'

/* A growable byte buffer: the framed lines waiting to be written. */
struct logbuf {
	char *data;
	size_t len;
	size_t cap;
};

struct logline {
	size_t maxlen;   /* longest piece of a line, without its header */
	char *head;      /* stamps and prefix put before every line */
	size_t headlen;  /* bytes of head */
	size_t stamplen; /* bytes of head that logline_stamp rewrites */
	unsigned stamps;
	char *carry; /* the start of a line whose newline has not come */
	size_t carrylen;
};

void logline_iso(char out[LOGLINE_ISO_TEXT + 1], const struct timespec *utc);
void logline_init(
    struct logline *, unsigned stamps, const char *prefix, size_t maxlen);
void logline_stamp(struct logline *, const struct timespec *utc);
void logline_feed(
    struct logline *, const char *in, size_t len, struct logbuf *out);
void logline_finish(struct logline *, struct logbuf *out);
void logline_free(struct logline *);
void logbuf_free(struct logbuf *);

#endif
