/* Clocks, absolute deadlines and the ppoll wait. */
#ifndef HOTSV_LIB_LOOP_H
#define HOTSV_LIB_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <time.h>

/* An absolute CLOCK_MONOTONIC time, or none: all zero means "never". */
struct deadline {
	bool set;
	struct timespec at;
};

void clock_real(struct timespec *);
void clock_mono(struct timespec *);
void deadline_never(struct deadline *);
bool deadline_is_set(const struct deadline *);
void deadline_in_ms(struct deadline *, unsigned long ms);
bool deadline_passed(const struct deadline *, const struct timespec *now);
void deadline_earliest(struct deadline *, const struct deadline *other);
long long timespec_diff_ms(
    const struct timespec *later, const struct timespec *earlier);
int loop_wait(struct pollfd *fds, nfds_t nfds, const struct deadline *);

#endif
