/* install.h: putting the staging prefix in place as TOOLCHAIN_DIR, in one rename. */
#ifndef INSTALL_H
#define INSTALL_H

#include "graph.h"
#include "sched.h"

/* writemanifest records in the stage what went in: packages, versions, artifacts and their
 * sha256, patches with hashes, config values, and each step's commands. */
void writemanifest(struct graph *g, struct runctx *x);
/* install copies the stage beside dest, then swaps it in with one rename and removes the old
 * tree; skipped when dest already holds this build (same key). Returns 0 or EXIT_INSTALL;
 * re-raises an interrupting signal after cleaning up. */
int install(struct graph *g, struct runctx *x, const char *dest);

#endif
