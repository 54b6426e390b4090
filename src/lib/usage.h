/* What every program's command line shares: --help, --version. */
#ifndef HOTSV_LIB_USAGE_H
#define HOTSV_LIB_USAGE_H

#include <getopt.h>

/* The end of every long-option table. */
#define OPTIONS_COMMON                                                         \
	{"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, \
	{                                                                      \
		NULL, 0, NULL, 0                                               \
	}

void print_version(void);
__attribute__((noreturn)) void usage_exit(int opt, const char *usage);

#endif
