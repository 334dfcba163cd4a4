/* SPDX-License-Identifier: MIT */
/*
 * A program's arguments, until every build has them in the runtime: uses
 * rt_argc()/rt_argv() (rt.h, from the m7-args work) when the runtime
 * defines them, else the defaults the program gives (weak references: a
 * runtime without them leaves them NULL). Index 0 is the program's name.
 */
#ifndef CAPOS_USER_ARGS_H
#define CAPOS_USER_ARGS_H

int rt_argc(void) __attribute__((weak));
const char *rt_argv(int i) __attribute__((weak));

struct args {
	int argc;
	const char *const *defaults;	/* used when the runtime has none */
};

/* argc: the runtime's when it has arguments support, else ndefaults. */
static inline int args_count(int ndefaults)
{
	return rt_argc ? rt_argc() : ndefaults;
}

/* argv[i] (0 <= i < args_count()): the runtime's, else defaults[i]. */
static inline const char *args_get(int i, const char *const *defaults)
{
	return rt_argv ? rt_argv(i) : defaults[i];
}

#endif
