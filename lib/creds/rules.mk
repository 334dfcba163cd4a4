# SPDX-License-Identifier: MIT
# lib/creds: the CredentialStore's pure logic (creds.h): user names,
# password lengths, the throttle schedule, the record store. Built into the
# user runtime for user/programs/credstore (user/rules.mk lists
# CREDS_LIB_SRCS) and for the host unit tests (tests/unit/creds).

CREDS_LIB_SRCS := lib/creds/creds.c
CREDS_LIB_HOST_OBJS := $(call host_obj,$(CREDS_LIB_SRCS))
