# SPDX-License-Identifier: MIT
# lib/manifest: the boot manifest's validator (manifest.h). Built into the
# user runtime for init (user/rules.mk lists MANIFEST_SRCS), and for the
# host: mkpkg (--check-manifest), the unit tests and the fuzzer.

MANIFEST_SRCS := lib/manifest/manifest.c lib/manifest/services.c lib/manifest/order.c \
	lib/manifest/sources.c
MANIFEST_HOST_OBJS := $(call host_obj,$(MANIFEST_SRCS))
MANIFEST_GEN_HDR := $(BUILD)/gen/schema/manifest.capnp.h

$(MANIFEST_HOST_OBJS): HOST_CFLAGS += -I$(BUILD)/gen/schema
$(MANIFEST_HOST_OBJS): | $(MANIFEST_GEN_HDR)
