/* The "dependencies" file: services that must be ready first. */
#ifndef HOTSV_SV_DEPENDENCIES_H
#define HOTSV_SV_DEPENDENCIES_H

#include <stddef.h>

#define DEPS_MAX 64

int deps_parse(
    const char *text, size_t len, char *names[], int max, const char **why);

#endif
