/*
 * The report channel between hotsv-scan and each hotsv-supervise: a
 * SOCK_SEQPACKET socket pair (its messages: sv/channel.h).  The
 * supervisor sends its status record on every change, so the scanner
 * always knows each service's pid and readiness, even after the service
 * directory has been deleted.  A supervisor also listens on
 * supervise/report, so that a hotsv-scan
 * started after its own died can connect and keep it.
 */
#ifndef HOTSV_SV_REPORT_H
#define HOTSV_SV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sv/channel.h"

struct report_sender {
	int fd;       /* -1: not under a scanner */
	bool pending; /* the last status could not be sent yet */
	struct chan_msg msg;
};

void report_sender_init(struct report_sender *, int fd);
void report_status(struct report_sender *, const struct sv_status *);
void report_flush(struct report_sender *);
void report_exit(struct report_sender *, enum chan_exit_reason);
void report_halt(struct report_sender *, int code);
void report_close(struct report_sender *);
int report_listen(int supfd);
void report_unlisten(int supfd, int listenfd);
bool report_accept(struct report_sender *, int listenfd);
int report_connect(int supfd);

#endif
