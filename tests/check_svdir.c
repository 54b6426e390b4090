/* Placeholder suite, replaced by the real tests. */
#include "config.h"

#include "units.h"

/* The svdir suite. */
Suite *
svdir_suite(void)
{
	return suite_create("svdir");
}
