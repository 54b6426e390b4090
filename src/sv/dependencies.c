/*
 * Parsing a service's "dependencies" file: one service name per line.
 * Blank lines and lines starting with "#" are skipped; blanks around a
 * name are trimmed.  A name must be one that can live in the scan
 * directory: no "/", not starting with ".", at most 255 bytes.
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sv/dependencies.h"

/* Say whether c is a blank around a name (a NUL byte is not). */
static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Say whether a trimmed name can be a service in the scan directory. */
static const char *
name_problem(const char *name, size_t len)
{
	if (len > 255)
		return "a name longer than 255 bytes";
	if (name[0] == '.')
		return "a name starting with a dot";
	if (memchr(name, '/', len) != NULL)
		return "a name with a slash";
	if (memchr(name, '\0', len) != NULL)
		return "a NUL byte";
	return NULL;
}

/*
 * Fill names with up to max newly allocated names.  Returns how many,
 * or -1 with *why (nothing allocated) when the file is unusable.
 */
int
deps_parse(
    const char *text, size_t len, char *names[], int max, const char **why)
{
	int count = 0;

	while (len > 0) {
		const char *end = memchr(text, '\n', len);
		size_t linelen = end != NULL ? (size_t)(end - text) : len;
		const char *name = text;
		size_t namelen = linelen;

		/* strchr(" \t\r", c) would take a NUL byte for a blank. */
		while (namelen > 0 && blank(name[0])) {
			name++;
			namelen--;
		}
		while (namelen > 0 && blank(name[namelen - 1]))
			namelen--;
		if (namelen > 0 && name[0] != '#') {
			*why = name_problem(name, namelen);
			if (*why == NULL && count == max)
				*why = "too many names";
			if (*why == NULL &&
			    (names[count] = strndup(name, namelen)) == NULL)
				*why = "out of memory";
			if (*why != NULL) {
				while (count > 0)
					free(names[--count]);
				return -1;
			}
			count++;
		}
		text += linelen + (end != NULL);
		len -= linelen + (end != NULL);
	}
	return count;
}
