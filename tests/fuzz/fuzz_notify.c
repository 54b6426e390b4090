/*
 * libFuzzer target: notify_parse, the sd_notify datagrams a service
 * sends to NOTIFY_SOCKET.  The input is one datagram.  A datagram that
 * is empty, longer than NOTIFY_MAX or holds a NUL byte is refused with
 * nothing set; any other is accepted, READY=1, STOPPING=1 and
 * RELOADING=1 count only as whole lines, and the status is the last
 * STATUS= line: terminated, at most NOTIFY_STATUS_MAX bytes, free of
 * control bytes (what a terminal would act on when hotsv status shows
 * it), and otherwise the bytes the service sent.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv/sdnotify.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What a datagram says, worked out line by line. */
struct expect {
	bool ready, stopping, reloading, has_status;
	const char *status; /* the last STATUS= value */
	size_t statuslen;
};

/* Say whether line (len bytes) is exactly text. */
static bool
line_eq(const char *line, size_t len, const char *text)
{
	return len == strlen(text) && memcmp(line, text, len) == 0;
}

/* Work out what the newline-separated assignments in msg say. */
static void
expect_of(const char *msg, size_t len, struct expect *want)
{
	size_t start = 0;

	memset(want, 0, sizeof *want);
	for (size_t i = 0; i <= len; i++) {
		const char *line = msg + start;
		size_t linelen = i - start;

		if (i < len && msg[i] != '\n')
			continue;
		want->ready |= line_eq(line, linelen, "READY=1");
		want->stopping |= line_eq(line, linelen, "STOPPING=1");
		want->reloading |= line_eq(line, linelen, "RELOADING=1");
		if (linelen >= 7 && strncmp(line, "STATUS=", 7) == 0) {
			want->has_status = true;
			want->status = line + 7;
			want->statuslen = linelen - 7;
		}
		start = i + 1;
	}
}

/* Entry point: parse the datagram and check every field of the result. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *msg = (const char *)data;
	struct notify_msg n;
	struct expect want;
	size_t len;
	int r;

	/* Garbage first, so that a field left unset shows. */
	memset(&n, 0xa5, sizeof n);
	r = notify_parse(msg, size, &n);
	if (size == 0 || size > NOTIFY_MAX || memchr(msg, '\0', size) != NULL) {
		if (r != -1 || n.ready || n.stopping || n.reloading ||
		    n.has_status)
			abort();
		return 0;
	}
	if (r != 0)
		abort();
	expect_of(msg, size, &want);
	if (n.ready != want.ready || n.stopping != want.stopping ||
	    n.reloading != want.reloading || n.has_status != want.has_status)
		abort();
	if (!n.has_status)
		return 0;
	len = strnlen(n.status, sizeof n.status);
	if (len > NOTIFY_STATUS_MAX)
		abort();
	if (want.statuslen > NOTIFY_STATUS_MAX)
		want.statuslen = NOTIFY_STATUS_MAX;
	if (len != want.statuslen)
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)n.status[i];
		unsigned char sent = (unsigned char)want.status[i];

		if (c < 0x20 || c == 0x7f)
			abort();
		if (c != sent && (c != '?' || (sent >= 0x20 && sent != 0x7f)))
			abort();
	}
	return 0;
}
