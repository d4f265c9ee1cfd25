/* dist.h: the release files: the installed toolchain as deterministic archives, their
 * checksums and the SBOM beside them. */
#ifndef DIST_H
#define DIST_H

/* dist writes into distdir (created if missing) TARGET-cross.tgz and TARGET-cross.tar.xz, each
 * holding the tree at prefix under the one top folder TARGET-cross/, the SBOM the build
 * installed as TARGET-cross.spdx.json, and SHA256SUMS for the three. The archives are the same
 * bytes for the same tree: names sorted, owner and group 0, permissions normalised (0755 or
 * 0644), every mtime mtime, no compressor name or time. Each file is written under a
 * temporary name and renamed into place. Returns 0 or EXIT_INSTALL after saying why. */
int dist(const char *prefix, const char *target, const char *distdir, long long mtime);

#endif
