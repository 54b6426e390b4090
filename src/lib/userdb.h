/* Users and groups: a name or "uid:gid", resolved without NSS. */
#ifndef HOTSV_LIB_USERDB_H
#define HOTSV_LIB_USERDB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define USER_GROUPS_MAX 64

struct user_spec {
	uid_t uid;
	gid_t gid;
	gid_t groups[USER_GROUPS_MAX]; /* supplementary, gid first */
	int ngroups;
	char name[64];
	char home[256];
};

int userdb_passwd(const char *passwd, size_t len, const char *name, long uid,
    struct user_spec *out);
void userdb_groups(
    const char *group, size_t len, const char *name, struct user_spec *out);
int user_resolve(const char *text, size_t len, const char *etc,
    struct user_spec *out, const char **why);

#endif
