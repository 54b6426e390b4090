/*
 * Finding a program to exec: in PATH, as a shell would, or one of ours
 * beside our own executable.
 */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/findprogram.h"

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
find_in_path(const char *name, char *buf, size_t size)
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
find_our_program(const char *name, char *buf, size_t size)
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
	return find_in_path(name, buf, size);
}
