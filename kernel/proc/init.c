// SPDX-License-Identifier: MIT
/*
 * Starting the first process. The kernel opens the boot package (the boot
 * loader's first module) and spawns the binary it names as init with exactly
 * three capabilities: Console, BootPackage and ProcessSpawner. Everything
 * else is started by init.
 */
#include "arch/arch.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "obj/boot_package.h"
#include "obj/console.h"
#include "obj/process_spawner.h"
#include "proc/bootpkg.h"
#include "proc/init.h"
#include "proc/proc.h"
#include "cap/table.h"

void init_start(const struct boot_info *bi)
{
	struct bootpkg_binary init;

	if (bi->module_count == 0)
		panic("init: no boot package (the boot loader passed no module)");
	const struct boot_module *m = &bi->modules[0];
	if (bootpkg_open(arch_phys_to_virt(m->start), m->end - m->start) != 0)
		panic("init: the boot package is not a valid BootPackage message");
	const char *name = bootpkg_init_name();
	if (!bootpkg_find(name, strlen(name), &init))
		panic("init: the boot package has no binary named '%s'", name);

	const struct proc_grant grants[] = {
		{ "console", console_object(), CAP_RIGHTS_ALL },
		{ "boot", boot_package_object(), CAP_RIGHTS_ALL },
		{ "spawner", process_spawner_object(), CAP_RIGHTS_ALL },
	};
	int err = proc_spawn(name, init.data, init.size, grants, 3, NULL);
	if (err)
		panic("init: cannot start '%s' (error %d)", name, err);
	klog("init: started '%s' (%u binaries in the boot package)\n", name, bootpkg_count());
}
