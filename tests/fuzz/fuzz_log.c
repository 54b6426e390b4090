/*
 * libFuzzer target: hotsv-log's pure parts.  The first byte picks one.
 *
 * Even: line framing.  Bytes 1-3 set the stamps (or --json), the prefix
 * length (0 to 15, the prefix follows) and maxlen (1 to 256); the rest is
 * blocks, each a length byte (bit 7: eight bytes of seconds and four of
 * nanoseconds follow, the time the block is stamped with) and up to 127
 * bytes of input.  Every line out must start with the header and hold at
 * most maxlen bytes, or exactly maxlen and the cut mark; taking the
 * header and marks off must give back the input, a final newline added.
 * A JSON line must be strict UTF-8 without a raw control byte, and its
 * string read back must be the piece of input.  (A byte 0x80 to 0x9F that
 * is not UTF-8 reads back as the C1 control of that value does, so the
 * input has no 0xC2, the lead byte of those controls.)
 *
 * Odd: archive names.  Bytes 1-27 and 28-54 are two names, then 4 bytes
 * move the clock.  Names that parse must sort as their times do, and the
 * next archive's name must parse and sort after the newest one.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/escape.h"
#include "lib/tai.h"
#include "sv/logarchive.h"
#include "log/framing.h"

/* Where the fuzzer's clock starts: 2026. */
#define CLOCK_BASE 1795927811
/* The latest archive name: TAI64 label 2^63 - 1, 999999999 ns. */
#define LAST_ARCHIVE "@7fffffffffffffff3b9ac9ff.s"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A growing copy of bytes, for the input fed and the text rebuilt. */
struct bytes {
	char *data;
	size_t len;
};

/* Append n bytes. */
static void
bytes_put(struct bytes *b, const char *p, size_t n)
{
	if (n == 0)
		return;
	if ((b->data = realloc(b->data, b->len + n)) == NULL)
		abort();
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Read n big-endian bytes at *at, or 0 for those past the end. */
static uint64_t
take(const uint8_t *data, size_t size, size_t *at, int n)
{
	uint64_t value = 0;

	while (n-- > 0)
		value = value << 8 | (*at < size ? data[(*at)++] : 0);
	return value;
}

/* Abort unless the stamps at the start of a header are well formed. */
static void
check_stamps(const char *head, unsigned stamps)
{
	if (stamps & LOGLINE_TAI) {
		if (head[0] != '@' || head[TAI64N_TEXT] != ' ')
			abort();
		for (int i = 1; i < TAI64N_TEXT; i++)
			if (strchr("0123456789abcdef", head[i]) == NULL ||
			    head[i] == '\0')
				abort();
		head += TAI64N_TEXT + 1;
	}
	if (stamps & LOGLINE_ISO) {
		if (head[19] != '.' || head[LOGLINE_ISO_TEXT - 1] != 'Z' ||
		    head[LOGLINE_ISO_TEXT] != ' ')
			abort();
		for (int i = 20; i < LOGLINE_ISO_TEXT - 1; i++)
			if (head[i] < '0' || head[i] > '9')
				abort();
	}
}

/* The value of a hex digit, or abort. */
static unsigned
hex_value(char c)
{
	const char *digits = "0123456789abcdef", *at = strchr(digits, c);

	if (c == '\0' || at == NULL)
		abort();
	return (unsigned)(at - digits);
}

/*
 * Read back the JSON string that starts at p (after its opening quote)
 * and must end with "}\n; append its bytes to piece.  Returns the length
 * of the line's rest, the closing quote, brace and newline included.
 */
static size_t
unescape_json(const char *p, const char *end, struct bytes *piece)
{
	const char *from = p;
	char byte;
	size_t len;

	/* Valid UTF-8 is as it was; an escape "u00XX" is the byte XX. */
	while (p < end && *p != '"') {
		if ((unsigned char)*p < 0x20)
			abort();
		if (*p != '\\') {
			/* utf8_length reads up to a NUL: the line has none. */
			unsigned char seq[5] = {0};

			memcpy(seq, p, end - p < 4 ? (size_t)(end - p) : 4);
			if ((len = utf8_length(seq)) == 0)
				abort();
			bytes_put(piece, p, len);
			p += len;
			continue;
		}
		if (end - p < 2)
			abort();
		if (p[1] == '"' || p[1] == '\\') {
			bytes_put(piece, p + 1, 1);
			p += 2;
			continue;
		}
		if (p[1] != 'u' || end - p < 6 || p[2] != '0' || p[3] != '0')
			abort();
		byte = (char)(hex_value(p[4]) << 4 | hex_value(p[5]));
		bytes_put(piece, &byte, 1);
		p += 6;
	}
	if (end - p < 3 || memcmp(p, "\"}\n", 3) != 0)
		abort();
	return (size_t)(p - from) + 3;
}

/* Take one JSON line of content: a piece of the input. */
static size_t
unframe_json(const struct logline *ll, const char *content, const char *end,
    struct bytes *rebuilt)
{
	struct bytes piece = {NULL, 0};
	size_t used = unescape_json(content, end, &piece);

	if (piece.len == ll->maxlen + 1 &&
	    piece.data[ll->maxlen] == LOGLINE_CUT)
		bytes_put(rebuilt, piece.data, ll->maxlen);
	else if (piece.len <= ll->maxlen) {
		bytes_put(rebuilt, piece.data, piece.len);
		bytes_put(rebuilt, "\n", 1);
	} else
		abort();
	free(piece.data);
	return used;
}

/*
 * Take the lines framed since from off: each must be the header, then
 * content, then a newline.  Append what they say to rebuilt.
 */
static void
unframe(const struct logline *ll, const struct logbuf *out, size_t off,
    struct bytes *rebuilt)
{
	while (off < out->len) {
		const char *line = out->data + off, *content, *nl;
		size_t clen;

		if (out->len - off < ll->headlen + 1 ||
		    memcmp(line, ll->head, ll->headlen) != 0)
			abort();
		content = line + ll->headlen;
		if (ll->stamps & LOGLINE_JSON) {
			off += ll->headlen +
			    unframe_json(
			        ll, content, out->data + out->len, rebuilt);
			continue;
		}
		check_stamps(line, ll->stamps);
		nl = memchr(content, '\n', out->len - off - ll->headlen);
		if (nl == NULL)
			abort();
		clen = (size_t)(nl - content);
		if (clen == ll->maxlen + 1 &&
		    content[ll->maxlen] == LOGLINE_CUT)
			bytes_put(rebuilt, content, ll->maxlen);
		else if (clen <= ll->maxlen)
			bytes_put(rebuilt, content, clen + 1);
		else
			abort();
		off += ll->headlen + clen + 1;
	}
}

/* Frame blocks of input and check the lines that come out. */
static void
fuzz_framing(const uint8_t *data, size_t size)
{
	struct bytes fed = {NULL, 0}, rebuilt = {NULL, 0};
	struct logbuf out = {NULL, 0, 0};
	struct logline ll;
	struct timespec now = {CLOCK_BASE, 0};
	char prefix[16], block[128];
	size_t at = 0, prefixlen, maxlen, off;
	unsigned stamps;

	stamps = (unsigned)take(data, size, &at, 1) & 7;
	prefixlen = (size_t)take(data, size, &at, 1) % 16;
	maxlen = (size_t)take(data, size, &at, 1) + 1;
	for (size_t i = 0; i < prefixlen; i++) {
		char c = (char)take(data, size, &at, 1);

		prefix[i] = c == '\0' ? '_' : c;
	}
	prefix[prefixlen] = '\0';
	logline_init(&ll, stamps, prefix, maxlen);
	while (at < size) {
		unsigned head = (unsigned)take(data, size, &at, 1);
		size_t len = head & 0x7f;

		if (head & 0x80) {
			now.tv_sec = (time_t)(int64_t)take(data, size, &at, 8);
			now.tv_nsec =
			    (long)(take(data, size, &at, 4) % 1000000000);
		}
		if (len > size - at)
			len = size - at;
		logline_stamp(&ll, &now);
		off = out.len;
		memcpy(block, data + at, len);
		for (size_t i = 0; (stamps & LOGLINE_JSON) && i < len; i++)
			if ((unsigned char)block[i] == 0xc2)
				block[i] = '_';
		logline_feed(&ll, block, len, &out);
		bytes_put(&fed, block, len);
		unframe(&ll, &out, off, &rebuilt);
		at += len;
	}
	off = out.len;
	logline_finish(&ll, &out);
	unframe(&ll, &out, off, &rebuilt);
	if (fed.len > 0 && fed.data[fed.len - 1] != '\n')
		bytes_put(&fed, "\n", 1);
	if (rebuilt.len != fed.len ||
	    (fed.len > 0 && memcmp(rebuilt.data, fed.data, fed.len) != 0))
		abort();
	logline_free(&ll);
	logbuf_free(&out);
	free(fed.data);
	free(rebuilt.data);
}

/* Say whether a is later than b. */
static bool
later(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/*
 * Say whether name looks like an archive's: "@", 24 lower-case hex
 * digits with nanoseconds under 10^9, ".s".  The label must also be
 * below 2^63 (TAI64 keeps those above for extensions) for the name to
 * have to be accepted.
 */
static bool
archive_shaped(const char *name, bool *must)
{
	if (strlen(name) != ARCHIVE_NAME_LEN || name[0] != '@' ||
	    strcmp(name + TAI64N_TEXT, ".s") != 0)
		return false;
	for (int i = 1; i < TAI64N_TEXT; i++)
		if (strchr("0123456789abcdef", name[i]) == NULL)
			return false;
	if (strncmp(name + 17, "3b9aca00", 8) >= 0)
		return false;
	*must = name[1] < '8';
	return true;
}

/* Copy 27 bytes of input into a C string. */
static void
name_from(char name[ARCHIVE_NAME_LEN + 1], const uint8_t *data, size_t size,
    size_t *at)
{
	for (int i = 0; i < ARCHIVE_NAME_LEN; i++)
		name[i] = (char)take(data, size, at, 1);
	name[ARCHIVE_NAME_LEN] = '\0';
}

/* Parse one name, checking the answer against its shape. */
static bool
parse_checked(const char *name, struct timespec *stamp)
{
	bool ok = archive_name_parse(name, stamp), must = false;
	bool shaped = archive_shaped(name, &must);

	if ((ok && !shaped) || (must && !ok))
		abort();
	if (ok && (stamp->tv_nsec < 0 || stamp->tv_nsec >= 1000000000))
		abort();
	return ok;
}

/* Parse two names, then name the next archive as logdir_rotate does. */
static void
fuzz_archive(const uint8_t *data, size_t size)
{
	char a[ARCHIVE_NAME_LEN + 1], b[ARCHIVE_NAME_LEN + 1];
	char next[ARCHIVE_NAME_LEN + 1];
	struct timespec sa, sb, newest, now, got;
	size_t at = 0;
	bool oka, okb;
	int order;

	name_from(a, data, size, &at);
	name_from(b, data, size, &at);
	oka = parse_checked(a, &sa);
	okb = parse_checked(b, &sb);
	/* Fixed-width lower-case hex: names sort as their times. */
	if (oka && okb) {
		order = strcmp(a, b);
		if ((order < 0) != later(&sb, &sa) ||
		    (order > 0) != later(&sa, &sb))
			abort();
	}
	now.tv_sec = CLOCK_BASE + (int16_t)take(data, size, &at, 2);
	now.tv_nsec = (long)(take(data, size, &at, 2) * 15259);
	/* The last instant TAI64 can name has no successor to name. */
	if (oka && strcmp(a, LAST_ARCHIVE) == 0)
		return;
	/* archive_scan: the newest archive, if later than what we had. */
	newest = now;
	newest.tv_sec -= 10;
	if (oka && later(&sa, &newest))
		newest = sa;
	archive_next_name(next, &newest, &now);
	if (!parse_checked(next, &got) || got.tv_sec != newest.tv_sec ||
	    got.tv_nsec != newest.tv_nsec || later(&now, &newest))
		abort();
	if (oka && strcmp(next, a) <= 0)
		abort();
}

/* Entry point: the first byte picks framing or archive names. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_archive(data + 1, size - 1);
	else
		fuzz_framing(data + 1, size - 1);
	return 0;
}
