/* The Check suites of the unit test program. */
#ifndef HOTSV_UNITS_H
#define HOTSV_UNITS_H

#include <check.h>

Suite *status_suite(void);
Suite *machine_suite(void);
Suite *svdir_suite(void);
Suite *tai_suite(void);

#endif
