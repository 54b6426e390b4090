/*
 * The main command (hotsv-scan SCANDIR -- CMD ARGS): started once after
 * the first scan (with --wait-ready, once every service is ready), in the
 * terminal's foreground process group so that Ctrl-C and Ctrl-Z reach it and
 * not the services; when it ends, so does the container, with its exit code.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/findprogram.h"
#include "lib/spawn.h"
#include "scan/scan.h"
#include "sv/health.h"

/*
 * When --wait-ready looks again with no event: a service settles.  The
 * scanner's state between maincmd_poll, which sets it, and the loop's
 * maincmd_deadline.
 */
static struct deadline hotsv_ready_recheck;
/* The longest list of services not ready, for one log line. */
#define UNREADY_MAX 1024

/* Start the main command; if it cannot run, shut down with 126/127. */
void
maincmd_start(void)
{
	struct scanner *sc = &hotsv_scanner;
	struct spawn_req req = {
	    .file = sc->main_argv[0],
	    .argv = sc->main_argv,
	    .mask = &sc->child_mask,
	    .foreground = true,
	};
	char path[4096];

	/* As a shell does: a name with a slash is a path, else PATH. */
	if (strchr(sc->main_argv[0], '/') == NULL)
		req.file = find_in_path(sc->main_argv[0], path, sizeof path);
	sc->main_pid = spawn(&req);
	if (sc->main_pid > 0) {
		log_debug("main command %s: pid %d", sc->main_argv[0],
		    (int)sc->main_pid);
		return;
	}
	log_warn("cannot run %s", sc->main_argv[0]);
	sc->main_pid = 0;
	sc->main_code = spawn_exit_code(errno);
	shutdown_begin();
}

/* The main command ended: take its code, take the terminal back, stop. */
void
maincmd_exited(int wstat)
{
	struct scanner *sc = &hotsv_scanner;

	sc->main_pid = 0;
	sc->main_code =
	    WIFSIGNALED(wstat) ? 128 + WTERMSIG(wstat) : WEXITSTATUS(wstat);
	log_info("main command exited %d", sc->main_code);
	if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) != getpgrp())
		tcsetpgrp(STDIN_FILENO, getpgrp());
	shutdown_begin();
}

/* Send a signal to the main command, if it runs. */
bool
maincmd_signal(int sig)
{
	if (hotsv_scanner.main_pid <= 0)
		return false;
	kill(hotsv_scanner.main_pid, sig);
	return true;
}

/*
 * Say whether a service wanted up is not healthy yet, by sv/health.c's rule
 * (the one hotsv check applies); *settle_ms as health_judge sets it.
 */
static bool
unready_for(const struct service *svc, long *settle_ms)
{
	const struct instance *in = &svc->sup;
	struct timespec now;

	*settle_ms = -1;
	if (!svc_life_wanted(&svc->life))
		return false;
	if (!instance_running(in) || !in->have_status)
		return true;
	if (!in->status.wantup)
		return false;
	clock_real(&now);
	return health_judge(&in->status, (long)in->deaths, svc->has_readiness,
	           &now, settle_ms) != HEALTH_OK;
}

/* Say whether a service wanted up is not healthy yet. */
static bool
unready(const struct service *svc, const void *key)
{
	long settle_ms;

	return unready_for(svc, &settle_ms);
}

/* Look again when a service that died before will have settled. */
static void
fold_settle(struct service *svc, void *arg)
{
	struct deadline *recheck = arg;
	struct deadline settled;
	long settle_ms;

	if (!unready_for(svc, &settle_ms) || settle_ms < 0)
		return;
	deadline_in_ms(&settled, (unsigned long)settle_ms);
	deadline_earliest(recheck, &settled);
}

/* Add one not-ready service's name to the list being built, *arg. */
static void
list_unready(struct service *svc, void *arg)
{
	char *list = arg;
	size_t len = strlen(list);

	if (unready(svc, NULL) && len + strlen(svc->name) + 3 < UNREADY_MAX)
		snprintf(list + len, UNREADY_MAX - len, "%s%s",
		    len > 0 ? ", " : "", svc->name);
}

/*
 * --wait-ready: start the main command once every service wanted up is
 * healthy (up, ready where it has readiness, and settled if it died);
 * when the time runs out, say which are not, shut down and exit 1.
 */
void
maincmd_poll(const struct timespec *now)
{
	struct scanner *sc = &hotsv_scanner;
	char unready_list[UNREADY_MAX] = "";

	deadline_never(&hotsv_ready_recheck);
	if (!sc->main_waiting || sc->shutting_down)
		return;
	if (svtable_find_first(unready, NULL) == NULL) {
		sc->main_waiting = false;
		deadline_never(&sc->wait_ready_at);
		log_info("every service is ready: starting the main command");
		maincmd_start();
		return;
	}
	if (!deadline_passed(&sc->wait_ready_at, now)) {
		svtable_foreach(fold_settle, &hotsv_ready_recheck);
		return;
	}
	sc->main_waiting = false;
	svtable_foreach(list_unready, unready_list);
	log_warnx("--wait-ready: not ready in time: %s", unready_list);
	sc->main_code = 1;
	shutdown_begin();
}

/*
 * When maincmd_poll must run even if nothing happens: --wait-ready's
 * limit, or sooner, when a service that died before will have settled.
 */
const struct deadline *
maincmd_deadline(void)
{
	static struct deadline next;

	next = hotsv_scanner.wait_ready_at;
	deadline_earliest(&next, &hotsv_ready_recheck);
	return &next;
}
