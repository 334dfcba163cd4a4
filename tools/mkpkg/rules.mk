# SPDX-License-Identifier: MIT
# mkpkg: packs the user programs and the boot manifest into the boot package
# (boot/rules.mk uses it), lists or extracts a package's contents
# (tests/unit/user/mkpkg.sh), and lists or checks a manifest (manifest.c).

MKPKG := $(BUILD)/host/mkpkg
MKPKG_SRCS := tools/mkpkg/main.c tools/mkpkg/pkg.c tools/mkpkg/manifest.c
MKPKG_OBJS := $(call host_obj,$(MKPKG_SRCS))

$(MKPKG_OBJS): HOST_CFLAGS += -I$(BUILD)/gen/schema
$(MKPKG_OBJS): | $(BUILD)/gen/schema/boot.capnp.h $(BUILD)/gen/schema/manifest.capnp.h

$(MKPKG): $(MKPKG_OBJS) $(ELF_HOST_OBJS) $(MANIFEST_HOST_OBJS) $(call host_obj,lib/fmt/fmt.c) \
		$(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TOOLS += $(MKPKG)
ALL_TARGETS += $(MKPKG)
