/* extract.h: unpacking an artifact safely and patching the tree. */
#ifndef EXTRACT_H
#define EXTRACT_H

#include "recipe.h"

/* extract unpacks archive (or its member a->member) into dest, which must not exist, stripping
 * a->strip and skipping a->excludes. It refuses absolute paths, '..' components, links that
 * point outside the tree and special files, and then leaves nothing behind. Returns 0, or -1
 * after printing why to stderr. */
int extract(const char *archive, const struct artifact *a, const char *dest);

/* preparesource extracts r's artifact (NULL: none) into work/src via a temporary directory,
 * applies the artifact's patches and fixups and the recipe's patches, and renames it into place.
 * Runs in a child process whose output is the source node's log. Returns an exit status. */
int preparesource(struct recipe *r, const struct artifact *a, const char *archive, const char *workdir);

#endif
