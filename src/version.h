/* --version and --help output shared by every program. */
#ifndef HOTSV_VERSION_H
#define HOTSV_VERSION_H

void print_version(void);

#endif
