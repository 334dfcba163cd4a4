// SPDX-License-Identifier: MIT
/*
 * lwIP's netif on the virtio-net driver library (netif_glue.h). Received
 * frames are copied once, into a pbuf from lwIP's pool (the driver's
 * buffers go straight back to the device); a pbuf chain to send is handed
 * to the driver as an iovec, which copies it into its transmit buffer.
 */
#include "netif_glue.h"

#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "net.h"
#include "netif/ethernet.h"
#include "rt.h"
#include "ustring.h"

#if __has_include("virtio_net.h")
#include "virtio_net.h"
#define NETIF_HAVE_VNET 1
static struct vnet nic_dev;
#else
#define NETIF_HAVE_VNET 0
#endif

#define NETIF_IOV_MAX 16u

static struct netif net_if;
static bool have_nic __attribute__((unused));	/* without virtio_net.h: never */
static uint8_t mac_addr[6] = { 0x52, 0x54, 0x00, 0xca, 0x05, 0x01 };
static uint16_t mtu = 1500;

static err_t link_output(struct netif *nif, struct pbuf *p)
{
	(void)nif;
	(void)p;
#if NETIF_HAVE_VNET
	struct vnet_iov iov[NETIF_IOV_MAX];
	struct pbuf *q = p;
	unsigned n = 0;

	if (have_nic) {
		for (; q && n < NETIF_IOV_MAX; q = q->next)
			iov[n++] = (struct vnet_iov){ .base = q->payload, .len = q->len };
		if (!q) {	/* the whole chain fits the iovec */
			if (vnet_sendv(&nic_dev, iov, n) == 0) {
				net_stats.tx_packets++;
				net_stats.tx_bytes += p->tot_len;
				return ERR_OK;
			}
		}
	}
#endif
	net_stats.tx_dropped++;
	return ERR_IF;
}

static err_t netif_setup(struct netif *nif)
{
	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->hwaddr_len = 6;
	memcpy(nif->hwaddr, mac_addr, 6);
	nif->mtu = mtu;
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	nif->output = etharp_output;
	nif->linkoutput = link_output;
	return ERR_OK;
}

#if NETIF_HAVE_VNET
static void on_frame(void *arg, const void *frame, size_t len)
{
	struct pbuf *p;

	(void)arg;
	if (len > 0xffff || !(p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL))) {
		net_stats.rx_dropped++;
		return;
	}
	(void)pbuf_take(p, frame, (u16_t)len);
	net_stats.rx_packets++;
	net_stats.rx_bytes += len;
	if (net_if.input(p, &net_if) != ERR_OK) {
		pbuf_free(p);
		net_stats.rx_dropped++;
	}
}
#endif

int netif_glue_init(capos_cap_t nic)
{
	ip4_addr_t ip, mask, gw;

#if NETIF_HAVE_VNET
	if (nic != CAPOS_CAP_INVALID) {
		int err = vnet_open(&nic_dev, nic, &rt.ring, NETIF_IRQ_USER_DATA);

		if (err)
			return err;
		have_nic = true;
		vnet_mac(&nic_dev, mac_addr);
		if (vnet_mtu(&nic_dev) >= 576 && vnet_mtu(&nic_dev) <= 1500)
			mtu = vnet_mtu(&nic_dev);
	}
#else
	(void)nic;
#endif
	lwip_init();
	IP4_ADDR(&ip, 10, 0, 2, 15);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 2, 2);
	if (!netif_add(&net_if, &ip, &mask, &gw, NULL, netif_setup, ethernet_input))
		return CAPOS_ERR_NO_MEMORY;
	netif_set_default(&net_if);
	netif_set_up(&net_if);
	netif_set_link_up(&net_if);
	return 0;
}

bool netif_glue_completion(const struct capos_cqe *cqe)
{
#if NETIF_HAVE_VNET
	if (have_nic && cqe->user_data == NETIF_IRQ_USER_DATA) {
		(void)vnet_interrupt(&nic_dev, cqe);
		(void)vnet_poll(&nic_dev, on_frame, NULL);
		return true;
	}
#else
	(void)cqe;
#endif
	return false;
}

void netif_glue_poll(void)
{
	/* Delivering looped-back packets makes more (ACKs, answers): bounded rounds. */
	for (uint32_t i = 0; i < 64 && net_if.loop_first; i++)
		netif_poll(&net_if);
#if NETIF_HAVE_VNET
	if (have_nic)
		(void)vnet_poll(&nic_dev, on_frame, NULL);
#endif
}

bool netif_glue_watchdog(void)
{
#if NETIF_HAVE_VNET
	if (have_nic)
		return vnet_tx_watchdog(&nic_dev);
#endif
	return false;
}

bool netif_glue_up(void)
{
#if NETIF_HAVE_VNET
	if (have_nic)
		return vnet_link_up(&nic_dev) && netif_is_up(&net_if);
#endif
	return false;
}

void netif_glue_mac(uint8_t mac[6])
{
	memcpy(mac, mac_addr, 6);
}

uint16_t netif_glue_mtu(void)
{
	return mtu;
}
