/*
 * Parsing the values of service-directory files (timeout-finish,
 * down-signal, ...): decimal numbers and signal names, surrounded by
 * optional blanks, and quoting what was read for a warning.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/signame.h"
#include "sv/values.h"

/* Say whether c is a blank or a newline (a NUL byte is not). */
static bool
blank(char c)
{
	return c != '\0' && strchr(" \t\r\n", c) != NULL;
}

/* Skip leading and trailing blanks and newlines. */
void
svparse_trim(const char **text, size_t *len)
{
	while (*len > 0 && blank((*text)[0])) {
		(*text)++;
		(*len)--;
	}
	while (*len > 0 && blank((*text)[*len - 1]))
		(*len)--;
}

/*
 * Parse a decimal unsigned integer surrounded by optional blanks.
 * Returns 0; or -1 with *why when invalid; or 1 with *why and *out = max
 * when the value is larger than max.
 */
int
svparse_uint(const char *text, size_t len, unsigned long max,
    unsigned long *out, const char **why)
{
	unsigned long value = 0, digit;
	bool overflow = false;

	svparse_trim(&text, &len);
	if (len == 0) {
		*why = "empty";
		return -1;
	}
	if (text[0] == '-') {
		*why = "negative";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9') {
			*why =
			    i == 0 ? "not a number" : "junk after the number";
			return -1;
		}
		digit = (unsigned long)(text[i] - '0');
		if (value > (ULONG_MAX - digit) / 10)
			overflow = true; /* reported as too large */
		else
			value = value * 10 + digit;
	}
	if (overflow || value > max) {
		*why = "too large";
		*out = max;
		return 1;
	}
	*out = value;
	return 0;
}

/* Parse a signal name or number; returns 0, or -1 with *why. */
int
svparse_signal(const char *text, size_t len, int *out, const char **why)
{
	int sig;

	svparse_trim(&text, &len);
	if (len == 0) {
		*why = "empty";
		return -1;
	}
	sig = signame_parse(text, len);
	if (sig < 0) {
		*why = "unknown signal";
		return -1;
	}
	*out = sig;
	return 0;
}

/* Copy up to 32 bytes of text for a message, escaping what is not shown. */
void
svparse_quote(char *out, size_t outsize, const char *in, size_t len)
{
	size_t used = 0;

	if (outsize == 0)
		return;
	for (size_t i = 0; i < len && i < 32 && used + 5 < outsize; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[used++] = (char)c;
		else
			used += (size_t)snprintf(
			    out + used, outsize - used, "\\x%02x", c);
	}
	if (len > 32 && used + 4 < outsize) {
		memcpy(out + used, "...", 3);
		used += 3;
	}
	out[used] = '\0';
}
