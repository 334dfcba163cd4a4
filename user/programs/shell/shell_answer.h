/* SPDX-License-Identifier: MIT */
/* The shell's answer to each parsed command (answer.c). */
#ifndef CAPOS_SHELL_ANSWER_H
#define CAPOS_SHELL_ANSWER_H

#include <stdbool.h>

#include <capos/cap.h>

#include "shell/shellcmd.h"

/* Answers cmd on term. False when the shell should end (exit). */
bool shell_answer(capos_cap_t term, const struct shellcmd *cmd);

/* printf to the terminal (at most 1,024 bytes a call); errors are the next read's to see. */
void shell_say(capos_cap_t term, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
