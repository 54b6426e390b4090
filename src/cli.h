/* The hotsv command: what its subcommands share. */
#ifndef HOTSV_CLI_H
#define HOTSV_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* What hotsv wait (or a command's --wait) waits for. */
enum wait_goal {
	GOAL_UP,        /* run is running */
	GOAL_READY,     /* and has said it is ready */
	GOAL_DOWN,      /* run is not running */
	GOAL_FINISHED,  /* and finish is done */
	GOAL_RESTARTED, /* run started again (and is ready, if it says so) */
};

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
int cli_goal_parse(const char *word);
int cli_wait_for(const struct cli *, enum wait_goal, bool any, long timeout_ms,
    int n, char **names, const char *letters);
int cli_wait(const struct cli *, int argc, char **argv);
int cli_command_wait(const struct cli *, const char *command,
    const char *letters, int argc, char **argv);

#endif
