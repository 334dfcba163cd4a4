# SPDX-License-Identifier: MIT
# lib/telnet: the telnet protocol (telnet.h). Pure code, built into the
# user runtime for the telnet gateway (user/rules.mk lists
# TELNET_LIB_SRCS) and for the host: the unit tests and the fuzzer.

TELNET_LIB_SRCS := lib/telnet/telnet.c
TELNET_LIB_HOST_OBJS := $(call host_obj,$(TELNET_LIB_SRCS))
