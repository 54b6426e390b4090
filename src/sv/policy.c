/*
 * The type and on-exit files of a service directory: one word each,
 * surrounded by optional blanks.  A one-shot's on-exit defaults to
 * halt-on-failure, a longrun's to restart.  svpolicy_judge is the rule
 * hotsv-supervise applies when run ends, kept here beside the words it
 * interprets, pure, so that a table test covers it.
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "sv/policy.h"
#include "sv/values.h"

/* The words of each file, in the order of their enum. */
static const struct {
	const char *file;
	const char *words[3];
	int count;
} policy_files[] = {
    [SV_FILE_TYPE] = {"type", {"longrun", "oneshot"}, 2},
    [SV_FILE_ON_EXIT] = {"on-exit", {"restart", "halt", "halt-on-failure"}, 3},
};

/*
 * Parse the content of a policy file: one word, surrounded by optional
 * blanks.  Returns the word's value (its enum), or -1 with *why.
 */
int
svpolicy_parse(
    enum sv_policy_file file, const char *text, size_t len, const char **why)
{
	svparse_trim(&text, &len);
	if (len == 0) {
		*why = "empty";
		return -1;
	}
	for (int i = 0; i < policy_files[file].count; i++)
		if (strlen(policy_files[file].words[i]) == len &&
		    memcmp(policy_files[file].words[i], text, len) == 0)
			return i;
	*why = "unknown word";
	return -1;
}

/* The name of a policy file. */
const char *
svpolicy_file_name(enum sv_policy_file file)
{
	return policy_files[file].file;
}

/* The word of a value of a policy file. */
const char *
svpolicy_word(enum sv_policy_file file, int value)
{
	return policy_files[file].words[value];
}

/* The on-exit policy of a service of this type without the file. */
enum sv_on_exit
svpolicy_default_on_exit(enum sv_type type)
{
	return type == SV_ONESHOT ? SV_HALT_ON_FAILURE : SV_RESTART;
}

/* Say whether a policy is what a service without both files has. */
bool
svpolicy_is_default(const struct sv_policy *p)
{
	return p->type == SV_LONGRUN && p->on_exit == SV_RESTART;
}

/*
 * What run's end with wait status wstat comes to.  A stop hotsv asked
 * for (a down-signal sent: down, restart, removal, shutdown; or the
 * service was not wanted up, or its supervisor was leaving) never
 * becomes a halt; a death by a signal a control letter sent (hotsv kill,
 * s6-svc -k) is no failure, though it is an end other than a stop, which
 * halt obeys.  A run that exits 0 on its own is done, whatever its
 * on-exit, when it is a one-shot or not to be restarted.
 */
enum sv_outcome
svpolicy_judge(const struct sv_policy *p, int wstat, enum sv_end end)
{
	bool exited_0 = WIFEXITED(wstat) && WEXITSTATUS(wstat) == 0;
	bool failed = !exited_0 && end == SV_END_OWN;

	if (end == SV_END_STOPPED)
		return SV_OUT_USUAL;
	if (p->on_exit == SV_HALT ||
	    (p->on_exit == SV_HALT_ON_FAILURE && failed))
		return SV_OUT_HALT;
	if (exited_0 && (p->type == SV_ONESHOT || p->on_exit != SV_RESTART))
		return SV_OUT_DONE;
	return SV_OUT_USUAL;
}

/* The exit code a wait status stands for: its code, or 128 + signal. */
int
svpolicy_code(int wstat)
{
	if (WIFSIGNALED(wstat))
		return 128 + WTERMSIG(wstat);
	return WEXITSTATUS(wstat);
}
