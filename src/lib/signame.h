/* Signal names and numbers, both ways. */
#ifndef HOTSV_LIB_SIGNAME_H
#define HOTSV_LIB_SIGNAME_H

#include <stddef.h>

int signame_parse(const char *text, size_t len);
const char *signame_of(int sig);

#endif
