/* The hotsv command: what its subcommands share. */
#ifndef HOTSV_CLI_CLI_H
#define HOTSV_CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sv/health.h"
#include "sv/policy.h"
#include "sv/status.h"

/* What hotsv wait (or a command's --wait) waits for. */
enum wait_goal {
	GOAL_UP,        /* run is running */
	GOAL_READY,     /* and has said it is ready */
	GOAL_DOWN,      /* run is not running */
	GOAL_FINISHED,  /* and finish is done */
	GOAL_RESTARTED, /* run started again (and is ready, if it says so) */
};

/* What hotsv knows of one service. */
struct svinfo {
	const char *name;
	bool exists;     /* the service directory exists */
	bool supervised; /* a live supervisor holds the lock */
	struct sv_status st;
	bool normally_up; /* no ./down */
	bool has_readiness;
	struct sv_policy policy; /* type and on-exit */
	long deaths;
	char waiting[256];       /* the dependency run waits for */
	char notify_status[256]; /* sd_notify STATUS= */
	bool stopping;           /* sd_notify STOPPING=1 */
	bool reloading;          /* sd_notify RELOADING=1 */
};

struct cli {
	const char *scandir;
	const char *statedir;
};

/* The subcommands take argv[0] as their name, then options, "--" and
 * operands, read with cli_getopt. */
int cli_getopt(int argc, char **argv, const char *shortopts,
    const struct option *longopts);
void cli_no_options(int argc, char **argv);
bool cli_number(const char *text, unsigned long max, unsigned long *out);
char *cli_shown_name(const char *name, size_t *columns);
char *cli_service_dir(const struct cli *, const char *service);
int cli_list_services(const struct cli *, char ***names);
void cli_free_list(char **names, int count);
int cli_control(const struct cli *, const char *letters, int n, char **names);
int cli_command(const struct cli *, const char *letters, int argc, char **argv);
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
int cli_check(const struct cli *, int argc, char **argv);
int cli_env(const struct cli *, int argc, char **argv);
void svinfo_read(const struct cli *, const char *service, struct svinfo *);
const char *svinfo_state(const struct svinfo *);
enum health svinfo_health(const struct svinfo *);
void svinfo_last(const struct svinfo *, char *buf, size_t size);
void svinfo_note(const struct svinfo *, char *buf, size_t size);
long long seconds_since(const struct timespec *stamp);
void format_duration(long long secs, char *buf, size_t size);
int cli_command_wait(const struct cli *, const char *command,
    const char *letters, int n, char **names);

#endif
