/*
 * libFuzzer target: the parsers behind the service-directory files.  The
 * first byte picks one: svparse_uint (timeout-kill, timeout-finish,
 * notification-fd...), svparse_signal (down-signal), svparse_quote (the
 * text shown in warnings), deps_parse (dependencies) or tai64n_parse.
 * The text given to each is the rest of the input, exactly as long as
 * it says, so that AddressSanitizer sees any read past it.  Each result
 * is checked against what the text says, worked out independently.
 */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/signame.h"
#include "lib/tai.h"
#include "sv/dependencies.h"
#include "sv/files.h"
#include "sv/values.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Say whether c is one of the blanks value files may have around them. */
static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Drop the blanks src/sv/values.c trims from both ends. */
static void
strip(const char **text, size_t *len)
{
	while (*len > 0 && is_blank(**text)) {
		(*text)++;
		(*len)--;
	}
	while (*len > 0 && is_blank((*text)[*len - 1]))
		(*len)--;
}

/* Say whether text is len decimal digits, len > 0. */
static bool
all_digits(const char *text, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (text[i] < '0' || text[i] > '9')
			return false;
	return true;
}

/* Compare decimal digit strings as numbers: <0, 0 or >0. */
static int
decimal_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen > 1 && a[0] == '0') {
		a++;
		alen--;
	}
	while (blen > 1 && b[0] == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

/* svparse_uint: the first 8 bytes are max, the rest the text. */
static void
fuzz_uint(const uint8_t *data, size_t size)
{
	const char *text, *why = NULL, *t;
	unsigned long max = 0, out = 12345;
	char maxtext[32], outtext[32];
	size_t len, tlen;
	int r;

	if (size < 8)
		return;
	for (int i = 0; i < 8; i++)
		max = max << 8 | data[i];
	text = (const char *)data + 8;
	len = size - 8;
	r = svparse_uint(text, len, max, &out, &why);

	t = text;
	tlen = len;
	strip(&t, &tlen);
	snprintf(maxtext, sizeof maxtext, "%lu", max);
	snprintf(outtext, sizeof outtext, "%lu", out);
	switch (r) {
	case 0:
		/* The value written is the value the digits say. */
		if (!all_digits(t, tlen) || out > max ||
		    decimal_cmp(t, tlen, outtext, strlen(outtext)) != 0)
			abort();
		break;
	case 1:
		/* Too large: max in its place, and the digits exceed it. */
		if (why == NULL || !all_digits(t, tlen) || out != max ||
		    decimal_cmp(t, tlen, maxtext, strlen(maxtext)) <= 0)
			abort();
		break;
	case -1:
		if (why == NULL || all_digits(t, tlen))
			abort();
		break;
	default:
		abort();
	}
}

/* svparse_signal: a name or a number, and nothing else, is a signal. */
static void
fuzz_signal(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *why = NULL, *t = text, *name;
	size_t tlen = size;
	char last[16];
	int sig = -7, r;

	r = svparse_signal(text, size, &sig, &why);
	strip(&t, &tlen);
	snprintf(last, sizeof last, "%d", SIGRTMAX);
	if (r == -1) {
		/* Refused: not a number from 1 to SIGRTMAX, at least. */
		if (why == NULL || sig != -7 ||
		    (all_digits(t, tlen) && decimal_cmp(t, tlen, "1", 1) >= 0 &&
		        decimal_cmp(t, tlen, last, strlen(last)) <= 0))
			abort();
		return;
	}
	if (r != 0 || sig < 1 || sig > SIGRTMAX)
		abort();
	if (all_digits(t, tlen)) {
		char number[16];

		snprintf(number, sizeof number, "%d", sig);
		if (decimal_cmp(t, tlen, number, strlen(number)) != 0)
			abort();
		return;
	}
	/* A name: one from the table, spelt as given but for case. */
	if ((name = signame_of(sig)) == NULL ||
	    signame_parse(name, strlen(name)) != sig ||
	    signame_parse(name + 3, strlen(name) - 3) != sig)
		abort();
	if (memchr(t, '\0', tlen) != NULL)
		abort();
	if (tlen > 3 && strncasecmp(t, "SIG", 3) == 0 &&
	    signame_parse(t + 3, tlen - 3) != sig)
		abort();
}

/* Return the value of a lower-case hex digit, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Say whether the n bytes of a quoted text show only printable ASCII and
 * unescape to the first *got bytes (at most 32) of in.
 */
static bool
unquotes_to_prefix(
    const char *out, size_t n, const char *in, size_t len, size_t *got)
{
	size_t used = 0;

	for (*got = 0; used < n; (*got)++) {
		unsigned char c = (unsigned char)out[used];

		if (c < 0x20 || c >= 0x7f || c == '"')
			return false;
		if (c == '\\') {
			int high, low;

			if (n - used < 4 || out[used + 1] != 'x' ||
			    (high = hex_value(out[used + 2])) < 0 ||
			    (low = hex_value(out[used + 3])) < 0)
				return false;
			c = (unsigned char)(high << 4 | low);
			used += 4;
		} else
			used++;
		if (*got >= 32 || *got >= len || (unsigned char)in[*got] != c)
			return false;
	}
	return true;
}

/*
 * svparse_quote into an output exactly outsize bytes long (the first
 * byte picks 1 to 256): the result is terminated, shows only printable
 * ASCII, and unescapes to the start of the input (at most 32 bytes),
 * then "..." if the input was longer.  With the room warn_bad gives it
 * (160 bytes) nothing is dropped.
 */
static void
fuzz_quote(const uint8_t *data, size_t size)
{
	const char *in;
	size_t outsize, len, shown, got;
	bool whole, cut;
	char *out;

	if (size < 1)
		return;
	outsize = (size_t)data[0] + 1;
	in = (const char *)data + 1;
	len = size - 1;
	if ((out = malloc(outsize)) == NULL)
		abort();
	memset(out, 'Z', outsize);
	svparse_quote(out, outsize, in, len);
	if ((shown = strnlen(out, outsize)) == outsize)
		abort();
	whole = unquotes_to_prefix(out, shown, in, len, &got);
	cut = !whole && len > 32 && shown >= 3 &&
	    memcmp(out + shown - 3, "...", 3) == 0 &&
	    unquotes_to_prefix(out, shown - 3, in, len, &got);
	if (!whole && !cut)
		abort();
	if (outsize >= 160 && (len > 32 ? !cut || got != 32 : got != len))
		abort();
	free(out);
}

/* Say whether c is a blank deps_parse trims from a line. */
static bool
deps_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * deps_parse, max from the first byte (0 to DEPS_MAX): the names are the
 * lines that hold something other than blanks and do not start with #,
 * trimmed, in order; any that cannot be a service name (slash, leading
 * dot, NUL byte, over 255 bytes), or more than max, and the file is
 * refused with nothing allocated.
 */
static void
fuzz_deps(const uint8_t *data, size_t size)
{
	char *names[DEPS_MAX];
	const char *text, *why = NULL, *p;
	size_t len, left;
	int max, count, want = 0;
	bool bad = false;

	if (size < 1)
		return;
	max = data[0] % (DEPS_MAX + 1);
	text = (const char *)data + 1;
	len = size - 1;
	memset(names, 0, sizeof names);
	count = deps_parse(text, len, names, max, &why);

	for (p = text, left = len; left > 0;) {
		const char *nl = memchr(p, '\n', left);
		size_t linelen = nl != NULL ? (size_t)(nl - p) : left;
		const char *name = p;
		size_t namelen = linelen;

		while (namelen > 0 && deps_blank(name[0])) {
			name++;
			namelen--;
		}
		while (namelen > 0 && deps_blank(name[namelen - 1]))
			namelen--;
		if (namelen > 0 && name[0] != '#') {
			if (namelen > 255 || name[0] == '.' ||
			    memchr(name, '/', namelen) != NULL ||
			    memchr(name, '\0', namelen) != NULL || want == max)
				bad = true;
			else if (count >= 0 &&
			    (want >= count || strlen(names[want]) != namelen ||
			        memcmp(names[want], name, namelen) != 0))
				abort();
			want++;
		}
		p += linelen + (nl != NULL);
		left -= linelen + (nl != NULL);
	}
	if (bad) {
		/* LeakSanitizer tells if a name was left allocated. */
		if (count != -1 || why == NULL)
			abort();
		return;
	}
	if (count != want)
		abort();
	for (int i = 0; i < count; i++)
		free(names[i]);
}

/*
 * tai64n_parse on the input as a C string: refused unless it is "@" and
 * 24 hex digits with nanoseconds below 10^9, accepted when it is and the
 * label is below 2^63 (TAI64 keeps those above for extensions; a parser
 * may refuse them); once accepted it formats back to the same text in
 * lower case.
 */
static void
fuzz_tai(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), lower[TAI64N_TEXT + 1];
	char back[TAI64N_TEXT + 1];
	struct timespec ts = {-1, -1};
	bool shaped;
	int r;

	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	r = tai64n_parse(text, &ts);

	shaped = text[0] == '@' && strlen(text) == TAI64N_TEXT;
	for (int i = 1; shaped && i < TAI64N_TEXT; i++) {
		char c = text[i];

		lower[i] = c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c;
		shaped = hex_value(lower[i]) >= 0;
	}
	/* 10^9 is 3b9aca00. */
	if (shaped && strncmp(lower + 17, "3b9aca00", 8) >= 0)
		shaped = false;
	if ((r == 0 && !shaped) || (r != 0 && r != -1) ||
	    (r == -1 && shaped && hex_value(lower[1]) < 8))
		abort();
	if (r == 0) {
		lower[0] = '@';
		lower[TAI64N_TEXT] = '\0';
		if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			abort();
		tai64n_format(back, &ts);
		if (strcmp(back, lower) != 0)
			abort();
	}
	free(text);
}

/* Entry point: the first byte picks the parser. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 5) {
	case 0:
		fuzz_uint(data + 1, size - 1);
		break;
	case 1:
		fuzz_signal(data + 1, size - 1);
		break;
	case 2:
		fuzz_quote(data + 1, size - 1);
		break;
	case 3:
		fuzz_deps(data + 1, size - 1);
		break;
	case 4:
		fuzz_tai(data + 1, size - 1);
		break;
	}
	return 0;
}
