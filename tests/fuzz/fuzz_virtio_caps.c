// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the virtio capability walk (user/lib/virtio_pci.c):
 * any bytes as a device's 256-byte configuration space. Besides "no crash,
 * no out-of-bounds read" (ASan/UBSan), the walk must end within a bounded
 * number of reads, and a structure it reports must have come from a vendor
 * capability that fits in configuration space.
 *
 * tests/unit/virtio/rules.mk also links it with tests/fuzz/replay.c into a
 * host test that replays the committed corpus under gcc's sanitizers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_space.h"

#define FUZZ_VIRTIO_MAX_READS (3u + VIRTIO_PCI_MAX_CAPS * 6u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_space cs = { 0 };
	struct virtio_pci_caps caps;
	int r;

	memcpy(cs.b, data, size < sizeof(cs.b) ? size : sizeof(cs.b));
	r = virtio_pci_find_caps(cfg_space_read, &cs, &caps);
	if (cs.reads > FUZZ_VIRTIO_MAX_READS)
		abort();
	if (r == 0 && (!caps.common.present || !caps.notify.present || !caps.isr.present))
		abort();
	if (caps.common.present && caps.common.bar > 5)
		abort();
	return 0;
}
