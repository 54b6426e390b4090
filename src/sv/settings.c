/*
 * The files that set up run and finish's process before exec: limits
 * (one "NAME VALUE" or "NAME SOFT:HARD" a line), nice, oom-score-adj
 * and umask.  The parsers are pure; a bad line or file is one line of
 * complaint and is left out, the rest still applies.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "lib/complaints.h"
#include "lib/procset.h"
#include "sv/files.h"
#include "sv/settings.h"
#include "sv/values.h"

/* The limits a limits file may name, as in prlimit(1), lower case. */
static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
    {"as", RLIMIT_AS},
    {"core", RLIMIT_CORE},
    {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},
    {"fsize", RLIMIT_FSIZE},
    {"memlock", RLIMIT_MEMLOCK},
    {"nofile", RLIMIT_NOFILE},
    {"nproc", RLIMIT_NPROC},
    {"stack", RLIMIT_STACK},
};

#define NLIMITS (sizeof rlimit_names / sizeof rlimit_names[0])

/* The name of a resource in a limits file. */
const char *
svlimit_name(int resource)
{
	for (size_t i = 0; i < NLIMITS; i++)
		if (rlimit_names[i].resource == resource)
			return rlimit_names[i].name;
	return "?";
}

/*
 * Parse a decimal integer between min and max, surrounded by optional
 * blanks: 0, or -1 with *why.
 */
int
svparse_int(const char *text, size_t len, long min, long max, long *out,
    const char **why)
{
	unsigned long magnitude;
	bool negative;

	svparse_trim(&text, &len);
	negative = len > 0 && text[0] == '-';
	if (negative) {
		text++;
		len--;
	}
	if (svparse_uint(text, len, LONG_MAX, &magnitude, why) != 0)
		return -1;
	*out = negative ? -(long)magnitude : (long)magnitude;
	if (*out < min || *out > max) {
		*why = "out of range";
		return -1;
	}
	return 0;
}

/* Parse an octal umask (0 to 0777): 0, or -1 with *why. */
int
svparse_umask(const char *text, size_t len, mode_t *out, const char **why)
{
	mode_t mask = 0;

	svparse_trim(&text, &len);
	if (len == 0) {
		*why = "empty";
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '7') {
			*why = "not an octal number";
			return -1;
		}
		mask = (mode_t)(mask * 8 + (mode_t)(text[i] - '0'));
		if (mask > 0777) {
			*why = "larger than 0777";
			return -1;
		}
	}
	*out = mask;
	return 0;
}

/* Parse one limit value: a number or "unlimited". */
static int
parse_rlim(const char *text, size_t len, rlim_t *out, const char **why)
{
	unsigned long value;

	if (len == 9 && memcmp(text, "unlimited", 9) == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (svparse_uint(text, len, ULONG_MAX, &value, why) != 0)
		return -1;
	*out = (rlim_t)value;
	return 0;
}

/*
 * Parse one line of a limits file, "NAME VALUE" or "NAME SOFT:HARD":
 * 0, or -1 with *why.
 */
int
svparse_limit(const char *line, size_t len, int *resource, struct rlimit *out,
    const char **why)
{
	size_t namelen, i;
	const char *value, *colon;
	size_t valuelen;

	svparse_trim(&line, &len);
	namelen = 0;
	while (namelen < len && line[namelen] != ' ' && line[namelen] != '\t')
		namelen++;
	for (i = 0; i < NLIMITS; i++)
		if (strlen(rlimit_names[i].name) == namelen &&
		    memcmp(rlimit_names[i].name, line, namelen) == 0)
			break;
	if (i == NLIMITS) {
		*why = "not a limit name";
		return -1;
	}
	*resource = rlimit_names[i].resource;
	value = line + namelen;
	valuelen = len - namelen;
	svparse_trim(&value, &valuelen);
	if (valuelen == 0) {
		*why = "no value";
		return -1;
	}
	colon = memchr(value, ':', valuelen);
	if (colon == NULL) {
		if (parse_rlim(value, valuelen, &out->rlim_cur, why) != 0)
			return -1;
		out->rlim_max = out->rlim_cur;
		return 0;
	}
	if (parse_rlim(value, (size_t)(colon - value), &out->rlim_cur, why) !=
	        0 ||
	    parse_rlim(colon + 1, valuelen - (size_t)(colon - value) - 1,
	        &out->rlim_max, why) != 0)
		return -1;
	if (out->rlim_cur > out->rlim_max) {
		*why = "soft limit above the hard one";
		return -1;
	}
	return 0;
}

/*
 * Parse a limits file's text into ps: blank lines and lines starting
 * with # are skipped, a bad line is one complaint naming file and line.
 */
void
svparse_limits(const char *text, size_t len, const char *file,
    struct proc_settings *ps, struct complaints *bad)
{
	size_t lineno = 0;

	while (len > 0) {
		const char *end = memchr(text, '\n', len);
		size_t linelen = end != NULL ? (size_t)(end - text) : len;
		const char *line = text, *why = NULL;
		size_t trimmed = linelen;
		struct rlimit value;
		int resource;

		lineno++;
		text += linelen + (end != NULL);
		len -= linelen + (end != NULL);
		svparse_trim(&line, &trimmed);
		if (trimmed == 0 || line[0] == '#')
			continue;
		if (svparse_limit(line, trimmed, &resource, &value, &why) != 0)
			complain(bad, "%s:%zu: %s (line skipped)", file, lineno,
			    why);
		else
			procset_set_limit(ps, resource, &value);
	}
}

/* Read one value file of dirfd; false (and a complaint if bad) if unset. */
static bool
read_setting(int dirfd, const char *name, char *buf, size_t size, size_t *len,
    struct complaints *bad)
{
	const char *why = NULL;
	int r = svfile_read_at(dirfd, name, buf, size, len, &why);

	if (r < 0)
		complain(bad, "%s: %s (not applied)", name, why);
	return r > 0;
}

/* Parse an integer file into *out; false (with a complaint) if bad. */
static bool
int_setting(int dirfd, const char *name, long min, long max, long *out,
    struct complaints *bad)
{
	char buf[SVFILE_MAX];
	const char *why = NULL;
	size_t len = 0;

	if (!read_setting(dirfd, name, buf, sizeof buf, &len, bad))
		return false;
	if (svparse_int(buf, len, min, max, out, &why) == 0)
		return true;
	complain(bad, "%s: %s (not applied)", name, why);
	return false;
}

/*
 * Read limits, nice, oom-score-adj and umask of the service directory
 * dirfd into ps; a bad file or line is a complaint and left out.
 */
void
svdir_settings_at(int dirfd, struct proc_settings *ps, struct complaints *bad)
{
	char text[SETTINGS_LIMITS_MAX], small[SVFILE_MAX];
	const char *why = NULL;
	size_t len = 0;
	long value;

	memset(ps, 0, sizeof *ps);
	if (read_setting(dirfd, "limits", text, sizeof text, &len, bad))
		svparse_limits(text, len, "limits", ps, bad);
	if (int_setting(dirfd, "nice", -20, 19, &value, bad)) {
		ps->has_nice = true;
		ps->nice = (int)value;
	}
	if (int_setting(dirfd, "oom-score-adj", -1000, 1000, &value, bad)) {
		ps->has_oom = true;
		snprintf(ps->oom_text, sizeof ps->oom_text, "%ld", value);
	}
	if (read_setting(dirfd, "umask", small, sizeof small, &len, bad)) {
		if (svparse_umask(small, len, &ps->umask, &why) == 0)
			ps->has_umask = true;
		else
			complain(bad, "umask: %s (not applied)", why);
	}
}

/*
 * After a child started: one complaint for each setting it could not
 * apply (run and finish get the same, so the same lines).
 */
void
svdir_settings_failed(const struct proc_settings *ps, struct complaints *bad)
{
	for (int i = 0; i < ps->nlimits; i++)
		if (ps->limits[i].err != 0)
			complain(bad, "limits: %s: not applied: %s",
			    svlimit_name(ps->limits[i].resource),
			    strerror(ps->limits[i].err));
	if (ps->has_nice && ps->nice_err != 0)
		complain(bad, "nice: %d not applied: %s", ps->nice,
		    strerror(ps->nice_err));
	if (ps->has_oom && ps->oom_err != 0)
		complain(bad, "oom-score-adj: %s not applied: %s", ps->oom_text,
		    strerror(ps->oom_err));
}
