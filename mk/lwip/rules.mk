# SPDX-License-Identifier: MIT
# lwIP (docs/network.md) from Debian's `lwip` source package, unpacked in
# third_party/lwip-VERSION/ (git-ignored, never committed) by
# scripts/fetch-lwip.sh, which runs while the Makefile is read whenever no
# tree is there (not for `make clean` or `make -n`), as Argon2's does, so a
# fresh clone builds.
#
# Only the raw API (NO_SYS=1): src/core/*.c (not the altcp/dns/ipv6 parts),
# src/core/ipv4/*.c and src/netif/ethernet.c, with the port's headers of
# user/programs/net/port/ (lwip_config.h, lwip_arch.h: lwIP includes them
# as lwipopts.h and arch/cc.h, one-line wrappers generated into
# build/lwip-port/, so nothing committed is named like lwIP's own files)
# and the libc shim of
# user/lib/libc-shim/ under -nostdinc, into build/user/liblwip.a, which only
# the `net` program links (user/rules.mk adds it to NET_EXTRA_LIBS).
# Our warnings stay on (-Wall -Wextra -Werror), for lwIP's files too; the one
# relaxation is -Wno-type-limits for tcp.c, whose tcp_recved() checks its
# 16-bit window (no window scaling) against TCP_WND_MAX, 65,535 here: always
# false in this configuration, needed in others.

LWIP_TREE_OK := $(firstword $(wildcard third_party/lwip-*/src/core/tcp.c))
ifeq ($(LWIP_TREE_OK),)
ifneq ($(if $(MAKECMDGOALS),$(filter-out clean,$(MAKECMDGOALS)),all),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
$(shell ./scripts/fetch-lwip.sh >&2)
# Not $(wildcard): make caches the folder listings it has read.
LWIP_TREE_OK := $(firstword $(shell ls third_party/lwip-*/src/core/tcp.c 2>/dev/null))
ifeq ($(LWIP_TREE_OK),)
$(error scripts/fetch-lwip.sh could not fetch lwIP)
endif
endif
endif
endif

LWIP_DIR := $(patsubst %/src/core/tcp.c,%,$(LWIP_TREE_OK))
LWIP_SRCS := $(addprefix $(LWIP_DIR)/src/core/,def.c inet_chksum.c init.c ip.c mem.c memp.c \
	netif.c pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix $(LWIP_DIR)/src/core/ipv4/,etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c) \
	$(LWIP_DIR)/src/netif/ethernet.c
LWIP_USER_OBJS := $(patsubst %.c,$(BUILD)/user/obj/%.o,$(LWIP_SRCS))
LWIP_LIB := $(BUILD)/user/liblwip.a
# Our port's headers and lwIP's, for lwIP and for the service that uses it.
LWIP_PORT_GEN := $(BUILD)/lwip-port
LWIP_PORT_HDRS := $(LWIP_PORT_GEN)/lwipopts.h $(LWIP_PORT_GEN)/arch/cc.h
LWIP_INCLUDES := -I$(LWIP_PORT_GEN) -Iuser/programs/net/port -I$(LWIP_DIR)/src/include

$(LWIP_PORT_GEN)/lwipopts.h:
	@mkdir -p $(@D)
	echo '#include "lwip_config.h"' > $@
$(LWIP_PORT_GEN)/arch/cc.h:
	@mkdir -p $(@D)
	echo '#include "lwip_arch.h"' > $@

$(LWIP_USER_OBJS): USER_CFLAGS += $(LWIP_INCLUDES) -nostdinc \
	-isystem $(shell gcc -print-file-name=include) -Iuser/lib/libc-shim
$(filter %/src/core/tcp.o,$(LWIP_USER_OBJS)): USER_CFLAGS += -Wno-type-limits
$(LWIP_USER_OBJS): mk/lwip/rules.mk $(wildcard user/programs/net/port/*.h) | $(LWIP_PORT_HDRS)

$(LWIP_LIB): $(LWIP_USER_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
