/*
 * Applying a child's process settings (lib/procset.h).  procset_apply
 * runs in a vfork child, in our memory: system calls only, nothing
 * allocated, nothing written but the errno fields.  A setting that
 * fails is left out and the child goes on: the parent says which.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/procset.h"

/*
 * Apply every setting, before the child gives up root: raising a hard
 * limit needs CAP_SYS_RESOURCE, a negative nice CAP_SYS_NICE, lowering
 * oom_score_adj CAP_SYS_RESOURCE (proc(5)).
 */
void
procset_apply(struct proc_settings *ps)
{
	for (int i = 0; i < ps->nlimits; i++) {
		struct procset_limit *l = &ps->limits[i];

		l->err = setrlimit(l->resource, &l->value) < 0 ? errno : 0;
	}
	if (ps->has_nice)
		ps->nice_err =
		    setpriority(PRIO_PROCESS, 0, ps->nice) < 0 ? errno : 0;
	if (ps->has_oom) {
		int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
		size_t len = strlen(ps->oom_text);
		ssize_t wrote = fd < 0 ? -1 : write(fd, ps->oom_text, len);

		ps->oom_err = wrote == (ssize_t)len ? 0
		    : wrote < 0                     ? errno
		                                    : EIO;
		if (fd >= 0)
			close(fd);
	}
	if (ps->has_umask)
		umask(ps->umask);
}

/* Set (or replace) the limit of a resource. */
void
procset_set_limit(
    struct proc_settings *ps, int resource, const struct rlimit *value)
{
	int i = 0;

	while (i < ps->nlimits && ps->limits[i].resource != resource)
		i++;
	if (i == PROCSET_LIMITS)
		return;
	if (i == ps->nlimits)
		ps->nlimits++;
	ps->limits[i].resource = resource;
	ps->limits[i].value = *value;
	ps->limits[i].err = 0;
}
