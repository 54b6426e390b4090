/* Placeholder suite, replaced by the real tests. */
#include "config.h"

#include "units.h"

/* The machine suite. */
Suite *
machine_suite(void)
{
	return suite_create("machine");
}
