/*
 * hotsv-log [options] DIR...: the logger in a service's log/run.  Lines
 * read on stdin are framed (stamps, prefix, long lines cut) and appended
 * to DIR/current in every DIR, which rotates into timestamped archives.
 * One ppoll waits on stdin and the signalfd, with a deadline only while
 * an output retries after an error.  Stdin is read only once every
 * output has written the batch in hand, so while a disk is full the
 * lines wait in the pipe rather than being dropped.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sig.h"
#include "lib/spawn.h"
#include "lib/usage.h"
#include "lib/xmalloc.h"
#include "log/framing.h"
#include "log/output.h"

#define READ_SIZE 65536
#define DEFAULT_SIZE 1048576
#define DEFAULT_KEEP 10
#define DEFAULT_LINE 8192
#define MAX_LINE (16 * 1024 * 1024)

static const char usage_text[] =
    "usage: hotsv-log [-jtTv] [-p PREFIX] [-s BYTES] [-n N] [-l N] DIR...\n"
    "Append the lines read on stdin to DIR/current in every DIR (\"-\" is\n"
    "stdout); rotate current into archives named @TAI64N.s.\n"
    "  -s, --size BYTES    rotate before current exceeds BYTES (1048576)\n"
    "  -n, --archives N    keep N archives, deleting the oldest (10)\n"
    "  -t, --timestamp     start lines with the ISO 8601 UTC time\n"
    "  -T, --tai64n        start lines with a TAI64N label\n"
    "  -p, --prefix TEXT   start lines with TEXT, after any time\n"
    "  -j, --json          write each line as a JSON object: time, service\n"
    "                      (TEXT of -p, if given) and line\n"
    "  -l, --line-max N    cut lines longer than N bytes; each piece but\n"
    "                      the last ends with a backslash (8192)\n"
    "  -w, --turn-fd FD    lock FD while writing to stdout, taking turns\n"
    "                      with the loggers that share it\n"
    "  -v, --verbose       log debug lines\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n";

struct logger {
	struct logline framer;
	struct logbuf pending; /* framed lines not yet written everywhere */
	struct logdir *dirs;
	size_t ndirs;
	struct pollfd *fds; /* room for the signalfd, stdin and each dir */
	int sigfd;
	bool draining; /* EOF or SIGTERM: write what was read, then exit */
	int status;
};

/* Parse a decimal option argument from min to max, or exit 100. */
static unsigned long long
parse_number(
    int opt, const char *arg, unsigned long long min, unsigned long long max)
{
	unsigned long long value;
	char *end;

	errno = 0;
	value = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    value < min || value > max)
		fatalxc(100, "-%c wants a number from %llu to %llu, not \"%s\"",
		    opt, min, max, arg);
	return value;
}

/* Refuse a directory given twice: fcntl locks do not exclude ourselves. */
static void
check_distinct(const struct logdir *dirs, size_t n)
{
	struct stat a, b;

	for (size_t i = 0; i < n; i++) {
		if (dirs[i].is_stdout || fstat(dirs[i].dirfd, &a) < 0)
			continue;
		for (size_t j = 0; j < i; j++)
			if (!dirs[j].is_stdout &&
			    fstat(dirs[j].dirfd, &b) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
				fatalxc(100, "%s and %s are the same directory",
				    dirs[j].path, dirs[i].path);
	}
}

/* Stop reading: frame the unfinished line, if any, to be written last. */
static void
start_draining(struct logger *lg)
{
	struct timespec now;

	lg->draining = true;
	clock_real(&now);
	logline_stamp(&lg->framer, &now);
	logline_finish(&lg->framer, &lg->pending);
}

/* Drain the signalfd. */
static void
handle_signals(struct logger *lg)
{
	int sig;

	while ((sig = sig_read(lg->sigfd)) > 0) {
		switch (sig) {
		case SIGALRM:
			for (size_t i = 0; i < lg->ndirs; i++)
				lg->dirs[i].rotate = !lg->dirs[i].is_stdout;
			break;
		case SIGTERM:
		case SIGINT:
			start_draining(lg);
			break;
		default:
			/* SIGHUP too: there is nothing to reload. */
			log_debug("ignoring signal %d", sig);
			break;
		}
	}
}

/* Read one block of stdin and frame the lines it completes. */
static void
read_input(struct logger *lg)
{
	char buf[READ_SIZE];
	struct timespec now;
	ssize_t got;

	got = read(STDIN_FILENO, buf, sizeof buf);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got < 0) {
		log_warn("read stdin");
		lg->status = 111;
	}
	if (got <= 0) {
		start_draining(lg);
		return;
	}
	/* One stamp per block: its lines all arrived by now. */
	clock_real(&now);
	logline_stamp(&lg->framer, &now);
	logline_feed(&lg->framer, buf, (size_t)got, &lg->pending);
}

/* Let every output write the batch; forget it once all have. */
static void
flush_all(struct logger *lg)
{
	bool all = true;

	for (size_t i = 0; i < lg->ndirs; i++) {
		logdir_flush(&lg->dirs[i], lg->pending.data, lg->pending.len);
		if (lg->dirs[i].done < lg->pending.len)
			all = false;
	}
	if (!all)
		return;
	for (size_t i = 0; i < lg->ndirs; i++)
		lg->dirs[i].done = 0;
	lg->pending.len = 0;
}

/*
 * Sleep until a signal, input (only when no batch is in hand), a blocked
 * stdout becoming writable, or the earliest retry deadline.
 */
static void
wait_events(struct logger *lg)
{
	struct pollfd *fds = lg->fds;
	struct deadline dl;
	bool reading = lg->pending.len == 0 && !lg->draining;
	nfds_t n = 0;

	deadline_never(&dl);
	fds[n++] = (struct pollfd){.fd = lg->sigfd, .events = POLLIN};
	if (reading)
		fds[n++] =
		    (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
	for (size_t i = 0; i < lg->ndirs; i++) {
		deadline_earliest(&dl, &lg->dirs[i].retry);
		if (lg->dirs[i].blocked)
			fds[n++] = (struct pollfd){
			    .fd = lg->dirs[i].fd, .events = POLLOUT};
	}
	if (loop_wait(fds, n, &dl) < 0)
		fatal("ppoll");
	n = reading ? 2 : 1;
	for (size_t i = 0; i < lg->ndirs; i++)
		if (lg->dirs[i].blocked && fds[n++].revents != 0)
			lg->dirs[i].blocked = false;
	if (fds[0].revents != 0)
		handle_signals(lg);
	if (reading && !lg->draining && fds[1].revents != 0)
		read_input(lg);
}

/* Write, wait and read until the input ends and all is written. */
static void
run(struct logger *lg)
{
	for (;;) {
		flush_all(lg);
		if (lg->draining && lg->pending.len == 0)
			return;
		wait_events(lg);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"size", required_argument, NULL, 's'},
	    {"archives", required_argument, NULL, 'n'},
	    {"timestamp", no_argument, NULL, 't'},
	    {"tai64n", no_argument, NULL, 'T'},
	    {"prefix", required_argument, NULL, 'p'},
	    {"json", no_argument, NULL, 'j'},
	    {"line-max", required_argument, NULL, 'l'},
	    {"turn-fd", required_argument, NULL, 'w'},
	    {"verbose", no_argument, NULL, 'v'},
	    OPTIONS_COMMON,
	};
	struct logger lg = {.status = 0};
	off_t maxsize = DEFAULT_SIZE;
	unsigned keep = DEFAULT_KEEP, stamps = 0;
	size_t maxline = DEFAULT_LINE;
	const char *prefix = "";
	int turnfd = -1;
	bool json = false;
	sigset_t original;
	int opt;

	log_init(argv[0]);
	while ((opt = getopt_long(
	            argc, argv, "s:n:tTp:jl:w:vhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			maxsize =
			    (off_t)parse_number(opt, optarg, 1, 1ULL << 62);
			break;
		case 'n':
			keep = (unsigned)parse_number(opt, optarg, 0, 1000000);
			break;
		case 't':
			stamps |= LOGLINE_ISO;
			break;
		case 'T':
			stamps |= LOGLINE_TAI;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'l':
			maxline = parse_number(opt, optarg, 1, MAX_LINE);
			break;
		case 'w':
			turnfd = (int)parse_number(opt, optarg, 3, INT_MAX);
			break;
		case 'v':
			log_set_verbose(1);
			break;
		default:
			usage_exit(opt, usage_text);
		}
	}
	if (optind == argc)
		usage_exit('?', usage_text);
	fd_sanitize_std();
	lg.sigfd = sig_setup(&original, false);
	lg.ndirs = (size_t)(argc - optind);
	lg.dirs = xcalloc(lg.ndirs, sizeof *lg.dirs);
	lg.fds = xcalloc(lg.ndirs + 2, sizeof *lg.fds);
	for (size_t i = 0; i < lg.ndirs; i++) {
		logdir_open(&lg.dirs[i], argv[optind + (int)i], maxsize, keep);
		if (lg.dirs[i].is_stdout)
			lg.dirs[i].turnfd = turnfd;
	}
	check_distinct(lg.dirs, lg.ndirs);
	/* A JSON line has its time: -t and -T would add nothing. */
	logline_init(&lg.framer, json ? LOGLINE_JSON : stamps, prefix, maxline);
	run(&lg);
	logline_free(&lg.framer);
	logbuf_free(&lg.pending);
	free(lg.fds);
	free(lg.dirs);
	return lg.status;
}
