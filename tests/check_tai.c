/* Placeholder suite, replaced by the real tests. */
#include "config.h"

#include "units.h"

/* The tai suite. */
Suite *
tai_suite(void)
{
	return suite_create("tai");
}
