/* sbom.h: the toolchain's software bill of materials, an SPDX 2.3 JSON document. */
#ifndef SBOM_H
#define SBOM_H

#include "graph.h"
#include "sched.h"

/* writesbom writes STAGE/share/muslxb/sbom.spdx.json (x->stage): an SPDX 2.3 JSON document
 * describing the toolchain package TARGET-cross, generated from the recipes and from what the
 * build used. One package per recipe: name, version, licence (NOASSERTION when the recipe says
 * none), the artifact used (file name, sha256, every place it can be fetched from, Debian's
 * archive named without a host) and the other alternatives with their sha256; one file per
 * patch and fix-up applied, with its SHA1 and SHA256 and what it fixes (the first paragraph of
 * its header); relationships: the document DESCRIBES the toolchain, the toolchain is
 * GENERATED_FROM each package, each patch or fix-up is PATCH_APPLIED to its package. The same
 * inputs give the same bytes: the time is SOURCE_DATE_EPOCH (x->sourcedate), no path of this
 * machine and no mirror is written, and the document's namespace is derived from its content.
 * Exits with EXIT_INSTALL if a patch cannot be read or the document cannot be written. */
void writesbom(struct graph *g, struct runctx *x);

#endif
