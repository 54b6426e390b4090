/*
 * Deadlines for the event loops.  Every timer is an absolute monotonic
 * time; the loop sleeps in ppoll until the earliest one, so nothing wakes
 * up while nothing is due.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>

#include "lib/log.h"
#include "lib/loop.h"

/* Read the wall clock (for status stamps). */
void
clock_real(struct timespec *now)
{
	clock_gettime(CLOCK_REALTIME, now);
}

/* Read the monotonic clock (for deadlines). */
void
clock_mono(struct timespec *now)
{
	clock_gettime(CLOCK_MONOTONIC, now);
}

/* Clear a deadline. */
void
deadline_never(struct deadline *dl)
{
	dl->set = false;
}

/* Say whether a deadline is set. */
bool
deadline_is_set(const struct deadline *dl)
{
	return dl->set;
}

/* Set a deadline ms milliseconds from now. */
void
deadline_in_ms(struct deadline *dl, unsigned long ms)
{
	dl->set = true;
	clock_mono(&dl->at);
	dl->at.tv_sec += (time_t)(ms / 1000);
	dl->at.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (dl->at.tv_nsec >= 1000000000L) {
		dl->at.tv_sec++;
		dl->at.tv_nsec -= 1000000000L;
	}
}

/* Say whether a set deadline is at or before now. */
bool
deadline_passed(const struct deadline *dl, const struct timespec *now)
{
	if (!deadline_is_set(dl))
		return false;
	return dl->at.tv_sec < now->tv_sec ||
	    (dl->at.tv_sec == now->tv_sec && dl->at.tv_nsec <= now->tv_nsec);
}

/* Make dl the earlier of itself and other. */
void
deadline_earliest(struct deadline *dl, const struct deadline *other)
{
	if (!deadline_is_set(other))
		return;
	if (!deadline_is_set(dl) || deadline_passed(other, &dl->at))
		*dl = *other;
}

/* Milliseconds from earlier to later (negative if later is earlier). */
long long
timespec_diff_ms(const struct timespec *later, const struct timespec *earlier)
{
	return (long long)(later->tv_sec - earlier->tv_sec) * 1000 +
	    (later->tv_nsec - earlier->tv_nsec) / 1000000;
}

/*
 * ppoll refuses more descriptors than RLIMIT_NOFILE (EINVAL), and
 * prlimit --pid can lower that limit under a running process: raise the
 * soft limit back to the size of the poll set, which the hard limit
 * allows if it allows the descriptors we hold.  Nothing more can be
 * opened with it (every number below it is taken), so the operator's
 * restriction stands.  Returns whether ppoll can be tried again.
 */
static bool
fit_poll_set(nfds_t nfds)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= nfds ||
	    (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < nfds))
		return false;
	rl.rlim_cur = nfds;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return false;
	log_warnx("open file limit below the %u descriptors polled: raised "
	          "to that",
	    (unsigned int)nfds);
	return true;
}

/*
 * Wait in ppoll until an fd is ready or the deadline passes.  Returns
 * ppoll's result; EINTR counts as 0.  Signals are blocked and read from
 * a signalfd, so no mask is passed.
 */
int
loop_wait(struct pollfd *fds, nfds_t nfds, const struct deadline *dl)
{
	struct timespec now, left, *timeout = NULL;
	int r;

	if (deadline_is_set(dl)) {
		clock_mono(&now);
		left.tv_sec = dl->at.tv_sec - now.tv_sec;
		left.tv_nsec = dl->at.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0)
			left.tv_sec = left.tv_nsec = 0;
		timeout = &left;
	}
	r = ppoll(fds, nfds, timeout, NULL);
	if (r < 0 && errno == EINVAL && fit_poll_set(nfds))
		r = ppoll(fds, nfds, timeout, NULL);
	if (r < 0 && errno == EINTR)
		return 0;
	return r;
}
