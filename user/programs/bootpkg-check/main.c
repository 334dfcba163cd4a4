// SPDX-License-Identifier: MIT
/*
 * bootpkg-check: the BootPackage capability end to end. Lists the package,
 * reads every binary in BOOTPKG_READ_MAX pieces and checks that the bytes
 * add up to the listed size and start with the ELF magic, then checks the
 * documented refusals of BootPackage.read (unknown name, offset past the end,
 * maxBytes over the limit: invalidArgument) and that a read at the end
 * returns no bytes. One PASS/FAIL line per check; "bootpkg-check: PASS" and
 * exit 0, or "bootpkg-check: FAIL" and exit 1.
 */
#include "rt.h"

#include "capos.capnp.h"

#define CHECK_BINARIES_MAX 64

static struct bootpkg_entry bins[CHECK_BINARIES_MAX];
static uint8_t chunk[BOOTPKG_READ_MAX + 8];	/* room for a read of limit + 1 */
static int fails;

static void check(const char *name, int ok, long long got)
{
	if (ok) {
		printf("PASS %s\n", name);
		return;
	}
	printf("FAIL %s: got %lld", name, got);
	if (got == CAPOS_ERR_APPLICATION_EXCEPTION)
		printf(" (%s)", client_exception()->reason);
	printf("\n");
	fails++;
}

/* Reads binary b whole; true if the size matches and it starts with \177ELF. */
static int check_read_all(capos_cap_t bp, const struct bootpkg_entry *b, long long *got)
{
	uint64_t off = 0;
	int n, elf = 0;

	while ((n = bootpkg_read(bp, b->name, off, chunk, BOOTPKG_READ_MAX)) > 0) {
		if (off == 0)
			elf = n >= 4 && chunk[0] == 0x7f && chunk[1] == 'E' && chunk[2] == 'L' &&
			      chunk[3] == 'F';
		off += (uint64_t)n;
	}
	*got = n < 0 ? n : (long long)off;
	return n == 0 && off == b->size && elf;
}

/* A read that must raise invalidArgument. */
static void check_refused(capos_cap_t bp, const char *what, const char *name, uint64_t off,
			  uint32_t max)
{
	int r = bootpkg_read(bp, name, off, chunk, max);

	check(what, r == CAPOS_ERR_APPLICATION_EXCEPTION &&
		    client_exception()->type == capos_CapException_Type_invalidArgument, r);
}

int main(void)
{
	capos_cap_t bp = capset_get_any(rt.capset, CAPOS_IFACE_BOOT_PACKAGE);
	char name[64];
	long long got = 0;
	int i, n, ok;

	if (bp == CAPOS_CAP_INVALID) {
		printf("bootpkg-check: FAIL no BootPackage\n");
		return 1;
	}
	n = bootpkg_list(bp, bins, CHECK_BINARIES_MAX);
	check("list_returns_binaries", n > 0 && n <= CHECK_BINARIES_MAX, n);
	for (i = 0; i < n && i < CHECK_BINARIES_MAX; i++) {
		snprintf(name, sizeof(name), "read_%s_whole", bins[i].name);
		ok = check_read_all(bp, &bins[i], &got);
		check(name, ok, got);
	}
	if (n > 0) {
		check("read_at_end_returns_nothing",
		      bootpkg_read(bp, bins[0].name, bins[0].size, chunk, 16) == 0, 0);
		check_refused(bp, "read_unknown_name_refused", "no-such-binary", 0, 16);
		check_refused(bp, "read_past_end_refused", bins[0].name, bins[0].size + 1, 16);
		check_refused(bp, "read_over_max_bytes_refused", bins[0].name, 0,
			      BOOTPKG_READ_MAX + 1);
	}
	printf("bootpkg-check: %s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
