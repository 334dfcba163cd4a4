# SPDX-License-Identifier: MIT
# EntropySource across boots: tests/entropy/boots-differ.sh boots the
# entropy scenarios twice each and compares what the generator gave.

TEST_SCRIPTS += tests/entropy/boots-differ.sh
