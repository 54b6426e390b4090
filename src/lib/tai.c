/*
 * TAI64N: an 8-byte label 2^62 + TAI seconds and 4 bytes of nanoseconds,
 * big-endian.  Like skalibs built without a TAI clock, we take the system
 * clock as UTC and add the 37 seconds TAI has been ahead since 2017.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lib/bigendian.h"
#include "lib/tai.h"

#define TAI64_BASE ((uint64_t)1 << 62)
#define TAI_MINUS_UTC 37

/* Pack a UTC time as TAI64N. */
void
tai64n_pack(unsigned char out[TAI64N_PACK], const struct timespec *utc)
{
	be64_put(out, TAI64_BASE + TAI_MINUS_UTC + (uint64_t)utc->tv_sec);
	be32_put(out + 8, (uint32_t)utc->tv_nsec);
}

/* Unpack TAI64N into a UTC time. */
void
tai64n_unpack(const unsigned char in[TAI64N_PACK], struct timespec *utc)
{
	uint64_t label = be64_get(in);
	uint32_t nano = be32_get(in + 8);

	utc->tv_sec = (time_t)(label - TAI64_BASE - TAI_MINUS_UTC);
	utc->tv_nsec = nano < 1000000000 ? (long)nano : 0;
}

/* Write the "@" + 24 hex digits text form used by s6-log and svlogd. */
void
tai64n_format(char out[TAI64N_TEXT + 1], const struct timespec *utc)
{
	unsigned char packed[TAI64N_PACK];
	static const char hex[] = "0123456789abcdef";

	tai64n_pack(packed, utc);
	out[0] = '@';
	for (int i = 0; i < TAI64N_PACK; i++) {
		out[1 + 2 * i] = hex[packed[i] >> 4];
		out[2 + 2 * i] = hex[packed[i] & 0xf];
	}
	out[TAI64N_TEXT] = '\0';
}

/* Return the value of one hex digit, or -1. */
static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse the text form back; returns 0, or -1 if it is not TAI64N. */
int
tai64n_parse(const char *text, struct timespec *utc)
{
	unsigned char packed[TAI64N_PACK];

	if (text[0] != '@' || strlen(text) != TAI64N_TEXT)
		return -1;
	for (int i = 0; i < TAI64N_PACK; i++) {
		int high = hex_digit(text[1 + 2 * i]);
		int low = hex_digit(text[2 + 2 * i]);

		if (high < 0 || low < 0)
			return -1;
		packed[i] = (unsigned char)(high << 4 | low);
	}
	if (be32_get(packed + 8) >= 1000000000)
		return -1;
	/*
	 * TAI64 keeps labels from 2^63 on for extensions.  As time_t they
	 * wrap to dates before all others: such an archive name would sort
	 * last yet be the oldest, and the one that reads as the largest
	 * time_t would make archive_next_name overflow it.
	 */
	if (packed[0] & 0x80)
		return -1;
	tai64n_unpack(packed, utc);
	return 0;
}
