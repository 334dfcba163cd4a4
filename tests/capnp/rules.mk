# SPDX-License-Identifier: MIT
# Cap'n Proto agreement tests: capnp-print and capnpc-c against the official tools.

TEST_SCRIPTS += tests/capnp/agree.sh
