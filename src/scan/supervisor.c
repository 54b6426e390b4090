/*
 * One hotsv-supervise process run by the scanner, for a service or for
 * its logger: starting it with its report socket, talking to it, and
 * reading what it reports.  How far it was asked to go is its lifecycle
 * (lifecycle.c, carried out by effects.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "scan/scan.h"
#include "sv/health.h"
#include "sv/channel.h"

/* Where a supervisor finds its report socket, its directory, SCANDIR. */
#define REPORT_FD 3
#define DIR_FD 4
#define SCANDIR_FD 5

static bool hotsv_start_failing; /* said once until it works again */

/* Say whether the instance's supervisor runs. */
bool
instance_running(const struct instance *in)
{
	return lifecycle_running(&in->lc);
}

/* Say whether the run of the instance waits for its dependencies. */
bool
instance_held(const struct instance *in)
{
	return in->lc.held;
}

/* Note whether the run of the instance waits for its dependencies. */
void
instance_hold(struct instance *in, bool hold)
{
	struct lc_arg arg = {.hold = hold};
	struct lc_effects fx;

	lifecycle_event(&in->lc, hold ? LC_HOLD : LC_RELEASED, &arg, &fx);
}

/* Hand a child's stdin and stdout over, as the spawn request says. */
void
instance_std_fds(struct spawn_req *req, int stdin_fd, int stdout_fd)
{
	if (stdin_fd < 0)
		stdin_fd = hotsv_scanner.stdin_fd;
	if (stdin_fd >= 0)
		req->fds[req->nfds++] =
		    (struct spawn_fd){stdin_fd, STDIN_FILENO};
	if (stdout_fd >= 0)
		req->fds[req->nfds++] =
		    (struct spawn_fd){stdout_fd, STDOUT_FILENO};
}

/*
 * Starting failed (fork, or a descriptor, refused): say so once for the
 * whole scanner, not once per service and second, and try again later,
 * waiting twice as long each time.
 */
void
instance_start_failed(struct instance *in, const char *what, const char *dir)
{
	struct svc_arg arg = {0};
	struct svc_effects fx;

	if (!hotsv_start_failing)
		log_warn("cannot %s for %s (retrying, less and less often)",
		    what, dir);
	hotsv_start_failing = true;
	svc_life_event(&in->owner->life, SE_START_FAILED, &arg, &fx);
	deadline_in_ms(&in->deadline, (unsigned long)fx.retry_ms);
}

/* Spawn the instance's process (of kind); on failure try again later. */
bool
instance_launch(struct instance *in, const struct spawn_req *req,
    const char *what, enum instance_kind kind)
{
	struct lc_arg arg = {.kind = kind};
	struct svc_arg started = {0};
	struct svc_effects svc_fx;
	struct lc_effects fx;
	pid_t pid = spawn(req);

	if (pid < 0) {
		instance_start_failed(in, "start a process", what);
		return false;
	}
	if (hotsv_start_failing)
		log_info("starting processes works again");
	hotsv_start_failing = false;
	svc_life_event(&in->owner->life, SE_STARTED, &started, &svc_fx);
	instance_init(in, in->owner);
	svtable_set_pid(in, pid);
	lifecycle_event(&in->lc, LC_STARTED, &arg, &fx);
	clock_mono(&in->started);
	log_debug("started %s %d for %s", req->file, (int)pid, what);
	return true;
}

/* The name a supervisor of in goes by: "NAME", or "NAME/log". */
void
instance_name(const struct instance *in, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", in->owner->name,
	    in == &in->owner->log ? "/log" : "");
}

/*
 * Start "hotsv-supervise -d 4 -S 5 -n NAME DIR" on the directory dirfd
 * (DIR is only its name, for messages; 5 is SCANDIR), with the given stdin and
 * stdout (-1: ours).  INSTANCE_HOLD: run waits for a "G" message;
 * INSTANCE_JOIN_STDERR: run's stderr goes where its stdout goes.
 */
bool
instance_start(struct instance *in, int dirfd, const char *dir, int stdin_fd,
    int stdout_fd, int flags)
{
	struct scanner *sc = &hotsv_scanner;
	char arg0[] = "hotsv-supervise", opt_r[] = "-r", opt_s[] = "-s";
	char opt_h[] = "--hold", opt_e[] = "--join-stderr", fdtext[] = "3";
	char opt_d[] = "-d", dirfdtext[] = "4", opt_n[] = "-n";
	char opt_a[] = "--adopt", adopt[64], dirbuf[PATH_MAX];
	char opt_sd[] = "-S", scanfdtext[] = "5", name[NAME_MAX + 8];
	char *argv[17] = {arg0, opt_r, fdtext, opt_s, sc->statedir, opt_d,
	    dirfdtext, opt_n, name};
	struct spawn_req req = {
	    .file = sc->supervise_path,
	    .argv = argv,
	    .mask = &sc->child_mask,
	    .new_session = true,
	};
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = in};
	int pair[2], argc = 9;

	instance_name(in, name, sizeof name);
	if (flags & INSTANCE_HOLD)
		argv[argc++] = opt_h;
	if (flags & INSTANCE_JOIN_STDERR)
		argv[argc++] = opt_e;
	if (in->adopt_pid > 0) {
		snprintf(adopt, sizeof adopt, "%d:%llu", (int)in->adopt_pid,
		    in->adopt_start);
		argv[argc++] = opt_a;
		argv[argc++] = adopt;
	}
	/* SCANDIR held, not named: its .hotsv/env is read at each start. */
	if (sc->scanfd >= 0) {
		argv[argc++] = opt_sd;
		argv[argc++] = scanfdtext;
		req.fds[req.nfds++] = (struct spawn_fd){sc->scanfd, SCANDIR_FD};
	}
	snprintf(dirbuf, sizeof dirbuf, "%s", dir);
	argv[argc] = dirbuf;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		instance_start_failed(in, "make a socket pair", dir);
		return false;
	}
	req.fds[req.nfds++] = (struct spawn_fd){pair[1], REPORT_FD};
	req.fds[req.nfds++] = (struct spawn_fd){dirfd, DIR_FD};
	instance_std_fds(&req, stdin_fd, stdout_fd);
	if (!instance_launch(in, &req, dir, CHILD_SUPERVISOR)) {
		close(pair[0]);
		close(pair[1]);
		return false;
	}
	close(pair[1]);
	instance_hold(in, (flags & INSTANCE_HOLD) != 0);
	if (epoll_ctl(sc->epfd, EPOLL_CTL_ADD, pair[0], &ev) < 0)
		log_warn("epoll_ctl for %s", dir);
	fcntl(pair[0], F_SETFL, O_NONBLOCK);
	in->reportfd = pair[0];
	return true;
}

/* Send a message to the supervisor; false if it cannot take it now. */
bool
instance_send(struct instance *in, const struct chan_msg *m)
{
	return instance_running(in) && in->lc.kind != CHILD_WATCHED &&
	    in->reportfd >= 0 && chan_send(in->reportfd, m) == 0;
}

/*
 * Tell a running supervisor that its directory is now dirfd (one with
 * the same content took its place: a ConfigMap swap).
 */
void
instance_send_dir(struct instance *in, int dirfd)
{
	char name[NAME_MAX + 8];
	struct chan_msg m;

	if (!instance_running(in) || in->lc.kind == CHILD_WATCHED ||
	    in->reportfd < 0)
		return;
	instance_name(in, name, sizeof name);
	chan_init(&m, CHAN_DIR);
	m.fd = dirfd;
	if (!instance_send(in, &m))
		log_warn(
		    "%s: cannot hand its supervisor the new directory", name);
	else
		log_info("%s: swapped for the same content: its supervisor "
		         "goes on in the new directory",
		    name);
}

/* Say whether the supervisor reported its run up as this pid. */
bool
instance_runs(const struct instance *in, pid_t pid)
{
	return instance_running(in) && pid > 0 && in->run_pid == pid;
}

/*
 * Say whether the supervisor reported its run serving: up, and ready
 * where it has readiness (sv/health.c's rule).
 */
bool
instance_serving(const struct instance *in, bool has_readiness)
{
	return instance_running(in) && in->have_status &&
	    health_serving(&in->status, has_readiness);
}

/*
 * Ask the supervisor to send a signal to its run, if it is up: it knows,
 * where our copy of its status may not have caught up yet.
 */
void
instance_signal_run(struct instance *in, int sig)
{
	struct chan_msg m;

	chan_init(&m, CHAN_SIGNAL);
	m.signo = sig;
	instance_send(in, &m);
}

/*
 * Close the report socket.  It leaves the epoll set first, explicitly:
 * close takes it out only once no other descriptor shares the file (a
 * child between fork and exec holds copies, as under valgrind, which
 * runs vfork as fork), and an event of it would then name an instance
 * that may be freed.
 */
void
instance_close_report(struct instance *in)
{
	if (in->reportfd >= 0) {
		epoll_ctl(
		    hotsv_scanner.epfd, EPOLL_CTL_DEL, in->reportfd, NULL);
		close(in->reportfd);
	}
	if (in->supfd >= 0)
		close(in->supfd);
	in->reportfd = in->supfd = -1;
}

/* Take in one status report: count run's deaths, note its group. */
static void
take_status(struct instance *in, const struct sv_status *st)
{
	/* --wait-ready's health rule needs the deaths: count them. */
	if (in->have_status && health_run_died(&in->status, st))
		in->deaths++;
	in->status = *st;
	in->have_status = true;
	svtable_set_run(in, health_run_up(st) ? st->pid : 0);
	/* Kept after run dies: its process group may outlive it. */
	if (!st->finishing && st->pid > 0)
		in->runpgid = st->pid;
}

/*
 * A service's run ended and its on-exit policy halts us: the shutdown
 * begins at its next step, and we exit with this code, unless a
 * shutdown has begun already (its code, or hotsv shutdown -c's, stands)
 * or another service halted first.
 */
static void
note_halt(const struct service *svc, int code)
{
	struct scanner *sc = &hotsv_scanner;

	if (sc->shutting_down || sc->halt_code >= 0)
		return;
	log_info(
	    "%s: on-exit halt: shutting down with code %d", svc->name, code);
	sc->halt_code = code;
}

/*
 * Read the messages waiting on the instance's socket: status reports,
 * and why the supervisor exits.  Returns whether a kept supervisor is
 * gone: its socket closed, and no SIGCHLD will say it, as it is not
 * our child.
 */
bool
instance_report(struct instance *in)
{
	struct chan_msg m;
	enum chan_got got = CHAN_GOT_MSG;

	while (in->reportfd >= 0 && in->lc.kind != CHILD_WATCHED &&
	    (got = chan_recv(in->reportfd, &m)) != CHAN_GOT_NONE) {
		if (got == CHAN_GOT_END || got == CHAN_GOT_ERROR) {
			instance_close_report(in);
			return in->lc.kind == CHILD_KEPT;
		}
		if (got == CHAN_GOT_BAD ||
		    (m.type != CHAN_STATUS && m.type != CHAN_EXIT &&
		        m.type != CHAN_HALT))
			log_warnx("%s: its supervisor sent a message that is "
			          "not for us: ignored",
			    in->owner->name);
		else if (m.type == CHAN_EXIT)
			in->why = m.reason;
		else if (m.type == CHAN_HALT)
			note_halt(in->owner, m.code);
		else
			take_status(in, &m.status);
	}
	return false;
}
