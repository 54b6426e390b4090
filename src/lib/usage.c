/* --help, --version and bad options, alike in every program. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "lib/usage.h"

/* Print "hotsv VERSION" and the licence line. */
void
print_version(void)
{
	printf("%s %s\nISC licence: see COPYING.\n", PACKAGE_NAME,
	    PACKAGE_VERSION);
}

/*
 * The options every program shares, and the rest: -h prints the usage
 * and exits 0, -V the version; anything else is a usage error (100).
 */
void
usage_exit(int opt, const char *usage)
{
	if (opt == 'h') {
		fputs(usage, stdout);
		exit(0);
	}
	if (opt == 'V') {
		print_version();
		exit(0);
	}
	fputs(usage, stderr);
	exit(100);
}
