# SPDX-License-Identifier: MIT
# lib/shell: the shell's command language (shellcmd.h), its line history
# (history.h) and the text of its answers (shellfmt.h). Pure code, built
# into the user runtime for the shell (user/rules.mk lists SHELL_LIB_SRCS)
# and for the host: the unit tests and the fuzzer.

SHELL_LIB_SRCS := lib/shell/lex.c lib/shell/parse.c lib/shell/commands.c lib/shell/error.c \
	lib/shell/history.c lib/shell/shellfmt.c lib/shell/bundle.c lib/shell/jobs.c
SHELL_LIB_HOST_OBJS := $(call host_obj,$(SHELL_LIB_SRCS))
