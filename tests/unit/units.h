/* The Check suites of the unit test program, and their shared helpers. */
#ifndef HOTSV_UNITS_H
#define HOTSV_UNITS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "sv/status.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A status file written by the real s6-supervise 2.11, and its meaning. */
struct golden_status {
	const char *what;
	unsigned char bytes[STATUS_SIZE];
	struct sv_status decoded;
};

enum {
	GOLDEN_INIT, /* just started, ./down present */
	GOLDEN_UP,   /* run is `exec sleep 1000`, no notification-fd */
	GOLDEN_DOWN, /* after s6-svc -d: killed by SIGTERM, no finish */
	GOLDEN_COUNT
};

extern const struct golden_status hotsv_golden[GOLDEN_COUNT];

Suite *status_suite(void);
Suite *machine_suite(void);
Suite *svdir_suite(void);
Suite *tai_suite(void);
Suite *signame_suite(void);
Suite *logmsg_suite(void);
Suite *health_suite(void);
Suite *escape_suite(void);
Suite *dtally_suite(void);
Suite *userdb_suite(void);
Suite *channel_suite(void);
Suite *lifecycle_suite(void);
Suite *scannerdir_suite(void);
Suite *servicephase_suite(void);
Suite *envdir_suite(void);
Suite *policy_suite(void);

void unit_tmp_setup(void);
void unit_tmp_teardown(void);
const char *unit_tmp_dir(void);
void unit_stderr_to(const char *path);
void unit_bits_diff(char *buf, size_t size, unsigned got, unsigned want,
    const char *const *names, size_t count);
void unit_put(const char *dir, const char *name, const void *data, size_t len);

#endif
