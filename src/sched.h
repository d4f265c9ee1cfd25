/* sched.h: running the graph: one job budget (GNU make jobserver), processes, signals, status. */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>

#include "config.h"
#include "fetch.h"
#include "cache.h"
#include "graph.h"
#include "sig.h"

/* Everything a run needs to know about where things go. */
struct runctx {
	const struct config *config;
	const struct fetchopts *fetch;
	char *builddir, *statedir, *logdir, *workdir, *stage, *hostprefix, *patchdir;
	char *release;         /* RELEASE_PREFIX: what dist's steps install over the stage */
	char *hostbuild;       /* HOST_BUILD_DIR, absolute: where shared nodes (host steps) run and
	                          keep their records, for every target; NULL if the graph has none */
	char *sharedprefix;    /* SHARED_PREFIX: where host steps install (HOST_BUILD_DIR/prefix) */
	struct place own;      /* BUILD_DIR's state and work */
	struct place shared;   /* HOST_BUILD_DIR's, or own's when there is no HOST_BUILD_DIR */
	char *hosttools;       /* first on a step's PATH: the build machine's make (pinhosttools) */
	int dist;              /* dist's steps are in the graph; install lays release over stage */
	const struct cache *cache; /* the compiler cache (CCACHE), or NULL */
	int jobs;
	int tty;
	long long sourcedate;  /* SOURCE_DATE_EPOCH: the time recorded in what is installed */
};

/* lockbuild takes the build directory's lock or exits with EXIT_LOCKED naming the holder. */
int lockbuild(const char *builddir);
/* lockshared takes HOST_BUILD_DIR's lock, exclusive when this run builds something there,
 * shared otherwise (runs that only use the host libraries may run at once), or exits with
 * EXIT_LOCKED naming the holder. */
int lockshared(const char *hostbuild, int exclusive);
/* reapstale kills processes left running by an earlier run of this build directory that was
 * killed with SIGKILL (they carry MUSLXB_BUILD_DIR in their environment). */
void reapstale(const char *builddir);
/* pinhosttools makes BUILD_DIR/host-tools/make a link to the make on PATH now and returns the
 * directory, or NULL (with a warning) when PATH has no make. A step's PATH has the stage's bin/
 * before the host's, and the make recipe installs a make there: without the link a step would
 * run the build machine's make before that step and the stage's after it (what builds the
 * toolchain would change as it is built), and a step could be running the very file the make
 * recipe is replacing ("Text file busy"). */
char *pinhosttools(const char *builddir);
/* schedrun runs every node of g that must run; returns 0 or an exit status. A guardian process
 * watches the run: if bootstrap dies without finishing (SIGKILL), it kills every process the
 * run started (they carry MUSLXB_RUN in their environment) within a second. */
int schedrun(struct graph *g, struct runctx *x);
/* estimateleft: the seconds the nodes not done still take (graphremaining), from the last run's
 * times, or the recipes' costs (then *rough is set), and how far running nodes are; *known is 0
 * when a step has neither. */
double estimateleft(const struct graph *g, const struct runctx *x, int *rough, int *known);

#endif
