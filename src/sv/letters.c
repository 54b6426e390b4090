/*
 * The letters of supervise/control, as s6-svc writes them: which ones a
 * supervisor acts on, and the signal each plain kill letter sends to run.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sv/letters.h"

/* The letters that send one plain signal to run, with their signal. */
static const struct {
	char letter;
	int sig;
} kill_letters[] = {
    {'a', SIGALRM},
    {'b', SIGABRT},
    {'q', SIGQUIT},
    {'h', SIGHUP},
    {'k', SIGKILL},
    {'t', SIGTERM},
    {'i', SIGINT},
    {'1', SIGUSR1},
    {'2', SIGUSR2},
    {'y', SIGWINCH},
};

#define KILL_LETTERS (sizeof kill_letters / sizeof kill_letters[0])

/* Every letter s6-svc writes that we act on. */
static const char known_letters[] = "abqhkti12ypcrduDUoOQx";

/* Return the signal of a plain kill letter, or 0. */
int
letter_signal(char letter)
{
	for (size_t i = 0; i < KILL_LETTERS; i++)
		if (kill_letters[i].letter == letter)
			return kill_letters[i].sig;
	return 0;
}

/* Return the letter that makes the supervisor send sig, or 0. */
char
letter_for_signal(int sig)
{
	for (size_t i = 0; i < KILL_LETTERS; i++)
		if (kill_letters[i].sig == sig)
			return kill_letters[i].letter;
	if (sig == SIGSTOP)
		return 'p';
	if (sig == SIGCONT)
		return 'c';
	return 0;
}

/* Say whether a control byte is one a supervisor acts on. */
bool
letter_known(char letter)
{
	return letter != '\0' && strchr(known_letters, letter) != NULL;
}
