/*
 * Line framing for hotsv-log.  Input arrives in arbitrary blocks; out
 * come whole lines, each starting with the same header (stamps taken
 * once per block, then the fixed prefix) and ending with a newline.  A
 * line longer than maxlen is cut into pieces of maxlen bytes, every
 * piece but the last marked with a trailing LOGLINE_CUT.  No I/O here:
 * the caller reads, stamps and writes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/tai.h"
#include "lib/xmalloc.h"
#include "log/framing.h"

/* Smallest capacity a logbuf grows to. */
#define LOGBUF_MIN 65536

/* Write a UTC time as ISO 8601 with microseconds and a trailing Z. */
void
logline_iso(char out[LOGLINE_ISO_TEXT + 1], const struct timespec *utc)
{
	static const char none[] = "0000-00-00T00:00:00.000000Z";
	time_t sec = utc->tv_sec;
	long usec = utc->tv_nsec / 1000;
	struct tm tm;

	/* Keep the width fixed even for a year no clock will show. */
	if (gmtime_r(&sec, &tm) == NULL ||
	    strftime(out, LOGLINE_ISO_TEXT + 1, "%Y-%m-%dT%H:%M:%S.000000Z",
	        &tm) != LOGLINE_ISO_TEXT)
		memcpy(out, none, sizeof none);
	for (int i = LOGLINE_ISO_TEXT - 2; i >= LOGLINE_ISO_TEXT - 7; i--) {
		out[i] = (char)('0' + usec % 10);
		usec /= 10;
	}
}

/* Set up framing with the given stamps, prefix and longest piece. */
void
logline_init(
    struct logline *ll, unsigned stamps, const char *prefix, size_t maxlen)
{
	size_t prefixlen = strlen(prefix);

	ll->maxlen = maxlen;
	ll->stamps = stamps;
	ll->stamplen = 0;
	if (stamps & LOGLINE_TAI)
		ll->stamplen += TAI64N_TEXT + 1;
	if (stamps & LOGLINE_ISO)
		ll->stamplen += LOGLINE_ISO_TEXT + 1;
	ll->headlen = ll->stamplen + prefixlen;
	ll->head = xmalloc(ll->headlen);
	memcpy(ll->head + ll->stamplen, prefix, prefixlen);
	ll->carry = xmalloc(maxlen);
	ll->carrylen = 0;
}

/* Rewrite the stamps of the header with the time lines now arrive. */
void
logline_stamp(struct logline *ll, const struct timespec *utc)
{
	char *p = ll->head;

	if (ll->stamps & LOGLINE_TAI) {
		tai64n_format(p, utc);
		p[TAI64N_TEXT] = ' ';
		p += TAI64N_TEXT + 1;
	}
	if (ll->stamps & LOGLINE_ISO) {
		logline_iso(p, utc);
		p[LOGLINE_ISO_TEXT] = ' ';
	}
}

/* Append n bytes to a buffer, growing it as needed. */
static void
logbuf_put(struct logbuf *b, const void *p, size_t n)
{
	size_t cap;

	if (n == 0)
		return;
	if (b->cap - b->len < n) {
		cap = b->cap < LOGBUF_MIN ? LOGBUF_MIN : b->cap;
		while (cap - b->len < n)
			cap *= 2;
		b->data = xreallocarray(b->data, cap, 1);
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Emit header, carried bytes, n bytes of in and the line's end. */
static void
logline_emit(struct logline *ll, const char *in, size_t n, const char *end,
    size_t endlen, struct logbuf *out)
{
	logbuf_put(out, ll->head, ll->headlen);
	logbuf_put(out, ll->carry, ll->carrylen);
	logbuf_put(out, in, n);
	logbuf_put(out, end, endlen);
	ll->carrylen = 0;
}

/* Frame len bytes of input, appending every line they complete. */
void
logline_feed(struct logline *ll, const char *in, size_t len, struct logbuf *out)
{
	static const char cut[] = {LOGLINE_CUT, '\n'};
	const char *end = in + len;

	while (in < end) {
		const char *nl = memchr(in, '\n', (size_t)(end - in));
		const char *stop = nl != NULL ? nl : end;

		/* A byte past maxlen that is not the newline forces a cut. */
		while (ll->carrylen + (size_t)(stop - in) > ll->maxlen) {
			size_t take = ll->maxlen - ll->carrylen;

			logline_emit(ll, in, take, cut, sizeof cut, out);
			in += take;
		}
		if (nl == NULL) {
			memcpy(
			    ll->carry + ll->carrylen, in, (size_t)(end - in));
			ll->carrylen += (size_t)(end - in);
			return;
		}
		logline_emit(ll, in, (size_t)(nl - in), "\n", 1, out);
		in = nl + 1;
	}
}

/* Emit a final line that has no newline, adding one. */
void
logline_finish(struct logline *ll, struct logbuf *out)
{
	if (ll->carrylen > 0)
		logline_emit(ll, NULL, 0, "\n", 1, out);
}

/* Release the framing buffers. */
void
logline_free(struct logline *ll)
{
	free(ll->head);
	free(ll->carry);
	ll->head = ll->carry = NULL;
}

/* Release a buffer's memory. */
void
logbuf_free(struct logbuf *b)
{
	free(b->data);
	*b = (struct logbuf){0};
}
