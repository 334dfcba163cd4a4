# SPDX-License-Identifier: MIT
# Host tests for pure kernel logic that has no other owner.

$(BUILD)/host/tests/test_cmdline: $(call host_obj,tests/unit/kernel/test_cmdline.c kernel/lib/cmdline.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(BUILD)/host/tests/test_cmdline
ALL_TARGETS += $(BUILD)/host/tests/test_cmdline

# kernel/lib/rng.c with fake RDSEED, RDRAND and TSC (the test defines them),
# the kernel stubs for klog/panic, and the lock checks of debug builds.
$(BUILD)/host/tests/test_rng: tests/unit/kernel/test_rng.c kernel/lib/rng.c lib/crypto/chacha20.c \
		lib/crypto/csprng.c tests/unit/cap/kstub.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -DCAPOS_DEBUG -Itests/unit -Itests/unit/cap $^ $(HOST_LDFLAGS) -o $@

HOST_TESTS += $(BUILD)/host/tests/test_rng
ALL_TARGETS += $(BUILD)/host/tests/test_rng

# The configuration space filter of PciDevice (kernel/dev/pci_filter.c).
$(BUILD)/host/tests/test_pci_filter: $(call host_obj,tests/unit/kernel/test_pci_filter.c \
		kernel/dev/pci_filter.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(BUILD)/host/tests/test_pci_filter
ALL_TARGETS += $(BUILD)/host/tests/test_pci_filter

# Where a PCI function's INTx reaches the I/O APIC (kernel/dev/pci_intx.c).
$(BUILD)/host/tests/test_pci_intx: $(call host_obj,tests/unit/kernel/test_pci_intx.c \
		kernel/dev/pci_intx.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^

HOST_TESTS += $(BUILD)/host/tests/test_pci_intx
ALL_TARGETS += $(BUILD)/host/tests/test_pci_intx
