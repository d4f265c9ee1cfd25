/* recipe.h: the recipe files: what a package is built from and the steps that build it. */
#ifndef RECIPE_H
#define RECIPE_H

#include <stddef.h>

#include "config.h"
#include "util.h"

/* A file named by a recipe, below the patches directory. */
struct patchref {
	char *name;  /* as written, relative to PATCHES */
	char *path;  /* absolute */
	char hash[HEXLEN];
	int line;
};

/* One source artifact: a pinned file and where it can be fetched. */
struct artifact {
	char *file;           /* cache file name */
	char *version;        /* recipe version it belongs to; NULL: any */
	char sha256[HEXLEN];
	struct strv urls;     /* upstream URLs */
	char *debian;         /* path below <mirror>/pool/main/, or NULL */
	char *member;         /* path of the real archive inside file, or NULL */
	char *strip;          /* top folder to strip, or NULL */
	struct strv excludes; /* fnmatch globs of paths not to extract (with the recipe's own) */
	struct patchref *patches, *fixups;
	size_t npatches, nfixups;
	int line;
};

/* A reference from a step to a step of another recipe. */
struct after {
	char *ref; /* "recipe:step" or "recipe" */
	int line;
};

struct recipe;

/* A named build step: a shell script run in the recipe's build directory. */
struct step {
	char *name;
	struct recipe *recipe;
	struct after *afters;
	size_t nafters;
	struct buf script;     /* the recipe's top-level run lines, then the step's own */
	int line;
	int dist;              /* `only dist`: part of the build only for `bootstrap dist` */
	double cost;           /* `cost SECONDS`: its typical time, for a first build's estimate; 0 */
	int host;              /* `host`: builds for the build machine only, the same for every
	                          TARGET: built once in HOST_BUILD_DIR and shared by all targets */
	struct strv vars;      /* a host step: the config variables its script mentions, sorted
	                          (its key holds these rather than the whole recipe's) */
	char hash[HEXLEN];     /* sha256 of its name and script (the recipe's run lines, then its
	                          own): a step's key holds this, not the whole recipe's text */
};

struct recipe {
	char *name, *version;
	char *license;         /* SPDX licence expression of the package, or NULL if not said */
	char *summary;         /* one line on what the package is, or NULL */
	char *path;            /* file it was read from */
	char hash[HEXLEN];     /* sha256 of the file's text */
	char srchash[HEXLEN];  /* sha256 of what the source tree is made from (artifacts, patches,
	                          excludes, name, version): the source node's key */
	struct patchref *patches;
	size_t npatches;
	struct artifact *artifacts; /* all artifacts written */
	size_t nartifacts;
	struct artifact **alts;     /* the ones matching version, in order */
	size_t nalts;
	struct step *steps;
	size_t nsteps;
	struct strv vars;      /* config variables the recipe mentions, sorted */
	int host;              /* it has a host step: its source tree is in HOST_BUILD_DIR */
};

/* recipeload parses one recipe file. Errors go to stderr as file:line: message and are
 * counted in *errors; the recipe is returned regardless for further checks. */
struct recipe *recipeload(const char *path, const struct config *c, const char *patchdir, int *errors);

/* recipeloaddir loads every *.recipe in dir, sorted by name; sets *n. */
struct recipe **recipeloaddir(const char *dir, const struct config *c, const char *patchdir, size_t *n, int *errors);

#endif
