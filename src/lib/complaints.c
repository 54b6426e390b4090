/*
 * Lines of complaint about files (a bad env/ file, a limit that could
 * not be applied), gathered while a child is prepared, so that the
 * caller can say them all, or keep quiet when it said the same lines
 * last time (a service restarting every second with one bad file).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/complaints.h"
#include "lib/xmalloc.h"

/* Add one line of complaint. */
void
complain(struct complaints *c, const char *fmt, ...)
{
	va_list ap;
	char *line;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (len < 0)
		fatal("vasprintf");
	c->text = xreallocarray(c->text, c->len + (size_t)len + 2, 1);
	memcpy(c->text + c->len, line, (size_t)len);
	c->len += (size_t)len;
	c->text[c->len++] = '\n';
	c->text[c->len] = '\0';
	free(line);
}

/* FNV-1a of all the lines: equal lines, equal hash (none: 0). */
uint32_t
complaints_hash(const struct complaints *c)
{
	uint32_t hash = 2166136261U;

	if (c->len == 0)
		return 0;
	for (size_t i = 0; i < c->len; i++)
		hash = (hash ^ (unsigned char)c->text[i]) * 16777619U;
	return hash == 0 ? 1 : hash;
}

/* Log each line as a warning. */
void
complaints_say(const struct complaints *c)
{
	const char *line = c->text;

	while (line != NULL && *line != '\0') {
		const char *end = strchr(line, '\n');

		log_warnx("%.*s", (int)(end - line), line);
		line = end + 1;
	}
}

/* Forget every line. */
void
complaints_free(struct complaints *c)
{
	free(c->text);
	c->text = NULL;
	c->len = 0;
}
