/*
 * The main command (hotsv-scan SCANDIR -- CMD ARGS): started once after
 * the first scan, in the terminal's foreground process group so that
 * Ctrl-C and Ctrl-Z reach it and not the services; when it ends, so does
 * the container, with its exit code.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "scanner.h"
#include "spawn.h"

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

	if (sc->main_argv[0][0] != '/' && sc->main_argv[0][0] != '.')
		req.file =
		    spawn_find_program(sc->main_argv[0], path, sizeof path);
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
