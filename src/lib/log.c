/*
 * Logging: every message is one line, written with a single write() so
 * that lines from many supervisors sharing one stderr never interleave.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"

/* Longest line we emit; longer messages are cut, never split. */
#define LOG_LINE_MAX 1024

static const char *hotsv_log_prog = "hotsv";
static const char *hotsv_log_name;
static int hotsv_log_verbose;
static void (*hotsv_log_fatal_hook)(const char *);

/* Set the program name that prefixes every line. */
void
log_init(const char *progname)
{
	const char *slash = strrchr(progname, '/');

	hotsv_log_prog = slash != NULL ? slash + 1 : progname;
	if (getenv("HOTSV_DEBUG") != NULL)
		hotsv_log_verbose = 1;
}

/* Set the service name added after the program name, or NULL. */
void
log_set_name(const char *name)
{
	hotsv_log_name = name;
}

/* Turn debug lines on or off. */
void
log_set_verbose(int verbose)
{
	hotsv_log_verbose = verbose;
}

/* Say whether debug lines are printed. */
int
log_verbose(void)
{
	return hotsv_log_verbose;
}

/*
 * Copy len bytes of text into out (size bytes), control bytes and DEL
 * shown as \xNN: a service name or a file's content holding a newline
 * or an escape sequence can neither split the line, forge another nor
 * drive the terminal.  Returns the length copied, cut to fit.
 */
static size_t
escape_controls(char *out, size_t size, const char *text, size_t len)
{
	size_t used = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x20 && c != 0x7f) {
			if (used + 1 > size)
				break;
			out[used++] = (char)c;
			continue;
		}
		if (used + 4 > size)
			break;
		snprintf(out + used, 5, "\\x%02x", c);
		used += 4;
	}
	return used;
}

/* Format one line with an optional errno text and write it at once. */
static void __attribute__((format(printf, 3, 0)))
log_vline(const char *level, int errnum, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX], out[LOG_LINE_MAX];
	size_t len;
	int n;

	if (hotsv_log_name != NULL)
		n = snprintf(line, sizeof line, "%s: %s: %s", hotsv_log_prog,
		    hotsv_log_name, level);
	else
		n = snprintf(
		    line, sizeof line, "%s: %s", hotsv_log_prog, level);
	len = n < 0 ? 0 : (size_t)n;
	if (len < sizeof line) {
		n = vsnprintf(line + len, sizeof line - len, fmt, ap);
		if (n > 0)
			len += (size_t)n;
	}
	if (errnum != 0 && len < sizeof line) {
		n = snprintf(
		    line + len, sizeof line - len, ": %s", strerror(errnum));
		if (n > 0)
			len += (size_t)n;
	}
	if (len > sizeof line - 1)
		len = sizeof line - 1;
	len = escape_controls(out, sizeof out - 1, line, len);
	out[len++] = '\n';
	/* A failed log write has nowhere to be reported. */
	if (write(STDERR_FILENO, out, len) < 0)
		return;
}

/* Warn, appending the text of errno. */
void
log_warn(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning: ", saved_errno, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

/* Warn without errno. */
void
log_warnx(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning: ", 0, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

/* Report normal operation. */
void
log_info(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline("", 0, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

/* Report detail, only when verbose. */
void
log_debug(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	if (!hotsv_log_verbose)
		return;
	va_start(ap, fmt);
	log_vline("debug: ", 0, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

/* Call fn(fmt) before dying of a system failure (exit code 111). */
void
log_set_fatal_hook(void (*fn)(const char *fmt))
{
	hotsv_log_fatal_hook = fn;
}

/* Exit, through the fatal hook for a system failure. */
static void __attribute__((noreturn)) log_exit(int code, const char *fmt)
{
	if (code == 111 && hotsv_log_fatal_hook != NULL)
		hotsv_log_fatal_hook(fmt);
	exit(code);
}

/* Die with exit code 111 (system failure), appending errno. */
void
fatal(const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline("fatal: ", saved_errno, fmt, ap);
	va_end(ap);
	log_exit(111, fmt);
}

/* Die with exit code 111 (system failure), without errno. */
void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("fatal: ", 0, fmt, ap);
	va_end(ap);
	log_exit(111, fmt);
}

/* Die with the given exit code, appending errno. */
void
fatalc(int code, const char *fmt, ...)
{
	int saved_errno = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vline("fatal: ", saved_errno, fmt, ap);
	va_end(ap);
	log_exit(code, fmt);
}

/* Die with the given exit code, without errno. */
void
fatalxc(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("fatal: ", 0, fmt, ap);
	va_end(ap);
	log_exit(code, fmt);
}
