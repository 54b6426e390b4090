/*
 * Service-directory files against garbage: the parsers on their own, then
 * the readers on real files, directories, FIFOs and symbolic links under a
 * scratch directory.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv/files.h"
#include "sv/values.h"
#include "sv/supervisedir.h"
#include "units.h"

#define WHOLE SIZE_MAX /* length: the whole NUL-terminated text */
#define HUGE_TEXT "99999999999999999999999"

/* Texts for svparse_uint with the answer it must give. */
static const struct {
	const char *text;
	size_t len;
	unsigned long max;
	int ret;
	unsigned long out;
	const char *why;
} svdir_uints[] = {
    {"", WHOLE, 100, -1, 0, "empty"},
    {"   ", WHOLE, 100, -1, 0, "empty"},
    {" \t\r\n\n", WHOLE, 100, -1, 0, "empty"},
    {"-1", WHOLE, 100, -1, 0, "negative"},
    {" -0\n", WHOLE, 100, -1, 0, "negative"},
    {"abc", WHOLE, 100, -1, 0, "not a number"},
    {"+5", WHOLE, 100, -1, 0, "not a number"},
    {"12abc", WHOLE, 100, -1, 0, "junk after the number"},
    {"12 34", WHOLE, 100, -1, 0, "junk after the number"},
    {"0x10", WHOLE, 100, -1, 0, "junk after the number"},
    {"1.5", WHOLE, 100, -1, 0, "junk after the number"},
    {"1\0002", 3, 100, -1, 0, "junk after the number"},
    {"5\0", 2, 100, -1, 0, "junk after the number"},
    {"\0 5", 3, 100, -1, 0, "not a number"},
    {"\0\0\0", 3, 100, -1, 0, "not a number"},
    {"0", WHOLE, 100, 0, 0, NULL},
    {"007", WHOLE, 100, 0, 7, NULL},
    {"42\n", WHOLE, 100, 0, 42, NULL},
    {" \t42 \r\n", WHOLE, 100, 0, 42, NULL},
    {"\n\n42\n\n", WHOLE, 100, 0, 42, NULL},
    {"123456", 3, 1000, 0, 123, NULL},
    {"100", WHOLE, 100, 0, 100, NULL},
    {"101", WHOLE, 100, 1, 100, "too large"},
    {"4097\n", WHOLE, 4096, 1, 4096, "too large"},
    {HUGE_TEXT, WHOLE, 65535, 1, 65535, "too large"},
    {HUGE_TEXT, WHOLE, ULONG_MAX, 1, ULONG_MAX, "too large"},
#if ULONG_MAX == 0xffffffffffffffffUL
    {"18446744073709551615", WHOLE, ULONG_MAX, 0, ULONG_MAX, NULL},
    {"18446744073709551614", WHOLE, ULONG_MAX, 0, ULONG_MAX - 1, NULL},
    {"18446744073709551610", WHOLE, ULONG_MAX, 0, ULONG_MAX - 5, NULL},
    {"18446744073709551616", WHOLE, ULONG_MAX, 1, ULONG_MAX, "too large"},
#endif
};

/* Texts for svparse_signal with the answer it must give. */
static const struct {
	const char *text;
	int ret;
	int sig;
	const char *why;
} svdir_signals[] = {
    {"TERM", 0, SIGTERM, NULL},
    {"SIGTERM", 0, SIGTERM, NULL},
    {"sigterm", 0, SIGTERM, NULL},
    {"15", 0, SIGTERM, NULL},
    {" SIGHUP\n", 0, SIGHUP, NULL},
    {"\tkill\r\n", 0, SIGKILL, NULL},
    {"64", 0, 64, NULL},
    {"0", -1, 0, "unknown signal"},
    {"65", -1, 0, "unknown signal"},
    {HUGE_TEXT, -1, 0, "unknown signal"},
    {"-15", -1, 0, "unknown signal"},
    {"15x", -1, 0, "unknown signal"},
    {"TERM HUP", -1, 0, "unknown signal"},
    {"SIG", -1, 0, "unknown signal"},
    {"SIGBOGUS", -1, 0, "unknown signal"},
    {"RTMIN", -1, 0, "unknown signal"},
    {"", -1, 0, "empty"},
    {" \n", -1, 0, "empty"},
};

/* Bytes for svparse_quote and the text it must make of them. */
static const struct {
	const char *in;
	size_t len;
	const char *out;
} svdir_quotes[] = {
    {"", 0, ""},
    {"plain text ~", WHOLE, "plain text ~"},
    {"a\"b", WHOLE, "a\\x22b"},
    {"back\\slash", WHOLE, "back\\x5cslash"},
    {"\n\t\x01\x7f\xff", WHOLE, "\\x0a\\x09\\x01\\x7f\\xff"},
    {"a\0b", 3, "a\\x00b"},
    {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", WHOLE,
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
    {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", WHOLE,
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."},
};

/* What a case puts where the service file should be. */
enum svdir_kind {
	K_MISSING,  /* nothing */
	K_FILE,     /* a regular file holding data */
	K_LONG,     /* a regular file of len bytes, "0...042" */
	K_DIR,      /* a directory */
	K_FIFO,     /* a FIFO nobody writes to */
	K_LOOP,     /* a symbolic link to itself */
	K_DANGLING, /* a symbolic link to nothing */
	K_LINK,     /* a symbolic link to a file holding data */
};

/*
 * Service files and what every reader must make of them: svfile_read's
 * answer and problem (err: strerror(err)), then svdir_uint with default
 * 5000 and max 65535, svdir_signal with default SIGTERM, and
 * svdir_notification_fd.
 */
static const struct {
	const char *what;
	enum svdir_kind kind;
	const char *data;
	size_t len;
	int ret;
	const char *why;
	int err;
	unsigned long uint;
	int sig;
	int fd;
} svdir_files[] = {
    {"missing", K_MISSING, NULL, 0, 0, NULL, 0, 5000, SIGTERM, -1},
    {"empty", K_FILE, "", 0, 1, NULL, 0, 5000, SIGTERM, -1},
    {"7 newline", K_FILE, "7\n", 2, 1, NULL, 0, 7, SIGBUS, 7},
    {"3 blanks", K_FILE, " 3 \n", 4, 1, NULL, 0, 3, SIGQUIT, 3},
    {"fd 2", K_FILE, "2\n", 2, 1, NULL, 0, 2, SIGINT, -1},
    {"zero", K_FILE, "0", 1, 1, NULL, 0, 0, SIGTERM, -1},
    {"name", K_FILE, "SIGHUP\n", 7, 1, NULL, 0, 5000, SIGHUP, -1},
    {"junk", K_FILE, "12abc", 5, 1, NULL, 0, 5000, SIGTERM, -1},
    {"huge", K_FILE, HUGE_TEXT "\n", 24, 1, NULL, 0, 65535, SIGTERM, -1},
    {"binary", K_FILE, "\x00\x01\xfe\xff", 4, 1, NULL, 0, 5000, SIGTERM, -1},
    {"NULs", K_FILE, "\0\0\0", 3, 1, NULL, 0, 5000, SIGTERM, -1},
    {"5 NUL", K_FILE, "5\0", 2, 1, NULL, 0, 5000, SIGTERM, -1},
    {"longest", K_LONG, NULL, SVFILE_MAX - 1, 1, NULL, 0, 42, 42, 42},
    {"too long", K_LONG, NULL, SVFILE_MAX, -1, "too long", 0, 5000, SIGTERM,
        -1},
    {"far too long", K_LONG, NULL, 100000, -1, "too long", 0, 5000, SIGTERM,
        -1},
    {"directory", K_DIR, NULL, 0, -1, "is a directory", 0, 5000, SIGTERM, -1},
    {"FIFO", K_FIFO, NULL, 0, -1, "not a regular file", 0, 5000, SIGTERM, -1},
    {"link loop", K_LOOP, NULL, 0, -1, NULL, ELOOP, 5000, SIGTERM, -1},
    {"dangling link", K_DANGLING, NULL, 0, 0, NULL, 0, 5000, SIGTERM, -1},
    {"link", K_LINK, "9\n", 2, 1, NULL, 0, 9, SIGKILL, 9},
};

/* Return the length a table row gives, WHOLE meaning strlen. */
static size_t
text_len(const char *text, size_t len)
{
	return len == WHOLE ? strlen(text) : len;
}

/* Parse each svparse_uint case. */
START_TEST(parse_uint)
{
	unsigned long out = 77777;
	const char *why = NULL;
	int r;

	r = svparse_uint(svdir_uints[_i].text,
	    text_len(svdir_uints[_i].text, svdir_uints[_i].len),
	    svdir_uints[_i].max, &out, &why);
	ck_assert_int_eq(r, svdir_uints[_i].ret);
	if (r >= 0)
		ck_assert_uint_eq(out, svdir_uints[_i].out);
	if (r != 0)
		ck_assert_str_eq(why, svdir_uints[_i].why);
}
END_TEST

/* Parse each svparse_signal case. */
START_TEST(parse_signal)
{
	const char *why = NULL;
	int sig = -7, r;

	r = svparse_signal(
	    svdir_signals[_i].text, strlen(svdir_signals[_i].text), &sig, &why);
	ck_assert_int_eq(r, svdir_signals[_i].ret);
	if (r == 0)
		ck_assert_int_eq(sig, svdir_signals[_i].sig);
	else {
		ck_assert_int_eq(sig, -7);
		ck_assert_str_eq(why, svdir_signals[_i].why);
	}
}
END_TEST

/* Quote each svparse_quote case into a buffer the size warn_bad uses. */
START_TEST(quote)
{
	char out[160];

	svparse_quote(out, sizeof out, svdir_quotes[_i].in,
	    text_len(svdir_quotes[_i].in, svdir_quotes[_i].len));
	ck_assert_str_eq(out, svdir_quotes[_i].out);
}
END_TEST

/* Never overrun a small buffer, and never cut an escape in half. */
START_TEST(quote_small_buffers)
{
	char full[160], out[160];
	char in[40];
	size_t len;

	memset(in, 0x01, sizeof in);
	svparse_quote(full, sizeof full, in, sizeof in);
	ck_assert_uint_eq(strlen(full), 32 * 4 + 3);
	for (size_t size = 1; size <= sizeof out; size++) {
		memset(out, '#', sizeof out);
		svparse_quote(out, size, in, sizeof in);
		len = strnlen(out, size);
		ck_assert_msg(len < size, "size %zu: not terminated", size);
		if (len >= 3 && strcmp(out + len - 3, "...") == 0)
			len -= 3;
		ck_assert_msg(len % 4 == 0 && strncmp(out, full, len) == 0,
		    "size %zu: \"%s\"", size, out);
		for (size_t i = size; i < sizeof out; i++)
			ck_assert_msg(
			    out[i] == '#', "size %zu: wrote byte %zu", size, i);
	}
}
END_TEST

/* Put what a case asks for at DIR/notification-fd. */
static void
make_entry(const char *dir, int row)
{
	char path[PATH_MAX], *data;
	size_t len = svdir_files[row].len;

	snprintf(path, sizeof path, "%s/notification-fd", dir);
	switch (svdir_files[row].kind) {
	case K_MISSING:
		break;
	case K_FILE:
		unit_put(dir, "notification-fd", svdir_files[row].data, len);
		break;
	case K_LONG:
		data = malloc(len);
		ck_assert_ptr_nonnull(data);
		memset(data, '0', len);
		memcpy(data + len - 2, "42", 2);
		unit_put(dir, "notification-fd", data, len);
		free(data);
		break;
	case K_DIR:
		ck_assert_int_eq(mkdir(path, 0755), 0);
		break;
	case K_FIFO:
		ck_assert_int_eq(mkfifo(path, 0644), 0);
		break;
	case K_LOOP:
		ck_assert_int_eq(symlink("notification-fd", path), 0);
		break;
	case K_DANGLING:
		ck_assert_int_eq(symlink("nowhere", path), 0);
		break;
	case K_LINK:
		unit_put(dir, "target", svdir_files[row].data, len);
		ck_assert_int_eq(symlink("target", path), 0);
		break;
	}
}

/* Open a directory as the supervisor holds its own. */
static int
hold(const char *dir)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Read each kind of service file with every reader. */
START_TEST(read_files)
{
	const char *dir = unit_tmp_dir(), *why = "untouched", *pwhy = "";
	char buf[SVFILE_MAX], pbuf[SVFILE_MAX];
	size_t len = 99999, plen = 0;
	int r, dirfd;

	unit_stderr_to("/dev/null");
	make_entry(dir, _i);
	dirfd = hold(dir);
	r = svfile_read_at(
	    dirfd, "notification-fd", buf, sizeof buf, &len, &why);
	/* A client's read by path says the same. */
	ck_assert_int_eq(svfile_read(dir, "notification-fd", pbuf, sizeof pbuf,
	                     &plen, &pwhy),
	    r);
	ck_assert_msg(r == svdir_files[_i].ret, "%s: svfile_read %d, want %d",
	    svdir_files[_i].what, r, svdir_files[_i].ret);
	if (r > 0) {
		ck_assert_uint_eq(len, svdir_files[_i].len);
		ck_assert_int_eq(buf[len], '\0');
		if (svdir_files[_i].data != NULL)
			ck_assert_mem_eq(buf, svdir_files[_i].data, len);
	}
	if (r < 0)
		ck_assert_str_eq(why,
		    svdir_files[_i].err != 0 ? strerror(svdir_files[_i].err)
		                             : svdir_files[_i].why);
	ck_assert_int_eq(svfile_exists_at(dirfd, "notification-fd"),
	    svdir_files[_i].kind != K_MISSING);
	ck_assert_int_eq(svfile_exists(dir, "notification-fd"),
	    svdir_files[_i].kind != K_MISSING);
	ck_assert_uint_eq(svdir_uint_at(dirfd, "notification-fd", 5000, 65535),
	    svdir_files[_i].uint);
	ck_assert_int_eq(svdir_signal_at(dirfd, "notification-fd", SIGTERM),
	    svdir_files[_i].sig);
	ck_assert_int_eq(svdir_notification_fd_at(dirfd), svdir_files[_i].fd);
	ck_assert_int_eq(
	    svdir_has_readiness_at(dirfd), svdir_files[_i].fd >= 0);
	close(dirfd);
}
END_TEST

/* Refuse content that fills the whole buffer; accept one byte less. */
START_TEST(read_buffer_size)
{
	const char *dir = unit_tmp_dir(), *why = NULL;
	char buf[8];
	size_t len = 0;

	int dirfd = hold(dir);

	unit_put(dir, "f", "12345", 5);
	ck_assert_int_eq(svfile_read_at(dirfd, "f", buf, 5, &len, &why), -1);
	ck_assert_str_eq(why, "too long");
	ck_assert_int_eq(svfile_read_at(dirfd, "f", buf, 6, &len, &why), 1);
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(buf, "12345");
	close(dirfd);
}
END_TEST

/* A client's path longer than PATH_MAX: a clean refusal. */
START_TEST(read_path_too_long)
{
	char dir[PATH_MAX + 2], buf[16];
	const char *why = NULL;
	size_t len = 0;

	unit_stderr_to("/dev/null");
	memset(dir, 'a', sizeof dir - 1);
	dir[sizeof dir - 1] = '\0';
	ck_assert_int_eq(
	    svfile_read(dir, "f", buf, sizeof buf, &len, &why), -1);
	ck_assert_str_eq(why, strerror(ENAMETOOLONG));
	ck_assert(!svfile_exists(dir, "f"));
	ck_assert(!svdir_has_readiness(dir));
}
END_TEST

/*
 * The files are those of the directory held, wherever it went: renamed,
 * they are still read; another directory put in its place is not.
 */
START_TEST(read_moved)
{
	const char *tmp = unit_tmp_dir();
	char dir[PATH_MAX], moved[PATH_MAX];
	int dirfd;

	unit_stderr_to("/dev/null");
	snprintf(dir, sizeof dir, "%s/web", tmp);
	snprintf(moved, sizeof moved, "%s/web.old", tmp);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	unit_put(dir, "timeout-kill", "42\n", 3);
	unit_put(dir, "down-signal", "HUP", 3);
	dirfd = hold(dir);
	ck_assert_int_eq(rename(dir, moved), 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	unit_put(dir, "timeout-kill", "7", 1);
	ck_assert_uint_eq(svdir_uint_at(dirfd, "timeout-kill", 0, 100), 42);
	ck_assert_int_eq(
	    svdir_signal_at(dirfd, "down-signal", SIGTERM), SIGHUP);
	ck_assert(!svfile_exists_at(dirfd, "down"));
	unit_put(moved, "down", "", 0);
	ck_assert(svfile_exists_at(dirfd, "down"));
	close(dirfd);
}
END_TEST

/*
 * A directory named "log" is a logger ("PARENT/log") only when its
 * parent is a service directory (holds run).
 */
START_TEST(name_of_logger)
{
	const char *tmp = unit_tmp_dir();
	char scan[PATH_MAX / 4], web[PATH_MAX / 2], path[PATH_MAX], *name;
	int dirfd;

	snprintf(scan, sizeof scan, "%s/scan", tmp);
	snprintf(web, sizeof web, "%s/web", scan);
	ck_assert_int_eq(mkdir(scan, 0755), 0);
	ck_assert_int_eq(mkdir(web, 0755), 0);
	snprintf(path, sizeof path, "%s/log", scan);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	dirfd = hold(path);
	name = svpath_name(dirfd, path);
	ck_assert_str_eq(name, "log");
	free(name);
	close(dirfd);
	snprintf(path, sizeof path, "%s/log/", web);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	unit_put(web, "run", "#!/bin/sh\n", 10);
	dirfd = hold(path);
	name = svpath_name(dirfd, path);
	ck_assert_str_eq(name, "web/log");
	free(name);
	name = svpath_name(-1, path);
	ck_assert_str_eq(name, "log");
	free(name);
	close(dirfd);
	dirfd = hold(web);
	name = svpath_name(dirfd, web);
	ck_assert_str_eq(name, "web");
	free(name);
	close(dirfd);
}
END_TEST

/* Count the lines of a file. */
static int
count_lines(const char *path)
{
	char buf[4096];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC), lines = 0;

	ck_assert_int_ge(fd, 0);
	while ((got = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < got; i++)
			lines += buf[i] == '\n';
	close(fd);
	return lines;
}

/*
 * Contents written to timeout-kill in turn (NULL: removed), the value
 * svdir_uint must give, and the number of warnings logged so far: one
 * per new problem, none for a problem already reported.
 */
static const struct {
	const char *content;
	unsigned long value;
	int warnings;
} svdir_warn_steps[] = {
    {"12abc", 5000, 1},
    {"12abc", 5000, 1},
    {"12abc", 5000, 1},
    {"-1", 5000, 2},
    {"-1", 5000, 2},
    {"30\n", 30, 2},
    {"-1", 5000, 3},
    {NULL, 5000, 3},
    {"-1", 5000, 4},
    {HUGE_TEXT, 60000, 5},
    {HUGE_TEXT, 60000, 5},
};

/* Warn once per problem, again once the file was fixed and broken. */
START_TEST(warn_once)
{
	const char *dir = unit_tmp_dir();
	char log[PATH_MAX], path[PATH_MAX], text[8192];
	ssize_t got;
	int fd, dirfd = hold(dir);

	snprintf(log, sizeof log, "%s/stderr", dir);
	snprintf(path, sizeof path, "%s/timeout-kill", dir);
	unit_stderr_to(log);
	for (size_t i = 0; i < NELEM(svdir_warn_steps); i++) {
		const char *content = svdir_warn_steps[i].content;

		if (content != NULL)
			unit_put(dir, "timeout-kill", content, strlen(content));
		else
			ck_assert_int_eq(unlink(path), 0);
		ck_assert_uint_eq(
		    svdir_uint_at(dirfd, "timeout-kill", 5000, 60000),
		    svdir_warn_steps[i].value);
		ck_assert_msg(count_lines(log) == svdir_warn_steps[i].warnings,
		    "step %zu: %d warnings, want %d", i, count_lines(log),
		    svdir_warn_steps[i].warnings);
	}
	fd = open(log, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	got = read(fd, text, sizeof text - 1);
	ck_assert_int_ge(got, 0);
	text[got] = '\0';
	close(fd);
	close(dirfd);
	ck_assert_msg(strstr(text,
	                  "timeout-kill: junk after the number "
	                  "(\"12abc\"); using 5000\n") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text,
	                  "timeout-kill: too large (\"" HUGE_TEXT
	                  "\"); using 60000\n") != NULL,
	    "%s", text);
}
END_TEST

/* The service-directory suite. */
Suite *
svdir_suite(void)
{
	Suite *s = suite_create("svdir");
	TCase *parse = tcase_create("parse");
	TCase *files = tcase_create("files");

	tcase_add_loop_test(parse, parse_uint, 0, NELEM(svdir_uints));
	tcase_add_loop_test(parse, parse_signal, 0, NELEM(svdir_signals));
	tcase_add_loop_test(parse, quote, 0, NELEM(svdir_quotes));
	tcase_add_test(parse, quote_small_buffers);
	suite_add_tcase(s, parse);
	tcase_add_unchecked_fixture(files, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_loop_test(files, read_files, 0, NELEM(svdir_files));
	tcase_add_test(files, read_buffer_size);
	tcase_add_test(files, read_path_too_long);
	tcase_add_test(files, read_moved);
	tcase_add_test(files, name_of_logger);
	tcase_add_test(files, warn_once);
	suite_add_tcase(s, files);
	return s;
}
