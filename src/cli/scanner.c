/*
 * hotsv rescan and hotsv shutdown: letters for hotsv-scan's control FIFO
 * (SCANDIR/.hotsv/control, or STATEDIR/.hotsv/control when SCANDIR is
 * read-only), the same FIFO s6-svscanctl writes to.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sv/scannerdir.h"

/* Write letters to the scanner's control FIFO. */
static int
scanner_write(const struct cli *cli, const char *letters, size_t len)
{
	char path[PATH_MAX];

	if (!scannerdir_file(path, sizeof path, cli->scandir, cli->statedir,
	        SCANNERDIR_CONTROL)) {
		fprintf(stderr, "hotsv: %s/%s/%s: path too long\n",
		    cli->scandir, SCANNERDIR, SCANNERDIR_CONTROL);
		return 100;
	}
	return cli_write_fifo(path, letters, len, cli->scandir, "hotsv-scan");
}

/* hotsv rescan: read SCANDIR again now. */
int
cli_rescan(const struct cli *cli, int argc, char **argv)
{
	cli_no_options(argc, argv);
	if (optind != argc) {
		fprintf(stderr, "hotsv: usage: hotsv rescan\n");
		return 100;
	}
	return scanner_write(cli, "a", 1);
}

/*
 * hotsv shutdown [-c CODE]: stop every service and exit, with CODE as
 * hotsv-scan's exit code ("e" and the code byte, then "t").
 */
int
cli_shutdown(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {{NULL, 0, NULL, 0}};
	char letters[3] = {'t', 0, 0};
	unsigned long code;
	const char *given = NULL;

	while (cli_getopt(argc, argv, "c:", options) != -1)
		given = optarg;
	if (optind != argc) {
		fprintf(stderr, "hotsv: usage: hotsv shutdown [-c CODE]\n");
		return 100;
	}
	if (given == NULL)
		return scanner_write(cli, letters, 1);
	if (!cli_number(given, 255, &code)) {
		char *shown = cli_shown_name(given, NULL);

		fprintf(stderr,
		    "hotsv: shutdown: -c '%s': not a code from 0 to 255 "
		    "(digits only)\n",
		    shown);
		free(shown);
		return 100;
	}
	letters[0] = 'e';
	letters[1] = (char)code;
	letters[2] = 't';
	return scanner_write(cli, letters, 3);
}
