/*
 * What run and finish get besides their descriptors, read afresh at
 * each start so that a change needs no restart of ours: the environment
 * (ours, HOME and USER of ./user, SCANDIR/.hotsv/env, env/) and the
 * process settings (limits, nice, oom-score-adj, umask).  All is built
 * here, before the vfork: the child only applies it.  What was wrong is
 * said once, and again only when it changes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/procset.h"
#include "lib/spawn.h"
#include "supervise/supervise.h"
#include "sv/envdir.h"
#include "sv/settings.h"

extern char **environ;

/*
 * Build the environment and settings of a child of ours into prep and
 * point req at them.  user is the user of ./user, or NULL.
 */
void
childprep_make(struct supervisor *s, struct child_prep *prep,
    const struct user_spec *user, struct spawn_req *req)
{
	memset(&prep->env, 0, sizeof prep->env);
	envlist_for_run(&prep->env, environ, s->scandirfd, s->svcdirfd, user);
	prep->envp = envlist_envp(&prep->env);
	svdir_settings_at(s->svcdirfd, &prep->settings, &prep->env.bad);
	req->environment = prep->envp;
	req->settings = &prep->settings;
}

/*
 * The child started (pid > 0) or not: add what it could not apply, say
 * the complaints if they are not those said last time, free prep.
 */
void
childprep_done(struct supervisor *s, struct child_prep *prep, pid_t pid)
{
	int saved_errno = errno;
	uint32_t hash;

	if (pid > 0)
		svdir_settings_failed(&prep->settings, &prep->env.bad);
	hash = complaints_hash(&prep->env.bad);
	if (hash != s->complained)
		complaints_say(&prep->env.bad);
	s->complained = hash;
	envlist_free(&prep->env);
	free(prep->envp);
	prep->envp = NULL;
	errno = saved_errno;
}
