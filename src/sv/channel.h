/*
 * The channel between hotsv-scan and each hotsv-supervise it runs or
 * keeps: one SOCK_SEQPACKET socket, one message per packet, its first
 * byte the type.  Every byte of the format is in channel.c: encode and
 * decode are pure; chan_send and chan_recv carry one message, with its
 * descriptor (SCM_RIGHTS) for CHAN_DIR.
 */
#ifndef HOTSV_SV_CHANNEL_H
#define HOTSV_SV_CHANNEL_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "sv/status.h"

/* Every message type, as its first byte on the wire. */
enum chan_type {
	/* supervisor -> scanner */
	CHAN_STATUS = 'S', /* the 35-byte status record, on every change */
	CHAN_EXIT = 'E',   /* it exits now, and why (one byte) */
	CHAN_HALT = 'Q',   /* on-exit halt: shut down with this code (byte) */
	/* scanner -> supervisor */
	CHAN_GO = 'G',      /* a held run (--hold) may start */
	CHAN_WAITING = 'W', /* a held run waits for this name */
	CHAN_REAPED = 'X',  /* an adopted run ended: pid, wait status */
	CHAN_DIR = 'D',     /* your directory is now this descriptor */
	CHAN_SIGNAL = 'N',  /* send this signal to run, if it is up */
	CHAN_STOP = 'T',    /* down with the down-signal, finish, exit */
	CHAN_DRAIN = 'H',   /* a logger: exit once run ends on end-of-file */
	CHAN_KILL = 'K',    /* SIGKILL run's and finish's process groups */
};

/* Why a supervisor exits (CHAN_EXIT). */
enum chan_exit_reason {
	CHAN_EXIT_DONE = 'd',   /* its loop ended: asked to, or "x" */
	CHAN_EXIT_LOCKED = 'l', /* another process supervises the directory */
	CHAN_EXIT_GONE = 'g',   /* the directory was gone before it started */
};

/* The longest message: a type byte and a name of NAME_MAX bytes. */
#define CHAN_MAX (1 + NAME_MAX)

struct chan_msg {
	enum chan_type type;
	struct sv_status status;      /* CHAN_STATUS */
	enum chan_exit_reason reason; /* CHAN_EXIT */
	char name[NAME_MAX + 1];      /* CHAN_WAITING, NUL-terminated */
	pid_t pid;                    /* CHAN_REAPED */
	int wstat;                    /* CHAN_REAPED */
	int signo;                    /* CHAN_SIGNAL: 1 to 64 */
	int code;                     /* CHAN_HALT: 0 to 255 */
	int fd;                       /* CHAN_DIR: the descriptor, else -1 */
};

/* What chan_recv found. */
enum chan_got {
	CHAN_GOT_MSG,   /* a valid message */
	CHAN_GOT_BAD,   /* a packet that is none (its descriptors closed) */
	CHAN_GOT_NONE,  /* nothing waiting (EAGAIN, EINTR) */
	CHAN_GOT_END,   /* the peer closed the channel */
	CHAN_GOT_ERROR, /* recvmsg failed otherwise: errno */
};

void chan_init(struct chan_msg *, enum chan_type);
size_t chan_encode(const struct chan_msg *, unsigned char out[CHAN_MAX]);
int chan_decode(
    const unsigned char *in, size_t len, int nfds, struct chan_msg *);
int chan_send(int sock, const struct chan_msg *);
enum chan_got chan_recv(int sock, struct chan_msg *);

#endif
