/*
 * A directory's entries read with getdents64 into a buffer on the
 * stack.  opendir allocates 32 KiB per call: a supervisor lists event/
 * at every event, and a heap grown by it stays resident; a vfork child
 * (spawn.c) must not allocate at all.  getdents64 is a raw system call:
 * not every C library wraps it.
 */
#include "config.h"

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/dirents.h"

/* A directory entry as getdents64 returns it (linux_dirent64). */
struct kernel_dirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/*
 * Call each(name, arg) for every entry of dirfd, "." and ".." too, from
 * where its offset stands (a descriptor just opened: the start).  each
 * may remove the entry it is given.  Returns 0, or -1 with errno.
 */
int
dirents_each(int dirfd, void (*each)(const char *name, void *arg), void *arg)
{
	char buf[1024] __attribute__((aligned(8)));
	long got;

	while ((got = syscall(SYS_getdents64, dirfd, buf, sizeof buf)) > 0)
		for (long at = 0; at < got;) {
			struct kernel_dirent *entry =
			    (struct kernel_dirent *)(buf + at);

			each(entry->name, arg);
			at += entry->reclen;
		}
	return got < 0 ? -1 : 0;
}
