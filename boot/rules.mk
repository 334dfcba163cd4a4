# SPDX-License-Identifier: MIT
# Boot images: the boot package (the kernel's one module: the boot manifest
# and the binaries), the GRUB ISO, and `make run`, which boots that ISO in
# QEMU with the console on this terminal.

BOOT_PKG := $(BUILD)/capos.pkg
TEST_PKG := $(BUILD)/test.pkg
ISO := $(BUILD)/capos.iso

# The boot manifest (docs/manifest.md): system/default.capnp unless
# MANIFEST=FILE.capnp (compiled, packed with the binaries it names) or
# MANIFEST=FILE.bin (packed unparsed, with the default's binaries) says
# otherwise. The value is kept in a stamp so that changing it repacks.
DEFAULT_MANIFEST := system/default.capnp
MANIFEST ?= $(DEFAULT_MANIFEST)
MANIFEST_STAMP := $(BUILD)/.manifest
ifneq ($(MANIFEST),$(file <$(MANIFEST_STAMP)))
$(shell mkdir -p $(BUILD))
$(file >$(MANIFEST_STAMP),$(MANIFEST))
endif
DEFAULT_MANIFEST_BIN := $(BUILD)/manifest/default.bin

$(DEFAULT_MANIFEST_BIN): $(DEFAULT_MANIFEST) schema/manifest.capnp
	@mkdir -p $(@D)
	capnp eval -b -Ischema $< manifest > $@.tmp && mv $@.tmp $@

# Boot packages: Cap'n Proto BootPackage messages (schema/boot.capnp), packed
# by mkpkg, which also refuses any binary that fails elf64_plan.
# build/capos.pkg, booted by `make run` and `make iso`, holds the manifest,
# init and the binaries the manifest names (scripts/pack-manifest.sh);
# build/test.pkg holds the default manifest and every user program, and is
# what scenarios (scripts/qemu-run-scenario.sh) and benchmarks boot.
# user/rules.mk adds the stripped programs as prerequisites and defines
# TEST_PKG_ARGS (NAME=PATH for each); recipes expand late, so the variables
# are set by the time these run.
$(BOOT_PKG): $(BUILD)/host/mkpkg scripts/pack-manifest.sh $(MANIFEST) $(DEFAULT_MANIFEST) \
		schema/manifest.capnp $(MANIFEST_STAMP)
	@mkdir -p $(@D)
	scripts/pack-manifest.sh $@ $(MANIFEST)

$(TEST_PKG): $(BUILD)/host/mkpkg $(DEFAULT_MANIFEST_BIN)
	@mkdir -p $(@D)
	$(BUILD)/host/mkpkg -o $@ --init init --manifest $(DEFAULT_MANIFEST_BIN) $(TEST_PKG_ARGS)

$(ISO): $(KERNEL_ELF) $(BOOT_PKG) boot/grub.cfg scripts/mkiso.sh
	scripts/mkiso.sh $@ $(KERNEL_ELF) $(BOOT_PKG)

iso: deps $(ISO)

# KVM=1 boots under KVM, after scripts/kvm-check.sh has seen capOS run there
# once: on machines whose KVM cannot run it (nested KVM that cannot emulate
# CLAC) it says so and stops instead of hanging after GRUB.
# Both have the network (contracts.md "Network"): a virtio-net device (modern
# only) on QEMU's user network, where the guest is 10.0.2.15 and reaches the
# host's 127.0.0.1 as 10.0.2.2. run-telnet also forwards the host's
# 127.0.0.1:2323 to the guest's telnet gateway (port 23): `telnet 127.0.0.1 2323`.
RUN_NET := -device virtio-net-pci,netdev=n0,disable-legacy=on -netdev user,id=n0
run-telnet: RUN_NET := $(RUN_NET),hostfwd=tcp:127.0.0.1:2323-:23

run run-telnet: deps $(ISO) $(if $(KVM),$(KERNEL_ELF32))
	$(if $(KVM),@scripts/kvm-check.sh $(KERNEL_ELF32) $(BOOT_PKG))
	@echo "capOS: the terminal (COM1) here, the system log (COM2) in $(BUILD)/kernel.log; quit with Ctrl-A X"
	$(if $(filter run-telnet,$@),@echo "capOS: telnet 127.0.0.1 2323 reaches the guest's port 23")
	qemu-system-x86_64 -machine q35 -m 512M -display none -no-reboot \
		-serial mon:stdio -serial file:$(BUILD)/kernel.log -cdrom $(ISO) $(RUN_NET) \
		$(if $(KVM),-enable-kvm -cpu host$(comma)-arch-capabilities,-cpu max)

comma := ,
ALL_TARGETS += $(DEFAULT_MANIFEST_BIN) $(BOOT_PKG) $(TEST_PKG) $(ISO)
TEST_SCRIPTS += scripts/qemu-scenarios.sh
BENCH_SCRIPTS += scripts/bench-boot.sh scripts/bench-user.sh
