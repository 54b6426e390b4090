/*
 * Escaping for people and for programs.  A terminal gets valid UTF-8 as
 * it is, so that "café" reads as such, and \xNN for every byte of a
 * control character (C0, DEL, C1) or of a sequence that is not UTF-8,
 * and for a backslash, so that the escaped text maps back to one name.
 * JSON gets the same characters as \u00XX, and each byte that is not
 * UTF-8 as the character of that value (U+0080 to U+00FF), so that the
 * line stays strict UTF-8 and valid JSON; a log line's NUL bytes too.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/escape.h"

/* A range of code points. */
struct cp_range {
	uint32_t first, last;
};

/* Combining and zero-width characters: no column of their own. */
static const struct cp_range escape_zero_width[] = {
    {0x0300, 0x036f},
    {0x0483, 0x0489},
    {0x0591, 0x05bd},
    {0x0610, 0x061a},
    {0x064b, 0x065f},
    {0x1ab0, 0x1aff},
    {0x1dc0, 0x1dff},
    {0x200b, 0x200f},
    {0x20d0, 0x20ff},
    {0xfe00, 0xfe0f},
    {0xfe20, 0xfe2f},
};

/* East Asian wide and fullwidth characters, and emoji: two columns. */
static const struct cp_range escape_wide[] = {
    {0x1100, 0x115f},
    {0x2e80, 0x303e},
    {0x3041, 0x33ff},
    {0x3400, 0x4dbf},
    {0x4e00, 0x9fff},
    {0xa000, 0xa4cf},
    {0xac00, 0xd7a3},
    {0xf900, 0xfaff},
    {0xfe30, 0xfe4f},
    {0xff00, 0xff60},
    {0xffe0, 0xffe6},
    {0x1f300, 0x1f64f},
    {0x1f900, 0x1f9ff},
    {0x20000, 0x2fffd},
    {0x30000, 0x3fffd},
};

/*
 * The length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlong form, no surrogate, nothing past U+10FFFF), or 0.  p is
 * NUL-terminated, and a NUL byte ends the tests before reading past it.
 */
size_t
utf8_length(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		hi = p[0] == 0xed ? 0x9f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3
		                                                         : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 &&
		        (p[3] & 0xc0) == 0x80
		    ? 4
		    : 0;
	}
	return 0;
}

/* The code point of a well-formed sequence of len bytes. */
static uint32_t
code_point(const unsigned char *p, size_t len)
{
	static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp = p[0] & lead_mask[len];

	for (size_t i = 1; i < len; i++)
		cp = cp << 6 | (p[i] & 0x3f);
	return cp;
}

/* Say whether cp is in one of n ranges. */
static bool
in_ranges(uint32_t cp, const struct cp_range *ranges, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= ranges[i].first && cp <= ranges[i].last)
			return true;
	return false;
}

/* Say whether cp is a control character: C0, DEL or C1. */
static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* The columns a printable character takes on a terminal. */
static size_t
columns_of(uint32_t cp)
{
	if (in_ranges(cp, escape_zero_width,
	        sizeof escape_zero_width / sizeof escape_zero_width[0]))
		return 0;
	if (in_ranges(
	        cp, escape_wide, sizeof escape_wide / sizeof escape_wide[0]))
		return 2;
	return 1;
}

/* An output buffer that never overflows: what does not fit is dropped. */
struct outbuf {
	char *at;
	size_t room; /* bytes left, the NUL included */
	bool full;   /* something did not fit: nothing more goes in */
};

/* Append len bytes, whole or not at all. */
static void
put(struct outbuf *ob, const void *data, size_t len)
{
	if (ob->full || len >= ob->room) {
		ob->full = true;
		return;
	}
	for (size_t i = 0; i < len; i++)
		ob->at[i] = ((const char *)data)[i];
	ob->at += len;
	ob->room -= len;
}

/* Append bytes as \xNN each. */
static void
put_hex(struct outbuf *ob, const unsigned char *p, size_t len)
{
	char hex[5];

	for (size_t i = 0; i < len; i++) {
		snprintf(hex, sizeof hex, "\\x%02x", p[i]);
		put(ob, hex, 4);
	}
}

/*
 * Escape text for a terminal into out (ESCAPE_TERMINAL_SIZE(strlen(text))
 * bytes hold any text; a smaller out gets a truncated copy).  Returns the
 * columns the copy takes on a terminal.
 */
size_t
escape_terminal(const char *text, char *out, size_t size)
{
	struct outbuf ob = {out, size, false};
	const unsigned char *p = (const unsigned char *)text;
	size_t columns = 0, width;

	if (size == 0)
		return 0;
	while (*p != '\0' && !ob.full) {
		size_t len = utf8_length(p);
		uint32_t cp = len > 0 ? code_point(p, len) : 0;

		if (len == 0 || is_control(cp) || cp == '\\') {
			len = len > 0 ? len : 1;
			put_hex(&ob, p, len);
			width = 4 * len;
		} else {
			put(&ob, p, len);
			width = columns_of(cp);
		}
		if (!ob.full)
			columns += width;
		p += len;
	}
	*ob.at = '\0';
	return columns;
}

/*
 * The length of the well-formed UTF-8 sequence at p, of which left bytes
 * may be read (a line may hold NUL bytes and need not end with one).
 */
static size_t
utf8_length_within(const unsigned char *p, size_t left)
{
	unsigned char seq[4] = {0};

	for (size_t i = 0; i < 4 && i < left; i++)
		seq[i] = p[i];
	/* A NUL of the text is a character of its own (below 0x80). */
	return utf8_length(seq);
}

/*
 * Escape len bytes of text, NUL bytes included, as the inside of a JSON
 * string into out (ESCAPE_JSON_SIZE(len) bytes hold any text; a smaller
 * out gets a truncated copy).  Returns the length written, without the
 * NUL that ends it.
 */
size_t
escape_json_bytes(const char *text, size_t len, char *out, size_t size)
{
	struct outbuf ob = {out, size, false};
	const unsigned char *p = (const unsigned char *)text;
	const unsigned char *end = p + len;
	char esc[7];

	if (size == 0)
		return 0;
	while (p < end && !ob.full) {
		size_t seqlen = utf8_length_within(p, (size_t)(end - p));
		uint32_t cp = seqlen > 0 ? code_point(p, seqlen) : *p;

		if (seqlen == 0 || is_control(cp)) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned int)cp);
			put(&ob, esc, 6);
		} else if (cp == '"' || cp == '\\') {
			esc[0] = '\\';
			esc[1] = (char)cp;
			put(&ob, esc, 2);
		} else
			put(&ob, p, seqlen);
		p += seqlen > 0 ? seqlen : 1;
	}
	*ob.at = '\0';
	return (size_t)(ob.at - out);
}

/*
 * Escape text as the inside of a JSON string into out
 * (ESCAPE_JSON_SIZE(strlen(text)) bytes hold any text).
 */
void
escape_json(const char *text, char *out, size_t size)
{
	escape_json_bytes(text, strlen(text), out, size);
}
