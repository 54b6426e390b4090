/*
 * hotsv up/down/restart/...: write control letters to each service's
 * supervise/control, as s6-svc does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/signame.h"
#include "lib/xmalloc.h"
#include "sv/letters.h"
#include "sv/supervisedir.h"

/* Commands and the letters they write. */
static const struct {
	const char *command;
	const char *letters;
} cli_commands[] = {
    {"up", "u"},
    {"down", "d"},
    {"once", "o"},
    {"restart", "r"},
    {"kill", "k"},
    {"term", "t"},
    {"hup", "h"},
    {"int", "i"},
    {"quit", "q"},
    {"usr1", "1"},
    {"usr2", "2"},
    {"alrm", "a"},
    {"winch", "y"},
    {"pause", "p"},
    {"cont", "c"},
    {"exit", "x"},
    {"abort", "b"},
};

/* Return the letters a command writes, or NULL if it is not one. */
const char *
cli_letters_of(const char *command)
{
	for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0];
	     i++)
		if (strcmp(cli_commands[i].command, command) == 0)
			return cli_commands[i].letters;
	return NULL;
}

/*
 * Write data to a control FIFO on behalf of who (a service or the
 * scanner).  Returns 0, 100 (nobody is listening), or 111.
 */
int
cli_write_fifo(const char *path, const void *data, size_t len, const char *who,
    const char *listener)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC), code = 0;

	if (fd < 0) {
		if (errno == ENXIO || errno == ENOENT) {
			fprintf(stderr, "hotsv: %s: %s not listening\n", who,
			    listener);
			return 100;
		}
		fprintf(
		    stderr, "hotsv: %s: %s: %s\n", who, path, strerror(errno));
		return 111;
	}
	if (write(fd, data, len) < 0) {
		fprintf(stderr, "hotsv: %s: write %s: %s\n", who, path,
		    strerror(errno));
		code = 111;
	}
	close(fd);
	return code;
}

/*
 * Write letters to one service.  Returns 0, 100 (not supervised or not
 * listening), or 111 (no such service, or a system error).
 */
static int
control_one(const struct cli *cli, const char *service, const char *letters)
{
	struct svpaths sp;
	char *dir = cli_service_dir(cli, service), *path;
	struct stat sb;
	int code;

	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(
		    stderr, "hotsv: %s: no such service (%s)\n", service, dir);
		free(dir);
		return 111;
	}
	if (svpaths_find(&sp, dir, cli->statedir) < 0) {
		fprintf(stderr, "hotsv: %s: not supervised\n", service);
		svpaths_free(&sp); /* allocated even on failure */
		free(dir);
		return 100;
	}
	xasprintf(&path, "%s/control", sp.supdir);
	code = cli_write_fifo(
	    path, letters, strlen(letters), service, "supervisor");
	free(path);
	free(dir);
	svpaths_free(&sp);
	return code;
}

/* Write letters to every named service; the exit code is the worst. */
int
cli_control(const struct cli *cli, const char *letters, int n, char **names)
{
	int worst = 0;

	if (n == 0) {
		fprintf(stderr, "hotsv: name at least one service\n");
		return 100;
	}
	for (int i = 0; i < n; i++) {
		int code = control_one(cli, names[i], letters);

		if (code > worst)
			worst = code;
	}
	return worst;
}

/*
 * hotsv COMMAND [--wait] [--] SERVICE...: write the command's letters
 * and, with --wait, wait for what they bring.
 */
int
cli_command(const struct cli *cli, const char *letters, int argc, char **argv)
{
	static const struct option options[] = {
	    {"wait", no_argument, NULL, 'w'},
	    {NULL, 0, NULL, 0},
	};
	bool wait = false;

	while (cli_getopt(argc, argv, "", options) != -1)
		wait = true;
	if (wait)
		return cli_command_wait(
		    cli, argv[0], letters, argc - optind, argv + optind);
	return cli_control(cli, letters, argc - optind, argv + optind);
}

/* hotsv signal [--] SIG SERVICE...: the letter that sends SIG. */
int
cli_signal(const struct cli *cli, int argc, char **argv)
{
	char letters[2] = {0, 0};
	int sig;

	cli_no_options(argc, argv);
	argc -= optind;
	argv += optind;
	if (argc < 2) {
		fprintf(stderr, "hotsv: usage: hotsv signal SIG SERVICE...\n");
		return 100;
	}
	sig = signame_parse(argv[0], strlen(argv[0]));
	if (sig < 0) {
		fprintf(stderr, "hotsv: %s: unknown signal\n", argv[0]);
		return 100;
	}
	letters[0] = letter_for_signal(sig);
	if (letters[0] == 0) {
		fprintf(stderr,
		    "hotsv: %s cannot be sent through the supervisor; it "
		    "sends ALRM ABRT QUIT HUP KILL TERM INT USR1 USR2 WINCH "
		    "STOP CONT\n",
		    signame_of(sig) != NULL ? signame_of(sig) : argv[0]);
		return 100;
	}
	return cli_control(cli, letters, argc - 1, argv + 1);
}
