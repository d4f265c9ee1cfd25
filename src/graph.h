/* graph.h: the steps of all recipes as one dependency graph, their keys and done records. */
#ifndef GRAPH_H
#define GRAPH_H

#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "recipe.h"

enum nodestate { NDONE, NWAIT, NREADY, NRUN, NFAILED };

/* A node is a recipe's source preparation (step == NULL) or one of its steps. */
struct node {
	char *name;             /* "recipe:step" or "recipe:source" */
	struct recipe *recipe;
	struct step *step;      /* NULL for the source node */
	struct artifact *art;   /* source node: the artifact used, chosen when fetching or read back
	                           from the done record; NULL if none */
	struct node **deps;     /* runs after these */
	size_t ndeps;
	struct node **outs;     /* these run after it */
	size_t nouts;
	char key[HEXLEN];
	const char *reason;     /* why it must run; NULL if up to date */
	char *reasonbuf;        /* owns reason text that names something */
	enum nodestate state;
	size_t npending;        /* deps not yet done in this run */
	pid_t pid;              /* running process (its own process group) */
	double start, end;
	double cpu;             /* user + system seconds of the step and what it waited for */
	int mark;               /* scratch for graph walks */
	int status;             /* exit status of its process */
	double prevsecs;        /* how long its last run took (any key), or -1 if never timed */
	long long prevbytes;    /* how much its last run logged, or -1 */
	int shared;             /* a host step, or the source of a recipe that has one: its records
	                           and work tree are in HOST_BUILD_DIR, shared by every target */
	int opens;              /* the first step of its recipe in its work tree: its key says what
	                           the build directory holds (state/RECIPE.tree) */
	int fresh;              /* graphplan: the build directory is emptied before it runs */
};

/* Where nodes keep their done records (state) and recipes' work trees (work): a target's
 * BUILD_DIR, or HOST_BUILD_DIR for shared nodes. */
struct place {
	const char *state, *work;
};

struct graph {
	struct node **nodes;    /* in a topological order */
	size_t nnodes;
	struct node **made;     /* every node graphbuild made, those left out of nodes too (only
	                           dist's, the rest after a cycle): the graph holds them all */
	size_t nmade;
};

/* graphbuild makes the graph and resolves `after` references; reports unknown references and
 * cycles as file:line errors counted in *errors. Steps marked `only dist` are in the graph only
 * if withdist is set (they are checked either way). */
struct graph *graphbuild(struct recipe **rs, size_t nr, int withdist, int *errors);
/* graphgoals keeps of g only the named steps and the steps and sources they run after, in the
 * same order: "recipe:step", or "recipe" as `after` means it. An unknown name is an error
 * counted in *errors; a step that is 'only dist' is known only when the graph has dist's. */
void graphgoals(struct graph *g, char *const *names, size_t n, int *errors);
/* graphkeys computes every node's key from its recipe, patches, config and dependencies. A
 * step's key also holds the config variables every step's environment depends on (TARGET,
 * through SYSROOT and the tools' names, and MAKEVARS). */
void graphkeys(struct graph *g, const struct config *c);

/* Done records: graph.c alone writes and reads them (BUILD_DIR/state/RECIPE.STEP). */

/* graphrecord renders the done record of a node: its key, the inputs it was made from and,
 * for a source node, the artifact it used. */
char *graphrecord(const struct node *n, const struct config *c);
/* graphdone writes n's done record into statedir; -1 with errno set on failure. */
int graphdone(const struct node *n, const struct config *c, const char *statedir);
/* graphplan compares keys with the done records and marks what must run, with reasons; own
 * is the target's place, shared HOST_BUILD_DIR's (for shared nodes; may equal own when the
 * graph has none). It also reads back which artifact each source node used. Returns the
 * number of nodes to run. */
size_t graphplan(struct graph *g, const struct config *c, const struct place *own, const struct place *shared);
/* graphstarted marks n's recipe unfinished (BUILD_DIR/state/RECIPE.unfinished) before a step
 * of it runs; graphended removes the mark when the step's process has exited by itself, and
 * when the recipe's source has been prepared again. While the mark is there, graphplan
 * prepares the recipe's source again and reruns all its steps. -1 with errno set on failure. */
int graphstarted(const struct node *n, const char *statedir);
/* graphtree records that n, a step that opens its recipe's build directory, starts it empty
 * (BUILD_DIR/state/RECIPE.tree); -1 with errno set on failure. */
int graphtree(const struct node *n, const char *statedir);
void graphended(const struct node *n, const char *statedir);
/* graphtimed records how long n's run took and how much it logged
 * (BUILD_DIR/state/RECIPE.STEP.time), for the next run's estimates; graphplan reads it back into
 * prevsecs and prevbytes, whatever the key. */
void graphtimed(const struct node *n, const char *statedir, double secs, long long bytes);
/* graphestimate is the time n takes, as the last run took or, failing that, its recipe's cost
 * scaled by speed (seconds taken per second of cost so far); *rough is set if it is the latter.
 * -1 if nothing is known. */
double graphestimate(const struct node *n, double speed, int *rough);
/* graphremaining estimates the seconds left for g's nodes not done: the longer of the longest
 * chain of dependencies and the work spread over jobs. left[i] is what is left of node i (its
 * estimate, less what a running node has done); *rough as for graphestimate. */
double graphremaining(const struct graph *g, const double *left, int jobs);
/* statepath returns the done record's path of a node. */
char *statepath(const char *statedir, const struct node *n);

#endif
