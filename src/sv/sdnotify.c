/*
 * Parsing sd_notify datagrams: newline-separated VARIABLE=VALUE
 * assignments.  READY=1, STOPPING=1, RELOADING=1 and STATUS= matter to
 * us; other variables (MAINPID, WATCHDOG, ERRNO, ...) are ignored, as
 * systemd ignores what it does not know.  A message holding a NUL byte
 * or longer than NOTIFY_MAX is rejected whole.
 */
#include "config.h"

#include <string.h>

#include "sv/sdnotify.h"

/* Copy a STATUS= value, replacing what a terminal would act on. */
static void
copy_status(struct notify_msg *out, const char *value, size_t len)
{
	if (len > NOTIFY_STATUS_MAX)
		len = NOTIFY_STATUS_MAX;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		out->status[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out->status[len] = '\0';
	out->has_status = true;
}

/* Say whether line (len bytes) is exactly name=value. */
static bool
line_is(const char *line, size_t len, const char *assignment)
{
	return strlen(assignment) == len && memcmp(line, assignment, len) == 0;
}

/* Parse one message; returns 0, or -1 when it must be ignored. */
int
notify_parse(const char *msg, size_t len, struct notify_msg *out)
{
	memset(out, 0, sizeof *out);
	if (len == 0 || len > NOTIFY_MAX || memchr(msg, '\0', len) != NULL)
		return -1;
	while (len > 0) {
		const char *end = memchr(msg, '\n', len);
		size_t linelen = end != NULL ? (size_t)(end - msg) : len;

		if (line_is(msg, linelen, "READY=1"))
			out->ready = true;
		else if (line_is(msg, linelen, "STOPPING=1"))
			out->stopping = true;
		else if (line_is(msg, linelen, "RELOADING=1"))
			out->reloading = true;
		else if (linelen >= 7 && memcmp(msg, "STATUS=", 7) == 0)
			copy_status(out, msg + 7, linelen - 7);
		msg += linelen;
		len -= linelen;
		if (len > 0) {
			msg++;
			len--;
		}
	}
	return 0;
}
