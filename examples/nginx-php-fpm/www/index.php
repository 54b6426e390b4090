<?php
// Served by php-fpm through nginx, both supervised by hotsv.  The sum is
// computed here, so seeing it proves that PHP ran (the test looks for it).
header('Content-Type: text/plain');
printf("Hello from PHP %s (%s), worker pid %d\n", PHP_VERSION,
    PHP_SAPI, getmypid());
printf("sum of 1..100: %d\n", array_sum(range(1, 100)));
printf("server: %s\n", $_SERVER['SERVER_SOFTWARE'] ?? 'unknown');
