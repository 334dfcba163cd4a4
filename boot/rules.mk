# SPDX-License-Identifier: MIT
# Boot images: the boot package (the kernel's one module), the GRUB ISO, and
# `make run`, which boots that ISO in QEMU with the console on this terminal.

BOOT_PKG := $(BUILD)/capos.pkg
ISO := $(BUILD)/capos.iso

# The boot package: a Cap'n Proto BootPackage message (schema/boot.capnp) with
# every user program, packed by mkpkg, which also refuses any binary that
# fails elf64_plan. user/rules.mk adds the stripped programs as prerequisites
# and defines USER_PKG_ARGS (NAME=PATH for each); recipes expand late, so the
# variable is set by the time this runs.
$(BOOT_PKG): $(BUILD)/host/mkpkg
	@mkdir -p $(@D)
	$(BUILD)/host/mkpkg -o $@ --init init $(USER_PKG_ARGS)

$(ISO): $(KERNEL_ELF) $(BOOT_PKG) boot/grub.cfg scripts/mkiso.sh
	scripts/mkiso.sh $@ $(KERNEL_ELF) $(BOOT_PKG)

iso: deps $(ISO)

run: deps $(ISO)
	@echo "capOS: console on this terminal, kernel log in $(BUILD)/kernel.log; quit with Ctrl-A X"
	qemu-system-x86_64 -machine q35 -cpu max -m 512M -display none -no-reboot \
		-serial mon:stdio -serial file:$(BUILD)/kernel.log -cdrom $(ISO) \
		$(if $(KVM),-enable-kvm -cpu host$(comma)-arch-capabilities,)

comma := ,
ALL_TARGETS += $(BOOT_PKG) $(ISO)
TEST_SCRIPTS += scripts/qemu-scenarios.sh
BENCH_SCRIPTS += scripts/bench-boot.sh scripts/bench-user.sh
