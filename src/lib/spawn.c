/*
 * vfork/exec with the hygiene every child of ours gets: default signal
 * dispositions, the mask it should have, its own session if asked, only
 * the descriptors it was promised (0, 1, 2 and the listed ones), and exec
 * errors reported to the parent, so that a missing or busy program is an
 * errno, not a mysterious exit code.
 *
 * vfork, not fork: the child borrows our memory until it execs, so
 * starting a child costs no page-table copy and no copy-on-write faults
 * afterwards, however large we are (a scanner with 5,000 services starts
 * 5,000 supervisors).  The price is discipline: the child only makes
 * system calls, allocates nothing and changes no memory of ours but the
 * errno it hands back.  We run no signal handlers (signals come through
 * signalfd), so none can run on the borrowed stack either.
 *
 * The child borrows our descriptor table too (clone with CLONE_FILES):
 * a copy of it, and closing at exec every copy the child was not
 * promised, would cost each start time in proportion to the descriptors
 * we hold, and a scanner holds two per service (the 1,000th supervisor
 * would close 2,000).  So the child dups what it is promised into a few
 * slots, low numbers we reserve at our first spawn, and then takes a
 * table of its own holding only the numbers below the slots' end
 * (close_range with CLOSE_RANGE_UNSHARE, Linux 5.9).  Where clone with
 * these flags is refused or the slots cannot be had, a plain vfork does
 * the same work with a copy of the table; so it does under valgrind,
 * which does not refuse that clone but exits.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "lib/dirents.h"
#include "lib/procset.h"
#include "lib/sig.h"
#include "lib/spawn.h"
#include "lib/userdb.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#else
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* The stack a child runs on until it execs (it calls little). */
#define CHILD_STACK_SIZE (64 * 1024)

extern char **environ;

/*
 * The slots lent to children that share our descriptor table: slot 0
 * stays on /dev/null, the others carry a child's promised descriptors
 * and are put back on /dev/null once it has exec'd.  lent_end is the
 * highest slot + 1, 0 until they are reserved.  State of the process,
 * like environ: every spawn of ours uses the same slots.
 */
static int lent_slot[SPAWN_MAX_FDS + 1];
static int lent_end;

/* What the child is handed through clone's single argument. */
struct child_args {
	const struct spawn_req *req;
	char **envp;
	volatile int *err;
	bool shares_table; /* with ours, until own_table */
};

/* Exit code of a child whose exec failed: 127 not found, else 126. */
int
spawn_exit_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* What mark_cloexec is given: the lowest to mark, the listing's own. */
struct cloexec_walk {
	int lowfd;
	int dirfd;
};

/* Mark one descriptor of /proc/self/fd close-on-exec, if in range. */
static void
mark_cloexec(const char *name, void *arg)
{
	const struct cloexec_walk *walk = arg;
	int fd = atoi(name);

	if (name[0] != '.' && fd >= walk->lowfd && fd != walk->dirfd)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/*
 * Mark every descriptor from lowfd up close-on-exec.  Before Linux 5.11
 * close_range cannot, so walk /proc/self/fd without allocating, which a
 * vfork child must not (close_range is a raw system call: not every C
 * library wraps it).
 */
static void
cloexec_from(int lowfd)
{
	struct cloexec_walk walk = {lowfd, -1};

	if (syscall(SYS_close_range, (unsigned int)lowfd, ~0U,
	        CLOSE_RANGE_CLOEXEC) == 0)
		return;
	walk.dirfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (walk.dirfd < 0)
		return;
	dirents_each(walk.dirfd, mark_cloexec, &walk);
	close(walk.dirfd);
}

/*
 * Take on a user's identity: supplementary groups, group, then user.
 * Moving from root to another uid clears every capability.
 */
static int
become_user(const struct user_spec *user)
{
	if (setgroups((size_t)user->ngroups, user->groups) < 0 ||
	    setgid(user->gid) < 0 || setuid(user->uid) < 0)
		return -1;
	return 0;
}

/* Whether NAME=VALUE strings a and b name the same variable. */
static bool
same_name(const char *a, const char *b)
{
	size_t len = strcspn(a, "=");

	return strncmp(a, b, len) == 0 && b[len] == '=';
}

/*
 * The child's environment: req->environment or ours, with req->env's
 * strings replacing the variables they name or added at the end.
 * Returns that base itself when there is nothing to add, a malloc'd
 * array otherwise, NULL if out of memory.
 */
static char **
child_environment(const struct spawn_req *req, char **base)
{
	size_t count = 0, extra = 0, kept = 0;
	char **envp;

	while (req->env[extra] != NULL)
		extra++;
	if (extra == 0)
		return base;
	while (base[count] != NULL)
		count++;
	envp = malloc((count + extra + 1) * sizeof *envp);
	if (envp == NULL)
		return NULL;
	for (size_t i = 0; i < count; i++) {
		bool replaced = false;

		for (size_t j = 0; j < extra && !replaced; j++)
			replaced = same_name(req->env[j], base[i]);
		if (!replaced)
			envp[kept++] = base[i];
	}
	for (size_t j = 0; j < extra; j++)
		envp[kept++] = (char *)(uintptr_t)req->env[j];
	envp[kept] = NULL;
	return envp;
}

/*
 * Reserve the slots children borrow, at the lowest numbers free now:
 * a program that will hold many descriptors calls it first thing, the
 * first spawn does otherwise.  Returns false if it cannot.
 */
bool
spawn_reserve_slots(void)
{
	if (lent_end > 0)
		return true;
	lent_slot[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (lent_slot[0] < 0)
		return false;
	for (int i = 1; i <= SPAWN_MAX_FDS; i++) {
		lent_slot[i] = fcntl(lent_slot[0], F_DUPFD_CLOEXEC, 0);
		if (lent_slot[i] < 0) {
			while (--i >= 0)
				close(lent_slot[i]);
			return false;
		}
	}
	for (int i = 0; i <= SPAWN_MAX_FDS; i++)
		if (lent_slot[i] >= lent_end)
			lent_end = lent_slot[i] + 1;
	return true;
}

/* Put the slots a child used back on /dev/null, letting go of its fds. */
static void
put_slots_back(int used)
{
	for (int i = 1; i <= used; i++)
		dup3(lent_slot[0], lent_slot[i], O_CLOEXEC);
}

/*
 * Give the child a descriptor table of its own that still holds what it
 * was promised; their numbers in it go in from[].  A child sharing our
 * table carries them through the slots, and keeps nothing above them.
 */
static int
own_table(const struct spawn_req *req, bool shares_table, int *from)
{
	for (int i = 0; i < req->nfds; i++)
		from[i] = req->fds[i].from;
	if (!shares_table)
		return 0;
	for (int i = 0; i < req->nfds; i++) {
		if (dup2(from[i], lent_slot[i + 1]) < 0)
			return -1;
		from[i] = lent_slot[i + 1];
	}
	if (syscall(SYS_close_range, (unsigned int)lent_end, ~0U,
	        CLOSE_RANGE_UNSHARE) == 0)
		return 0;
	return unshare(CLONE_FILES); /* before Linux 5.9: a whole copy */
}

/*
 * The child's side: set up and exec, or leave the reason in *args->err and
 * exit.  Runs in our memory (vfork): system calls only.
 */
static void __attribute__((noreturn)) spawn_child(const struct child_args *args)
{
	const struct spawn_req *req = args->req;
	int from[SPAWN_MAX_FDS], high = 3;

	/*
	 * Take the terminal before the mask is reset: while SIGTTOU is
	 * still blocked, tcsetpgrp from a background group is allowed.
	 */
	if (req->foreground && setpgid(0, 0) == 0 && isatty(STDIN_FILENO))
		tcsetpgrp(STDIN_FILENO, getpid());
	sig_child_reset(req->mask);
	if (req->new_session && setsid() < 0)
		goto fail;
	/*
	 * Before the table is our own (dirfd may be above the slots) and
	 * before the dup2s (a target may be dirfd's number: run's
	 * notification-fd 5 is the supervisor's service directory under
	 * hotsv-scan).  dirfd 0 (left unset) is never one: 0, 1 and 2 are
	 * stdio.
	 */
	if (req->dirfd > 2 ? fchdir(req->dirfd) < 0
	                   : req->dir != NULL && chdir(req->dir) < 0)
		goto fail;
	if (own_table(req, args->shares_table, from) < 0)
		goto fail;

	/* Lift every source above every target so no dup2 clobbers one. */
	for (int i = 0; i < req->nfds; i++)
		if (req->fds[i].to >= high)
			high = req->fds[i].to + 1;
	for (int i = 0; i < req->nfds; i++) {
		from[i] = fcntl(from[i], F_DUPFD_CLOEXEC, high);
		if (from[i] < 0)
			goto fail;
	}
	cloexec_from(3);
	for (int i = 0; i < req->nfds; i++)
		if (dup2(from[i], req->fds[i].to) < 0)
			goto fail;
	if (req->settings != NULL)
		procset_apply(req->settings);
	if (req->user != NULL && become_user(req->user) < 0)
		goto fail;

	execve(req->file, req->argv, args->envp);
fail:
	*args->err = errno;
	_exit(spawn_exit_code(errno));
}

/* clone's entry point for a child sharing our memory and table. */
static int
child_main(void *args)
{
	spawn_child(args);
}

/*
 * Start a child that shares our memory and descriptor table until it
 * execs (vfork's flags, with CLONE_FILES).  -1 when clone refuses.
 */
static pid_t
clone_sharing_table(struct child_args *args)
{
	char stack[CHILD_STACK_SIZE] __attribute__((aligned(16)));
	pid_t pid;

	args->shares_table = true;
	pid = clone(child_main, stack + sizeof stack,
	    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, args);
	/* The child's frames, left poisoned by a sanitizer build. */
	ASAN_UNPOISON_MEMORY_REGION(stack, sizeof stack);
	return pid;
}

/*
 * Start a child that execs with envp.  Returns its pid, or -1 with
 * errno set; a child whose set-up or exec failed is reaped here.  Kept
 * apart from spawn so that no variable of ours lives across the vfork.
 */
static pid_t __attribute__((noinline))
spawn_vfork(const struct spawn_req *req, char **envp)
{
	volatile int childerr = 0;
	struct child_args args = {req, envp, &childerr, false};
	pid_t pid = -1;

	if (!RUNNING_ON_VALGRIND && spawn_reserve_slots()) {
		pid = clone_sharing_table(&args);
		put_slots_back(req->nfds);
	}
	if (pid < 0) {
		args.shares_table = false;
		childerr = 0;
		pid = vfork();
		if (pid == 0)
			spawn_child(&args);
	}
	if (pid < 0 || childerr == 0)
		return pid;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	errno = childerr;
	return -1;
}

/*
 * Start a child.  Returns its pid once it has exec'd, or -1 with errno
 * set when vfork, chdir or exec failed.
 */
pid_t
spawn(const struct spawn_req *req)
{
	char **base = req->environment != NULL
	    ? (char **)(uintptr_t)req->environment
	    : environ;
	char **envp = child_environment(req, base);
	int saved_errno;
	pid_t pid;

	if (envp == NULL)
		return -1;
	pid = spawn_vfork(req, envp);
	saved_errno = errno;
	if (envp != base)
		free(envp);
	errno = saved_errno;
	return pid;
}

/* Make sure 0, 1 and 2 are open, so that no file we open lands there. */
void
fd_sanitize_std(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(111);
}
