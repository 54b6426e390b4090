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
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "lib/procset.h"
#include "lib/sig.h"
#include "lib/spawn.h"
#include "lib/userdb.h"

extern char **environ;

/* Exit code of a child whose exec failed: 127 not found, else 126. */
int
spawn_exit_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* A directory entry as getdents64 returns it (linux_dirent64). */
struct kernel_dirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/*
 * Mark every descriptor from lowfd up close-on-exec.  Before Linux 5.11
 * close_range cannot, so walk /proc/self/fd with getdents64 into a stack
 * buffer: opendir would allocate, which a vfork child must not.  Both
 * are raw system calls: not every C library wraps them.
 */
static void
cloexec_from(int lowfd)
{
	char buf[1024];
	long got;
	int dirfd;

	if (syscall(SYS_close_range, (unsigned int)lowfd, ~0U,
	        CLOSE_RANGE_CLOEXEC) == 0)
		return;
	dirfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return;
	while ((got = syscall(SYS_getdents64, dirfd, buf, sizeof buf)) > 0) {
		for (long at = 0; at < got;) {
			struct kernel_dirent *entry =
			    (struct kernel_dirent *)(buf + at);
			int fd = atoi(entry->name);

			if (fd >= lowfd && fd != dirfd)
				fcntl(fd, F_SETFD, FD_CLOEXEC);
			at += entry->reclen;
		}
	}
	close(dirfd);
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
 * The child's side: set up and exec, or leave the reason in *err and
 * exit.  Runs in our memory (vfork): system calls only.
 */
static void __attribute__((noreturn))
spawn_child(const struct spawn_req *req, char **envp, volatile int *err)
{
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

	/* Lift every source above every target so no dup2 clobbers one. */
	for (int i = 0; i < req->nfds; i++)
		if (req->fds[i].to >= high)
			high = req->fds[i].to + 1;
	for (int i = 0; i < req->nfds; i++) {
		from[i] = fcntl(req->fds[i].from, F_DUPFD_CLOEXEC, high);
		if (from[i] < 0)
			goto fail;
	}
	/*
	 * Before the dup2s: a target may be dirfd's number (run's
	 * notification-fd 5 is the supervisor's service directory under
	 * hotsv-scan).  dirfd 0 (left unset) is never one: 0, 1 and 2 are
	 * stdio.
	 */
	if (req->dirfd > 2 ? fchdir(req->dirfd) < 0
	                   : req->dir != NULL && chdir(req->dir) < 0)
		goto fail;
	cloexec_from(3);
	for (int i = 0; i < req->nfds; i++)
		if (dup2(from[i], req->fds[i].to) < 0)
			goto fail;
	if (req->settings != NULL)
		procset_apply(req->settings);
	if (req->user != NULL && become_user(req->user) < 0)
		goto fail;

	execve(req->file, req->argv, envp);
fail:
	*err = errno;
	_exit(spawn_exit_code(errno));
}

/*
 * vfork a child that execs with envp.  Returns its pid, or -1 with errno
 * set; a child whose set-up or exec failed is reaped here.  Kept apart
 * from spawn so that no variable of ours lives across the vfork.
 */
static pid_t __attribute__((noinline))
spawn_vfork(const struct spawn_req *req, char **envp)
{
	volatile int childerr = 0;
	pid_t pid = vfork();

	if (pid == 0)
		spawn_child(req, envp, &childerr);
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

/* Say whether dir/name is an executable file; fill path if so. */
static bool
executable_in(
    const char *dir, size_t dirlen, const char *name, char *path, size_t size)
{
	return (size_t)snprintf(path, size, "%.*s/%s", (int)dirlen, dir, name) <
	    size &&
	    access(path, X_OK) == 0;
}

/*
 * Find a program in PATH, as a shell would.  Returns its path in buf, or
 * the bare name (exec then fails with ENOENT: 127) if it is not there.
 */
const char *
spawn_find_in_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	while (path != NULL && *path != '\0') {
		const char *end = strchr(path, ':');
		size_t dirlen =
		    end != NULL ? (size_t)(end - path) : strlen(path);

		if (dirlen > 0 && executable_in(path, dirlen, name, buf, size))
			return buf;
		path = end != NULL ? end + 1 : NULL;
	}
	snprintf(buf, size, "%s", name);
	return buf;
}

/*
 * Find one of our programs: next to our own executable (the build tree,
 * or sbindir beside sbindir), in ../bin or ../sbin from there, then in
 * PATH.  Returns a path in buf, or the bare name if none is found.
 */
const char *
spawn_find_program(const char *name, char *buf, size_t size)
{
	static const char *const siblings[] = {".", "../bin", "../sbin"};
	char self[PATH_MAX], dir[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	const char *slash;

	if (len > 0) {
		self[len] = '\0';
		slash = strrchr(self, '/');
		for (size_t i = 0; slash != NULL && i < 3; i++) {
			snprintf(dir, sizeof dir, "%.*s/%s",
			    (int)(slash - self), self, siblings[i]);
			if (executable_in(dir, strlen(dir), name, buf, size))
				return buf;
		}
	}
	return spawn_find_in_path(name, buf, size);
}
