/*
 * What the benchmark helpers share (included by each after it defines
 * HELPER_NAME; they are compiled alone, each into one program).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *) __attribute__((noreturn));

/* The monotonic time in nanoseconds. */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Print a message and exit 111. */
static void
die(const char *what)
{
	fprintf(stderr, HELPER_NAME ": %s: %s\n", what, strerror(errno));
	exit(111);
}
