/*
 * env/ directories (s6-envdir's rules) and the environment they build
 * for run and finish: each variable with where it comes from.
 */
#ifndef HOTSV_SV_ENVDIR_H
#define HOTSV_SV_ENVDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/complaints.h"

struct user_spec;

/* The largest env/ file read (its first line is the value). */
#define ENVDIR_FILE_MAX 65536
/* The most files of one env/ directory taken. */
#define ENVDIR_FILES_MAX 1024

/* One variable and where it comes from ("inherited", "env/", ...). */
struct envvar {
	char *name;
	char *value;
	const char *source;
};

/* An environment being built, and what was wrong on the way. */
struct envlist {
	struct envvar *vars;
	size_t count;
	size_t room; /* vars allocated: doubled when full */
	struct complaints bad;
};

const char *envdir_name_why(const char *name);
bool envdir_value(char *content, size_t *len);
void envlist_set(struct envlist *, const char *name, const char *value,
    size_t len, const char *source);
void envlist_inherit(struct envlist *, char *const *env, const char *source);
void envlist_for_run(struct envlist *, char *const *inherited, int scandirfd,
    int svcdirfd, const struct user_spec *user);
char **envlist_envp(const struct envlist *);
void envlist_sort(struct envlist *);
void envlist_free(struct envlist *);

#endif
