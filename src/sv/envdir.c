/*
 * env/ directories with s6-envdir's rules: each file sets the variable
 * of its name to its first line, trailing blanks removed, NUL bytes
 * turned into newlines; an empty file unsets the variable.  Files are
 * opened through symbolic links, and read whole, up to 64 KiB (env/DB_PASSWORD
 * -> /run/secrets/db); names starting with a dot are skipped (a Kubernetes
 * volume's ..data). A bad file is one line of complaint; the others still
 * count.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dirents.h"
#include "lib/userdb.h"
#include "lib/xmalloc.h"
#include "sv/envdir.h"
#include "sv/files.h"
#include "sv/scannerdir.h"

/* Why name cannot be a variable's, or NULL if it can. */
const char *
envdir_name_why(const char *name)
{
	if (name[0] == '\0')
		return "an empty name";
	if (strchr(name, '=') != NULL)
		return "a name with '='";
	return NULL;
}

/*
 * Turn a file's content into its value, in place: false when the file
 * is empty (unset the variable), else true with *len the value's length
 * (the first line, trailing spaces and tabs removed, NULs made newlines).
 */
bool
envdir_value(char *content, size_t *len)
{
	char *newline;

	if (*len == 0)
		return false;
	newline = memchr(content, '\n', *len);
	if (newline != NULL)
		*len = (size_t)(newline - content);
	while (
	    *len > 0 && (content[*len - 1] == ' ' || content[*len - 1] == '\t'))
		(*len)--;
	for (size_t i = 0; i < *len; i++)
		if (content[i] == '\0')
			content[i] = '\n';
	return true;
}

/* Find the variable called name (length namelen), or NULL. */
static struct envvar *
find_var(struct envlist *env, const char *name, size_t namelen)
{
	for (size_t i = 0; i < env->count; i++)
		if (strncmp(env->vars[i].name, name, namelen) == 0 &&
		    env->vars[i].name[namelen] == '\0')
			return &env->vars[i];
	return NULL;
}

/* Set name to value (len bytes), or unset it when value is NULL. */
void
envlist_set(struct envlist *env, const char *name, const char *value,
    size_t len, const char *source)
{
	size_t namelen = strcspn(name, "=");
	struct envvar *var = find_var(env, name, namelen);

	if (value == NULL) {
		if (var != NULL) {
			free(var->name);
			free(var->value);
			*var = env->vars[--env->count];
		}
		return;
	}
	if (var == NULL) {
		/* Doubled, not grown by one: a heap left full of holes
		 * stays resident in every supervisor. */
		if (env->count == env->room) {
			env->room = env->room > 0 ? 2 * env->room : 64;
			env->vars = xreallocarray(
			    env->vars, env->room, sizeof *env->vars);
		}
		var = &env->vars[env->count++];
		var->name = xmalloc(namelen + 1);
		memcpy(var->name, name, namelen);
		var->name[namelen] = '\0';
	} else
		free(var->value);
	var->value = xmalloc(len + 1);
	memcpy(var->value, value, len);
	var->value[len] = '\0';
	var->source = source;
}

/* Take every NAME=VALUE string of env (an environ). */
void
envlist_inherit(struct envlist *env, char *const *strings, const char *source)
{
	for (size_t i = 0; strings[i] != NULL; i++) {
		const char *equals = strchr(strings[i], '=');

		if (equals != NULL && equals != strings[i])
			envlist_set(env, strings[i], equals + 1,
			    strlen(equals + 1), source);
	}
}

/* Apply one file of an env/ directory, or complain about it. */
static void
read_file(struct envlist *env, int dirfd, const char *name, const char *label,
    const char *source, char *buf)
{
	const char *why = envdir_name_why(name);
	struct stat sb;
	size_t len = 0;
	int got = why == NULL
	    ? svfile_read_at(dirfd, name, buf, ENVDIR_FILE_MAX + 1, &len, &why)
	    : -1;

	/*
	 * Absent: gone since readdir, or a link to nothing (a secret not
	 * mounted yet), which deserves a word.
	 */
	if (got == 0 && fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		why = "a symbolic link to nothing";
	else if (got == 0)
		return;
	if (got <= 0) {
		complain(&env->bad, "%s/%s: %s (skipped)", label, name, why);
		return;
	}
	if (envdir_value(buf, &len))
		envlist_set(env, name, buf, len, source);
	else
		envlist_set(env, name, NULL, 0, source);
}

/* What read_entry is given: the list, how to name and mark what it reads. */
struct envdir_walk {
	struct envlist *env;
	int dirfd;
	const char *label;
	const char *source;
	char *buf; /* ENVDIR_FILE_MAX + 1 bytes */
	size_t files;
};

/* Apply one entry of an env/ directory, up to ENVDIR_FILES_MAX files. */
static void
read_entry(const char *name, void *arg)
{
	struct envdir_walk *walk = arg;

	if (name[0] == '.')
		return;
	if (++walk->files == ENVDIR_FILES_MAX + 1)
		complain(&walk->env->bad,
		    "%s: more than %d files (the rest skipped)", walk->label,
		    ENVDIR_FILES_MAX);
	if (walk->files <= ENVDIR_FILES_MAX)
		read_file(walk->env, walk->dirfd, name, walk->label,
		    walk->source, walk->buf);
}

/*
 * Apply the directory dir of parentfd (label names it in complaints):
 * nothing when it does not exist.
 */
static void
envlist_read(struct envlist *env, int parentfd, const char *dir,
    const char *label, const char *source)
{
	struct envdir_walk walk = {env, -1, label, source, NULL, 0};

	walk.dirfd = openat(parentfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (walk.dirfd < 0) {
		if (errno != ENOENT)
			complain(&env->bad, "%s: %s (none of it used)", label,
			    strerror(errno));
		return;
	}
	walk.buf = xmalloc(ENVDIR_FILE_MAX + 1);
	if (dirents_each(walk.dirfd, read_entry, &walk) < 0)
		complain(&env->bad, "%s: %s", label, strerror(errno));
	free(walk.buf);
	close(walk.dirfd);
}

/*
 * The environment as execve takes it: NAME=VALUE strings and a NULL,
 * in one allocation (one free).
 */
char **
envlist_envp(const struct envlist *env)
{
	size_t size = (env->count + 1) * sizeof(char *);
	char **envp, *at;

	for (size_t i = 0; i < env->count; i++)
		size +=
		    strlen(env->vars[i].name) + strlen(env->vars[i].value) + 2;
	envp = xmalloc(size);
	at = (char *)(envp + env->count + 1);
	for (size_t i = 0; i < env->count; i++) {
		size_t namelen = strlen(env->vars[i].name);
		size_t valuelen = strlen(env->vars[i].value);

		envp[i] = at;
		memcpy(at, env->vars[i].name, namelen);
		at[namelen] = '=';
		memcpy(at + namelen + 1, env->vars[i].value, valuelen + 1);
		at += namelen + valuelen + 2;
	}
	envp[env->count] = NULL;
	return envp;
}

/*
 * The environment run and finish get, each later layer winning: the
 * supervisor's own, HOME and USER of ./user (user, or NULL), the
 * scanner's SCANDIR/.hotsv/env (scandirfd, or -1), the service's env/.
 */
void
envlist_for_run(struct envlist *env, char *const *inherited, int scandirfd,
    int svcdirfd, const struct user_spec *user)
{
	envlist_inherit(env, inherited, "inherited");
	if (user != NULL) {
		envlist_set(
		    env, "HOME", user->home, strlen(user->home), "user");
		envlist_set(
		    env, "USER", user->name, strlen(user->name), "user");
	}
	if (scandirfd >= 0)
		envlist_read(env, scandirfd, SCANNERDIR "/env",
		    SCANNERDIR "/env", SCANNERDIR "/env");
	envlist_read(env, svcdirfd, "env", "env", "env/");
}

/* Compare two variables by name. */
static int
compare_vars(const void *a, const void *b)
{
	return strcmp(
	    ((const struct envvar *)a)->name, ((const struct envvar *)b)->name);
}

/* Sort the variables by name. */
void
envlist_sort(struct envlist *env)
{
	if (env->count > 1)
		qsort(env->vars, env->count, sizeof *env->vars, compare_vars);
}

/* Free every variable and complaint. */
void
envlist_free(struct envlist *env)
{
	for (size_t i = 0; i < env->count; i++) {
		free(env->vars[i].name);
		free(env->vars[i].value);
	}
	free(env->vars);
	env->vars = NULL;
	env->count = env->room = 0;
	complaints_free(&env->bad);
}
