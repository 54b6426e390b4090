/* The unit test program: every Check suite, forked per test. */
#include "config.h"

#include <stdlib.h>

#include "units.h"

int
main(void)
{
	SRunner *runner = srunner_create(status_suite());
	int failed;

	srunner_add_suite(runner, machine_suite());
	srunner_add_suite(runner, svdir_suite());
	srunner_add_suite(runner, tai_suite());
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
