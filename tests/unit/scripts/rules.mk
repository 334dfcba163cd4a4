# SPDX-License-Identifier: MIT
# Host tests of the build and test scripts.
TEST_SCRIPTS += tests/unit/scripts/fetch-sources.sh
TEST_SCRIPTS += tests/unit/scripts/check-kernel-fpu.sh
