/*
 * Timing helper for bench/scan-bench.sh; compiled on the fly into a
 * temporary directory, never installed.  Every time it takes is
 * CLOCK_MONOTONIC, which all processes of the machine share (a PID
 * namespace has no clock of its own), so a time taken here and one taken
 * by a service can be subtracted.
 *
 * Invoked under the name "run" (a hard link placed in a service
 * directory), it is the benchmarked service: its first action is to
 * write "NANOSECONDS PID" to ./stamp (atomically, through a rename), then
 * it waits in pause() for ever, so that it never wakes up by itself and
 * dies at once on SIGTERM (default disposition).
 *
 * Otherwise the first argument is a command:
 *   now                          print the time
 *   exec T0FILE CMD...           write the time to T0FILE, exec CMD
 *   add SRC DST MS [CMD...]      take the time, rename SRC to DST, run
 *                                CMD, wait (MS at most) for DST/stamp;
 *                                print "LATENCY_NS PID" or "timeout"
 *   rm SRC DST MS SVC SUP [CMD...]
 *                                take the time, rename SRC to DST, run
 *                                CMD, wait (MS at most) until the
 *                                processes SVC and SUP (0: none) have
 *                                ended; print both latencies in ns, -1
 *                                for one still alive at the deadline
 *   forkexec N CMD...            run CMD N times, print the median
 *                                time of fork+exec+wait in ms
 *   waitall SCANDIR N T0 MS      wait (MS at most) until N services
 *                                under SCANDIR wrote their stamp; print
 *                                the latest stamp minus T0 in ns, or
 *                                "timeout COUNT"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HELPER_NAME "scan-bench-helper"
#include "helper.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static void service(void) __attribute__((noreturn));

/* Be the service: write the stamp, then wait for a signal for ever. */
static void
service(void)
{
	char line[64];
	int64_t t = now_ns();
	int fd, len;

	len = snprintf(
	    line, sizeof line, "%lld %d\n", (long long)t, (int)getpid());
	fd = open("stamp.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, (size_t)len) != len || close(fd) < 0 ||
	    rename("stamp.tmp", "stamp") < 0)
		die("write ./stamp");
	for (;;)
		pause();
}

/* Run CMD (if any) and wait for it; its failure is reported, not fatal. */
static void
run_command(char **cmd)
{
	pid_t pid;
	int wstat;

	if (cmd[0] == NULL)
		return;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	while (waitpid(pid, &wstat, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(wstat) || WEXITSTATUS(wstat) != 0)
		fprintf(stderr, "scan-bench-helper: %s failed (status %d)\n",
		    cmd[0], wstat);
}

/* Read a stamp file: its time and pid.  Returns 0 when it is complete. */
static int
read_stamp(const char *path, int64_t *t, long *pid)
{
	long long tt;
	FILE *f = fopen(path, "re");
	int n;

	if (f == NULL)
		return -1;
	n = fscanf(f, "%lld %ld", &tt, pid);
	fclose(f);
	if (n != 2)
		return -1;
	*t = tt;
	return 0;
}

/* Milliseconds left until the deadline, at least 0. */
static int
ms_left(int64_t deadline)
{
	int64_t left = deadline - now_ns();

	return left <= 0 ? 0 : (int)((left + 999999) / 1000000);
}

/* add SRC DST MS [CMD...] */
static int
cmd_add(char **argv)
{
	char stamp[PATH_MAX];
	int64_t t0, t, deadline;
	long pid;
	int ifd;

	snprintf(stamp, sizeof stamp, "%s/stamp", argv[1]);
	ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	/* Watch the directory (its inode: the watch follows the rename). */
	if (ifd < 0 || inotify_add_watch(ifd, argv[0], IN_MOVED_TO) < 0)
		die("inotify");
	deadline = now_ns() + (int64_t)atoi(argv[2]) * 1000000;
	t0 = now_ns();
	if (rename(argv[0], argv[1]) < 0)
		die("rename");
	run_command(argv + 3);
	while (read_stamp(stamp, &t, &pid) < 0) {
		struct pollfd pfd = {.fd = ifd, .events = POLLIN};
		char buf[4096];

		if (ms_left(deadline) == 0) {
			puts("timeout");
			return 0;
		}
		if (poll(&pfd, 1, ms_left(deadline)) > 0)
			while (read(ifd, buf, sizeof buf) > 0)
				;
	}
	printf("%lld %ld\n", (long long)(t - t0), pid);
	return 0;
}

/* rm SRC DST MS SVC SUP [CMD...] */
static int
cmd_rm(char **argv)
{
	struct pollfd pfd[2];
	int64_t t0, deadline, done[2] = {-1, -1};
	int n = 0, pending;

	for (int i = 0; i < 2; i++) {
		pid_t pid = (pid_t)atol(argv[3 + i]);

		pfd[i].fd = -1;
		pfd[i].events = POLLIN;
		if (pid <= 0)
			continue;
		pfd[i].fd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pfd[i].fd < 0)
			die("pidfd_open");
		n++;
	}
	deadline = now_ns() + (int64_t)atoi(argv[2]) * 1000000;
	t0 = now_ns();
	if (rename(argv[0], argv[1]) < 0)
		die("rename");
	run_command(argv + 5);
	pending = n;
	while (pending > 0 && ms_left(deadline) > 0) {
		/* A pidfd becomes readable when its process has exited. */
		if (poll(pfd, 2, ms_left(deadline)) <= 0)
			continue;
		for (int i = 0; i < 2; i++)
			if (pfd[i].fd >= 0 && pfd[i].revents != 0) {
				done[i] = now_ns() - t0;
				close(pfd[i].fd);
				pfd[i].fd = -1;
				pending--;
			}
	}
	printf("%lld %lld\n", (long long)done[0], (long long)done[1]);
	return 0;
}

/* waitall SCANDIR N T0 MS */
static int
cmd_waitall(char **argv)
{
	int want = atoi(argv[1]), have = 0, cap = 0, count = 0;
	int64_t t0 = atoll(argv[2]), latest = 0, deadline;
	char **names = NULL, path[PATH_MAX];
	struct dirent *ent;
	DIR *dir;

	deadline = now_ns() + (int64_t)atoi(argv[3]) * 1000000;
	dir = opendir(argv[0]);
	if (dir == NULL)
		die("opendir");
	while ((ent = readdir(dir)) != NULL) {
		if (ent->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 1024;
			names = realloc(names, (size_t)cap * sizeof *names);
			if (names == NULL)
				die("realloc");
		}
		names[count++] = strdup(ent->d_name);
	}
	closedir(dir);
	/* Check only the services not seen running yet, every 10 ms. */
	while (have < want) {
		for (int i = 0; i < count; i++) {
			int64_t t;
			long pid;

			if (names[i] == NULL)
				continue;
			snprintf(path, sizeof path, "%s/%s/stamp", argv[0],
			    names[i]);
			if (read_stamp(path, &t, &pid) < 0)
				continue;
			if (t > latest)
				latest = t;
			free(names[i]);
			names[i] = NULL;
			have++;
		}
		if (have >= want)
			break;
		if (ms_left(deadline) == 0) {
			printf("timeout %d\n", have);
			return 0;
		}
		usleep(10000);
	}
	printf("%lld\n", (long long)(latest - t0));
	return 0;
}

/* Order two times for qsort. */
static int
cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* forkexec N CMD... */
static int
cmd_forkexec(char **argv)
{
	int n = atoi(argv[0]);
	int64_t t[1000];

	if (n < 1 || n > 1000)
		n = 20;
	for (int i = 0; i < n; i++) {
		int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		int64_t t0 = now_ns();
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			dup2(devnull, 1);
			execvp(argv[1], argv + 1);
			_exit(127);
		}
		close(devnull);
		waitpid(pid, NULL, 0);
		t[i] = now_ns() - t0;
	}
	qsort(t, (size_t)n, sizeof t[0], cmp_time);
	printf("%.2f\n", (double)t[(n - 1) / 2] / 1e6);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base != NULL ? base + 1 : argv[0];
	if (strcmp(base, "run") == 0)
		service();
	if (argc >= 2 && strcmp(argv[1], "now") == 0) {
		printf("%lld\n", (long long)now_ns());
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "exec") == 0) {
		FILE *f = fopen(argv[2], "we");

		if (f == NULL ||
		    fprintf(f, "%lld\n", (long long)now_ns()) < 0 ||
		    fclose(f) != 0)
			die(argv[2]);
		execvp(argv[3], argv + 3);
		die(argv[3]);
	}
	if (argc >= 5 && strcmp(argv[1], "add") == 0)
		return cmd_add(argv + 2);
	if (argc >= 7 && strcmp(argv[1], "rm") == 0)
		return cmd_rm(argv + 2);
	if (argc >= 4 && strcmp(argv[1], "forkexec") == 0)
		return cmd_forkexec(argv + 2);
	if (argc == 6 && strcmp(argv[1], "waitall") == 0)
		return cmd_waitall(argv + 2);
	fprintf(stderr,
	    "usage: see the comment at the top of "
	    "bench/scan-bench-helper.c\n");
	return 100;
}
