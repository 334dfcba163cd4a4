# SPDX-License-Identifier: MIT
# lib/broker: the AuthorityBroker's pure logic (broker.h): profiles and their
# allow-lists, the checks of a spawn's grants, the job table, the text of
# audit records. Built into the user runtime for user/programs/broker
# (user/rules.mk lists BROKER_LIB_SRCS) and for the host unit tests
# (tests/unit/broker).

BROKER_LIB_SRCS := lib/broker/policy.c lib/broker/audit_text.c lib/broker/jobs.c
BROKER_LIB_HOST_OBJS := $(call host_obj,$(BROKER_LIB_SRCS))
