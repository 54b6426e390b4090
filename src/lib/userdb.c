/*
 * Resolving a user (a name, or "uid:gid", as a service's user file says)
 * with our own reading of /etc/passwd and /etc/group: getpwnam needs
 * NSS modules that a static binary in a FROM scratch image does not
 * have.  The parsers take the files' text, so they can be tested and
 * fuzzed without a system database.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/userdb.h"

/* The largest passwd or group file we read. */
#define ETC_FILE_MAX (1024 * 1024)

/* Split line into up to max ':'-separated fields; returns the count. */
static int
split_fields(char *line, char *fields[], int max)
{
	int n = 0;

	fields[n++] = line;
	for (char *p = line; *p != '\0' && n < max; p++)
		if (*p == ':') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	return n;
}

/* Parse a decimal id; -1 if it is not one. */
static long
parse_id(const char *text)
{
	long value = 0;

	if (*text == '\0')
		return -1;
	for (; *text != '\0'; text++) {
		if (*text < '0' || *text > '9' || value > 0x7fffffffL / 10)
			return -1;
		value = value * 10 + (*text - '0');
	}
	return value;
}

/* Copy one line of text (without its newline) into buf; returns its end. */
static const char *
next_line(const char *text, const char *end, char *buf, size_t size)
{
	const char *nl = memchr(text, '\n', (size_t)(end - text));
	size_t len = (size_t)((nl != NULL ? nl : end) - text);

	if (len >= size)
		len = 0; /* too long to be a real entry: skipped */
	memcpy(buf, text, len);
	buf[len] = '\0';
	return nl != NULL ? nl + 1 : end;
}

/*
 * Find a user in passwd text, by name (uid < 0) or by uid: fills uid,
 * gid, name and home.  Returns 0, or -1 when there is no such user.
 */
int
userdb_passwd(const char *passwd, size_t len, const char *name, long uid,
    struct user_spec *out)
{
	const char *p = passwd, *end = passwd + len;
	char line[1024], *f[7];

	while (p < end) {
		long fuid, fgid;

		p = next_line(p, end, line, sizeof line);
		if (split_fields(line, f, 7) != 7)
			continue;
		fuid = parse_id(f[2]);
		fgid = parse_id(f[3]);
		if (fuid < 0 || fgid < 0 ||
		    (uid >= 0 ? fuid != uid : strcmp(f[0], name) != 0))
			continue;
		out->uid = (uid_t)fuid;
		out->gid = (gid_t)fgid;
		snprintf(out->name, sizeof out->name, "%s", f[0]);
		snprintf(out->home, sizeof out->home, "%s",
		    f[5][0] != '\0' ? f[5] : "/");
		return 0;
	}
	return -1;
}

/* Say whether name is in a group's comma-separated member list. */
static bool
is_member(const char *members, const char *name)
{
	size_t len = strlen(name);

	while (*members != '\0') {
		size_t n = strcspn(members, ",");

		if (n == len && strncmp(members, name, len) == 0)
			return true;
		members += n + (members[n] == ',');
	}
	return false;
}

/* Fill the supplementary groups: the primary, then those naming name. */
void
userdb_groups(
    const char *group, size_t len, const char *name, struct user_spec *out)
{
	const char *p = group, *end = group + len;
	char line[4096], *f[4];

	out->groups[0] = out->gid;
	out->ngroups = 1;
	while (p < end && out->ngroups < USER_GROUPS_MAX) {
		long gid;

		p = next_line(p, end, line, sizeof line);
		if (split_fields(line, f, 4) != 4 || (gid = parse_id(f[2])) < 0)
			continue;
		if ((gid_t)gid != out->gid && is_member(f[3], name))
			out->groups[out->ngroups++] = (gid_t)gid;
	}
}

/* Read a whole file of etc into a new buffer; NULL if it cannot. */
static char *
read_etc(const char *etc, const char *file, size_t *len)
{
	char path[256], *buf;
	ssize_t got;
	int fd;

	snprintf(path, sizeof path, "%s/%s", etc, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(ETC_FILE_MAX);
	got = buf != NULL ? read(fd, buf, ETC_FILE_MAX) : -1;
	close(fd);
	if (got < 0) {
		free(buf);
		return NULL;
	}
	*len = (size_t)got;
	return buf;
}

/*
 * Resolve a "user" file's text: a name from etc/passwd, or "uid:gid".
 * Returns 0, or -1 with *why.
 */
int
user_resolve(const char *text, size_t len, const char *etc,
    struct user_spec *out, const char **why)
{
	char spec[128], *colon;
	char *passwd, *group;
	size_t plen = 0, glen = 0;
	long uid = -1;

	while (len > 0 && strchr(" \t\r\n", text[len - 1]) != NULL)
		len--;
	if (len == 0 || len >= sizeof spec || memchr(text, '\0', len) != NULL ||
	    memchr(text, '\n', len) != NULL) {
		*why = len == 0 ? "empty" : "not one user name or uid:gid";
		return -1;
	}
	memcpy(spec, text, len);
	spec[len] = '\0';
	memset(out, 0, sizeof *out);
	colon = strchr(spec, ':');
	if (colon != NULL) {
		*colon = '\0';
		uid = parse_id(spec);
		out->gid = (gid_t)parse_id(colon + 1);
		if (uid < 0 || parse_id(colon + 1) < 0) {
			*why = "uid:gid must be two numbers";
			return -1;
		}
	}
	passwd = read_etc(etc, "passwd", &plen);
	if (userdb_passwd(passwd != NULL ? passwd : "", plen, spec, uid, out) <
	    0) {
		free(passwd);
		if (uid < 0) {
			*why = "no such user in /etc/passwd";
			return -1;
		}
		/* A bare uid:gid needs no entry. */
		snprintf(out->name, sizeof out->name, "%ld", uid);
		snprintf(out->home, sizeof out->home, "/");
		passwd = NULL;
	}
	free(passwd);
	if (uid >= 0) {
		out->uid = (uid_t)uid;
		out->gid = (gid_t)parse_id(colon + 1);
	}
	group = read_etc(etc, "group", &glen);
	userdb_groups(group != NULL ? group : "", glen, out->name, out);
	free(group);
	return 0;
}
