/* Big-endian packing of the integers in s6's binary formats. */
#ifndef HOTSV_LIB_BIGENDIAN_H
#define HOTSV_LIB_BIGENDIAN_H

#include <stdint.h>

/* Store a 64-bit value most significant byte first. */
static inline void
be64_put(unsigned char *out, uint64_t value)
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(value & 0xff);
		value >>= 8;
	}
}

/* Load a 64-bit value stored most significant byte first. */
static inline uint64_t
be64_get(const unsigned char *in)
{
	uint64_t value = 0;

	for (int i = 0; i < 8; i++)
		value = value << 8 | in[i];
	return value;
}

/* Store a 32-bit value most significant byte first. */
static inline void
be32_put(unsigned char *out, uint32_t value)
{
	for (int i = 3; i >= 0; i--) {
		out[i] = (unsigned char)(value & 0xff);
		value >>= 8;
	}
}

/* Load a 32-bit value stored most significant byte first. */
static inline uint32_t
be32_get(const unsigned char *in)
{
	return (uint32_t)in[0] << 24 | (uint32_t)in[1] << 16 |
	    (uint32_t)in[2] << 8 | in[3];
}

#endif
