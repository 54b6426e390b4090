/* The hotsv command: what its subcommands share. */
#ifndef HOTSV_CLI_H
#define HOTSV_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct cli {
	const char *scandir;
	const char *statedir;
};

char *cli_service_dir(const struct cli *, const char *service);
int cli_list_services(const struct cli *, char ***names);
void cli_free_list(char **names, int count);
int cli_control(const struct cli *, const char *letters, int argc, char **argv);
int cli_signal(const struct cli *, int argc, char **argv);
int cli_status(const struct cli *, int argc, char **argv);
const char *cli_letters_of(const char *command);
int cli_write_fifo(const char *path, const void *data, size_t len,
    const char *who, const char *listener);
int cli_rescan(const struct cli *, int argc, char **argv);
int cli_shutdown(const struct cli *, int argc, char **argv);

#endif
