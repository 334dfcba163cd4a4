# SPDX-License-Identifier: MIT
# Host tests for lib/crypto: ChaCha20 against RFC 8439 (test_chacha20) and
# the fast-key-erasure generator (test_csprng), under ASan/UBSan.

$(call host_obj,tests/unit/crypto/test_chacha20.c tests/unit/crypto/test_csprng.c): \
	HOST_CFLAGS += -Itests/unit

$(BUILD)/host/tests/test_chacha20: $(call host_obj,tests/unit/crypto/test_chacha20.c \
		lib/crypto/chacha20.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

$(BUILD)/host/tests/test_csprng: $(call host_obj,tests/unit/crypto/test_csprng.c \
		lib/crypto/chacha20.c lib/crypto/csprng.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_chacha20 $(BUILD)/host/tests/test_csprng
ALL_TARGETS += $(BUILD)/host/tests/test_chacha20 $(BUILD)/host/tests/test_csprng

# SHA-256 against the FIPS 180 examples (fetch -s).
$(call host_obj,tests/unit/crypto/test_sha256.c): HOST_CFLAGS += -Itests/unit
$(BUILD)/host/tests/test_sha256: $(call host_obj,tests/unit/crypto/test_sha256.c \
		lib/crypto/sha256.c)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) $^ -o $@

HOST_TESTS += $(BUILD)/host/tests/test_sha256
ALL_TARGETS += $(BUILD)/host/tests/test_sha256
