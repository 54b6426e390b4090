/* Reading a directory's entries without allocating. */
#ifndef HOTSV_LIB_DIRENTS_H
#define HOTSV_LIB_DIRENTS_H

int dirents_each(
    int dirfd, void (*each)(const char *name, void *arg), void *arg);

#endif
