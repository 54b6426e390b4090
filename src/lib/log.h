/* Logging in the ntpd shape: one write() per line on stderr. */
#ifndef HOTSV_LIB_LOG_H
#define HOTSV_LIB_LOG_H

#include <stdarg.h>

#define HOTSV_PRINTF(f, a) __attribute__((format(printf, f, a)))

void log_init(const char *progname);
void log_set_name(const char *name);
void log_set_verbose(int verbose);
int log_verbose(void);
void log_set_fatal_hook(void (*fn)(const char *fmt));
void log_warn(const char *, ...) HOTSV_PRINTF(1, 2);
void log_warnx(const char *, ...) HOTSV_PRINTF(1, 2);
void log_info(const char *, ...) HOTSV_PRINTF(1, 2);
void log_debug(const char *, ...) HOTSV_PRINTF(1, 2);
__attribute__((noreturn)) void fatal(const char *, ...) HOTSV_PRINTF(1, 2);
__attribute__((noreturn)) void fatalx(const char *, ...) HOTSV_PRINTF(1, 2);
__attribute__((noreturn)) void fatalc(int code, const char *, ...)
    HOTSV_PRINTF(2, 3);
__attribute__((noreturn)) void fatalxc(int code, const char *, ...)
    HOTSV_PRINTF(2, 3);

#endif
