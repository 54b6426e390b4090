/* Signals: blocked and read from a signalfd; children get them back. */
#ifndef HOTSV_LIB_SIG_H
#define HOTSV_LIB_SIG_H

#include <signal.h>
#include <stdbool.h>

int sig_setup(sigset_t *original, bool realtime);
void sig_child_reset(const sigset_t *mask);
int sig_read(int sigfd);

#endif
