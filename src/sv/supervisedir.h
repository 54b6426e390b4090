/* Where a service's supervise/ and event/ directories live. */
#ifndef HOTSV_SV_SUPERVISEDIR_H
#define HOTSV_SV_SUPERVISEDIR_H

#include <stdbool.h>
#include <sys/types.h>

struct svpaths {
	char *svcdir;   /* the service directory, as given */
	char *name;     /* "nginx", or "nginx/log" for a logger */
	char *supdir;   /* .../supervise */
	char *eventdir; /* .../event */
	bool in_statedir;
};

char *svpath_name(int dirfd, const char *svcdir);
int svpaths_create(struct svpaths *, int dirfd, const char *svcdir,
    const char *name, const char *statedir);
int svpaths_find(struct svpaths *, const char *svcdir, const char *statedir);
int svpaths_locked(
    int dirfd, const char *statedir, const char *name, pid_t *holder);
void svpaths_free(struct svpaths *);
int mkdir_parents(const char *path, int mode);

#endif
