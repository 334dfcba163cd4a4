#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every QEMU scenario under tests/qemu/ (each prints PASS or FAIL).
cd "$(dirname "$0")/.." && exec scripts/qemu-run-scenario.sh tests/qemu/*/
