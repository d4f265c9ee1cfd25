/* sched.h: running the graph: one job budget (GNU make jobserver), processes, signals, status. */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>

#include "config.h"
#include "fetch.h"
#include "graph.h"
#include "sig.h"

/* Everything a run needs to know about where things go. */
struct runctx {
	const struct config *config;
	const struct fetchopts *fetch;
	char *builddir, *statedir, *logdir, *workdir, *stage, *hostprefix, *patchdir;
	int jobs;
	int tty;
	long long sourcedate;  /* SOURCE_DATE_EPOCH: the time recorded in what is installed */
};

/* lockbuild takes the build directory's lock or exits with EXIT_LOCKED naming the holder. */
int lockbuild(const char *builddir);
/* reapstale kills processes left running by an earlier run of this build directory that was
 * killed with SIGKILL (they carry MUSLXB_BUILD_DIR in their environment). */
void reapstale(const char *builddir);
/* schedrun runs every node of g that must run; returns 0 or an exit status. A guardian process
 * watches the run: if bootstrap dies without finishing (SIGKILL), it kills every process the
 * run started (they carry MUSLXB_RUN in their environment) within a second. */
int schedrun(struct graph *g, struct runctx *x);

#endif
