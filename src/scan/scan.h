/* hotsv-scan: the scanner's state, shared by its modules. */
#ifndef HOTSV_SCAN_SCAN_H
#define HOTSV_SCAN_SCAN_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/loop.h"
#include "scan/lifecycle.h"
#include "scan/servicephase.h"
#include "sv/channel.h"
#include "sv/dependencies.h"
#include "sv/status.h"

struct spawn_req;

/* What a scan-directory entry is, to tell a replacement from the same. */
struct svc_id {
	dev_t dev; /* of the directory it resolves to */
	ino_t ino;
	bool symlink;         /* the entry is a symlink */
	uint64_t fingerprint; /* content hash, for symlinked entries */
};

/* What a look at run saw: two polls that agree let a service start. */
struct run_stamp {
	bool valid; /* run is there, regular and executable */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

/* Where a service's output goes. */
enum log_kind {
	LOG_NONE,   /* to hotsv-scan's stdout */
	LOG_DIR,    /* to the logger in its log/ */
	LOG_PREFIX, /* to an implicit "hotsv-log -p NAME: -" (--prefix) */
};

/* How instance_start starts a supervisor. */
#define INSTANCE_HOLD 0x1        /* run waits for our "G" */
#define INSTANCE_JOIN_STDERR 0x2 /* run's stderr is its stdout */

/* The pids an instance is indexed by (servicetable.c). */
enum pid_slot {
	PID_SUPERVISOR, /* its process */
	PID_RUN,        /* the run its supervisor reported up */
	PID_SLOTS,
};

/* One supervisor process we run, for a service or its logger. */
struct instance {
	struct service *owner;
	struct lifecycle lc;     /* what it is, how far it was asked to go */
	int supfd;               /* kept or watched: its supervise/, or -1 */
	pid_t pid;               /* hotsv-supervise, 0 when none */
	int reportfd;            /* our end of its report socket, -1 */
	struct sv_status status; /* as last reported */
	bool have_status;
	unsigned long deaths;      /* of run, in its reports (sv/health.h) */
	enum chan_exit_reason why; /* why it said it exits (CHAN_EXIT), 0 */
	pid_t runpgid;             /* process group of the last run seen */
	struct timespec started;   /* monotonic, for the respawn throttle */
	struct deadline deadline;  /* kill grace, drain bound or respawn */
	/* The run its last supervisor left (our child now), for the next
	 * to adopt: pid and start time, 0 when none. */
	pid_t adopt_pid;
	unsigned long long adopt_start;
	pid_t run_pid; /* status.pid while up, not finishing; else 0 */
	struct instance *pid_next[PID_SLOTS]; /* same bucket (servicetable.c) */
};

/* The inotify watches a service holds, chained by watch descriptor. */
enum watch_slot {
	WATCH_DIR, /* its directory: run appearing, log/ coming or going */
	WATCH_LOG, /* its log/, while log/run is not ready */
	WATCH_SLOTS,
};

struct watch_link {
	int wd;               /* -1 when not watching */
	struct service *next; /* same bucket */
};

/* One name in the scan directory. */
struct service {
	char *name;
	/* Where it is in its life (servicephase.h), and its one deadline,
	 * whose meaning the phase gives (quiet over, log/ settled, look
	 * again). */
	struct svc_life life;
	struct deadline due;
	/* What the directory says now. */
	struct svc_id want_id;
	int dirfd;                  /* the directory (O_PATH), or -1 */
	struct run_stamp run_stamp; /* what the last poll saw */
	struct svc_id want_log_id;  /* its log/, when it has one */
	int logfd;                  /* that log/ (O_PATH), or -1: none */
	/* What runs. */
	struct instance sup;     /* the service's supervisor */
	struct instance log;     /* its logger's supervisor */
	enum log_kind sup_kind;  /* where sup's output goes */
	int pipe_r, pipe_w;      /* service -> logger, held while they exist */
	enum log_kind pipe_kind; /* the logger the pipe feeds; NONE: none */
	struct svc_id pipe_log_id; /* its log/, for LOG_DIR */
	/* What they were started for (indexed: svtable_set_run_id). */
	struct svc_id run_id;
	struct watch_link watches[WATCH_SLOTS]; /* on it, on its log/ */
	unsigned int seen; /* scan generation that last saw it */
	/* Start-up order (order.c). */
	char *deps[DEPS_MAX]; /* names in its dependencies file */
	int ndeps;
	bool has_readiness; /* notification-fd or notify-socket */
	/* Its dependencies lead back to it: a fact of the dependency graph
	 * (found again over every service), not of its phase: a service in
	 * a cycle may be settling, running or stopping. */
	bool in_cycle;
	bool cycle_reported;       /* and the cycle has been logged */
	struct service *cycle_to;  /* the next step of that cycle */
	const char *waiting_for;   /* the dependency last reported waited for */
	unsigned int mark;         /* for the cycle search */
	struct service *hash_next; /* same bucket of names */
	struct service *id_next;   /* same bucket of run_id (servicetable.c) */
	/* An event named it: what runs is brought in line once the events
	 * at hand are read (servicequeue.c queues it, service.c acts). */
	bool queued;
	struct service *queue_next;
};

struct scanner {
	char *scandir; /* absolute */
	char *statedir;
	char *supervise_path; /* the hotsv-supervise program */
	unsigned long kill_grace_ms;
	unsigned long rescan_ms; /* -t: periodic rescan, 0 for none */
	bool prefix;             /* --prefix: NAME: before unlogged output */
	bool prefix_json;        /* --prefix=json: JSON lines instead */
	char *log_path;          /* the hotsv-log program */
	sigset_t child_mask;     /* empty: what children start with */
	int epfd;                /* epoll over the report sockets */
	int stdin_fd;            /* services' stdin (/dev/null), or -1 */
	int turn_fd;             /* --prefix: the prefixers' turn lock, -1 */
	char ctldir[PATH_MAX];   /* .hotsv: lock and control FIFO */
	int ctlfd;               /* .hotsv/control, or -1 */
	int lockfd;              /* .hotsv/lock, or -1 */
	int scanfd;              /* SCANDIR while it is followed, or -1 */
	int root_wd;             /* watch on SCANDIR, or -1 */
	int parent_wd;           /* watch on its parent while it is gone */
	bool attached;           /* SCANDIR is there and followed */
	bool polling;            /* no usable inotify: rescan every second */
	bool rescan_due;         /* a full rescan is needed */
	bool reset_due;          /* inotify lost events: start it afresh */
	bool root_lost;          /* SCANDIR went away */
	bool lock_busy;          /* another scanner holds .hotsv/lock */
	bool shutting_down;
	/* --term-delay: how long a SIGTERM drains before the shutdown. */
	unsigned long term_delay_ms;
	bool is_pid1;           /* else a child subreaper */
	unsigned long grace_ms; /* -g: shutdown grace time */
	char **main_argv;       /* -- CMD ARGS, or NULL */
	pid_t main_pid;         /* the main command, 0 when not running */
	int main_code;          /* its exit code, -1 before it ends */
	bool main_waiting;      /* --wait-ready: not started yet */
	struct deadline wait_ready_at; /* --wait-ready=MS gives up */
	int ctl_code;                  /* hotsv shutdown -c CODE, or -1 */
	int halt_code;                 /* a service's on-exit halt, or -1 */
	struct deadline rescan_at;     /* periodic rescan (-t, or polling) */
	/* Look at an entry of SCANDIR again (scan_entry, set by main.c):
	 * for a service whose entry could not be opened, and for a
	 * symlink entry waiting for where it leads (dangling.c). */
	void (*look_at_entry)(const char *name, int how);
};

extern struct scanner hotsv_scanner;

/* servicetable.c */
void instance_init(struct instance *, struct service *owner);
struct service *svtable_find(const char *name);
struct service *svtable_add(const char *name);
void svtable_remove(struct service *);
void svtable_foreach(void (*fn)(struct service *, void *), void *arg);
size_t svtable_count(void);
struct service *svtable_find_pid(pid_t pid);
void svtable_set_pid(struct instance *, pid_t pid);
struct instance *svtable_find_run(pid_t pid);
void svtable_set_run(struct instance *, pid_t pid);
struct service *svtable_find_running(const struct svc_id *id);
bool svtable_any_service_running(void);
struct service *svtable_find_first(
    bool (*match)(const struct service *, const void *), const void *key);
struct service *svtable_find_wd(int wd, enum watch_slot *slot);
void svtable_set_wd(struct service *, enum watch_slot slot, int wd);
void svtable_set_run_id(struct service *, const struct svc_id *id);

/* servicequeue.c */
void svqueue_add(struct service *);
struct service *svqueue_next(void);
void svqueue_forget(struct service *);

/* hooks.c */
bool hook_divert(const char *signame);
__attribute__((noreturn)) void hook_exec(
    const char *name, const char *arg, int code);
__attribute__((noreturn)) void hook_crash(const char *fmt);

/* maincommand.c */
void maincmd_start(void);
void maincmd_poll(const struct timespec *now);
const struct deadline *maincmd_deadline(void);
void maincmd_exited(int wstat);
bool maincmd_signal(int sig);

/* shutdown.c */
void shutdown_begin(void);
void shutdown_drain(void);
void shutdown_escalate(void);
void shutdown_step(const struct timespec *now);
const struct deadline *shutdown_deadline(void);
bool shutdown_done(void);
__attribute__((noreturn)) void shutdown_finish(void);

/* signals.c */
void scansig_handle(int sigfd);
void scansig_reap(void);

/* control.c */
void scanctl_handle(void);

/* supervisor.c */
bool instance_running(const struct instance *);
bool instance_runs(const struct instance *, pid_t pid);
bool instance_serving(const struct instance *, bool has_readiness);
bool instance_start(struct instance *, int dirfd, const char *dir, int stdin_fd,
    int stdout_fd, int flags);
void instance_send_dir(struct instance *, int dirfd);
void instance_name(const struct instance *, char *buf, size_t size);
void instance_std_fds(struct spawn_req *, int stdin_fd, int stdout_fd);
bool instance_launch(struct instance *, const struct spawn_req *,
    const char *what, enum instance_kind kind);
void instance_start_failed(
    struct instance *, const char *what, const char *dir);

bool instance_send(struct instance *, const struct chan_msg *);
bool instance_report(struct instance *);
void instance_stop(struct instance *);
void instance_drain(struct instance *);
void instance_kill_service(struct instance *);
void instance_kill_supervisor(struct instance *);
void instance_signal_run(struct instance *, int sig);
bool instance_held(const struct instance *);
void instance_hold(struct instance *, bool hold);
bool instance_exited(struct instance *);
void instance_close_report(struct instance *);
bool instance_deadline(struct instance *, const struct timespec *now);

/* prefixer.c */
bool instance_start_prefixer(struct instance *, const char *name, int stdin_fd);

/* inherited.c */
bool instance_inherit(struct instance *, int dirfd);
void instance_take_over(struct instance *);

/* order.c */
int depend_load(struct service *, int dirfd, const char *dir);
void depend_free(struct service *);
void depend_update(void);
const struct service *depend_stopping_dependent(const struct service *);

/* servicelog.c */
enum log_kind servicelog_wanted(const struct service *);
bool servicelog_fits(const struct service *, enum log_kind kind);
void servicelog_follow(struct service *);
void servicelog_retire(struct service *);
bool servicelog_ready(struct service *, const char *dir);
void servicelog_close(struct service *);

/* servicewatch.c */
struct svc_effects service_feed(
    struct service *, enum svc_event, struct svc_arg);
void service_unwatch(struct service *);
void service_unwatch_one(struct service *, enum watch_slot slot);
void service_watch(
    struct service *, enum watch_slot slot, int dirfd, const char *dir);

/* service.c */
void service_reconcile(struct service *);
void service_reconcile_queued(void);
void service_unwant(struct service *);
void service_unwant_all(void);
void service_half_grace(struct service *, void *);
void service_exited(struct service *, pid_t pid, int wstat);
void service_orphan_reaped(pid_t pid, int wstat);
void service_deadline(struct service *, const struct timespec *now);
void service_kill(struct service *, void *);
void service_kill_supervisor(struct service *, void *);
void service_kill_logger(struct service *, void *);
void service_signal_run(struct service *, int sig);
void service_fold_deadline(struct service *, struct deadline *);

/* root.c */
bool scanroot_attach(void);
void scanroot_detach(void);
void scanroot_events(void);
void scanroot_tick(const struct timespec *now);
void scanroot_wait(void);

/* entries.c */
#define SCAN_FRESH 0x1 /* created in place: let it settle */
#define SCAN_POLL 0x2  /* a periodic scan looks, not an event */
void scan_entry(const char *name, int how);
bool scan_all(bool polled);

/* servicedir.c */
bool svc_id_same(const struct svc_id *a, const struct svc_id *b);
uint64_t servicedir_fingerprint(int dirfd);
int servicedir_run_ready(int dirfd);

/* dangling.c */
void target_wait(const char *name, unsigned int generation);
void target_forget(const char *name);
void target_sweep(unsigned int generation);
bool target_event(int wd);
bool target_wd_in_use(int wd);
void target_unwatch_all(void);

#endif
