/* The inotify watcher, through libinotifytools. */
#ifndef HOTSV_SCAN_WATCH_H
#define HOTSV_SCAN_WATCH_H

#include <stdbool.h>
#include <sys/inotify.h>

int watch_start(void);
void watch_stop(void);
int watch_fd(void);
int watch_add(const char *path, unsigned int events);
void watch_remove(int wd);
void watch_drain(void (*handle)(const struct inotify_event *));

#endif
