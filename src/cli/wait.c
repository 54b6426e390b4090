/*
 * hotsv wait, and the --wait of up/down/restart: wait for services to
 * reach a state, without polling.  As s6-svwait does, we subscribe first
 * (a FIFO of ours in each service's event/ directory, to which the
 * supervisor writes its event letters), then send any command, then read
 * the status; each event letter makes us read it again.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/lock.h"
#include "lib/loop.h"
#include "lib/xmalloc.h"
#include "sv/files.h"
#include "sv/health.h"
#include "sv/status.h"
#include "sv/supervisedir.h"

/* One service being waited for. */
struct waited {
	const char *name;
	struct svpaths paths;
	char *fifo;         /* our listener in event/, or NULL */
	int fd;             /* read end of it */
	int ctlfd;          /* write end of supervise/control, or -1 */
	bool sup_gone;      /* its supervisor exited or is exiting */
	bool has_readiness; /* notification-fd or notify-socket */
	bool saw_up;        /* restart: a 'u' came after we subscribed */
	bool saw_ready;     /* restart: a 'U' came after we subscribed */
	bool reached;
	const char *failure; /* why it will never get there, or NULL */
};

static const char *const cli_goal_names[] = {
    [GOAL_UP] = "up",
    [GOAL_READY] = "ready",
    [GOAL_DOWN] = "down",
    [GOAL_FINISHED] = "finished",
    [GOAL_RESTARTED] = "restarted",
};

/* Parse a goal word; -1 if it is none. */
int
cli_goal_parse(const char *word)
{
	for (int goal = GOAL_UP; goal <= GOAL_FINISHED; goal++)
		if (strcmp(word, cli_goal_names[goal]) == 0)
			return goal;
	return -1;
}

/* Create and open our listener FIFO in the service's event/. */
static int
subscribe(struct waited *w, const struct cli *cli, int index)
{
	char *dir = cli_service_dir(cli, w->name);
	int r = -1;

	w->fd = w->ctlfd = -1;
	if (svpaths_find(&w->paths, dir, cli->statedir) < 0) {
		w->failure = access(dir, F_OK) == 0 ? "not supervised"
		                                    : "no such service";
		free(dir);
		return -1;
	}
	w->has_readiness = svdir_has_readiness(dir);
	free(dir);
	xasprintf(&w->fifo, "%s/ftrig1:@hotsv.%d.%d", w->paths.eventdir,
	    (int)getpid(), index);
	/* Read+write: a FIFO whose writers all left would poll as hung up
	 * after each event the supervisor writes and closes. */
	if (mkfifo(w->fifo, 0600) == 0)
		w->fd = open(w->fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (w->fd >= 0) {
		char *ctl;

		/* Our write end of control polls POLLERR once nobody reads
		 * it (pipe(7)): the supervisor is gone, even by SIGKILL. */
		xasprintf(&ctl, "%s/control", w->paths.supdir);
		w->ctlfd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		free(ctl);
		r = 0;
	} else
		fprintf(stderr, "hotsv: %s: listen in %s: %s\n", w->name,
		    w->paths.eventdir, strerror(errno));
	return r;
}

/* Remove our listener. */
static void
unsubscribe(struct waited *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->ctlfd >= 0)
		close(w->ctlfd);
	if (w->fifo != NULL)
		unlink(w->fifo);
	free(w->fifo);
	svpaths_free(&w->paths);
}

/* Read the service's status and decide whether it got there. */
static void
evaluate(struct waited *w, enum wait_goal goal)
{
	struct sv_status st;
	int supfd, held;
	bool up;

	supfd = open(w->paths.supdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	held = supfd >= 0 ? lock_probe(supfd, "lock") : -1;
	if (supfd < 0 || status_read(supfd, &st) < 0) {
		if (supfd >= 0)
			close(supfd);
		w->failure = "cannot read its status";
		return;
	}
	close(supfd);
	up = health_run_up(&st);
	switch (goal) {
	case GOAL_UP:
		w->reached = up;
		break;
	case GOAL_READY: /* without readiness, up is as ready as it gets */
		w->reached = health_serving(&st, w->has_readiness);
		break;

	case GOAL_DOWN:
		w->reached = !up;
		break;
	case GOAL_FINISHED:
		w->reached = st.pid == 0 && !st.finishing;
		break;
	case GOAL_RESTARTED: /* a one-shot: once it is done again */
		w->reached = w->saw_up &&
		    (w->saw_ready || !w->has_readiness ||
		        health_serving(&st, true));
		break;
	}
	if (!w->reached && (held != 1 || w->sup_gone))
		w->failure = "its supervisor is gone";
}

/* Act on the event letters waiting in our FIFO. */
static void
read_events(struct waited *w, enum wait_goal goal)
{
	char letters[64];
	ssize_t got;

	while ((got = read(w->fd, letters, sizeof letters)) > 0)
		for (ssize_t i = 0; i < got; i++) {
			w->saw_up |= letters[i] == 'u';
			w->saw_ready |= letters[i] == 'U' && w->saw_up;
			/* 'x': the supervisor exits; what is not reached now
			 * never will be (s6-svwait says so too). */
			w->sup_gone |= letters[i] == 'x';
			/* 'O': finish said 125, it will not come up. */
			if (letters[i] == 'O' && goal != GOAL_DOWN &&
			    goal != GOAL_FINISHED)
				w->failure = "failed permanently";
		}
	if (w->failure == NULL)
		evaluate(w, goal);
}

/* Count the services that got there and those that never will. */
static void
tally(const struct waited *ws, int n, int *reached, int *failed)
{
	*reached = *failed = 0;
	for (int i = 0; i < n; i++) {
		*failed += ws[i].failure != NULL;
		*reached += ws[i].failure == NULL && ws[i].reached;
	}
}

/*
 * Say whether the wait is over: all got there, or one never will; with
 * any, one got there, or none ever will.
 */
static bool
wait_over(const struct waited *ws, int n, bool any)
{
	int reached, failed;

	tally(ws, n, &reached, &failed);
	if (any)
		return reached > 0 || failed == n;
	return failed > 0 || reached == n;
}

/*
 * Report the outcome: 0 reached, 1 a failure (with any: all failed), 99
 * timed out.  Each failure is reported, even when another service won.
 */
static int
outcome(const struct waited *ws, int n, bool any, enum wait_goal goal)
{
	int reached, failed, code = 99;

	tally(ws, n, &reached, &failed);
	if (any ? reached > 0 : failed == 0 && reached == n)
		code = 0;
	else if (any ? failed == n : failed > 0)
		code = 1;
	for (int i = 0; i < n; i++) {
		if (ws[i].failure != NULL)
			fprintf(stderr, "hotsv: %s: %s\n", ws[i].name,
			    ws[i].failure);
		else if (code == 99 && !ws[i].reached)
			fprintf(stderr, "hotsv: %s: not %s in time\n",
			    ws[i].name, cli_goal_names[goal]);
	}
	return code;
}

/*
 * Wait until the services reach goal (all, or one with any), sending
 * letters to each after subscribing if letters is not NULL.  timeout_ms
 * < 0 waits forever.  Returns 0, 1 (failure) or 99 (timeout); 100 or 111
 * when sending failed.
 */
int
cli_wait_for(const struct cli *cli, enum wait_goal goal, bool any,
    long timeout_ms, int n, char **names, const char *letters)
{
	struct waited *ws = xcalloc((size_t)n, sizeof *ws);
	struct pollfd *fds = xcalloc((size_t)n * 2, sizeof *fds);
	struct deadline dl;
	int code = 0;

	deadline_never(&dl);
	if (timeout_ms >= 0)
		deadline_in_ms(&dl, (unsigned long)timeout_ms);
	for (int i = 0; i < n; i++) {
		ws[i].name = names[i];
		if (subscribe(&ws[i], cli, i) < 0 && ws[i].failure == NULL)
			code = 111;
	}
	if (code == 0 && letters != NULL)
		code = cli_control(cli, letters, n, names);
	for (int i = 0; i < n && code == 0; i++)
		if (ws[i].failure == NULL)
			evaluate(&ws[i], goal);
	while (code == 0 && !wait_over(ws, n, any)) {
		struct timespec now;

		for (int i = 0; i < n; i++) {
			fds[i] =
			    (struct pollfd){.fd = ws[i].fd, .events = POLLIN};
			fds[n + i] = (struct pollfd){.fd = ws[i].ctlfd};
		}
		if (loop_wait(fds, (nfds_t)n * 2, &dl) < 0)
			break;
		clock_mono(&now);
		if (deadline_passed(&dl, &now))
			break;
		for (int i = 0; i < n; i++) {
			if (fds[n + i].revents != 0) {
				ws[i].sup_gone = true;
				close(ws[i].ctlfd);
				ws[i].ctlfd = -1;
			}
			if (fds[i].revents != 0 || fds[n + i].revents != 0)
				read_events(&ws[i], goal);
		}
	}
	if (code == 0)
		code = outcome(ws, n, any, goal);
	for (int i = 0; i < n; i++)
		unsubscribe(&ws[i]);
	free(fds);
	free(ws);
	return code;
}

/* hotsv wait [-t MS] [--any] [--] up|ready|down|finished SERVICE... */
int
cli_wait(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
	    {"any", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	unsigned long ms;
	long timeout_ms = -1;
	bool any = false;
	int opt, goal;

	while ((opt = cli_getopt(argc, argv, "t:", options)) != -1) {
		if (opt == 'a')
			any = true;
		else if (cli_number(optarg, 86400000, &ms))
			timeout_ms = (long)ms;
		else {
			fprintf(stderr,
			    "hotsv: wait: -t '%s': not a number of "
			    "milliseconds from 0 to 86400000\n",
			    optarg);
			return 100;
		}
	}
	argc -= optind;
	argv += optind;
	goal = argc > 0 ? cli_goal_parse(argv[0]) : -1;
	if (goal < 0 || argc < 2) {
		fprintf(stderr,
		    "hotsv: usage: hotsv wait [-t MS] [--any] "
		    "up|ready|down|finished SERVICE...\n");
		return 100;
	}
	return cli_wait_for(cli, (enum wait_goal)goal, any, timeout_ms,
	    argc - 1, argv + 1, NULL);
}

/*
 * hotsv up|down|restart --wait SERVICE...: send, then wait until up and
 * ready, down with finish done, or restarted.
 */
int
cli_command_wait(const struct cli *cli, const char *command,
    const char *letters, int n, char **names)
{
	enum wait_goal goal;

	if (strcmp(command, "up") == 0)
		goal = GOAL_READY;
	else if (strcmp(command, "down") == 0)
		goal = GOAL_FINISHED;
	else if (strcmp(command, "restart") == 0)
		goal = GOAL_RESTARTED;
	else {
		fprintf(stderr,
		    "hotsv: %s: --wait works with up, down and "
		    "restart\n",
		    command);
		return 100;
	}
	if (n == 0) {
		fprintf(stderr, "hotsv: name at least one service\n");
		return 100;
	}
	return cli_wait_for(cli, goal, false, -1, n, names, letters);
}
