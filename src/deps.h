/* The "dependencies" file: services that must be ready first. */
#ifndef HOTSV_DEPS_H
#define HOTSV_DEPS_H

#include <stddef.h>

#define DEPS_MAX 64

int deps_parse(
    const char *text, size_t len, char *names[], int max, const char **why);

#endif
