/* sched.h: running the graph: one job budget (GNU make jobserver), processes, signals, status. */
#ifndef SCHED_H
#define SCHED_H

#include <signal.h>
#include <stddef.h>

#include "config.h"
#include "fetch.h"
#include "graph.h"

/* The signal that interrupted the run, or 0. Global because a signal handler sets it. */
extern volatile sig_atomic_t interrupted;

/* Everything a run needs to know about where things go. */
struct runctx {
	const struct config *config;
	const struct fetchopts *fetch;
	char *builddir, *statedir, *logdir, *workdir, *stage, *hostprefix, *patchdir;
	int jobs;
	int tty;
};

/* siginit installs the handlers that turn SIGINT, SIGTERM and SIGHUP into `interrupted`. */
void siginit(void);
/* reraise ends the process with the signal that interrupted it, so the exit status tells. */
void reraise(void);
/* lockbuild takes the build directory's lock or exits with EXIT_LOCKED naming the holder. */
int lockbuild(const char *builddir);
/* reapstale kills processes left running by an earlier run of this build directory that was
 * killed with SIGKILL (they carry MUSLXB_BUILD_DIR in their environment). */
void reapstale(const char *builddir);
/* schedrun runs every node of g that must run; returns 0 or an exit status. */
int schedrun(struct graph *g, struct runctx *x);

#endif
