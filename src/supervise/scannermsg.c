/*
 * Messages to a supervisor, besides control letters: from hotsv-scan on
 * the report socket ("G": a held service may start; "W" and a name: what
 * it waits for; "X", a pid and a wait status: an adopted run was reaped;
 * "D" and a descriptor: the service directory is now that one).  What a
 * held run waits for is kept in supervise/waiting for hotsv status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/log.h"
#include "supervise/supervise.h"

/* Release a held service: start run if it is wanted up. */
static void
release(struct supervisor *s)
{
	struct machine_effects fx;

	if (!s->held)
		return;
	s->held = false;
	unlinkat(s->supfd, "waiting", 0);
	if (s->m.phase == PHASE_DOWN && s->m.status.wantup) {
		machine_timeout(&s->m, &fx);
		supervise_apply(s, &fx);
	}
}

/*
 * hotsv-scan says the service directory is now dirfd (a ConfigMap's
 * "..data" swapped to a copy): hold that one instead, under the same
 * descriptor number.  supervise/ stays where it is.
 */
static void
replace_directory(struct supervisor *s, int dirfd)
{
	struct stat sb;

	if (fstat(dirfd, &sb) < 0 || !S_ISDIR(sb.st_mode))
		log_warnx("hotsv-scan passed a descriptor that is not a "
		          "directory: ignored");
	else if (dup3(dirfd, s->svcdirfd, O_CLOEXEC) < 0)
		log_warn("take the new service directory");
	else {
		log_debug("service directory replaced");
		s->gone = false;
		/* The run is this directory's now, for a later adoption. */
		if (s->runpid > 0)
			adopt_record(s, s->runpid);
	}
	close(dirfd);
}

/*
 * Read what hotsv-scan sent on the report socket.  Once it is gone, go
 * on alone until another connects to supervise/report.  A descriptor
 * that comes with anything but "D" is closed.
 */
void
supmsg_from_scanner(struct supervisor *s)
{
	char msg[320];
	ssize_t got;
	int passed;

	while (
	    (got = report_recv(s->report.fd, msg, sizeof msg, &passed)) > 0) {
		if (msg[0] == REPORT_DIR && got == 1 && passed >= 0) {
			replace_directory(s, passed);
			continue;
		}
		if (passed >= 0)
			close(passed);
		if (msg[0] == 'G')
			release(s);
		else if (msg[0] == 'X' && got == 1 + 2 * sizeof(int32_t)) {
			int32_t pid, wstat;

			memcpy(&pid, msg + 1, sizeof pid);
			memcpy(&wstat, msg + 1 + sizeof pid, sizeof wstat);
			adopt_reaped(s, (pid_t)pid, (int)wstat);
		} else if (msg[0] == 'W' && s->held &&
		    file_replace(
		        s->supfd, "waiting", msg + 1, (size_t)got - 1) < 0)
			log_warn("write %s/waiting", s->paths.supdir);
	}
	if (got == 0 || (errno != EAGAIN && errno != EINTR))
		report_close(&s->report);
}

/* A hotsv-scan connected to supervise/report: tell it where we stand. */
void
supmsg_scanner_back(struct supervisor *s)
{
	if (report_accept(&s->report, s->report_listenfd)) {
		alone_unwatch(s);
		report_status(&s->report, &s->m.status);
	}
}
