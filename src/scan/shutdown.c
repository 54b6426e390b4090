/*
 * The graceful shutdown, in steps with deadlines that fit inside
 * Docker's 10 s stop timeout:
 *   1. stop following SCANDIR;
 *   2. every service gets its down-signal (through its supervisor's
 *      SIGTERM) once the services that depend on it are gone, or when
 *      half the grace time is over, whichever comes first; the main
 *      command gets SIGTERM at once;
 *   3. wait for them and their finish scripts, up to the grace time,
 *      then SIGKILL what is left;
 *   4. loggers, which kept running, see end-of-file once their service
 *      is gone and exit by themselves (or get SIGKILL a second later);
 *   5. every other process still alive (double-forked leftovers) gets
 *      SIGTERM, a short while, then SIGKILL;
 *   6. exec .hotsv/finish with the exit code, or exit with it.
 * Orphans are reaped all along, and each step ends as soon as what it
 * waits for is gone: a reaped child (SIGCHLD) is what wakes us to look.
 * A second TERM skips to the SIGKILL.
 *
 * With --term-delay MS, SIGTERM first drains: .hotsv/stopping makes
 * hotsv check fail, everything else runs on for MS, then step 1.  A
 * second SIGTERM (or SIGINT, a letter, the main command's end) ends
 * the delay at once.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/proc.h"
#include "scan/controldir.h"
#include "scan/scan.h"

/*
 * The bounds after the grace time.  With the default grace (7000 ms),
 * the worst case is 7000 + 500 + 1000 + 500 + 500 + 500 = 10000 ms:
 * Docker's 10 s before its SIGKILL.
 */
/* After SIGKILL to the services, how long supervisors get to exit. */
#define KILLED_WAIT_MS 500
/* How long loggers get to drain their pipes once their services are gone. */
#define LOGGERS_MS 1000
/* How long leftovers get to handle SIGTERM, then to die of SIGKILL. */
#define SWEEP_TERM_MS 500
#define SWEEP_KILL_MS 500
#define SWEEP_MAX 4096

enum shutdown_phase {
	SD_RUNNING,
	SD_DRAINING,       /* --term-delay: checks fail, all else runs */
	SD_SERVICES,       /* services stopping, dependents first */
	SD_HALF_GRACE,     /* half the grace over: each stops regardless */
	SD_KILLED,         /* SIGKILL sent, supervisors finishing up */
	SD_LOGGERS,        /* services gone, loggers draining */
	SD_LOGGERS_KILLED, /* loggers got SIGKILL */

	SD_SWEEP_TERM, /* leftovers got SIGTERM */
	SD_SWEEP_KILL, /* leftovers got SIGKILL */
	SD_DONE,
};

static enum shutdown_phase hotsv_phase = SD_RUNNING;
/* When the phase ends (for SD_DRAINING, the term delay; for
 * SD_SERVICES, half the grace time). */
static struct deadline hotsv_sd_deadline;
/* When the grace time ends, for SD_HALF_GRACE. */
static struct deadline hotsv_grace_end;

/*
 * Say whether we have a child, dead or alive.  A child subreaper that
 * has none has no descendant either: each would have been reparented to
 * us when its parent died.
 */
static bool
have_children(void)
{
	siginfo_t info;

	return !(waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 &&
	    errno == ECHILD);
}

/* Send sig (then SIGCONT) to every leftover process; returns how many. */
static size_t
signal_leftovers(int sig)
{
	pid_t pids[SWEEP_MAX];
	size_t count;

	if (hotsv_scanner.is_pid1) {
		/* kill(-1) reaches every process of the namespace but us. */
		if (kill(-1, sig) < 0 && errno == ESRCH)
			return 0;
		kill(-1, SIGCONT);
		return 1;
	}
	if (!have_children())
		return 0;
	if (!proc_is_ours()) {
		log_debug("leftovers not swept: /proc is not this PID "
		          "namespace's, its pids would name other processes");
		return 0;
	}
	count = proc_descendants(getpid(), pids, SWEEP_MAX);
	for (size_t i = 0; i < count; i++) {
		kill(pids[i], sig);
		kill(pids[i], SIGCONT);
	}
	return count;
}

/* Say whether any process other than us is left. */
static bool
leftovers_remain(void)
{
	if (hotsv_scanner.is_pid1)
		return !(kill(-1, 0) < 0 && errno == ESRCH);
	return have_children();
}

/* Say whether every service and the main command are gone. */
static bool
services_gone(void)
{
	return !svtable_any_service_running() && hotsv_scanner.main_pid <= 0;
}

/* Step 1 and 2: stop following SCANDIR, ask everything to stop. */
void
shutdown_begin(void)
{
	struct scanner *sc = &hotsv_scanner;

	if (hotsv_phase != SD_RUNNING && hotsv_phase != SD_DRAINING)
		return;
	if (hotsv_phase == SD_RUNNING) /* a drain made it already */
		scanctl_mark_stopping(sc->ctldir);
	log_info("shutting down: %zu service%s", svtable_count(),
	    svtable_count() == 1 ? "" : "s");
	hotsv_phase = SD_SERVICES;
	sc->shutting_down = true;
	scanroot_detach();
	service_unwant_all();

	if (maincmd_signal(SIGTERM))
		maincmd_signal(SIGCONT);
	deadline_in_ms(&hotsv_sd_deadline, sc->grace_ms / 2);
	deadline_in_ms(&hotsv_grace_end, sc->grace_ms);
}

/*
 * SIGTERM: with --term-delay, drain first (hotsv check fails, services
 * run on) and begin when the delay is over; a second SIGTERM while
 * draining begins now.  Without the delay, begin now.
 */
void
shutdown_drain(void)
{
	struct scanner *sc = &hotsv_scanner;

	if (hotsv_phase == SD_DRAINING)
		log_info("second signal: not waiting for the term delay");
	if (hotsv_phase == SD_DRAINING || sc->term_delay_ms == 0) {
		shutdown_begin();
		return;
	}
	if (hotsv_phase != SD_RUNNING)
		return;
	hotsv_phase = SD_DRAINING;
	scanctl_mark_stopping(sc->ctldir);
	log_info("draining: hotsv check fails; shutting down in %lu ms",
	    sc->term_delay_ms);
	deadline_in_ms(&hotsv_sd_deadline, sc->term_delay_ms);
}

/*
 * Half the grace time is over: every service stops now, even those whose
 * dependents still run, so that each keeps the other half, which ends
 * with the grace time.
 */
static void
half_grace(void)
{
	hotsv_phase = SD_HALF_GRACE;
	hotsv_sd_deadline = hotsv_grace_end;
	svtable_foreach(service_half_grace, NULL);
}

/* Step 3's end: SIGKILL every service, finish script and main command. */
static void
kill_services(void)
{
	if (!services_gone())
		log_warnx("grace time over: SIGKILL to what is still running");
	svtable_foreach(service_kill, NULL);
	if (hotsv_scanner.main_pid > 0)
		kill(-hotsv_scanner.main_pid, SIGKILL);
	maincmd_signal(SIGKILL);
	hotsv_phase = SD_KILLED;
	deadline_in_ms(&hotsv_sd_deadline, KILLED_WAIT_MS);
}

/* A second TERM during the shutdown: go straight to the SIGKILL. */
void
shutdown_escalate(void)
{
	if (hotsv_phase == SD_SERVICES || hotsv_phase == SD_HALF_GRACE) {
		log_info("second signal: killing now");
		kill_services();
	}
}

/* Step 4: the services are gone; loggers read what is left. */
static void
drain_loggers(void)
{
	hotsv_phase = SD_LOGGERS;
	deadline_in_ms(&hotsv_sd_deadline, LOGGERS_MS);
}

/* Step 5: SIGTERM to every leftover, if there is any. */
static void
sweep(void)
{
	if (signal_leftovers(SIGTERM) == 0) {
		hotsv_phase = SD_DONE;
		return;
	}
	hotsv_phase = SD_SWEEP_TERM;
	deadline_in_ms(&hotsv_sd_deadline, SWEEP_TERM_MS);
}

/* Move the shutdown one step on if its condition is met or it is late. */
static void
step_once(const struct timespec *now)
{
	bool late = deadline_passed(&hotsv_sd_deadline, now);

	switch (hotsv_phase) {
	case SD_RUNNING:
	case SD_DONE:
		return;
	case SD_DRAINING:
		if (late)
			shutdown_begin();
		break;
	case SD_SERVICES:
	case SD_HALF_GRACE:
		if (services_gone())
			drain_loggers();
		else if (late && hotsv_phase == SD_SERVICES)
			half_grace();
		else if (late)
			kill_services();
		break;
	case SD_KILLED:
		if (late && !services_gone())
			svtable_foreach(service_kill_supervisor, NULL);
		if (late || services_gone())
			drain_loggers();
		break;
	case SD_LOGGERS:
		if (svtable_count() == 0)
			sweep();
		else if (late) {
			svtable_foreach(service_kill_logger, NULL);
			hotsv_phase = SD_LOGGERS_KILLED;
			deadline_in_ms(&hotsv_sd_deadline, KILLED_WAIT_MS);
		}
		break;
	case SD_LOGGERS_KILLED:
		if (late || svtable_count() == 0)
			sweep();
		break;
	case SD_SWEEP_TERM:
		if (!leftovers_remain())
			hotsv_phase = SD_DONE;
		else if (late) {
			signal_leftovers(SIGKILL);
			hotsv_phase = SD_SWEEP_KILL;
			deadline_in_ms(&hotsv_sd_deadline, SWEEP_KILL_MS);
		}
		break;
	case SD_SWEEP_KILL:
		if (late || !leftovers_remain())
			hotsv_phase = SD_DONE;
		break;
	}
}

/* Move the shutdown on as far as it can go now. */
void
shutdown_step(const struct timespec *now)
{
	enum shutdown_phase before;

	/* A service's on-exit halt (noted from its supervisor's message). */
	if (hotsv_scanner.halt_code >= 0)
		shutdown_begin();
	do {
		before = hotsv_phase;
		step_once(now);
	} while (hotsv_phase != before);
}

/* The shutdown's next deadline, for the loop's timeout. */
const struct deadline *
shutdown_deadline(void)
{
	return &hotsv_sd_deadline;
}

/* Say whether the shutdown has finished. */
bool
shutdown_done(void)
{
	return hotsv_phase == SD_DONE;
}

/* Step 6: the exit code, then .hotsv/finish or exit. */
void
shutdown_finish(void)
{
	struct scanner *sc = &hotsv_scanner;
	/* An explicit "hotsv shutdown -c", or the code of the service
	 * whose on-exit halt began it, beats the code of a main command
	 * that the shutdown itself stopped. */
	int code = sc->ctl_code >= 0 ? sc->ctl_code
	    : sc->halt_code >= 0     ? sc->halt_code
	    : sc->main_code >= 0     ? sc->main_code
	                             : 0;
	char text[16];

	snprintf(text, sizeof text, "%d", code);
	hook_exec("finish", text, code);
}
