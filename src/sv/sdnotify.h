/* systemd's readiness protocol (sd_notify), the part hotsv understands. */
#ifndef HOTSV_SV_SDNOTIFY_H
#define HOTSV_SV_SDNOTIFY_H

#include <stdbool.h>
#include <stddef.h>

/* Longest message accepted; longer ones are ignored whole. */
#define NOTIFY_MAX 4096
#define NOTIFY_STATUS_MAX 200

struct notify_msg {
	bool ready;     /* READY=1 */
	bool stopping;  /* STOPPING=1 */
	bool reloading; /* RELOADING=1 */
	bool has_status;
	char status[NOTIFY_STATUS_MAX + 1]; /* STATUS=..., made printable */
};

int notify_parse(const char *msg, size_t len, struct notify_msg *out);

#endif
