/*
 * libFuzzer target: the scanner <-> supervisor messages.  The first
 * byte is how many descriptors came along (0 to 3), the rest a packet.
 * A packet that decodes encodes again: to the same bytes, but for a
 * status record, which is only canonical once through (fuzz_status
 * checks that); and the second encoding decodes to the same message.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv/channel.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Entry point: decode, encode, and decode again. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char once[CHAN_MAX], twice[CHAN_MAX];
	struct chan_msg m, again;
	size_t len, len2;
	int nfds;

	if (size == 0)
		return 0;
	nfds = data[0] & 3;
	if (chan_decode(data + 1, size - 1, nfds, &m) < 0)
		return 0;
	if (m.fd != -1 || nfds != (m.type == CHAN_DIR ? 1 : 0))
		abort();
	len = chan_encode(&m, once);
	if (len == 0 || len > CHAN_MAX)
		abort();
	if (m.type != CHAN_STATUS &&
	    (len != size - 1 || memcmp(once, data + 1, len) != 0))
		abort();
	if (chan_decode(once, len, nfds, &again) < 0)
		abort();
	len2 = chan_encode(&again, twice);
	if (len2 != len || memcmp(once, twice, len) != 0)
		abort();
	return 0;
}
