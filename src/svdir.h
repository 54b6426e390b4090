/* Service-directory files: parsing and reading with safe defaults. */
#ifndef HOTSV_SVDIR_H
#define HOTSV_SVDIR_H

#include <stdbool.h>
#include <stddef.h>

struct user_spec;

/* The longest value file we read; anything longer is rejected. */
#define SVFILE_MAX 256

int svparse_uint(const char *text, size_t len, unsigned long max,
    unsigned long *out, const char **why);
int svparse_signal(const char *text, size_t len, int *out, const char **why);
void svparse_quote(char *out, size_t outsize, const char *in, size_t len);
int svfile_read(const char *dir, const char *name, char *buf, size_t size,
    size_t *len, const char **why);
bool svfile_exists(const char *dir, const char *name);
unsigned long svdir_uint(
    const char *dir, const char *name, unsigned long def, unsigned long max);
int svdir_signal(const char *dir, const char *name, int def);
int svdir_notification_fd(const char *dir);
bool svdir_has_readiness(const char *dir);
int svdir_user(const char *dir, struct user_spec *user);

#endif
