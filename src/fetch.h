/* fetch.h: getting source artifacts into the cache, verified by sha256. */
#ifndef FETCH_H
#define FETCH_H

#include "config.h"
#include "recipe.h"

struct fetchopts {
	const char *cache;        /* SOURCES */
	struct strv mirrors;      /* MIRRORS prefixes */
	char *debian;             /* Debian archive base, or NULL */
	int offline;
	int tty;                  /* show progress on a terminal */
};

/* fetchinit sets libcurl up and reads the options from the config. */
void fetchinit(struct fetchopts *o, const struct config *c);
/* fetchcached returns the first of r's alternatives present in the cache with the right hash,
 * moving aside any cached file whose hash is wrong; NULL if none. */
struct artifact *fetchcached(const struct fetchopts *o, struct recipe *r);
/* fetchrecipe makes sure one alternative of r is in the cache and returns it; NULL (after
 * reporting why) if none could be had. */
struct artifact *fetchrecipe(const struct fetchopts *o, struct recipe *r);
/* aptmirror reads a Debian archive base URL from apt's sources files; NULL if none. */
char *aptmirror(const char *sourceslist, const char *sourcesdir);
/* cachepath returns SOURCES/file. */
char *cachepath(const struct fetchopts *o, const struct artifact *a);

#endif
