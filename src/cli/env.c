/*
 * hotsv env [--values] SERVICE: the variables run gets and where each
 * comes from: inherited (the supervisor's own environment), user (HOME
 * and USER of ./user), .hotsv/env (SCANDIR's), env/ (the service's).
 * Built by the code the supervisor uses (sv/envdir.c), from the same
 * files, so what it prints is what the next start of run gets.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/escape.h"
#include "lib/lock.h"
#include "lib/log.h"
#include "lib/userdb.h"
#include "lib/xmalloc.h"
#include "sv/envdir.h"
#include "sv/files.h"
#include "sv/supervisedir.h"

extern char **environ;

/* The most bytes of a supervisor's environment read from /proc. */
#define PROC_ENVIRON_MAX (4 << 20)

/*
 * Read the environment of the process pid (/proc/PID/environ) into a
 * NULL-terminated array in one allocation; NULL if it cannot be read.
 */
static char **
proc_environ(pid_t pid)
{
	char path[64], *text = xmalloc(PROC_ENVIRON_MAX + 1), **strings;
	size_t got = 0, count = 0;
	ssize_t n = 1;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && n > 0 && got < PROC_ENVIRON_MAX) {
		n = read(fd, text + got, PROC_ENVIRON_MAX - got);
		got += n > 0 ? (size_t)n : 0;
	}
	if (fd >= 0)
		close(fd);
	if (fd < 0 || n < 0) {
		free(text);
		return NULL;
	}
	text[got] = '\0';
	for (size_t i = 0; i < got; i++)
		count += text[i] == '\0';
	strings = xmalloc((count + 2) * sizeof *strings + got + 1);
	memcpy(strings + count + 2, text, got + 1);
	free(text);
	text = (char *)(strings + count + 2);
	count = 0;
	for (size_t at = 0; at < got; at += strlen(text + at) + 1)
		strings[count++] = text + at;
	strings[count] = NULL;
	return strings;
}

/*
 * The environment the service's supervisor was started with, or NULL
 * (not supervised, or not ours to read).
 */
static char **
supervisor_environ(const struct cli *cli, const char *dir)
{
	struct svpaths sp;
	char **strings = NULL;
	pid_t holder = 0;
	int supfd;

	/* svpaths_find allocates even when it finds nothing. */
	if (svpaths_find(&sp, dir, cli->statedir) != 0) {
		svpaths_free(&sp);
		return NULL;
	}
	supfd = open(sp.supdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (supfd >= 0 && lock_holder(supfd, "lock", &holder) == 1 &&
	    holder > 0)
		strings = proc_environ(holder);
	if (supfd >= 0)
		close(supfd);
	svpaths_free(&sp);
	return strings;
}

/* Print each variable, sorted: "SOURCE NAME" or "SOURCE NAME=VALUE". */
static void
print_vars(struct envlist *env, bool values)
{
	envlist_sort(env);
	for (size_t i = 0; i < env->count; i++) {
		const struct envvar *var = &env->vars[i];
		size_t namelen = strlen(var->name);
		size_t valuelen = values ? strlen(var->value) : 0;
		char *name = xmalloc(ESCAPE_TERMINAL_SIZE(namelen));
		char *value = xmalloc(ESCAPE_TERMINAL_SIZE(valuelen));

		escape_terminal(var->name, name, ESCAPE_TERMINAL_SIZE(namelen));
		if (values)
			escape_terminal(
			    var->value, value, ESCAPE_TERMINAL_SIZE(valuelen));
		printf("%-11s %s%s%s\n", var->source, name, values ? "=" : "",
		    values ? value : "");
		free(name);
		free(value);
	}
}

/* hotsv env [--values] [--] SERVICE */
int
cli_env(const struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"values", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	struct envlist env = {0};
	struct user_spec user;
	char **inherited, *dir, *shown;
	bool values = false;
	int opt, dirfd, scanfd, hasuser;

	while ((opt = cli_getopt(argc, argv, "v", longopts)) != -1)
		values = values || opt == 'v';
	if (argc - optind != 1) {
		fprintf(stderr, "usage: hotsv env [--values] SERVICE\n");
		return 100;
	}
	dir = cli_service_dir(cli, argv[optind]);
	shown = cli_shown_name(argv[optind], NULL);
	dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(stderr, "hotsv: env: %s: %s\n", shown, strerror(errno));
		free(shown);
		free(dir);
		return 111;
	}
	inherited = supervisor_environ(cli, dir);
	if (inherited == NULL)
		fprintf(stderr,
		    "hotsv: env: %s: its supervisor's environment cannot be "
		    "read: \"inherited\" shows ours\n",
		    shown);
	scanfd = open(cli->scandir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	hasuser = svdir_user_at(dirfd, &user);
	envlist_for_run(&env, inherited != NULL ? inherited : environ, scanfd,
	    dirfd, hasuser > 0 ? &user : NULL);
	print_vars(&env, values);
	log_set_name(shown);
	complaints_say(&env.bad);
	log_set_name(NULL);
	envlist_free(&env);
	if (scanfd >= 0)
		close(scanfd);
	close(dirfd);
	free(inherited);
	free(shown);
	free(dir);
	return 0;
}
