/*
 * hotsv: the command people type.  It talks to supervisors through the
 * files s6 defines (supervise/control, supervise/status), so it needs no
 * daemon of its own.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logs.h"
#include "lib/log.h"
#include "lib/usage.h"

static const char usage_text[] =
    "usage: hotsv [-d SCANDIR] [-s STATEDIR] COMMAND [SERVICE...]\n"
    "Commands:\n"
    "  status [--json] [SERVICE...]   show services (all when none named)\n"
    "  check [SERVICE...]             exit 0 if all are healthy\n"
    "  env [--values] SERVICE         the environment run gets, and whence\n"
    "  up | down | once | restart SERVICE...\n"
    "  kill | term | hup | int | quit | usr1 | usr2 | alrm | winch SERVICE...\n"
    "  pause | cont | exit | abort SERVICE...\n"

    "  signal SIG SERVICE...          send SIG through the supervisor\n"
    "  wait [-t MS] [--any] up|ready|down|finished SERVICE...\n"
    "  up|down|restart --wait SERVICE...  send, then wait for the result\n"
    "  logs [-f] [-n N] SERVICE...    the last N lines of their logs (10);\n"
    "                                 -f: then follow them\n"
    "  rescan                         make hotsv-scan read SCANDIR now\n"
    "  shutdown [-c CODE]             stop everything; hotsv-scan exits CODE\n"
    "SERVICE is a name in SCANDIR, or a path starting with / or .\n"
    "A command's options come first; \"--\" ends them.\n"
    "Options:\n"
    "  -d, --scandir DIR   scan directory (default $HOTSV_SCANDIR, "
    "else " HOTSV_SCANDIR ")\n"
    "  -s, --statedir DIR  state of read-only services (default "
    "$HOTSV_STATEDIR, else " HOTSV_STATEDIR ")\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n";

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"scandir", required_argument, NULL, 'd'},
	    {"statedir", required_argument, NULL, 's'},
	    OPTIONS_COMMON,
	};
	struct cli cli = {.scandir = getenv("HOTSV_SCANDIR"),
	    .statedir = getenv("HOTSV_STATEDIR")};
	const char *command, *letters;
	int opt;

	log_init("hotsv");
	if (cli.scandir == NULL || cli.scandir[0] == '\0')
		cli.scandir = HOTSV_SCANDIR;
	if (cli.statedir == NULL || cli.statedir[0] == '\0')
		cli.statedir = HOTSV_STATEDIR;
	/* "+": stop at the command, whose options are its own. */
	while (
	    (opt = getopt_long(argc, argv, "+d:s:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			cli.scandir = optarg;
			break;
		case 's':
			cli.statedir = optarg;
			break;
		default:
			usage_exit(opt, usage_text);
		}
	}
	if (optind >= argc)
		usage_exit('?', usage_text);
	/* The subcommand reads its own options from argv[0], its name. */
	command = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 0; /* start getopt afresh (glibc and musl) */
	if (strcmp(command, "status") == 0)
		return cli_status(&cli, argc, argv);
	if (strcmp(command, "signal") == 0)
		return cli_signal(&cli, argc, argv);
	if (strcmp(command, "rescan") == 0)
		return cli_rescan(&cli, argc, argv);
	if (strcmp(command, "shutdown") == 0)
		return cli_shutdown(&cli, argc, argv);
	if (strcmp(command, "wait") == 0)
		return cli_wait(&cli, argc, argv);
	if (strcmp(command, "check") == 0)
		return cli_check(&cli, argc, argv);
	if (strcmp(command, "env") == 0)
		return cli_env(&cli, argc, argv);
	if (strcmp(command, "logs") == 0)
		return cli_logs(&cli, argc, argv);
	letters = cli_letters_of(command);
	if (letters != NULL)
		return cli_command(&cli, letters, argc, argv);
	fprintf(
	    stderr, "hotsv: %s: unknown command (see hotsv --help)\n", command);
	return 100;
}
