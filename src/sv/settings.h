/*
 * The files that set up run and finish's process: limits, nice,
 * oom-score-adj, umask; their parsers and what could not be applied.
 */
#ifndef HOTSV_SV_SETTINGS_H
#define HOTSV_SV_SETTINGS_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

struct complaints;
struct proc_settings;

/* The longest limits file read. */
#define SETTINGS_LIMITS_MAX 4096

int svparse_int(const char *text, size_t len, long min, long max, long *out,
    const char **why);
int svparse_umask(const char *text, size_t len, mode_t *out, const char **why);
int svparse_limit(const char *line, size_t len, int *resource,
    struct rlimit *out, const char **why);
const char *svlimit_name(int resource);
void svparse_limits(const char *text, size_t len, const char *file,
    struct proc_settings *, struct complaints *);
void svdir_settings_at(int dirfd, struct proc_settings *, struct complaints *);
void svdir_settings_failed(const struct proc_settings *, struct complaints *);

#endif
