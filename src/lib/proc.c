/*
 * Reading /proc: a process's parent and start time, and every
 * descendant of ours (what a child subreaper must sweep at shutdown:
 * processes that double-forked away from their supervisors), if /proc
 * is our PID namespace's at all.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/proc.h"

/* Most processes we look at in one sweep. */
#define PROC_MAX 65536

/*
 * Read a process's state letter, parent and start time (clock ticks
 * since boot) from /proc/PID/stat; NULL pointers are skipped.  The
 * command name may hold spaces and parentheses, so the fields are
 * counted from its last ')'.  Returns 0, or -1.
 */
int
proc_stat(pid_t pid, char *state, pid_t *ppid, unsigned long long *starttime)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	int fd, parent = 0;
	char letter = '?';
	ssize_t got;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	p = strrchr(buf, ')');
	/* After ")": state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * threads itrealvalue starttime. */
	if (p == NULL ||
	    sscanf(p + 1,
	        " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	        "%*u %*u %*d %*d %*d %*d %*d %*d %llu",
	        &letter, &parent, &start) != 3)
		return -1;
	if (state != NULL)
		*state = letter;
	if (ppid != NULL)

		*ppid = (pid_t)parent;
	if (starttime != NULL)
		*starttime = start;
	return 0;
}

/*
 * Say whether /proc shows our own PID namespace: its "self" link names
 * the pid we have.  A /proc mounted in another namespace (unshare --pid
 * without --mount-proc) shows pids of that one, so a pid read there
 * would name some other process here (pid 2's children are then the
 * host's kernel threads).  No /proc at all says no too.
 */
bool
proc_is_ours(void)
{
	char link[32];
	ssize_t len = readlink("/proc/self", link, sizeof link - 1);

	if (len <= 0)
		return false;
	link[len] = '\0';
	return strtol(link, NULL, 10) == (long)getpid();
}

/*
 * List every live descendant of root (children, grandchildren, ...).
 * Returns how many were stored in out (at most max).
 */
size_t
proc_descendants(pid_t root, pid_t *out, size_t max)
{
	struct dirent *entry;
	pid_t *pids, *parents;
	size_t count = 0, found = 0;
	DIR *dir = opendir("/proc");

	if (dir == NULL)
		return 0;
	pids = calloc(PROC_MAX, sizeof *pids);
	parents = calloc(PROC_MAX, sizeof *parents);
	while (pids != NULL && parents != NULL &&
	    (entry = readdir(dir)) != NULL && count < PROC_MAX) {
		pid_t pid = (pid_t)atoi(entry->d_name);

		if (pid > 0 && pid != root &&
		    proc_stat(pid, NULL, &parents[count], NULL) == 0)
			pids[count++] = pid;
	}
	closedir(dir);
	/* Walk each chain of parents up until it reaches root or ends. */
	for (size_t i = 0; i < count && found < max; i++) {
		pid_t up = parents[i];

		for (size_t depth = 0; up > 1 && up != root && depth < count;
		     depth++) {
			size_t j = 0;

			while (j < count && pids[j] != up)
				j++;
			up = j < count ? parents[j] : 0;
		}
		if (up == root)
			out[found++] = pids[i];
	}
	free(pids);
	free(parents);
	return found;
}
