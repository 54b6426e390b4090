/*
 * hotsv status: what each service is doing, as a table for people or as
 * JSON lines for programs.  Reads supervise/status and friends; needs no
 * permission beyond reading them (they are 0644, as in s6).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/escape.h"
#include "lib/signame.h"
#include "lib/xmalloc.h"

/* Print a name as a terminal shows it, padded to width columns. */
static void
print_name(const char *name, size_t width)
{
	size_t columns;
	char *shown = cli_shown_name(name, &columns);

	printf(
	    "%s%*s", shown, width > columns ? (int)(width - columns) : 0, "");
	free(shown);
}

/* Print a JSON string: see lib/escape.c. */
static void
print_json_string(const char *text)
{
	size_t size = ESCAPE_JSON_SIZE(strlen(text));
	char *escaped = xmalloc(size);

	escape_json(text, escaped, size);
	printf("\"%s\"", escaped);
	free(escaped);
}

/* One table row. */
static void
print_row(const struct svinfo *info, size_t width)
{
	char last[32], since[32], note[320];

	svinfo_last(info, last, sizeof last);
	svinfo_note(info, note, sizeof note);
	format_duration(seconds_since(&info->st.stamp), since, sizeof since);
	print_name(info->name, width);
	if (!info->supervised) {
		printf("  %-12s %7s %7s  %-8s %-5s %-10s %s\n",
		    svinfo_state(info), "-", "-",
		    info->normally_up ? "up" : "down", "-", "-", "-");
		return;
	}
	if (info->st.pid > 0)
		printf("  %-12s %7d %7s", svinfo_state(info), (int)info->st.pid,
		    since);
	else
		printf("  %-12s %7s %7s", svinfo_state(info), "-", since);
	printf("  %-8s %-5s %-10s %6ld  %s\n",
	    info->normally_up ? "up" : "down", info->st.wantup ? "up" : "down",
	    last, info->deaths, note);
}

/* A JSON member "key":"text", or "key":null for an empty text. */
static void
print_json_text(const char *key, const char *text)
{
	printf(",\"%s\":", key);
	if (text[0] == '\0')
		printf("null");
	else
		print_json_string(text);
}

/* One JSON object on one line; the keys are documented in hotsv(1). */
static void
print_json(const struct svinfo *info)
{
	int wstat = info->st.wstat;

	printf("{\"name\":");
	print_json_string(info->name);
	printf(",\"state\":\"%s\",\"supervised\":%s", svinfo_state(info),
	    info->supervised ? "true" : "false");
	printf(",\"normally\":\"%s\"", info->normally_up ? "up" : "down");
	if (!info->supervised) {
		printf(
		    ",\"health\":\"%s\"}\n", health_name(svinfo_health(info)));
		return;
	}
	printf(",\"want\":\"%s\",\"pid\":", info->st.wantup ? "up" : "down");
	if (info->st.pid > 0)
		printf("%d", (int)info->st.pid);
	else
		printf("null");
	printf(",\"seconds\":%lld,\"ready\":%s,\"paused\":%s",
	    seconds_since(&info->st.stamp),
	    info->st.ready && info->st.pid > 0 ? "true" : "false",
	    info->st.paused ? "true" : "false");
	if (info->deaths > 0 && WIFSIGNALED(wstat))
		printf(",\"exitcode\":null,\"signal\":\"%s\"",
		    signame_of(WTERMSIG(wstat)) != NULL
		        ? signame_of(WTERMSIG(wstat))
		        : "unknown");
	else if (info->deaths > 0)
		printf(",\"exitcode\":%d,\"signal\":null", WEXITSTATUS(wstat));
	else
		printf(",\"exitcode\":null,\"signal\":null");
	printf(",\"deaths\":%ld,\"type\":\"%s\",\"on_exit\":\"%s\"",
	    info->deaths, svpolicy_word(SV_FILE_TYPE, (int)info->policy.type),
	    svpolicy_word(SV_FILE_ON_EXIT, (int)info->policy.on_exit));
	print_json_text("waiting_for",
	    info->st.pid == 0 && info->st.wantup ? info->waiting : "");
	print_json_text(
	    "status_text", info->st.pid > 0 ? info->notify_status : "");
	printf(",\"stopping\":%s,\"reloading\":%s,\"health\":\"%s\"}\n",
	    info->stopping && info->st.pid > 0 ? "true" : "false",
	    info->reloading && info->st.pid > 0 ? "true" : "false",
	    health_name(svinfo_health(info)));
}

/* hotsv status [--json] [--] [SERVICE...] */
int
cli_status(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	char **names;
	int count, code = 0;
	size_t width = 7, columns;
	bool json = false, listed = false;
	struct svinfo *infos;

	while (cli_getopt(argc, argv, "", options) != -1)
		json = true;
	names = argv + optind;
	count = argc - optind;
	if (count == 0) {
		count = cli_list_services(cli, &names);
		if (count < 0)
			return 111;
		listed = true;
	}
	infos = xcalloc((size_t)count + 1, sizeof *infos);
	for (int i = 0; i < count; i++) {
		svinfo_read(cli, names[i], &infos[i]);
		if (!infos[i].supervised && !listed) {
			fprintf(
			    stderr, "hotsv: %s: not supervised\n", names[i]);
			code = 1;
		}
		free(cli_shown_name(names[i], &columns));
		if (columns > width)
			width = columns > 32 ? 32 : columns;
	}
	if (!json && count > 0) {
		print_name("SERVICE", width);
		printf("  %-12s %7s %7s  %-8s %-5s %-10s %6s  %s\n", "STATE",
		    "PID", "SINCE", "NORMALLY", "WANT", "LAST", "DEATHS",
		    "NOTE");
	}
	for (int i = 0; i < count; i++) {
		if (json)
			print_json(&infos[i]);
		else
			print_row(&infos[i], width);
	}
	free(infos);
	if (listed)
		cli_free_list(names, count);
	return code;
}
