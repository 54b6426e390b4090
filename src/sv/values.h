/* The values of service-directory files: numbers and signal names. */
#ifndef HOTSV_SV_VALUES_H
#define HOTSV_SV_VALUES_H

#include <stddef.h>

void svparse_trim(const char **text, size_t *len);
int svparse_uint(const char *text, size_t len, unsigned long max,
    unsigned long *out, const char **why);
int svparse_signal(const char *text, size_t len, int *out, const char **why);
void svparse_quote(char *out, size_t outsize, const char *in, size_t len);

#endif
