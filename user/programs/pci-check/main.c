// SPDX-License-Identifier: MIT
/*
 * pci-check: devices as capabilities (docs/devices.md), run as init with
 * a virtio-net device (tests/qemu/pci-devices). DeviceManager.list and
 * open (one open at a time); PciDevice.info, configRead and the filtered
 * configWrite; mapBar of the BAR of the virtio common configuration (found
 * through the vendor capabilities) and its device_feature; DMA memory
 * (mem.c); MSI-X and a real interrupt from a transmitted frame (irq.c),
 * or, on a function without MSI-X (virtio-net-pci,vectors=0:
 * tests/qemu/pci-intx), its INTx line (intx.c).
 * Then the device is released and opened again, left with a wait pending,
 * DMA memory and a BAR mapping at exit: the kernel's leak check judges
 * what the release gave back.
 */
#include "pci_check.h"

#define CAP_VENDOR	0x09
#define CAP_MSIX	0x11
#define VIRTIO_COMMON	1
#define VIRTIO_NOTIFY	2
#define VIRTIO_ISR	3
#define COMMON_DFSELECT	0x00
#define COMMON_DF	0x04

bool raised(int err, uint16_t type)
{
	return err == CAPOS_ERR_APPLICATION_EXCEPTION && client_exception()->type == type;
}

static uint32_t cfg(capos_cap_t dev, uint16_t off, uint8_t width)
{
	uint32_t v = 0xdeadbeef;

	(void)pci_config_read(dev, off, width, &v);
	return v;
}

static capos_cap_t list_and_open(capos_cap_t devices)
{
	struct pci_info all[64];
	uint32_t n = 0, found = 0, ordered = 1;
	capos_cap_t dev = CAPOS_CAP_INVALID, again;

	check_err(pci_list(devices, all, 64, &n), 0, "list");
	for (uint32_t i = 0; i < n && i < 64; i++) {
		found += all[i].vendor_id == VIRTIO_VENDOR && all[i].device_id == VIRTIO_NET;
		if (i && (all[i].bus << 8 | all[i].device << 3 | all[i].function) <=
			 (all[i - 1].bus << 8 | all[i - 1].device << 3 | all[i - 1].function))
			ordered = 0;
	}
	check(n >= 2 && n <= 64, "list_has_the_machines_functions", n);
	check(found == 1, "list_has_one_virtio_net", found);
	check(ordered, "list_in_bus_device_function_order", 0);
	check_err(pci_open(devices, VIRTIO_VENDOR, VIRTIO_NET, 0, &dev), 0, "open_virtio_net");
	check(raised(pci_open(devices, VIRTIO_VENDOR, VIRTIO_NET, 0, &again),
		     capos_CapException_Type_failed), "second_open_fails", 0);
	check(raised(pci_open(devices, VIRTIO_VENDOR, VIRTIO_NET, 1, &again),
		     capos_CapException_Type_failed), "open_of_a_missing_index_fails", 0);
	check(raised(pci_open(devices, 0x1234, 0x5678, 0, &again), capos_CapException_Type_failed),
	      "open_of_a_missing_device_fails", 0);
	return dev;
}

static void info_and_config(capos_cap_t dev)
{
	struct pci_info i = { 0 };
	uint32_t v = 0;

	check_err(pci_info(dev, &i), 0, "info");
	check(i.vendor_id == VIRTIO_VENDOR && i.device_id == VIRTIO_NET && i.class_code == 2,
	      "info_is_the_virtio_net", i.device_id);
	check(cfg(dev, 0, 2) == VIRTIO_VENDOR, "config_read_vendor_id", cfg(dev, 0, 2));
	check(cfg(dev, 0, 4) == (VIRTIO_NET << 16 | VIRTIO_VENDOR), "config_read_dword", 0);
	check(raised(pci_config_read(dev, 0, 3, &v), capos_CapException_Type_invalidArgument),
	      "config_read_width_3_refused", 0);
	check(raised(pci_config_read(dev, 4096, 1, &v), capos_CapException_Type_invalidArgument),
	      "config_read_past_4096_refused", 0);
	check(raised(pci_config_read(dev, 4094, 4, &v), capos_CapException_Type_invalidArgument),
	      "config_read_running_past_the_end_refused", 0);
	check(raised(pci_config_read(dev, 1, 2, &v), capos_CapException_Type_invalidArgument),
	      "config_read_misaligned_refused", 0);
	check(raised(pci_config_write(dev, 0, 8, 0), capos_CapException_Type_invalidArgument),
	      "config_write_width_8_refused", 0);
}

/* The capability list: the virtio structures and MSI-X. */
static void caps_walk(capos_cap_t dev, struct found *f)
{
	uint8_t at = cfg(dev, 0x34, 1) & 0xfc;

	for (int n = 0; n < 48 && at >= 0x40; n++) {
		uint8_t id = (uint8_t)cfg(dev, at, 1), type = (uint8_t)cfg(dev, at + 3, 1);
		struct virtio_cap c = { (uint8_t)cfg(dev, at + 4, 1), cfg(dev, at + 8, 4),
					cfg(dev, at + 12, 4), 0 };

		if (id == CAP_MSIX) {
			f->msix_cap = at;
			f->msix_bar = cfg(dev, at + 4, 4) & 7;
		} else if (id == CAP_VENDOR && type == VIRTIO_COMMON) {
			f->common = c;
		} else if (id == CAP_VENDOR && type == VIRTIO_NOTIFY) {
			c.notify_mult = cfg(dev, at + 16, 4);
			f->notify = c;
		} else if (id == CAP_VENDOR && type == VIRTIO_ISR) {
			f->isr = c;
		}
		at = cfg(dev, at + 1, 1) & 0xfc;
	}
	if (f->msix_cap)
		check(true, "function_has_msix", 0);
	else
		check(cfg(dev, 0x3d, 1) >= 1 && cfg(dev, 0x3d, 1) <= 4,
		      "function_without_msix_has_an_intx_pin", cfg(dev, 0x3d, 1));
	check(f->common.length >= 0x38, "virtio_common_cfg_found", f->common.length);
	check(f->notify.length != 0 && f->notify.bar == f->common.bar, "virtio_notify_found",
	      f->notify.bar);
}

static void filtered_writes(capos_cap_t dev, const struct found *f)
{
	uint32_t bar0 = cfg(dev, 0x10, 4), ctrl = cfg(dev, f->msix_cap + 2, 2);
	uint32_t cmd = cfg(dev, 4, 2);

	check(raised(pci_config_write(dev, 0x10, 4, 0xffffffff), capos_CapException_Type_failed),
	      "bar_write_refused", 0);
	check(cfg(dev, 0x10, 4) == bar0, "bar_unchanged", cfg(dev, 0x10, 4));
	check(raised(pci_config_write(dev, 0x30, 4, 0), capos_CapException_Type_failed),
	      "rom_write_refused", 0);
	if (f->msix_cap) {
		check(raised(pci_config_write(dev, f->msix_cap + 2, 2, 0x8000),
			     capos_CapException_Type_failed), "msix_control_write_refused", 0);
		check(cfg(dev, f->msix_cap + 2, 2) == ctrl, "msix_control_unchanged", 0);
	}
	check(raised(pci_config_write(dev, 4, 4, 0xffffffff), capos_CapException_Type_failed),
	      "command_and_status_dword_refused", 0);
	check_err(pci_config_write(dev, 4, 2, 0xfff8 | 0x6), 0, "command_write");
	check((cfg(dev, 4, 2) & 0xfff8) == (cmd & 0xfff8) && (cfg(dev, 4, 2) & 6) == 6,
	      "command_only_memory_and_master_changed", cfg(dev, 4, 2));
}

static void bars(capos_cap_t dev, struct found *f)
{
	volatile void *a = NULL, *b = NULL;
	uint64_t size = 0, size2 = 0;

	check_err(pci_map_bar(dev, f->common.bar, &a, &size), 0, "map_virtio_bar");
	check(size >= f->common.offset + f->common.length, "bar_size_covers_common_cfg",
	      (long long)size);
	check_err(pci_map_bar(dev, f->common.bar, &b, &size2), 0, "map_the_same_bar_again");
	check(a == b && size == size2, "second_map_is_the_same_mapping", (long long)(uintptr_t)b);
	f->bar = (volatile uint8_t *)a;
	volatile uint32_t *common = (volatile uint32_t *)(f->bar + f->common.offset);

	common[COMMON_DFSELECT / 4] = 1;
	check(common[COMMON_DF / 4] & 1, "device_feature_has_version_1", common[COMMON_DF / 4]);
	check(raised(pci_map_bar(dev, 7, &b, &size2), capos_CapException_Type_invalidArgument),
	      "map_bar_7_refused", 0);
	if (f->msix_cap)
		check(raised(pci_map_bar(dev, f->msix_bar, &b, &size2),
			     capos_CapException_Type_invalidArgument),
		      "map_msix_table_bar_refused", 0);
	check(raised(pci_map_bar(dev, f->common.bar + 1, &b, &size2),
		     capos_CapException_Type_invalidArgument), "map_upper_half_refused", 0);
}

/* A second life: released and opened again, left with a pending wait and memory at exit. */
static void reopen(capos_cap_t devices, uint8_t bar, bool intx)
{
	capos_cap_t dev = CAPOS_CAP_INVALID;
	volatile void *a;
	uint64_t size, dev_addr;
	void *dma;

	check_err(pci_open(devices, VIRTIO_VENDOR, VIRTIO_NET, 0, &dev), 0,
		  "open_again_after_release");
	irq_hostile_checks(dev, intx);
	check_err(pci_alloc_dma(dev, 8192, &dma, &dev_addr), 0, "dma_left_for_exit");
	check_err(pci_map_bar(dev, bar, &a, &size), 0, "bar_left_mapped_for_exit");
}

int main(void)
{
	capos_cap_t devices = rt_cap("devices", CAPOS_IFACE_DEVICE_MANAGER), dev;
	struct found f = { 0 };

	check_init("pci-check");
	if (!check(devices != CAPOS_CAP_INVALID, "init_holds_devices", 0))
		return check_done();
	dev = list_and_open(devices);
	info_and_config(dev);
	caps_walk(dev, &f);
	filtered_writes(dev, &f);
	bars(dev, &f);
	mem_checks(dev);
	if (f.msix_cap)
		irq_checks(dev, &f);
	else
		intx_checks(devices, dev, &f);
	check_err(cap_release(dev), 0, "release_device");
	reopen(devices, f.common.bar, !f.msix_cap);
	return check_done();
}
