/*
 * Messages to a supervisor, besides control letters: from hotsv-scan on
 * the report socket (sv/channel.h): a held service may start, what it
 * waits for, an adopted run was reaped, the service directory is now
 * another, signal run, stop, drain, kill.  What a held run waits for is
 * kept in supervise/waiting for hotsv status.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* hotsv-scan asks what SIGTERM or SIGHUP would: stop, or drain. */
static void
asked(struct supervisor *s, enum machine_signal sig)
{
	struct machine_effects fx;

	s->scanner_stopped = true;
	machine_signal(&s->m, sig, &fx);
	supervise_apply(s, &fx);
}

/* Act on one message from hotsv-scan. */
static void
obey(struct supervisor *s, struct chan_msg *m)
{
	switch (m->type) {
	case CHAN_GO:
		release(s);
		break;
	case CHAN_WAITING:
		if (s->held &&
		    file_replace(
		        s->supfd, "waiting", m->name, strlen(m->name)) < 0)
			log_warn("write %s/waiting", s->paths.supdir);
		break;
	case CHAN_REAPED:
		adopt_reaped(s, m->pid, m->wstat);
		break;
	case CHAN_DIR:
		replace_directory(s, m->fd);
		break;
	case CHAN_SIGNAL:
		if (s->runpid > 0 && kill(s->runpid, m->signo) < 0)
			log_warn("signal %d to run (pid %d)", m->signo,
			    (int)s->runpid);
		break;
	case CHAN_STOP:
		asked(s, MSIG_TERM);
		break;
	case CHAN_DRAIN:
		asked(s, MSIG_HUP);
		break;
	case CHAN_KILL:
		supervise_kill_all(s);
		break;
	default:
		log_warnx("hotsv-scan sent message '%c', which is for it: "
		          "ignored",
		    (char)m->type);
	}
}

/*
 * Read what hotsv-scan sent on the report socket.  Once it is gone, go
 * on alone until another connects to supervise/report.
 */
void
supmsg_from_scanner(struct supervisor *s)
{
	struct chan_msg m;
	enum chan_got got;

	while (s->report.fd >= 0 && !s->done) {
		got = chan_recv(s->report.fd, &m);
		if (got == CHAN_GOT_MSG)
			obey(s, &m);
		else if (got == CHAN_GOT_BAD)
			log_warnx("hotsv-scan sent a message that is none: "
			          "ignored");
		else if (got == CHAN_GOT_NONE)
			return;
		else
			report_close(&s->report);
	}
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
