/*
 * The implicit logger of --prefix: a hotsv-log of ours, not a
 * supervisor, writing a service's lines to our stdout behind its name,
 * or as JSON lines naming it (--prefix=json).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>

#include "lib/spawn.h"
#include "scan/scan.h"

/*
 * The line prefix "NAME: ", with the bytes of NAME that would break a
 * line or forge another (controls, DEL, backslash) shown as \xNN, as
 * hotsv status shows them: a name may hold a newline.
 */
static void
prefix_of(char *prefix, size_t size, const char *name)
{
	size_t used = 0;

	for (const unsigned char *p = (const unsigned char *)name;
	     *p != '\0' && used + 8 < size; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			used += (size_t)snprintf(
			    prefix + used, size - used, "\\x%02x", *p);
		else
			prefix[used++] = (char)*p;
	}
	snprintf(prefix + used, size - used, ": ");
}

/*
 * Start an implicit logger (--prefix): "hotsv-log -p 'NAME: ' -" reading
 * the service's pipe and writing whole lines to our stdout, so that a
 * slow console blocks it, not us, and lines never interleave.  With
 * --prefix=json, "hotsv-log -j -p NAME -", whose JSON escapes the name.
 */
bool
instance_start_prefixer(struct instance *in, const char *name, int stdin_fd)
{
	char arg0[] = "hotsv-log", opt_p[] = "-p", dash[] = "-";
	char prefix[4 * NAME_MAX + 8];
	char opt_w[] = "-w", turn[] = "3", opt_j[] = "-j";
	char *argv[] = {arg0, opt_p, prefix, dash, NULL, NULL, NULL, NULL};
	int argc = 3;
	struct spawn_req req = {
	    .file = hotsv_scanner.log_path,
	    .argv = argv,
	    .mask = &hotsv_scanner.child_mask,
	    .new_session = true,
	};

	if (hotsv_scanner.prefix_json) {
		snprintf(prefix, sizeof prefix, "%s", name);
		argv[argc++] = opt_j;
	} else
		prefix_of(prefix, sizeof prefix, name);
	if (hotsv_scanner.turn_fd >= 0) {
		argv[argc++] = opt_w;
		argv[argc++] = turn;
		req.fds[req.nfds++] =
		    (struct spawn_fd){hotsv_scanner.turn_fd, 3};
	}
	argv[argc] = dash;
	instance_std_fds(&req, stdin_fd, -1);
	return instance_launch(in, &req, name, CHILD_PREFIXER);
}
