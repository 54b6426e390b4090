/*
 * hotsv-supervise SVCDIR: supervise one service, as s6-supervise does.
 * Everything arrives as an event: signals on a signalfd, letters on
 * supervise/control, readiness on run's notification pipe, and the one
 * deadline of the current phase.  Nothing wakes us while the service
 * runs and nothing happens.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "lib/lock.h"
#include "lib/log.h"
#include "lib/sig.h"
#include "lib/spawn.h"
#include "lib/usage.h"
#include "supervise/supervise.h"
#include "sv/fifodir.h"
#include "sv/files.h"
#include "sv/values.h"
#include "sv/ignoredbytes.h"

/*
 * After a failure to take the directory: when hotsv-scan started us and
 * the service directory is gone (moved out or deleted before we got
 * here: ENOENT, or our descriptor of it is unlinked), exit without a
 * word, as hotsv-scan is already removing it.
 */
static void
exit_if_gone(struct supervisor *s, const char *svcdir)
{
	int saved = errno;
	struct stat sb;

	if (saved == ENOENT && s->report.fd >= 0 &&
	    (s->svcdirfd < 0 ||
	        (fstat(s->svcdirfd, &sb) == 0 && sb.st_nlink == 0))) {
		log_debug("%s: service directory gone", svcdir);
		report_exit(&s->report, CHAN_EXIT_GONE);
		exit(111);
	}
	errno = saved;
}

/*
 * Hold the service directory: the descriptor given with -d (moved above
 * 2 and made close-on-exec), else SVCDIR opened now, before anything
 * else, so that the service is the directory found here wherever it
 * moves later.  0, 1 and 2 are made open meanwhile.
 */
static void
hold_directory(struct supervisor *s, int given_fd)
{
	struct stat sb;

	s->svcdirfd = given_fd;
	if (given_fd >= 0 && given_fd <= STDERR_FILENO) {
		/* 0, 1 and 2 are run's: keep it above, give back the slot. */
		s->svcdirfd = fcntl(given_fd, F_DUPFD_CLOEXEC, 3);
		if (s->svcdirfd < 0)
			fatal("-d %d", given_fd);
		close(given_fd);
	}
	fd_sanitize_std();
	if (given_fd < 0) {
		s->svcdirfd = open(s->given, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (s->svcdirfd < 0) {
			exit_if_gone(s, s->given);
			fatal("%s", s->given);
		}
	} else if (fstat(s->svcdirfd, &sb) < 0 || !S_ISDIR(sb.st_mode))
		fatalxc(100, "-d %d: not a directory (%s)", given_fd, s->given);
}

/*
 * Take the directory: supervise/, its lock, control, event/, in the
 * service directory or in STATEDIR/NAME, all reached from descriptors.
 */
static void
setup(struct supervisor *s, const char *name, const char *statedir)
{
	const char *svcdir = s->given;
	char *derived = NULL;
	int basefd;

	if (name == NULL)
		name = derived = svpath_name(s->svcdirfd, svcdir);
	basefd = svpaths_create(&s->paths, s->svcdirfd, svcdir, name, statedir);
	free(derived);
	if (basefd < 0) {
		exit_if_gone(s, svcdir);
		fatal("create supervise directory for %s", svcdir);
	}
	log_set_name(s->paths.name);
	s->supfd = openat(basefd, "supervise",
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->supfd < 0) {
		exit_if_gone(s, svcdir);
		fatal("open %s", s->paths.supdir);
	}
	s->lockfd = lock_take(s->supfd, "lock");
	if (s->lockfd < 0 && errno == EWOULDBLOCK) {
		report_exit(&s->report, CHAN_EXIT_LOCKED);
		fatalxc(100, "%s is already supervised (%s/lock is held)",
		    svcdir, s->paths.supdir);
	}
	if (s->lockfd < 0)
		fatal("lock %s/lock", s->paths.supdir);
	if (s->report.fd >= 0)
		s->report_listenfd = report_listen(s->supfd);
	s->eventfd = fifodir_make(basefd, "event");
	close(basefd);
	if (s->eventfd < 0) {
		exit_if_gone(s, svcdir);
		log_warn("create %s", s->paths.eventdir);
	}
	fifodir_notify(s->eventfd, "", 0);
	s->ctlfd = fifo_open_rdwr(s->supfd, "control");
	if (s->ctlfd < 0)
		fatal("open %s/control", s->paths.supdir);
	/* What a previous supervisor noted no longer holds. */
	unlinkat(s->supfd, "waiting", 0);
	unlinkat(s->supfd, "notify-status", 0);
	if (file_replace(s->supfd, "death_tally", "", 0) < 0)
		log_warn("reset %s/death_tally", s->paths.supdir);
}

/* Reap every child that has died. */
static void
reap(struct supervisor *s)
{
	pid_t pid;
	int wstat;

	while ((pid = waitpid(-1, &wstat, WNOHANG)) > 0)
		supervise_reaped(s, pid, wstat);
}

/* Drain the signalfd. */
static void
handle_signals(struct supervisor *s, int sigfd)
{
	struct machine_effects fx;
	int sig;

	while ((sig = sig_read(sigfd)) > 0) {
		switch (sig) {
		case SIGCHLD:
			reap(s);
			continue;
		case SIGTERM:
		case SIGINT:
			machine_signal(&s->m, MSIG_TERM, &fx);
			break;
		case SIGHUP:
			machine_signal(&s->m, MSIG_HUP, &fx);
			break;
		case SIGQUIT:
			machine_signal(&s->m, MSIG_QUIT, &fx);
			break;
		default:
			log_debug("ignoring signal %d", sig);
			continue;
		}
		supervise_apply(s, &fx);
	}
}

/*
 * Act on the letters waiting in supervise/control, a bounded number of
 * reads at a time; unknown bytes get one warning once it is drained.
 */
static void
handle_control(struct supervisor *s)
{
	struct machine_effects fx;
	unsigned char buf[256];
	ssize_t got;

	for (int reads = 0; reads < CONTROL_READS_MAX; reads++) {
		got = read(s->ctlfd, buf, sizeof buf);
		if (got <= 0)
			break;
		/*
		 * Stop at the letter that makes us exit: one after it ("xu"
		 * while down) would start a run that nobody supervises.
		 */
		for (ssize_t i = 0; i < got; i++) {
			machine_letter(&s->m, (char)buf[i], &fx);
			if (fx.unknown)
				ignored_note(&s->ignored, buf[i]);
			supervise_apply(s, &fx);
			if (s->done) {
				ignored_report(&s->ignored);
				return;
			}
		}
	}
	ignored_drained(&s->ignored, s->ctlfd);
}

/* Add fd to the poll set if it is open; its index, or 0 for none. */
static nfds_t
poll_add(struct pollfd *fds, nfds_t *nfds, int fd, short events)
{
	if (fd < 0)
		return 0;
	fds[*nfds] = (struct pollfd){.fd = fd, .events = events};
	return (*nfds)++;
}

/* Say whether the descriptor polled at index at saw one of events. */
static bool
polled(const struct pollfd *fds, nfds_t at, short events)
{
	return at > 0 && (fds[at].revents & events) != 0;
}

/* Act on the timers that are due: the phase's, and an adoption's. */
static void
handle_timers(struct supervisor *s)
{
	struct machine_effects fx;
	struct timespec now;

	clock_mono(&now);
	if (deadline_passed(&s->timer, &now)) {
		deadline_never(&s->timer);
		machine_timeout(&s->m, &fx);
		supervise_apply(s, &fx);
	}
	if (deadline_passed(&s->adopt_deadline, &now)) {
		deadline_never(&s->adopt_deadline);
		adopt_exited(s);
	}
	if (deadline_passed(&s->status_retry, &now))
		supervise_announce(s);
}

/* Wait for events and act on them until the machine says to exit. */
static void
run_loop(struct supervisor *s, int sigfd)
{
	const short in = POLLIN, any = POLLIN | POLLERR | POLLHUP;
	struct pollfd fds[8];

	while (!s->done) {
		nfds_t nfds = 1, ctl, ready, report, listen, alone, notify,
		       adopted;
		struct deadline next = s->timer;

		fds[0] = (struct pollfd){.fd = sigfd, .events = POLLIN};
		ctl = poll_add(fds, &nfds, s->ctlfd, in);
		ready = poll_add(fds, &nfds, s->readyfd, in);
		report = poll_add(fds, &nfds, s->report.fd,
		    (short)(in | (s->report.pending ? POLLOUT : 0)));
		listen = poll_add(fds, &nfds, s->report_listenfd, in);
		alone = poll_add(fds, &nfds, s->alonefd, in);
		notify = poll_add(fds, &nfds, s->notifyfd, in);
		adopted = poll_add(
		    fds, &nfds, s->adopt_waiting ? -1 : s->runpidfd, in);
		deadline_earliest(&next, &s->adopt_deadline);
		deadline_earliest(&next, &s->status_retry);
		if (loop_wait(fds, nfds, &next) < 0)
			fatal("ppoll");
		handle_timers(s);
		if (polled(fds, ready, any))
			supervise_readiness(s);
		if (polled(fds, notify, any))
			supnotify_read(s);
		if (polled(fds, report, POLLOUT))
			report_flush(&s->report);
		if (polled(fds, report, any))
			supmsg_from_scanner(s);
		if (polled(fds, listen, any))
			supmsg_scanner_back(s);
		if (polled(fds, alone, any) && !s->done)
			alone_events(s);
		if (polled(fds, adopted, any))
			adopt_exited(s);
		if (fds[0].revents != 0)
			handle_signals(s, sigfd);
		if (polled(fds, ctl, any) && !s->done)
			handle_control(s);
		/* Under a scanner once, without one now: follow removal. */
		if (s->report.fd < 0 && s->report_listenfd >= 0 && !s->alone &&
		    !s->done)
			alone_watch(s);
	}
}

int
main(int argc, char **argv)
{
	struct supervisor s = {.readyfd = -1,
	    .scandirfd = -1,
	    .notifyfd = -1,
	    .notify_dirfd = -1,
	    .runpidfd = -1,
	    .report_listenfd = -1,
	    .alonefd = -1};
	struct sup_options opts;
	struct machine_effects fx;
	struct timespec now;
	int sigfd;

	log_init(argv[0]);
	supervise_options(argc, argv, &s, &opts);
	report_sender_init(&s.report, opts.report_fd);
	hold_directory(&s, opts.dir_fd);
	/* run and finish get the mask we were started with, as in s6. */
	sigfd = sig_setup(&s.child_mask, false);
	deadline_never(&s.timer);
	deadline_never(&s.adopt_deadline);
	deadline_never(&s.status_retry);
	setup(&s, opts.name, s.statedir);
	clock_real(&now);
	machine_init(&s.m, !svfile_exists_at(s.svcdirfd, "down"), &now, &fx);
	/* A run left by a supervisor that was killed is not started again. */
	if (adopt_run(&s))
		fx.start_run = false;
	supervise_apply(&s, &fx);
	run_loop(&s, sigfd);
	supervise_leaving(&s);
	report_unlisten(s.supfd, s.report_listenfd);
	supnotify_close(&s);
	fifodir_notify(s.eventfd, "x", 1);
	log_set_name(NULL);
	svpaths_free(&s.paths);
	return 0;
}
