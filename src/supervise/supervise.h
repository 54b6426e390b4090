/* One supervised service: the state hotsv-supervise keeps. */
#ifndef HOTSV_SUPERVISE_SUPERVISE_H
#define HOTSV_SUPERVISE_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/procset.h"
#include "lib/userdb.h"

#include "lib/loop.h"
#include "supervise/machine.h"
#include "sv/envdir.h"
#include "sv/ignoredbytes.h"
#include "sv/report.h"
#include "sv/sdnotify.h"
#include "sv/supervisedir.h"

/* The files of supervise/ we rewrite, as bits of supervisor.failing. */
enum sup_file {
	SUP_STATUS = 1 << 0,
	SUP_DEATH_TALLY = 1 << 1,
	SUP_RUN_ID = 1 << 2,
};

/* What one start of run or finish gets besides descriptors. */
struct child_prep {
	struct user_spec user; /* of ./user, when it names one */
	struct envlist env;    /* and what was wrong on the way */
	char **envp;
	struct proc_settings settings;
};

struct supervisor {
	struct svpaths paths;
	char *given;         /* the directory as given, for finish */
	int supfd;           /* supervise/ */
	int eventfd;         /* event/ (-1 if it could not be made) */
	int svcdirfd;        /* the service directory, wherever it moves */
	int scandirfd;       /* hotsv-scan's SCANDIR (-S), for .hotsv/env */
	int ctlfd;           /* supervise/control, read+write */
	int lockfd;          /* supervise/lock, write-locked */
	int readyfd;         /* read end of run's notification pipe */
	sigset_t child_mask; /* the mask run and finish start with */
	struct machine m;
	struct report_sender report; /* to hotsv-scan, if under one */
	int report_listenfd; /* supervise/report, for the next hotsv-scan */
	bool alone;          /* its hotsv-scan died: watching for removal */
	int alonefd;         /* inotify on the directory's parent, or -1 */
	pid_t runpid;
	pid_t finishpid;
	pid_t deadpgid;        /* process group of the run that died */
	struct deadline timer; /* the phase's one timer */
	int start_errno;       /* last error starting run, 0 if none */
	int finish_errno;      /* last error starting finish, 0 if none */
	int busy_retries;      /* quick retries while run is being written */
	unsigned failing;      /* sup_file bits: last write failed */
	struct deadline status_retry; /* when to write it again */
	unsigned long backoff_ms;     /* wait before the next start attempt */
	bool gone;                    /* the service directory was deleted */
	bool done;                    /* leave the loop */
	bool held;                    /* run waits for hotsv-scan's "G" */
	bool scanner_stopped;         /* hotsv-scan asked us to stop or drain */
	bool join_stderr;     /* run's stderr is its stdout (--prefix) */
	int notifyfd;         /* sd_notify socket, or -1 */
	int notify_dirfd;     /* where it is: supervise/ or STATEDIR/notify */
	char notify_name[40]; /* its name there */
	uid_t run_uid;        /* whom run runs as */
	const char *statedir; /* for read-only directories, and long paths */
	int runpidfd;         /* pidfd of an adopted run, or -1 */
	pid_t adopt_pid;      /* --adopt: the run hotsv-scan saw left, */
	unsigned long long adopt_start; /* and its start time */
	bool adopt_waiting;             /* it exited: waiting for its status */
	struct deadline adopt_deadline; /* when to stop waiting for it */
	char notify_env[128];           /* NOTIFY_SOCKET=... for run, or "" */
	struct notify_msg said;         /* what this run said so far */
	struct ignored ignored;         /* unknown bytes on control */
	uint32_t
	    complained; /* hash of the env/ and limits complaints last said */
};

/* What the command line says besides what struct supervisor keeps. */
struct sup_options {
	const char *name; /* -n, or NULL */
	int report_fd;    /* -r, or -1 */
	int dir_fd;       /* -d, or -1 */
};

void supervise_options(int, char **, struct supervisor *, struct sup_options *);
void supervise_apply(struct supervisor *, struct machine_effects *);
bool supervise_gone(struct supervisor *);
void supervise_start_run(struct supervisor *);
void supervise_read_policy(struct supervisor *);
bool supervise_start_finish(struct supervisor *);
void supervise_announce(struct supervisor *);
bool supervise_wrote(
    struct supervisor *, enum sup_file, const char *name, int result);
void supervise_reaped(struct supervisor *, pid_t pid, int wstat);
void supervise_readiness(struct supervisor *);
void supervise_kill_all(struct supervisor *);
void supervise_leaving(struct supervisor *);
void alone_watch(struct supervisor *);
void alone_unwatch(struct supervisor *);
void alone_events(struct supervisor *);
void supmsg_from_scanner(struct supervisor *);
void supmsg_scanner_back(struct supervisor *);
void supnotify_prepare(struct supervisor *, uid_t uid, gid_t gid);
void supnotify_reset(struct supervisor *);
void supnotify_read(struct supervisor *);
void supnotify_close(struct supervisor *);
struct spawn_req;
void childprep_make(struct supervisor *, struct child_prep *,
    const struct user_spec *, struct spawn_req *);
void childprep_done(struct supervisor *, struct child_prep *, pid_t pid);
void adopt_record(struct supervisor *, pid_t pid);
bool adopt_run(struct supervisor *);
void adopt_reaped(struct supervisor *, pid_t pid, int wstat);
void adopt_exited(struct supervisor *);

#endif
