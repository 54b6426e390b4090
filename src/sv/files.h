/* Service-directory files: reading them with safe defaults. */
#ifndef HOTSV_SV_FILES_H
#define HOTSV_SV_FILES_H

#include <stdbool.h>
#include <stddef.h>

struct sv_policy;
struct user_spec;

/* The longest value file we read; anything longer is rejected. */
#define SVFILE_MAX 256

/* The files, in the directory dirfd (O_PATH is enough). */
int svfile_read_at(int dirfd, const char *name, char *buf, size_t size,
    size_t *len, const char **why);
bool svfile_exists_at(int dirfd, const char *name);
unsigned long svdir_uint_at(
    int dirfd, const char *name, unsigned long def, unsigned long max);
int svdir_signal_at(int dirfd, const char *name, int def);
int svdir_notification_fd_at(int dirfd);
bool svdir_has_readiness_at(int dirfd);
int svdir_user_at(int dirfd, struct user_spec *user);
void svdir_policy_at(int dirfd, struct sv_policy *);

/* For clients that have only a path (hotsv): open it, read, close. */
int svfile_read(const char *dir, const char *name, char *buf, size_t size,
    size_t *len, const char **why);
bool svfile_exists(const char *dir, const char *name);
bool svdir_has_readiness(const char *dir);
void svdir_policy(const char *dir, struct sv_policy *);

#endif
