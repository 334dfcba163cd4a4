// SPDX-License-Identifier: MIT
/*
 * pci-grant-check: a service granted a PciDevice by the manifest (source
 * pciDevice, tests/qemu/pci-grant). It finds the device as "nic", checks
 * it is the virtio-net, and holds what a driver holds (MSI-X, DMA memory,
 * the BAR) when it exits. Its first run marks the device (virtio status
 * ACKNOWLEDGE) and exits 1; init restarts it, which works only if the
 * first PciDevice was released at that exit, and the second run sees the
 * mark and exits 0.
 */
#include <capos/interfaces.h>

#include "pci.h"
#include "rt.h"

#define VIRTIO_STATUS_ACK 1
#define COMMON_STATUS 0x14	/* device_status in the common configuration */

/* The common configuration's BAR and offset, from the vendor capabilities. */
static bool common_cfg(capos_cap_t dev, uint8_t *bar, uint32_t *off)
{
	uint32_t at = 0, v = 0;

	if (pci_config_read(dev, 0x34, 1, &at))
		return false;
	for (int n = 0; n < 48 && at >= 0x40; n++) {
		uint32_t id = 0, type = 0, b = 0, next = 0;

		(void)pci_config_read(dev, (uint16_t)at, 1, &id);
		(void)pci_config_read(dev, (uint16_t)(at + 3), 1, &type);
		if (id == 0x09 && type == 1 && !pci_config_read(dev, (uint16_t)(at + 4), 1, &b) &&
		    !pci_config_read(dev, (uint16_t)(at + 8), 4, &v)) {
			*bar = (uint8_t)b;
			*off = v;
			return true;
		}
		(void)pci_config_read(dev, (uint16_t)(at + 1), 1, &next);
		at = next & 0xfc;
	}
	return false;
}

int main(void)
{
	capos_cap_t dev = rt_cap("nic", CAPOS_IFACE_PCI_DEVICE);
	struct pci_info info = { 0 };
	volatile void *bar = NULL;
	uint64_t size = 0, dev_addr = 0;
	uint32_t off = 0;
	uint16_t got = 0;
	uint8_t b = 0;
	void *dma = NULL;
	int mode = 0;

	if (dev == CAPOS_CAP_INVALID || pci_info(dev, &info) || info.vendor_id != 0x1af4 ||
	    info.device_id != 0x1041) {
		printf("pci-grant-check: FAIL no virtio-net granted as nic\n");
		return 2;
	}
	if (!common_cfg(dev, &b, &off) || pci_map_bar(dev, b, &bar, &size) ||
	    pci_enable_interrupts(dev, 1, &mode, &got) ||
	    pci_alloc_dma(dev, 4096, &dma, &dev_addr)) {
		printf("pci-grant-check: FAIL the device does not answer\n");
		return 2;
	}
	volatile uint8_t *status = (volatile uint8_t *)bar + off + COMMON_STATUS;

	if (*status != VIRTIO_STATUS_ACK) {
		*status = VIRTIO_STATUS_ACK;
		printf("pci-grant-check: first run, device %02x:%02x.%x marked\n", info.bus,
		       info.device, info.function);
		return 1;
	}
	printf("pci-grant-check: PASS the device opened again after the first run's exit\n");
	*status = 0;
	return 0;
}
