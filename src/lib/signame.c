/*
 * Signal names: "SIGTERM", "TERM", "term" and "15" all mean SIGTERM, as
 * in s6's down-signal file and kill(1).
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <strings.h>

#include "lib/signame.h"

/* Aliases (IOT, POLL) come after the name we print for that number. */
static const struct {
	const char *name;
	int number;
} signame_table[] = {
    {"SIGHUP", SIGHUP},
    {"SIGINT", SIGINT},
    {"SIGQUIT", SIGQUIT},
    {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP},
    {"SIGABRT", SIGABRT},
    {"SIGIOT", SIGIOT},
    {"SIGBUS", SIGBUS},
    {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL},
    {"SIGUSR1", SIGUSR1},
    {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2},
    {"SIGPIPE", SIGPIPE},
    {"SIGALRM", SIGALRM},
    {"SIGTERM", SIGTERM},
    {"SIGSTKFLT", SIGSTKFLT},
    {"SIGCHLD", SIGCHLD},
    {"SIGCONT", SIGCONT},
    {"SIGSTOP", SIGSTOP},
    {"SIGTSTP", SIGTSTP},
    {"SIGTTIN", SIGTTIN},
    {"SIGTTOU", SIGTTOU},
    {"SIGURG", SIGURG},
    {"SIGXCPU", SIGXCPU},
    {"SIGXFSZ", SIGXFSZ},
    {"SIGVTALRM", SIGVTALRM},
    {"SIGPROF", SIGPROF},
    {"SIGWINCH", SIGWINCH},
    {"SIGIO", SIGIO},
    {"SIGPOLL", SIGPOLL},
    {"SIGPWR", SIGPWR},
    {"SIGSYS", SIGSYS},
};

#define SIGNAME_COUNT (sizeof signame_table / sizeof signame_table[0])

/*
 * Return the signal named by text (len bytes, no terminator needed), or
 * -1 if it names none.  Numbers must be 1 to the last real-time signal.
 */
int
signame_parse(const char *text, size_t len)
{
	if (len > 0 && text[0] >= '0' && text[0] <= '9') {
		int number = 0;

		for (size_t i = 0; i < len; i++) {
			if (text[i] < '0' || text[i] > '9' || number > SIGRTMAX)
				return -1;
			number = number * 10 + (text[i] - '0');
		}
		return number >= 1 && number <= SIGRTMAX ? number : -1;
	}
	if (len > 3 && strncasecmp(text, "SIG", 3) == 0) {
		text += 3;
		len -= 3;
	}
	for (size_t i = 0; i < SIGNAME_COUNT; i++) {
		const char *bare = signame_table[i].name + 3;

		if (strlen(bare) == len && strncasecmp(bare, text, len) == 0)
			return signame_table[i].number;
	}
	return -1;
}

/* Return "SIGxxx" for a signal number, or NULL for an unnamed one. */
const char *
signame_of(int sig)
{
	for (size_t i = 0; i < SIGNAME_COUNT; i++)
		if (signame_table[i].number == sig)
			return signame_table[i].name;
	return NULL;
}
