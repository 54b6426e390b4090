/*
 * What a child is set to before it execs, besides its descriptors and
 * user: resource limits, nice, oom_score_adj, umask.  Prepared by the
 * parent; applied in the vfork child by one call, which only makes
 * system calls and leaves each failure's errno here for the parent.
 */
#ifndef HOTSV_LIB_PROCSET_H
#define HOTSV_LIB_PROCSET_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#define PROCSET_LIMITS 16

/* One resource limit to set, and the errno setting it gave (0: done). */
struct procset_limit {
	int resource; /* RLIMIT_... */
	struct rlimit value;
	int err;
};

struct proc_settings {
	struct procset_limit limits[PROCSET_LIMITS];
	int nlimits;
	bool has_nice;
	int nice; /* absolute, -20..19 */
	int nice_err;
	bool has_oom;
	char oom_text[16]; /* what to write to /proc/self/oom_score_adj */
	int oom_err;
	bool has_umask;
	mode_t umask;
};

void procset_apply(struct proc_settings *);
void procset_set_limit(
    struct proc_settings *, int resource, const struct rlimit *);

#endif
