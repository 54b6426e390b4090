/* Starting children with a clean slate. */
#ifndef HOTSV_LIB_SPAWN_H
#define HOTSV_LIB_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SPAWN_MAX_FDS 5
#define SPAWN_MAX_ENV 3

struct proc_settings;
struct user_spec;

/* One descriptor to hand over: our fd "from" becomes the child's "to". */
struct spawn_fd {
	int from;
	int to;
};

struct spawn_req {
	const char *dir; /* chdir here before exec, or NULL */
	int dirfd;       /* rather this directory, if above 2 (0: none) */

	const char *file; /* what to exec, relative to dir */
	char *const *argv;
	const sigset_t *mask; /* the child's signal mask */
	struct spawn_fd fds[SPAWN_MAX_FDS];
	int nfds;
	bool new_session; /* setsid(): its own process group */
	bool foreground;  /* own process group, the terminal's foreground */
	/* NAME=VALUE strings added to the environment, NULL-terminated. */
	const char *env[SPAWN_MAX_ENV + 1];
	char *const
	    *environment; /* the environment env adds to, or NULL: ours */
	struct proc_settings *settings; /* limits, nice...: or NULL */
	const struct user_spec *user;   /* become this user, or NULL */
};

pid_t spawn(const struct spawn_req *);
bool spawn_reserve_slots(void);
int spawn_exit_code(int err);
void fd_sanitize_std(void);

#endif
