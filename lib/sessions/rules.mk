# SPDX-License-Identifier: MIT
# lib/sessions: the SessionManager's table (session_table.h): slots, handles
# with generations, tags under the boot's key (ChaCha20 from lib/crypto).
# Built into the user runtime for user/programs/sessions (user/rules.mk
# lists SESSIONS_LIB_SRCS) and for the host tests (tests/unit/sessions).

SESSIONS_LIB_SRCS := lib/sessions/session_table.c
SESSIONS_LIB_HOST_OBJS := $(call host_obj,$(SESSIONS_LIB_SRCS) lib/crypto/chacha20.c)
