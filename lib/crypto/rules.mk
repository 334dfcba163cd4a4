# SPDX-License-Identifier: MIT
# lib/crypto: ChaCha20 (RFC 8439) and the fast-key-erasure generator built
# on it. The kernel links them (its random number generator, kernel/lib/rng.c);
# the kernel-check objects prove they build freestanding; the host tests check
# them against RFC 8439's vectors (tests/unit/crypto).

CRYPTO_SRCS := lib/crypto/chacha20.c lib/crypto/csprng.c
KERNEL_SRCS += $(CRYPTO_SRCS)
ALL_TARGETS += $(patsubst %.c,$(BUILD)/kernel-check/%.o,$(CRYPTO_SRCS))
