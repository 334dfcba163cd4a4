// SPDX-License-Identifier: MIT
/*
 * virtio-net-check (QEMU scenario virtio-net): the driver library against
 * QEMU's virtio-net-pci (modern) on slirp. As init it opens the device
 * through its DeviceManager ("devices"), brings it up with vnet_open, sends
 * a hand-built ARP request for the slirp gateway 10.0.2.2 and waits for the
 * reply by interrupt (the interrupt CQE through vnet_interrupt, the frame
 * through vnet_poll), then checks the statistics, closes the device and
 * exits: the scenario's verdict is the kernel's leak check.
 */
#include "check.h"
#include "pci.h"
#include "print.h"
#include "rt.h"
#include "virtio_net.h"

#define IRQ_USER_DATA 0x7669727469726100ull	/* far from uring_next_id's counter */
#define MAX_INTERRUPTS 32			/* a reply takes one or two */
#define ETH_ARP 0x0806u

static const uint8_t my_ip[4] = { 10, 0, 2, 15 }, gateway_ip[4] = { 10, 0, 2, 2 };
static struct vnet net;
static bool got_reply;
static uint8_t gateway_mac[6];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

/* Who has 10.0.2.2? Tell 10.0.2.15: broadcast, padded to the 60-byte minimum. */
static void build_arp_request(uint8_t frame[60], const uint8_t mac[6])
{
	memset(frame, 0, 60);
	memset(frame, 0xff, 6);
	memcpy(frame + 6, mac, 6);
	put16(frame + 12, ETH_ARP);
	put16(frame + 14, 1);		/* Ethernet */
	put16(frame + 16, 0x0800);	/* IPv4 */
	frame[18] = 6, frame[19] = 4;
	put16(frame + 20, 1);		/* request */
	memcpy(frame + 22, mac, 6);
	memcpy(frame + 28, my_ip, 4);
	memcpy(frame + 38, gateway_ip, 4);
}

/* vnet_poll's receiver: notes an ARP reply from the gateway to us. */
static void on_frame(void *arg, const void *data, size_t len)
{
	const uint8_t *f = data, *mac = arg;

	if (len < 42 || f[12] != 0x08 || f[13] != 0x06 || f[20] != 0 || f[21] != 2)
		return;
	if (memcmp(f + 28, gateway_ip, 4) != 0 || memcmp(f + 38, my_ip, 4) != 0 ||
	    memcmp(f + 32, mac, 6) != 0 || memcmp(f, mac, 6) != 0)
		return;
	memcpy(gateway_mac, f + 22, 6);
	got_reply = true;
}

/* Waits for interrupts until the reply has come (bounded). */
static int wait_for_reply(uint8_t mac[6], int *interrupts)
{
	struct capos_cqe cqe;
	int err;

	for (*interrupts = 0; !got_reply && *interrupts < MAX_INTERRUPTS; (*interrupts)++) {
		err = uring_wait(&rt.ring, IRQ_USER_DATA, &cqe);
		if (err == 0)
			err = vnet_interrupt(&net, &cqe);
		if (err != 0)
			return err;
		vnet_poll(&net, on_frame, mac);
	}
	return got_reply ? 0 : CAPOS_ERR_TIMED_OUT;
}

static void check_stats(void)
{
	struct vnet_stats s;

	vnet_stats(&net, &s);
	check(s.tx_packets == 1 && s.tx_bytes == 60, "stats_one_frame_sent", (long long)s.tx_packets);
	check(s.rx_packets >= 1 && s.rx_bytes >= 42, "stats_reply_received", (long long)s.rx_packets);
	check(s.rx_dropped == 0 && s.tx_dropped == 0 && s.device_errors == 0, "stats_nothing_dropped",
	      (long long)(s.rx_dropped + s.tx_dropped + s.device_errors));
}

int main(void)
{
	capos_cap_t devices = rt_cap("devices", CAPOS_IFACE_DEVICE_MANAGER), dev = CAPOS_CAP_INVALID;
	struct capos_cqe wrong = { .user_data = IRQ_USER_DATA + 1 };
	uint8_t mac[6], frame[60];
	int interrupts = 0;

	check_init("virtio-net-check");
	if (!check_err(pci_open(devices, VIRTIO_PCI_VENDOR, VIRTIO_PCI_DEVICE_NET_MODERN, 0, &dev), 0,
		       "device_opened") ||
	    !check_err(vnet_open(&net, dev, &rt.ring, IRQ_USER_DATA), 0, "vnet_open"))
		return check_done();
	vnet_mac(&net, mac);
	printf("virtio-net-check: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u link %s irq %s\n", mac[0],
	       mac[1], mac[2], mac[3], mac[4], mac[5], vnet_mtu(&net),
	       vnet_link_up(&net) ? "up" : "down", net.irq_mode == PCI_INTERRUPT_MSIX ? "msix" : "intx");
	check(vnet_link_up(&net), "link_up", 0);
	check((net.features & VIRTIO_F_VERSION_1) != 0, "version_1_negotiated", 0);
	check_err(vnet_interrupt(&net, &wrong), CAPOS_ERR_INVALID_ARGUMENT, "foreign_cqe_refused");
	build_arp_request(frame, mac);
	check_err(vnet_send(&net, frame, sizeof(frame)), 0, "arp_request_sent");
	check_err(wait_for_reply(mac, &interrupts), 0, "arp_reply_received_by_interrupt");
	check(interrupts >= 1, "woken_by_interrupt", interrupts);
	printf("virtio-net-check: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x after %d interrupt(s)\n",
	       gateway_mac[0], gateway_mac[1], gateway_mac[2], gateway_mac[3], gateway_mac[4],
	       gateway_mac[5], interrupts);
	check_stats();
	vnet_close(&net);
	check_err(vnet_send(&net, frame, sizeof(frame)), CAPOS_ERR_DISCONNECTED, "closed_refuses_send");
	return check_done();
}
