/*
 * Supervisors an earlier hotsv-scan left: found by the lock on their
 * supervise/, kept when they listen on supervise/report for a scanner,
 * else taken over (killed; the supervisor started in their place adopts
 * their run).
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/log.h"
#include "scan/scan.h"
#include "sv/report.h"
#include "sv/supervisedir.h"

/* How soon to look again at a watched supervisor running finish. */
#define FINISH_LOOK_MS 1000

/*
 * Take over a watched supervisor unless it is running finish (then look
 * again in a second): SIGKILL it.  Its run goes on; the supervisor we
 * start once its pidfd says it is gone adopts that run, and reports to
 * us, which the watched one cannot.
 */
void
instance_take_over(struct instance *in)
{
	struct sv_status st = {.pid = 0};

	if (status_read(in->supfd, &st) == 0 && st.finishing) {
		deadline_in_ms(&in->deadline, FINISH_LOOK_MS);
		return;
	}
	if (st.pid > 0)
		in->runpgid = st.pid;
	log_info("%s: taking over the supervisor %d an earlier hotsv-scan "
	         "left",
	    in->owner->name, (int)in->pid);
	kill(in->pid, SIGKILL);
}

/*
 * A supervisor that is not ours holds the lock of the directory dirfd:
 * one a hotsv-scan killed and replaced left running.  Connect to its
 * supervise/report and keep it: it reports to us from now on, and the
 * end of that socket tells us when it exits (it is not our child).
 * Without that socket (a supervisor from before it existed, no /proc),
 * watch it with a pidfd and take it over.  Returns whether there was
 * one.
 */
bool
instance_inherit(struct instance *in, int dirfd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = in};
	pid_t holder = 0;
	char name[NAME_MAX + 8];
	int supfd, fd;
	struct lc_arg arg;
	struct lc_effects fx;
	bool kept;

	instance_name(in, name, sizeof name);
	supfd = svpaths_locked(dirfd, hotsv_scanner.statedir, name, &holder);
	if (supfd < 0)
		return false;
	fd = report_connect(supfd);
	kept = fd >= 0;
	arg = (struct lc_arg){.kind = kept ? CHILD_KEPT : CHILD_WATCHED};
	if (!kept)
		fd = (int)syscall(SYS_pidfd_open, holder, 0);
	if (fd < 0 ||
	    epoll_ctl(hotsv_scanner.epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		if (fd >= 0)
			close(fd);
		close(supfd);
		return false;
	}
	instance_init(in, in->owner);
	svtable_set_pid(in, holder);
	lifecycle_event(&in->lc, LC_STARTED, &arg, &fx);
	in->reportfd = fd;
	in->supfd = supfd;
	clock_mono(&in->started);
	if (kept)
		log_info("%s: keeping the supervisor %d an earlier hotsv-scan "
		         "left",
		    in->owner->name, (int)holder);
	else
		instance_take_over(in);
	return true;
}
