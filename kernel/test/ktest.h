/* SPDX-License-Identifier: MIT */
/*
 * Boot-time tests selected by the kernel command line (test=NAME, bench=NAME).
 * Each QEMU scenario under tests/qemu/ boots with one of these and expects the
 * exit status the test reports through arch_exit_emulator.
 */
#ifndef CAPOS_KERNEL_TEST_KTEST_H
#define CAPOS_KERNEL_TEST_KTEST_H

#include "boot/bootinfo.h"

/* Runs the test the command line names, if any; returns only when none is named. */
void ktest_run(const struct boot_info *bi, uint64_t boot_to_banner);

#endif
