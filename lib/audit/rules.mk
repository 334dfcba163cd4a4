# SPDX-License-Identifier: MIT
# lib/audit: the audit log's record store (audit_log.h): the bounded ring,
# escaping, reads by seq. Built into the user runtime for user/programs/audit
# (user/rules.mk lists AUDIT_LIB_SRCS) and for the host tests (tests/unit/audit).

AUDIT_LIB_SRCS := lib/audit/audit_log.c
AUDIT_LIB_HOST_OBJS := $(call host_obj,$(AUDIT_LIB_SRCS))
