/*
 * Signal handling for the event loops: every catchable, asynchronous
 * signal is blocked and read from a signalfd.  Blocking is also what lets
 * a PID 1 receive SIGTERM at all: the kernel drops signals that PID 1 has
 * left at their default action.  The synchronous signals (SEGV, BUS, FPE,
 * ILL, ABRT, TRAP, SYS) stay unblocked so that a crash is a crash.
 */
#include "config.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sig.h"

/* Say whether a signal is synchronous or uncatchable. */
static int
sig_is_untouchable(int sig)
{
	switch (sig) {
	case SIGKILL:
	case SIGSTOP:
	case SIGSEGV:
	case SIGBUS:
	case SIGFPE:
	case SIGILL:
	case SIGABRT:
	case SIGTRAP:
	case SIGSYS:
		return 1;
	}
	return 0;
}

/*
 * Block the asynchronous signals, ignore SIGPIPE (write errors are seen
 * as EPIPE), leave SIGCHLD at its default, save the mask we started with
 * and return a signalfd.  With realtime, the real-time signals are read
 * too (for the caller to ignore), rather than left to their default
 * action, which ends a process that is not PID 1.
 */
int
sig_setup(sigset_t *original, bool realtime)
{
	struct sigaction sa = {.sa_handler = SIG_IGN};
	sigset_t set;
	int fd;

	sigemptyset(&set);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (!sig_is_untouchable(sig) && sig != SIGPIPE)
			sigaddset(&set, sig);
	for (int sig = SIGRTMIN; realtime && sig <= SIGRTMAX; sig++)
		sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, original) < 0)
		fatal("sigprocmask");
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		fatal("sigaction SIGPIPE");
	/*
	 * An inherited SIG_IGN for SIGCHLD (it survives exec) makes the
	 * kernel reap our children itself and send no SIGCHLD: waitpid()
	 * would never report one.
	 */
	sa.sa_handler = SIG_DFL;
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		fatal("sigaction SIGCHLD");
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		fatal("signalfd");
	return fd;
}

/*
 * In a child before exec: default dispositions for every signal and the
 * given mask.  Ignored signals stay ignored across exec, so each one must
 * be reset explicitly.  The C library's sigaction() refuses the signals
 * it keeps for itself (32 up to SIGRTMIN), yet one ignored by whoever
 * started us (glibc's posix_spawn, as GNU make uses it, leaves 32 and 33
 * ignored) would be inherited: those are reset with the system call; an
 * all-zero kernel sigaction is SIG_DFL with no flags and an empty mask.
 */
void
sig_child_reset(const sigset_t *mask)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};
	unsigned long zero[8] = {0};

	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sig >= 32 && sig < SIGRTMIN)
			syscall(
			    SYS_rt_sigaction, sig, zero, NULL, (NSIG - 1) / 8);
		else
			sigaction(sig, &sa, NULL);
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
}

/* Read one pending signal: its number, 0 when none is left. */
int
sig_read(int sigfd)
{
	struct signalfd_siginfo info;
	ssize_t got = read(sigfd, &info, sizeof info);

	if (got == (ssize_t)sizeof info)
		return (int)info.ssi_signo;
	if (got < 0 && errno != EAGAIN && errno != EINTR)
		log_warn("read signalfd");
	return 0;
}
