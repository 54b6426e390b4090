/* supervise/control: the letters s6-svc writes, and their signals. */
#ifndef HOTSV_SV_LETTERS_H
#define HOTSV_SV_LETTERS_H

#include <stdbool.h>

int letter_signal(char letter);
char letter_for_signal(int sig);
bool letter_known(char letter);

#endif
