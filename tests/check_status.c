/* Placeholder suite, replaced by the real tests. */
#include "config.h"

#include "units.h"

/* The status suite. */
Suite *
status_suite(void)
{
	return suite_create("status");
}
