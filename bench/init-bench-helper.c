/*
 * Timing helper for bench/init-bench.sh; compiled on the fly into a
 * temporary directory, never installed.  Every time it takes is
 * CLOCK_MONOTONIC, which all processes of the machine share (a PID
 * namespace has no clock of its own).
 *
 * The first argument is a command:
 *   storm N OUT [hold]    the reap storm, run as a service or as the main
 *                         command of the init under test, in its PID
 *                         namespace.  Two phases, each with N orphans
 *                         made by double forks (a child forks a
 *                         grandchild, reports its pid on a pipe and
 *                         exits, so that the grandchild's parent becomes
 *                         PID 1):
 *                         1. the grandchildren exit at once: the time
 *                            from the first fork until every one of them
 *                            has been reaped (kill(pid, 0) fails with
 *                            ESRCH; a zombie still exists), the time the
 *                            forks took, and how many were not reaped
 *                            yet at the last fork;
 *                         2. the grandchildren wait on a pipe until all
 *                            N exist, then all exit together when it is
 *                            closed: the time from the close until every
 *                            one has been reaped.
 *                         For each phase, the CPU time PID 1 used
 *                         (/proc/1/schedstat).  Then it reads /proc until
 *                         the namespace shows no zombie at all (1 s at
 *                         most).  Writes to OUT (atomically, through a
 *                         rename) "FORK_NS ZERO_NS BACKLOG CPU_NS
 *                         BURST_NS BURST_CPU_NS ZOMBIES FAILED" (a time
 *                         of -1: not within 60 s; FAILED: forks that
 *                         failed).  With "hold" it then waits in pause()
 *                         for ever (a supervised service must not exit,
 *                         or it is started again), else it exits 0.
 *   signal PID SIG MS     take the time, send SIG (a number) to PID and
 *                         wait (MS at most) until PID has ended (a pidfd
 *                         becomes readable); print the time in ns, or
 *                         "timeout"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HELPER_NAME "init-bench-helper"
#include "helper.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define STORM_LIMIT_NS (60 * (int64_t)1000000000)

/* Sleep for ns nanoseconds. */
static void
nap(long ns)
{
	struct timespec ts = {0, ns};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Read a small file into buf; return its length or -1. */
static ssize_t
slurp(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The run time of PID 1 in ns (first field of its schedstat), or -1. */
static int64_t
pid1_cpu_ns(void)
{
	char buf[128];

	if (slurp("/proc/1/schedstat", buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

/* How many zombies this namespace's /proc shows, self aside. */
static long
zombies(void)
{
	char path[64], buf[512], *q;
	struct dirent *d;
	long n = 0;
	DIR *dir;
	pid_t pid, self = getpid();

	if ((dir = opendir("/proc")) == NULL)
		die("/proc");
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		pid = (pid_t)strtol(d->d_name, NULL, 10);
		if (pid == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		if (slurp(path, buf, sizeof(buf)) <= 0)
			continue;
		/* "PID (COMM) S ...": COMM may hold spaces and parens. */
		if ((q = strrchr(buf, ')')) != NULL && q[1] == ' ' &&
		    q[2] == 'Z')
			n++;
	}
	closedir(dir);
	return n;
}

/*
 * Make n orphans: fork a child that forks a grandchild, reports its pid
 * on a pipe and exits, so that the grandchild's parent becomes PID 1.
 * A grandchild exits at once, or, if hold is a pipe's read end, once
 * that pipe has no writer left.  Fills pids; returns the forks that
 * failed.
 */
static long
make_orphans(long n, int hold, int hold_w, pid_t *pids, long *made)
{
	long i, failed = 0;
	int report[2];
	pid_t pid, gc;
	char c;

	if (pipe2(report, O_CLOEXEC) < 0)
		die("pipe2");
	*made = 0;
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			failed++;
			nap(1000000);
			continue;
		}
		if (pid == 0) {
			if ((gc = fork()) == 0) {
				if (hold >= 0) {
					close(hold_w);
					while (read(hold, &c, 1) < 0 &&
					    errno == EINTR)
						;
				}
				_exit(0);
			}
			if (gc < 0)
				_exit(1);
			if (write(report[1], &gc, sizeof(gc)) != sizeof(gc))
				_exit(1);
			_exit(0);
		}
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (read(report[0], &gc, sizeof(gc)) == sizeof(gc))
			pids[(*made)++] = gc;
		else
			failed++;
	}
	close(report[0]);
	close(report[1]);
	return failed;
}

/*
 * Drop from pids those that no longer exist (kill 0 fails with ESRCH
 * once PID 1 has reaped them: a zombie still exists); return how many
 * are left.  Pids are not reused here: a fresh namespace counts up from
 * 1 and makes a few thousand.
 */
static long
unreaped(pid_t *pids, long n)
{
	long i, m = 0;

	for (i = 0; i < n; i++)
		if (kill(pids[i], 0) == 0 || errno != ESRCH)
			pids[m++] = pids[i];
	return m;
}

/* Wait (until deadline) until none of pids is left; return how many are. */
static long
wait_reaped(pid_t *pids, long n, int64_t deadline)
{
	while ((n = unreaped(pids, n)) > 0 && now_ns() < deadline)
		nap(100000);
	return n;
}

/* The reap storm; see the top of the file. */
static int
storm(int argc, char **argv)
{
	char tmp[4096], line[320];
	int64_t t0, t1, t2, t3, t4, cpu0, cpu1, cpu2, cpu3;
	long n, made, failed, backlog, left, bleft, zleft;
	pid_t *pids;
	int hold[2];
	FILE *f;

	if (argc < 4)
		return 100;
	n = strtol(argv[2], NULL, 10);
	if (n <= 0 || (pids = calloc((size_t)n, sizeof(*pids))) == NULL)
		return 100;

	/* 1: orphans that exit as they are made. */
	cpu0 = pid1_cpu_ns();
	t0 = now_ns();
	failed = make_orphans(n, -1, -1, pids, &made);
	t1 = now_ns();
	backlog = unreaped(pids, made);
	left = wait_reaped(pids, backlog, t0 + STORM_LIMIT_NS);
	t2 = now_ns();
	cpu1 = pid1_cpu_ns();

	/* 2: orphans that all exit at once. */
	if (pipe2(hold, O_CLOEXEC) < 0)
		die("pipe2");
	failed += make_orphans(n, hold[0], hold[1], pids, &made);
	close(hold[0]);
	nap(100000000); /* let the machine settle */
	cpu2 = pid1_cpu_ns();
	t3 = now_ns();
	close(hold[1]);
	bleft = wait_reaped(pids, made, t3 + STORM_LIMIT_NS);
	t4 = now_ns();
	cpu3 = pid1_cpu_ns();

	/* Nothing else should have left a zombie either. */
	while ((zleft = zombies()) > 0 && now_ns() < t4 + 1000000000)
		nap(1000000);

	snprintf(line, sizeof(line), "%lld %lld %ld %lld %lld %lld %ld %ld\n",
	    (long long)(t1 - t0), left > 0 ? -1LL : (long long)(t2 - t0),
	    backlog, cpu0 < 0 || cpu1 < 0 ? -1LL : (long long)(cpu1 - cpu0),
	    bleft > 0 ? -1LL : (long long)(t4 - t3),
	    cpu2 < 0 || cpu3 < 0 ? -1LL : (long long)(cpu3 - cpu2), zleft,
	    failed);
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[3]);
	if ((f = fopen(tmp, "w")) == NULL || fputs(line, f) == EOF ||
	    fclose(f) == EOF || rename(tmp, argv[3]) < 0)
		die(argv[3]);
	if (argc > 4 && strcmp(argv[4], "hold") == 0)
		for (;;)
			pause();
	return 0;
}

/* Send a signal to a process and time its end; see the top. */
static int
signal_and_time(int argc, char **argv)
{
	struct pollfd pfd;
	int64_t t0, deadline, left;
	pid_t pid;
	int fd, r;

	if (argc < 5)
		return 100;
	pid = (pid_t)strtol(argv[2], NULL, 10);
	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
		die("pidfd_open");
	t0 = now_ns();
	if (kill(pid, atoi(argv[3])) < 0)
		die("kill");
	deadline = t0 + strtoll(argv[4], NULL, 10) * 1000000;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		left = deadline - now_ns();
		if (left <= 0) {
			puts("timeout");
			return 0;
		}
		r = poll(&pfd, 1, (int)((left + 999999) / 1000000));
		if (r > 0)
			break;
		if (r < 0 && errno != EINTR)
			die("poll");
	}
	printf("%lld\n", (long long)(now_ns() - t0));
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "storm") == 0)
		return storm(argc, argv);
	if (argc > 1 && strcmp(argv[1], "signal") == 0)
		return signal_and_time(argc, argv);
	fprintf(stderr,
	    "usage: init-bench-helper storm N OUT [hold] |"
	    " signal PID SIG MS\n");
	return 100;
}
