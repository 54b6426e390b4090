/*
 * What a service is and what its run's end means: the type and on-exit
 * files, their words, and the default of each.
 */
#ifndef HOTSV_SV_POLICY_H
#define HOTSV_SV_POLICY_H

#include <stdbool.h>
#include <stddef.h>

/* The type file. */
enum sv_type {
	SV_LONGRUN, /* kept running: the default */
	SV_ONESHOT, /* runs once, to its end */
};

/* The on-exit file: what run ending on its own does. */
enum sv_on_exit {
	SV_RESTART,         /* start it again (a longrun's default) */
	SV_HALT,            /* shut the scanner down with its code */
	SV_HALT_ON_FAILURE, /* that on failure; done on exit 0 */
};

struct sv_policy {
	enum sv_type type;
	enum sv_on_exit on_exit;
};

/* What a run's end comes to, as machine.c judges it. */
enum sv_outcome {
	SV_OUT_USUAL, /* as s6: restart if wanted up */
	SV_OUT_DONE,  /* down for good, successfully */
	SV_OUT_HALT,  /* down for good, and the scanner shuts down */
};

/* How a run ended, as far as hotsv is concerned. */
enum sv_end {
	SV_END_OWN,       /* on its own (a one-shot's timeout-up included) */
	SV_END_SIGNALLED, /* of a signal a control letter sent it */
	SV_END_STOPPED,   /* a stop hotsv asked for: down, removal, shutdown */
};

/* The two files. */
enum sv_policy_file {
	SV_FILE_TYPE,    /* its words: enum sv_type */
	SV_FILE_ON_EXIT, /* its words: enum sv_on_exit */
};

int svpolicy_parse(
    enum sv_policy_file, const char *text, size_t len, const char **why);
const char *svpolicy_file_name(enum sv_policy_file);
const char *svpolicy_word(enum sv_policy_file, int value);
enum sv_on_exit svpolicy_default_on_exit(enum sv_type);
bool svpolicy_is_default(const struct sv_policy *);
enum sv_outcome svpolicy_judge(
    const struct sv_policy *, int wstat, enum sv_end);
int svpolicy_code(int wstat);

#endif
