/* The version line every program prints for -V and --version. */
#include "config.h"

#include <stdio.h>

#include "version.h"

/* Print "hotsv VERSION" and the licence line. */
void
print_version(void)
{
	printf("%s %s\nISC licence: see COPYING.\n", PACKAGE_NAME,
	    PACKAGE_VERSION);
}
