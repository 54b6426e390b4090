/* supervise/status: s6's 35-byte big-endian service state record. */
#ifndef HOTSV_SV_STATUS_H
#define HOTSV_SV_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define STATUS_SIZE 35

#define STATUS_FLAG_PAUSED 0x01
#define STATUS_FLAG_FINISHING 0x02
#define STATUS_FLAG_WANTUP 0x04
#define STATUS_FLAG_READY 0x08
/* hotsv's: run ended for good, successfully (s6 reads only bits 0-3). */
#define STATUS_FLAG_DONE 0x10

struct sv_status {
	struct timespec stamp;      /* last up/down transition (UTC) */
	struct timespec readystamp; /* last readiness (UTC) */
	pid_t pid;                  /* run, or finish while finishing */
	uint16_t wstat;             /* raw wait status of the last run */
	bool paused;
	bool finishing;
	bool wantup;
	bool ready;
	bool done; /* a one-shot that succeeded, or halt-on-failure exit 0 */
};

void status_pack(unsigned char out[STATUS_SIZE], const struct sv_status *);
void status_unpack(const unsigned char in[STATUS_SIZE], struct sv_status *);
int status_write(int dirfd, const struct sv_status *);
int status_read(int dirfd, struct sv_status *);

#endif
