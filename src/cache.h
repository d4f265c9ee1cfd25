/* cache.h: every compile of the build through ccache (CCACHE=1), with a shared remote storage
 * (CCACHE_REMOTE) and distributed compilation (DISTCC_HOSTS); docs/cache.md. */
#ifndef CACHE_H
#define CACHE_H

#include "config.h"

struct cache {
	char *ccache;   /* ccache itself, as found on PATH */
	char *bindir;   /* BUILD_DIR/ccache/bin: ccache under each compiler's name, first on PATH */
	char *idtool;   /* BUILD_DIR/ccache/compiler-id: ccache's compiler check */
	char *remote;   /* remote storage for ccache, or NULL (not given, or found down at start) */
	char *distcc;   /* DISTCC_HOSTS, or NULL */
};

/* cacheinit sets up the compiler cache for a run if CCACHE is 1 (else leaves c zeroed and
 * returns 0): the masquerade directory, the compiler check, and a remote storage that answers
 * within a second (one that does not is left out for this run, with a warning). Exits with a
 * message naming the setting when ccache or distcc is missing or a value is not understood. */
int cacheinit(struct cache *k, const struct config *c, const char *builddir, const char *target,
              const char *hostcc, const char *hostcxx);
/* cachemakevars: the assignment every make a step runs gets on its command line (in MAKEFLAGS)
 * so that compilers the build calls by path go through ccache too, or NULL without CCACHE;
 * newly allocated. */
char *cachemakevars(const struct cache *k);
/* cacheenv, in a step's process before it runs: PATH with the masquerade directory first, and
 * ccache's settings. stage is the staging prefix: compilers in it are identified by the
 * contents of the compiler's programs, hashed here once per step. */
void cacheenv(const struct cache *k, const char *stage, const char *target, const char *builddir);

#endif
