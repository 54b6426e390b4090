/*
 * The 35-byte status record: TAI64N stamp, TAI64N readiness stamp,
 * 8-byte pid, 2-byte wait status, 1 flag byte, all big-endian.  It is
 * replaced atomically so that readers (s6-svstat, hotsv status) never see
 * a torn record.
 */
#include "config.h"

#include <errno.h>

#include "lib/bigendian.h"
#include "lib/fileio.h"
#include "lib/tai.h"
#include "sv/status.h"

/* Encode a status record. */
void
status_pack(unsigned char out[STATUS_SIZE], const struct sv_status *st)
{
	tai64n_pack(out, &st->stamp);
	tai64n_pack(out + 12, &st->readystamp);
	be64_put(out + 24, (uint64_t)(int64_t)st->pid);
	out[32] = (unsigned char)(st->wstat >> 8);
	out[33] = (unsigned char)(st->wstat & 0xff);
	out[34] = (unsigned char)((st->paused ? STATUS_FLAG_PAUSED : 0) |
	    (st->finishing ? STATUS_FLAG_FINISHING : 0) |
	    (st->wantup ? STATUS_FLAG_WANTUP : 0) |
	    (st->ready ? STATUS_FLAG_READY : 0) |
	    (st->done ? STATUS_FLAG_DONE : 0));
}

/* Decode a status record. */
void
status_unpack(const unsigned char in[STATUS_SIZE], struct sv_status *st)
{
	tai64n_unpack(in, &st->stamp);
	tai64n_unpack(in + 12, &st->readystamp);
	st->pid = (pid_t)be64_get(in + 24);
	st->wstat = (uint16_t)(in[32] << 8 | in[33]);
	st->paused = (in[34] & STATUS_FLAG_PAUSED) != 0;
	st->finishing = (in[34] & STATUS_FLAG_FINISHING) != 0;
	st->wantup = (in[34] & STATUS_FLAG_WANTUP) != 0;
	st->ready = (in[34] & STATUS_FLAG_READY) != 0;
	st->done = (in[34] & STATUS_FLAG_DONE) != 0;
}

/* Replace supervise/status; returns 0, or -1 with errno set. */
int
status_write(int dirfd, const struct sv_status *st)
{
	unsigned char packed[STATUS_SIZE];

	status_pack(packed, st);
	return file_replace(dirfd, "status", packed, sizeof packed);
}

/* Read supervise/status; returns 0, or -1 with errno set. */
int
status_read(int dirfd, struct sv_status *st)
{
	unsigned char packed[STATUS_SIZE];
	ssize_t got = file_read_at(dirfd, "status", packed, sizeof packed);

	if (got < 0)
		return -1;
	if (got != (ssize_t)sizeof packed) {
		errno = EPROTO;
		return -1;
	}
	status_unpack(packed, st);
	return 0;
}
