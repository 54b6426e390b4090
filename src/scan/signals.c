/*
 * What reaches the scanner from outside: signals (with s6's diversion
 * hooks) and children's deaths.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sig.h"
#include "lib/signame.h"
#include "scan/scan.h"

/* Forward the signal *arg to one service's run. */
static void
forward_to_run(struct service *svc, void *arg)
{
	service_signal_run(svc, *(const int *)arg);
}

/* HUP, USR1, USR2, WINCH: to the main command, else to every service. */
static void
forward(int sig)
{
	if (maincmd_signal(sig))
		return;
	svtable_foreach(forward_to_run, &sig);
}

/* Reap every dead child: supervisors, the main command, orphans. */
void
scansig_reap(void)
{
	struct service *svc;
	pid_t pid;
	int wstat;

	while ((pid = waitpid(-1, &wstat, WNOHANG)) > 0) {
		if (pid == hotsv_scanner.main_pid) {
			maincmd_exited(wstat);
			continue;
		}
		svc = svtable_find_pid(pid);
		if (svc != NULL)
			service_exited(svc, pid, wstat);
		else
			service_orphan_reaped(pid, wstat);
	}
}

/* Drain the signalfd and act on each signal. */
void
scansig_handle(int sigfd)
{
	int sig;

	while ((sig = sig_read(sigfd)) > 0) {
		if (sig == SIGCHLD) {
			scansig_reap();
			continue;
		}
		if (hook_divert(signame_of(sig)))
			continue;
		switch (sig) {
		case SIGTERM:
		case SIGINT:
		case SIGQUIT:
			if (hotsv_scanner.shutting_down)
				shutdown_escalate();
			else if (sig == SIGTERM)
				shutdown_drain();
			else /* Ctrl-C, Ctrl-\: no term delay */
				shutdown_begin();
			break;
		case SIGHUP:
		case SIGUSR1:
		case SIGUSR2:
		case SIGWINCH:
			forward(sig);
			break;
		case SIGALRM:
			hotsv_scanner.rescan_due = true;
			break;
		default:
			log_debug("ignoring signal %d", sig);
		}
	}
}
