/*
 * Names and notes shown by hotsv: valid UTF-8 as it is, control
 * characters and bytes that are not UTF-8 escaped, for a terminal or for
 * a JSON string.
 */
#ifndef HOTSV_LIB_ESCAPE_H
#define HOTSV_LIB_ESCAPE_H

#include <stddef.h>

/* Room enough for any escaping of len bytes, with the NUL. */
#define ESCAPE_TERMINAL_SIZE(len) (4 * (len) + 1)
#define ESCAPE_JSON_SIZE(len) (6 * (len) + 1)

size_t utf8_length(const unsigned char *p);
size_t escape_terminal(const char *text, char *out, size_t size);
void escape_json(const char *text, char *out, size_t size);
size_t escape_json_bytes(const char *text, size_t len, char *out, size_t size);

#endif
