/* target.h: the facts that follow from TARGET (the kernel's ARCH, musl's loader, gcc's target
 * options, qemu's name), read from one table, RECIPES/targets, and given to the recipes as
 * config variables. */
#ifndef TARGET_H
#define TARGET_H

#include "config.h"

/* targetload reads the table at path and sets, for the config's TARGET, every column of its
 * row as a config variable (LINUX_ARCH, MUSL_ARCH, LDSO, QEMU_ARCH, MESON_CPU_FAMILY,
 * ENDIAN, GO_ARCH, GO_ARM, RUST_TARGET, GCC_TARGET_OPTIONS). A missing table
 * sets nothing; a malformed one, or a TARGET it does not list, is an error counted in
 * c->errors and reported as path:line or naming the targets it knows. */
void targetload(struct config *c, const char *path);
/* targetvar tells whether name is one of the variables targetload sets. */
int targetvar(const char *name);
/* targetdependent tells whether a step's variable differs between targets: TARGET, the
 * table's columns, and the target's own directories (PREFIX, SYSROOT, HOST_PREFIX,
 * RELEASE_PREFIX, BUILD_ROOT, TOOLCHAIN_DIR, DIST_DIR). A host step neither names nor sees
 * one. */
int targetdependent(const char *name);

#endif
