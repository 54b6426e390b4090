/*
 * libFuzzer target: the 35-byte supervise/status record.  Any 35 bytes
 * decode to a record that encodes back to the same bytes once made
 * canonical (nanoseconds past 999999999 read as 0, unknown flag bits
 * dropped, the pid sign-extended from pid_t); and any record the format
 * can hold survives a pack and an unpack unchanged.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/bigendian.h"
#include "sv/status.h"

/* Bytes check_pack reads: two stamps, pid, wait status and flags. */
#define RECORD_BYTES (2 * (8 + 4) + 4 + 2 + 1)

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Say whether two times are the same. */
static bool
stamp_eq(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Say whether two status records hold the same values. */
static bool
status_eq(const struct sv_status *a, const struct sv_status *b)
{
	return stamp_eq(&a->stamp, &b->stamp) &&
	    stamp_eq(&a->readystamp, &b->readystamp) && a->pid == b->pid &&
	    a->wstat == b->wstat && a->paused == b->paused &&
	    a->finishing == b->finishing && a->wantup == b->wantup &&
	    a->ready == b->ready && a->done == b->done;
}

/* Abort unless a decoded stamp is a valid time. */
static void
check_stamp(const struct timespec *ts)
{
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		abort();
}

/* Zero a stamp's nanoseconds when they are out of range, as unpack does. */
static void
canonical_nano(unsigned char *stamp)
{
	if (be32_get(stamp + 8) >= 1000000000)
		memset(stamp + 8, 0, 4);
}

/* Decode 35 bytes, re-encode, and compare with the canonical form. */
static void
check_unpack(const uint8_t in[STATUS_SIZE])
{
	unsigned char canon[STATUS_SIZE], out[STATUS_SIZE];
	struct sv_status st, again;

	memset(&st, 0xa5, sizeof st);
	status_unpack(in, &st);
	check_stamp(&st.stamp);
	check_stamp(&st.readystamp);

	memcpy(canon, in, STATUS_SIZE);
	canonical_nano(canon);
	canonical_nano(canon + 12);
	be64_put(canon + 24, (uint64_t)(int64_t)(pid_t)be64_get(in + 24));
	canon[34] &= STATUS_FLAG_PAUSED | STATUS_FLAG_FINISHING |
	    STATUS_FLAG_WANTUP | STATUS_FLAG_READY | STATUS_FLAG_DONE;

	status_pack(out, &st);
	if (memcmp(out, canon, STATUS_SIZE) != 0)
		abort();
	memset(&again, 0x5a, sizeof again);
	status_unpack(out, &again);
	if (!status_eq(&st, &again))
		abort();
}

/* Read n big-endian bytes of data at *at as an unsigned integer. */
static uint64_t
take(const uint8_t *data, size_t *at, int n)
{
	uint64_t value = 0;

	while (n-- > 0)
		value = value << 8 | data[(*at)++];
	return value;
}

/* Build a record from raw bytes; pack then unpack must give it back. */
static void
check_pack(const uint8_t *data)
{
	unsigned char packed[STATUS_SIZE];
	struct sv_status st, back;
	size_t at = 0;
	unsigned flags;

	memset(&st, 0, sizeof st);
	st.stamp.tv_sec = (time_t)(int64_t)take(data, &at, 8);
	st.stamp.tv_nsec = (long)(take(data, &at, 4) % 1000000000);
	st.readystamp.tv_sec = (time_t)(int64_t)take(data, &at, 8);
	st.readystamp.tv_nsec = (long)(take(data, &at, 4) % 1000000000);
	st.pid = (pid_t)(int32_t)(uint32_t)take(data, &at, 4);
	st.wstat = (uint16_t)take(data, &at, 2);
	flags = (unsigned)take(data, &at, 1);
	st.paused = (flags & 1) != 0;
	st.finishing = (flags & 2) != 0;
	st.wantup = (flags & 4) != 0;
	st.ready = (flags & 8) != 0;
	st.done = (flags & 16) != 0;

	status_pack(packed, &st);
	if ((packed[34] & ~0x1fu) != 0)
		abort();
	memset(&back, 0x5a, sizeof back);
	status_unpack(packed, &back);
	if (!status_eq(&st, &back))
		abort();
}

/* Entry point: both checks on whatever prefix of the input they need. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= STATUS_SIZE)
		check_unpack(data);
	if (size >= RECORD_BYTES)
		check_pack(data);
	return 0;
}
