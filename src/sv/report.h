/*
 * The report channel between hotsv-scan and each hotsv-supervise: a
 * SOCK_SEQPACKET socket pair.  The supervisor sends its status record on
 * every change, so the scanner always knows each service's pid and
 * readiness, even after the service directory has been deleted.  A
 * supervisor also listens on supervise/report, so that a hotsv-scan
 * started after its own died can connect and keep it.
 */
#ifndef HOTSV_SV_REPORT_H
#define HOTSV_SV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sv/status.h"

#define REPORT_STATUS 'S'
#define REPORT_SIZE (1 + STATUS_SIZE)
/* From hotsv-scan: "your directory is now this one", one descriptor. */
#define REPORT_DIR 'D'

struct report_sender {
	int fd;       /* -1: not under a scanner */
	bool pending; /* the last status could not be sent yet */
	unsigned char msg[REPORT_SIZE];
};

void report_sender_init(struct report_sender *, int fd);
void report_status(struct report_sender *, const struct sv_status *);
void report_flush(struct report_sender *);
void report_close(struct report_sender *);
int report_listen(int supfd);
void report_unlisten(int supfd, int listenfd);
bool report_accept(struct report_sender *, int listenfd);
int report_connect(int supfd);
int report_decode(const unsigned char *msg, size_t len, struct sv_status *);
int report_send_dir(int fd, int dirfd);
ssize_t report_recv(int fd, char *buf, size_t size, int *passed);

#endif
