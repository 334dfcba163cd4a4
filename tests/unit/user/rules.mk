# SPDX-License-Identifier: MIT
# Host tests of the user runtime (user/lib) and the user build: the ring
# client and the typed clients against a simulated kernel, CapSet lookup, the
# heap under ASan, every user ELF through elf64_plan, and the mkpkg round trip
# against the official capnp tool.

USER_TEST_CFLAGS := -Iuser/lib -Itests/unit/user -I$(BUILD)/gen/schema
USER_TEST_FK := $(call host_obj,tests/unit/user/fake_kernel.c)

$(BUILD)/host/obj/tests/unit/user/%.o: HOST_CFLAGS += $(USER_TEST_CFLAGS)
$(BUILD)/host/obj/user/lib/%.o: HOST_CFLAGS += $(USER_TEST_CFLAGS)
# user/rules.mk is read after this fragment: name its outputs here, not its variables.
USER_TEST_GEN := $(BUILD)/gen/schema/capos.capnp.h $(BUILD)/gen/schema/boot.capnp.h
$(call host_obj,$(wildcard tests/unit/user/*.c) $(wildcard user/lib/*.c)): | $(USER_TEST_GEN)

USER_TEST_URING := $(BUILD)/host/tests/test_uring
$(USER_TEST_URING): $(call host_obj,tests/unit/user/test_uring.c user/lib/uring.c) \
		$(USER_TEST_FK)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_URING)
ALL_TARGETS += $(USER_TEST_URING)

USER_TEST_CAPSET := $(BUILD)/host/tests/test_capset
$(USER_TEST_CAPSET): $(call host_obj,tests/unit/user/test_capset.c user/lib/capset.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

USER_TEST_HEAP := $(BUILD)/host/tests/test_heap
$(USER_TEST_HEAP): $(call host_obj,tests/unit/user/test_heap.c user/lib/heap.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_CAPSET) $(USER_TEST_HEAP)
ALL_TARGETS += $(USER_TEST_CAPSET) $(USER_TEST_HEAP)

# Every user program, unstripped and as packed, through elf64_plan.
USER_TEST_COMMA := ,
USER_TEST_SPACE := $(subst ,, )
USER_TEST_ELF := $(BUILD)/host/tests/test_user_elf
USER_TEST_ELF_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard user/programs/*/*.c)))))
USER_TEST_ELF_QUOTED := $(patsubst %,"%",$(USER_TEST_ELF_NAMES))
USER_TEST_ELF_FILES := $(foreach p,$(USER_TEST_ELF_NAMES),$(BUILD)/user/$(p).elf \
	$(BUILD)/user/pkg/$(p).elf)
$(call host_obj,tests/unit/user/test_user_elf.c): HOST_CFLAGS += \
	-DUSER_ELF_DIR='"$(CURDIR)/$(BUILD)/user"' \
	-DUSER_ELF_NAMES='$(subst $(USER_TEST_SPACE),$(USER_TEST_COMMA),$(USER_TEST_ELF_QUOTED))'
# user/programs changes (mtime) when a program folder comes or goes: rebuild the list.
$(call host_obj,tests/unit/user/test_user_elf.c): tests/unit/user/rules.mk user/programs

$(USER_TEST_ELF): $(call host_obj,tests/unit/user/test_user_elf.c) $(ELF_HOST_OBJS) \
		| $(USER_TEST_ELF_FILES)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $(filter %.o,$^) -o $@

HOST_TESTS += $(USER_TEST_ELF)
ALL_TARGETS += $(USER_TEST_ELF)

# Typed clients and printf against the simulated kernel. print.c defines
# printf/puts/...: its symbols are renamed (objcopy) so the harness keeps libc's.
USER_TEST_CLIENT := $(BUILD)/host/tests/test_client
USER_TEST_PRINT_OBJ := $(BUILD)/host/obj/user-renamed/print.o
USER_TEST_RENAME := $(foreach f,printf vprintf puts putchar snprintf vsnprintf, \
	--redefine-sym $(f)=up_$(f))

$(USER_TEST_PRINT_OBJ): $(call host_obj,user/lib/print.c)
	@mkdir -p $(@D)
	objcopy $(USER_TEST_RENAME) $< $@

$(USER_TEST_CLIENT): $(call host_obj,tests/unit/user/test_client.c user/lib/client.c user/lib/spawn.c \
		user/lib/terminal.c user/lib/process.c user/lib/ipc_call.c user/lib/vm.c \
		user/lib/uring.c lib/fmt/fmt.c) $(USER_TEST_FK) $(USER_TEST_PRINT_OBJ) \
		$(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_CLIENT)
ALL_TARGETS += $(USER_TEST_CLIENT)

# The TerminalSession client (user/lib/terminal.c) against the same simulated kernel.
USER_TEST_TERMINAL := $(BUILD)/host/tests/test_terminal_client
$(USER_TEST_TERMINAL): $(call host_obj,tests/unit/user/test_terminal_client.c \
		user/lib/terminal.c user/lib/client.c user/lib/spawn.c user/lib/process.c user/lib/ipc_call.c \
		user/lib/vm.c user/lib/uring.c lib/fmt/fmt.c) $(USER_TEST_FK) \
		$(USER_TEST_PRINT_OBJ) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_TERMINAL)
ALL_TARGETS += $(USER_TEST_TERMINAL)

# The PciDevice client (user/lib/pci.c) against the same simulated kernel.
USER_TEST_PCI := $(BUILD)/host/tests/test_pci_client
$(USER_TEST_PCI): $(call host_obj,tests/unit/user/test_pci_client.c \
		user/lib/pci.c user/lib/terminal.c user/lib/client.c user/lib/process.c user/lib/ipc_call.c \
		user/lib/vm.c user/lib/uring.c lib/fmt/fmt.c) $(USER_TEST_FK) \
		$(USER_TEST_PRINT_OBJ) $(CAPNP_HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_PCI)
ALL_TARGETS += $(USER_TEST_PCI)

# mkpkg round trip against the official capnp tool (needs make all first).
TEST_SCRIPTS += tests/unit/user/mkpkg.sh

# Argon2id (user/lib/argon2id.c) over the reference code (mk/argon2/rules.mk),
# blocks from malloc with a settable limit (argon2id_mem_host.c).
USER_TEST_ARGON2ID := $(BUILD)/host/tests/test_argon2id
$(call host_obj,tests/unit/user/test_argon2id.c): HOST_CFLAGS += -Itests/unit \
	-DARGON2_KATS_DIR='"$(CURDIR)/$(ARGON2_DIR)/kats"' \
	-DARGON2_SRC_DIR='"$(CURDIR)/$(ARGON2_DIR)/src"'
$(USER_TEST_ARGON2ID): $(call host_obj,tests/unit/user/test_argon2id.c \
		tests/unit/user/argon2id_mem_host.c) $(ARGON2_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_ARGON2ID)
ALL_TARGETS += $(USER_TEST_ARGON2ID)

# Fuzzing the PHC verifier path: build/fuzz/fuzz_phc (make fuzz, clang, by the
# pattern rule of tests/fuzz/rules.mk; the third-party files get core.c's
# one relaxation, -Wno-type-limits, since all sources share one command) and
# its corpus replayed under gcc's sanitizers on make test.
FUZZ_SRCS_fuzz_phc := $(ARGON2_SRCS) user/lib/argon2id.c tests/unit/user/argon2id_mem_host.c
FUZZ_CFLAGS_fuzz_phc := $(ARGON2_CFLAGS) -Itests/unit/user -Wno-type-limits
FUZZERS += $(BUILD)/fuzz/fuzz_phc

USER_TEST_PHC_REPLAY := $(BUILD)/host/tests/test_fuzz_phc_replay
$(call host_obj,tests/fuzz/fuzz_phc.c): HOST_CFLAGS += -Iuser/lib -Itests/unit/user
$(USER_TEST_PHC_REPLAY): $(BUILD)/host/fuzzreplay/replay_fuzz_phc.o \
		$(call host_obj,tests/fuzz/fuzz_phc.c tests/unit/user/argon2id_mem_host.c) \
		$(ARGON2_HOST_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_PHC_REPLAY)
ALL_TARGETS += $(USER_TEST_PHC_REPLAY)
# The line discipline (user/lib/linedisc.c): pure, fed byte strings; its
# history is the shell's (lib/shell/history.c).
USER_TEST_LINEDISC := $(BUILD)/host/tests/test_linedisc
$(USER_TEST_LINEDISC): $(call host_obj,tests/unit/user/test_linedisc.c user/lib/linedisc.c \
		lib/shell/history.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(USER_TEST_LINEDISC)
ALL_TARGETS += $(USER_TEST_LINEDISC)
