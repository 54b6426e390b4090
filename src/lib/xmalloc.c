/*
 * Allocation wrappers: callers never check for NULL.  hotsv-scan, which
 * may be PID 1, does not use them on its long-running paths.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

/* Allocate size bytes or die. */
void *
xmalloc(size_t size)
{
	void *ptr = malloc(size == 0 ? 1 : size);

	if (ptr == NULL)
		fatal("malloc %zu bytes", size);
	return ptr;
}

/* Allocate a zeroed array or die. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void *ptr = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);

	if (ptr == NULL)
		fatal("calloc %zu x %zu bytes", nmemb, size);
	return ptr;
}

/* Resize an array, checking the multiplication, or die. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *newptr =
	    reallocarray(ptr, nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);

	if (newptr == NULL)
		fatal("reallocarray %zu x %zu bytes", nmemb, size);
	return newptr;
}

/* Copy a string or die. */
char *
xstrdup(const char *str)
{
	char *copy = strdup(str);

	if (copy == NULL)
		fatal("strdup");
	return copy;
}

/* Print into a new string or die; returns its length. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (len < 0)
		fatal("vasprintf");
	return len;
}
