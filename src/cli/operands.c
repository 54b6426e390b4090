/*
 * What the subcommands of hotsv share: reading their options, and their
 * SERVICE operands (a path, or a name in SCANDIR; every service in
 * SCANDIR when none is named), as a terminal shows them.
 */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "lib/escape.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/* The directory of a service: a path as given, else a name in SCANDIR. */
char *
cli_service_dir(const struct cli *cli, const char *service)
{
	char *dir;

	if (service[0] == '/' || service[0] == '.')
		return xstrdup(service);
	/* A name stays inside SCANDIR; a path says so by its first byte. */
	if (strcmp(service, "..") == 0 || strncmp(service, "../", 3) == 0 ||
	    strstr(service, "/../") != NULL ||
	    (strlen(service) >= 3 &&
	        strcmp(service + strlen(service) - 3, "/..") == 0)) {
		fprintf(stderr,
		    "hotsv: %s: not a service name (give a path "
		    "starting with / or . instead)\n",
		    service);
		exit(100);
	}
	xasprintf(&dir, "%s/%s", cli->scandir, service);
	return dir;
}

/* Sort names with strcmp. */
static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Say whether path is a directory (following symlinks). */
static bool
is_directory(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/*
 * List the services of the scan directory, sorted, loggers as NAME/log.
 * Returns the count, or -1 after a message.
 */
int
cli_list_services(const struct cli *cli, char ***names)
{
	struct dirent *entry;
	char **list = NULL, *path;
	size_t count = 0, room = 0;
	DIR *dir = opendir(cli->scandir);

	if (dir == NULL) {
		log_warn("open %s", cli->scandir);
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		xasprintf(&path, "%s/%s", cli->scandir, entry->d_name);
		if (is_directory(path)) {
			if (count + 2 > room) {
				room = room * 2 + 16;
				list = xreallocarray(list, room, sizeof *list);
			}
			list[count++] = xstrdup(entry->d_name);
			free(path);
			xasprintf(
			    &path, "%s/%s/log", cli->scandir, entry->d_name);
			if (is_directory(path))
				xasprintf(
				    &list[count++], "%s/log", entry->d_name);
		}
		free(path);
	}
	closedir(dir);
	if (count > 0)
		qsort(list, count, sizeof *list, compare_names);
	*names = list;
	return (int)count;
}

/* Free a list from cli_list_services. */
void
cli_free_list(char **names, int count)
{
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/*
 * The next option of a subcommand whose words are argv (argv[0] the
 * command), as getopt_long reads them: options come first, "--" ends
 * them, and optind is then the first operand.  An unknown option, or
 * one without its value, is a usage error: one line, exit 100.
 */
int
cli_getopt(
    int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char spec[32];
	int opt;

	/* "+": stop at the first operand; ":": say when a value is missing. */
	snprintf(spec, sizeof spec, "+:%s", shortopts);
	opterr = 0;
	opt = getopt_long(argc, argv, spec, longopts, NULL);
	if (opt == ':' || opt == '?') {
		if (opt == ':')
			fprintf(stderr, "hotsv: %s: %s needs a value\n",
			    argv[0], argv[optind - 1]);
		else if (optopt != 0)
			fprintf(stderr, "hotsv: %s: unknown option -%c\n",
			    argv[0], optopt);
		else
			fprintf(stderr, "hotsv: %s: unknown option %s\n",
			    argv[0], argv[optind - 1]);
		exit(100);
	}
	return opt;
}

/* Read the options of a subcommand that has none (only "--"). */
void
cli_no_options(int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};

	while (cli_getopt(argc, argv, "", none) != -1)
		continue;
}

/* Parse a decimal number of digits only, up to max; false if not one. */
bool
cli_number(const char *text, unsigned long max, unsigned long *out)
{
	unsigned long value = 0, digit;

	if (*text == '\0')
		return false;
	for (; *text != '\0'; text++) {
		if (*text < '0' || *text > '9')
			return false;
		digit = (unsigned long)(*text - '0');
		if (digit > max || value > (max - digit) / 10)
			return false;
		value = value * 10 + digit;
	}
	*out = value;
	return true;
}

/*
 * A name as a terminal shows it (see escape.c), allocated; *columns, if
 * not NULL, gets the columns it takes.
 */
char *
cli_shown_name(const char *name, size_t *columns)
{
	size_t size = ESCAPE_TERMINAL_SIZE(strlen(name));
	char *shown = xmalloc(size);
	size_t width = escape_terminal(name, shown, size);

	if (columns != NULL)
		*columns = width;
	return shown;
}
