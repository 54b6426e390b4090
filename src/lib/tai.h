/* TAI64N timestamps, as in s6's status and death_tally files. */
#ifndef HOTSV_LIB_TAI_H
#define HOTSV_LIB_TAI_H

#include <stddef.h>
#include <time.h>

#define TAI64N_PACK 12
#define TAI64N_TEXT 25 /* "@" and 24 hex digits */

void tai64n_pack(unsigned char out[TAI64N_PACK], const struct timespec *utc);
void tai64n_unpack(const unsigned char in[TAI64N_PACK], struct timespec *utc);
void tai64n_format(char out[TAI64N_TEXT + 1], const struct timespec *utc);
int tai64n_parse(const char *text, struct timespec *utc);

#endif
