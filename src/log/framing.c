/*
 * Line framing for hotsv-log.  Input arrives in arbitrary blocks; out
 * come whole lines, each starting with the same header (stamps taken
 * once per block, then the fixed prefix) and ending with a newline.  A
 * line longer than maxlen is cut into pieces of maxlen bytes, every
 * piece but the last marked with a trailing LOGLINE_CUT.  With
 * LOGLINE_JSON each line (or piece) is instead one JSON object on a line
 * of its own: {"time":"<ISO 8601>","service":"<prefix>","line":"<text>"}.
 * No I/O here: the caller reads, stamps and writes.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/escape.h"
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

/*
 * The header of a JSON line: the time (written by logline_stamp), the
 * service if a prefix names one, and the start of the line's string.
 */
static void
logline_init_json(struct logline *ll, const char *service)
{
	static const char time_key[] = "{\"time\":\"";
	static const char service_key[] = "\",\"service\":\"";
	static const char line_key[] = "\",\"line\":\"";
	size_t size = sizeof time_key + LOGLINE_ISO_TEXT + sizeof service_key +
	    ESCAPE_JSON_SIZE(strlen(service)) + sizeof line_key;
	char *p;

	p = ll->head = xmalloc(size);
	p = stpcpy(p, time_key) + LOGLINE_ISO_TEXT;
	memset(ll->head + sizeof time_key - 1, '0', LOGLINE_ISO_TEXT);
	if (service[0] != '\0') {
		p = stpcpy(p, service_key);
		p += escape_json_bytes(service, strlen(service), p,
		    ESCAPE_JSON_SIZE(strlen(service)));
	}
	p = stpcpy(p, line_key);
	ll->headlen = (size_t)(p - ll->head);
}

/* Set up framing with the given stamps, prefix and longest piece. */
void
logline_init(
    struct logline *ll, unsigned stamps, const char *prefix, size_t maxlen)
{
	size_t prefixlen = strlen(prefix);

	/* One byte more: a JSON piece holds its cut mark in the string. */
	ll->carry = xmalloc(maxlen + 1);
	ll->carrylen = 0;
	ll->maxlen = maxlen;
	ll->stamps = stamps;
	ll->stamplen = 0;
	if (stamps & LOGLINE_TAI)
		ll->stamplen += TAI64N_TEXT + 1;
	if (stamps & LOGLINE_ISO)
		ll->stamplen += LOGLINE_ISO_TEXT + 1;
	if (stamps & LOGLINE_JSON) {
		logline_init_json(ll, prefix);
		return;
	}
	ll->headlen = ll->stamplen + prefixlen;
	ll->head = xmalloc(ll->headlen);
	memcpy(ll->head + ll->stamplen, prefix, prefixlen);
}

/* Rewrite the stamps of the header with the time lines now arrive. */
void
logline_stamp(struct logline *ll, const struct timespec *utc)
{
	char *p = ll->head;

	if (ll->stamps & LOGLINE_JSON) {
		p += sizeof "{\"time\":\"" - 1;
		logline_iso(p, utc);
		p[LOGLINE_ISO_TEXT] = '"';
		return;
	}
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

/* Make room for n more bytes in a buffer; returns where they go. */
static char *
logbuf_room(struct logbuf *b, size_t n)
{
	size_t cap;

	if (b->cap - b->len < n) {
		cap = b->cap < LOGBUF_MIN ? LOGBUF_MIN : b->cap;
		while (cap - b->len < n)
			cap *= 2;
		b->data = xreallocarray(b->data, cap, 1);
		b->cap = cap;
	}
	return b->data + b->len;
}

/* Append n bytes to a buffer, growing it as needed. */
static void
logbuf_put(struct logbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(logbuf_room(b, n), p, n);
	b->len += n;
}

/*
 * Emit one JSON line: the header, the text (carried bytes, n bytes of in,
 * and the cut mark when the piece is cut) escaped, and the end.  The
 * text is gathered in carry first so that a character split between two
 * reads is escaped whole.
 */
static void
logline_emit_json(
    struct logline *ll, const char *in, size_t n, bool cut, struct logbuf *out)
{
	static const char end[] = "\"}\n";
	size_t len = ll->carrylen + n, size;

	if (n > 0)
		memcpy(ll->carry + ll->carrylen, in, n);
	if (cut)
		ll->carry[len++] = LOGLINE_CUT;
	logbuf_put(out, ll->head, ll->headlen);
	size = ESCAPE_JSON_SIZE(len);
	out->len +=
	    escape_json_bytes(ll->carry, len, logbuf_room(out, size), size);
	logbuf_put(out, end, sizeof end - 1);
	ll->carrylen = 0;
}

/* Emit header, carried bytes, n bytes of in and the line's end. */
static void
logline_emit(struct logline *ll, const char *in, size_t n, const char *end,
    size_t endlen, struct logbuf *out)
{
	if (ll->stamps & LOGLINE_JSON) {
		logline_emit_json(ll, in, n, endlen > 1, out);
		return;
	}
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
