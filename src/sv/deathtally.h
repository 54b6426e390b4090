/* supervise/death_tally: one 14-byte record per death of run. */
#ifndef HOTSV_SV_DEATHTALLY_H
#define HOTSV_SV_DEATHTALLY_H

#include <time.h>

#define DTALLY_RECORD 14
#define DTALLY_MAX 4096
#define DTALLY_DEFAULT 100

int dtally_append(
    int supfd, const struct timespec *when, int wstat, unsigned int keep);
long dtally_count(int supfd);

#endif
