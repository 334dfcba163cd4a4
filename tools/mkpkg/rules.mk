# SPDX-License-Identifier: MIT
# mkpkg: packs the user programs into the boot package (boot/rules.mk uses it)
# and lists or extracts a package's contents (tests/unit/user/mkpkg.sh).

MKPKG := $(BUILD)/host/mkpkg
MKPKG_SRCS := tools/mkpkg/main.c tools/mkpkg/pkg.c
MKPKG_OBJS := $(call host_obj,$(MKPKG_SRCS))

$(MKPKG_OBJS): HOST_CFLAGS += -I$(BUILD)/gen/schema
$(MKPKG_OBJS): | $(BUILD)/gen/schema/boot.capnp.h

$(MKPKG): $(MKPKG_OBJS) $(ELF_HOST_OBJS) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TOOLS += $(MKPKG)
ALL_TARGETS += $(MKPKG)
