/*
 * The scanner's hooks, as in s6-svscan: an executable SCANDIR/.hotsv/SIGxxx
 * replaces the default action of that signal, .hotsv/finish is exec'd at
 * the end of the shutdown, .hotsv/crash on a fatal error, each in SCANDIR
 * as s6-svscan's (which chdirs there).  Directories migrated from s6 keep
 * working: .s6-svscan/ is looked at when .hotsv/ has no such hook.  A
 * hook that exists but cannot be run is said so, in one line: a signal
 * then gets its usual action, and a finish that fails takes the crash
 * path, as in s6-svscan.
 */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sig.h"
#include "lib/spawn.h"
#include "scan/scan.h"
#include "sv/scannerdir.h"

/*
 * Find a hook, executable or not: fills path and returns true if there
 * is one (whether it runs is for exec to say).
 */
static bool
hook_find(const char *name, char *path, size_t size)
{
	static const char *const dirs[] = {SCANNERDIR, ".s6-svscan"};

	for (size_t i = 0; i < 2; i++)
		if ((size_t)snprintf(path, size, "%s/%s/%s",
		        hotsv_scanner.scandir, dirs[i], name) < size &&
		    access(path, F_OK) == 0)
			return true;
	return false;
}

/*
 * Run the hook for a signal instead of its default action.  Returns
 * false when there is none, or it cannot run.  The hook is reaped like
 * any orphan.
 */
bool
hook_divert(const char *signame)
{
	char path[PATH_MAX], arg0[PATH_MAX];
	char *argv[] = {arg0, NULL};
	struct spawn_req req = {
	    .file = path,
	    .argv = argv,
	    .mask = &hotsv_scanner.child_mask,
	    .dir = hotsv_scanner.scandir,
	};

	if (signame == NULL || !hook_find(signame, path, sizeof path))
		return false;
	snprintf(arg0, sizeof arg0, "%s", path);
	if (spawn(&req) >= 0)
		return true;
	log_warn("cannot run %s, so %s gets its usual action", path, signame);
	return false;
}

/*
 * Replace the scanner with a hook (finish or crash) given one argument,
 * in the same pid; without the hook, exit with code.  A finish that
 * cannot be executed is a fatal error: the crash path follows.
 */
void
hook_exec(const char *name, const char *arg, int code)
{
	char path[PATH_MAX], arg0[PATH_MAX], arg1[64];
	char *argv[] = {arg0, arg1, NULL};
	sigset_t mask;

	if (!hook_find(name, path, sizeof path)) {
		log_info("exiting %d", code);
		exit(code);
	}
	snprintf(arg0, sizeof arg0, "%s", path);
	snprintf(arg1, sizeof arg1, "%s", arg);
	log_info("running %s with %s", path, arg);
	if (chdir(hotsv_scanner.scandir) < 0)
		log_warn("chdir %s", hotsv_scanner.scandir);
	/* Our mask back only for the hook: on failure we go on as before. */
	sigprocmask(SIG_SETMASK, NULL, &mask);
	sig_child_reset(&hotsv_scanner.child_mask);
	execv(path, argv);
	log_warn("cannot run %s", path);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (strcmp(name, "crash") != 0)
		hook_exec("crash", name, 111);
	exit(111);
}

/*
 * A fatal error: exec .hotsv/crash with a one-word reason, the first
 * word of the error message ("signalfd", "malloc", ...).
 */
void
hook_crash(const char *fmt)
{
	char reason[32];
	size_t len = strcspn(fmt, " :%");

	if (len == 0 || len >= sizeof reason)
		snprintf(reason, sizeof reason, "fatal");
	else
		snprintf(reason, sizeof reason, "%.*s", (int)len, fmt);
	hook_exec("crash", reason, 111);
}
