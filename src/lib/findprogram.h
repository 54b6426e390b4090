/* Finding a program to exec. */
#ifndef HOTSV_LIB_FINDPROGRAM_H
#define HOTSV_LIB_FINDPROGRAM_H

#include <stddef.h>

const char *find_in_path(const char *name, char *buf, size_t size);
const char *find_our_program(const char *name, char *buf, size_t size);

#endif
