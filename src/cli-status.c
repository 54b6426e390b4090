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

#include "cli.h"
#include "signame.h"

/* Print a name with unprintable bytes as \xNN, padded to width. */
static void
print_name(const char *name, int width)
{
	int shown = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p != '\0';
	     p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			putchar(*p);
			shown++;
		} else
			shown += printf("\\x%02x", *p);
	}
	printf("%*s", width > shown ? width - shown : 0, "");
}

/*
 * The length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlong form, no surrogate, nothing past U+10FFFF), or 0.  p is
 * NUL-terminated, and a NUL byte ends the tests before reading past it.
 */
static size_t
utf8_length(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		hi = p[0] == 0xed ? 0x9f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3
		                                                         : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 &&
		        (p[3] & 0xc0) == 0x80
		    ? 4
		    : 0;
	}
	return 0;
}

/* Print a JSON string, escaping controls and bytes that are not UTF-8. */
static void
print_json_string(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	putchar('"');
	while (*p != '\0') {
		size_t seq = utf8_length(p);
		size_t valid = seq;

		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || valid == 0)
			printf("\\u%04x", *p);
		else
			fwrite(p, 1, seq, stdout);
		p += valid == 0 ? 1 : seq;
	}
	putchar('"');
}

/* One table row. */
static void
print_row(const struct svinfo *info, int width)
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
		printf("}\n");
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
	printf(",\"deaths\":%ld", info->deaths);
	print_json_text("waiting_for",
	    info->st.pid == 0 && info->st.wantup ? info->waiting : "");
	print_json_text(
	    "status_text", info->st.pid > 0 ? info->notify_status : "");
	printf(",\"stopping\":%s,\"reloading\":%s}\n",
	    info->stopping && info->st.pid > 0 ? "true" : "false",
	    info->reloading && info->st.pid > 0 ? "true" : "false");
}

/* hotsv status [--json] [SERVICE...] */
int
cli_status(const struct cli *cli, int argc, char **argv)
{
	char **names = argv;
	int count = argc, code = 0, width = 7;
	bool json = false, listed = false;
	struct svinfo *infos;

	if (count > 0 && strcmp(names[0], "--json") == 0) {
		json = true;
		names++;
		count--;
	}
	if (count == 0) {
		count = cli_list_services(cli, &names);
		if (count < 0)
			return 111;
		listed = true;
	}
	infos = calloc((size_t)count + 1, sizeof *infos);
	if (infos == NULL)
		return 111;
	for (int i = 0; i < count; i++) {
		svinfo_read(cli, names[i], &infos[i]);
		if (!infos[i].supervised && !listed) {
			fprintf(
			    stderr, "hotsv: %s: not supervised\n", names[i]);
			code = 1;
		}
		if ((int)strlen(names[i]) > width)
			width = (int)strlen(names[i]) > 32
			    ? 32
			    : (int)strlen(names[i]);
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
