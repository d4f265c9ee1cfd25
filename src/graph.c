/* graph.c: see graph.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph.h"

#define STATEMAGIC "muslxb-state 1\n"

/* Config variables in every step's key, whether or not its recipe names them: the step's
 * environment depends on them (SYSROOT and the $TARGET-tools on PATH; the makes it runs). */
static const char *const stepkeyed[] = {"TARGET", "MAKEVARS"};

static struct node *
newnode(struct recipe *r, struct step *s)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->recipe = r;
	n->step = s;
	n->name = xasprintf("%s:%s", r->name, s ? s->name : "source");
	n->shared = s ? s->host : r->host;
	return n;
}

static void
adddep(struct node *n, struct node *dep)
{
	size_t i;

	for (i = 0; i < n->ndeps; i++)
		if (n->deps[i] == dep)
			return;
	n->deps = xrealloc(n->deps, (n->ndeps + 1) * sizeof(*n->deps));
	n->deps[n->ndeps++] = dep;
	dep->outs = xrealloc(dep->outs, (dep->nouts + 1) * sizeof(*dep->outs));
	dep->outs[dep->nouts++] = n;
}

/* findnode resolves "recipe:step" or "recipe" (its last step that is not 'only dist', or its
 * source if it has none): `after gcc` means the same step with or without dist's steps. */
static struct node *
findnode(struct node **all, size_t n, const char *ref)
{
	const char *colon = strchr(ref, ':');
	size_t rl = colon ? (size_t)(colon - ref) : strlen(ref);
	struct node *last = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		struct node *x = all[i];
		if (strlen(x->recipe->name) != rl || strncmp(x->recipe->name, ref, rl) != 0)
			continue;
		if (colon && strcmp(x->step ? x->step->name : "source", colon + 1) == 0)
			return x;
		if (!colon && !(x->step && x->step->dist))
			last = x;
	}
	return last;
}

/* visit is a depth-first walk for the topological order; a node met again while on the
 * stack closes a cycle, which is reported with every node in it. */
static int
visit(struct node *n, struct node ***order, size_t *norder, struct node **stack, size_t depth, int *errors)
{
	size_t i;

	if (n->mark == 2)
		return 0;
	if (n->mark == 1) {
		struct buf b = {0};
		size_t j = depth;
		while (j > 0 && stack[j - 1] != n)
			j--;
		for (i = j - 1; i < depth; i++)
			bufaddf(&b, "%s -> ", stack[i]->name);
		bufadds(&b, n->name);
		struct step *s = n->step ? n->step : stack[depth - 1]->step;
		errorat(errors, s ? s->recipe->path : n->recipe->path, s ? s->line : 1, "dependency cycle: %s", b.s);
		free(b.s);
		return -1;
	}
	n->mark = 1;
	stack[depth] = n;
	for (i = 0; i < n->ndeps; i++)
		if (visit(n->deps[i], order, norder, stack, depth + 1, errors) < 0)
			return -1;
	n->mark = 2;
	(*order)[(*norder)++] = n;
	return 0;
}

struct graph *
graphbuild(struct recipe **rs, size_t nr, int withdist, int *errors)
{
	struct graph *g = xcalloc(1, sizeof(*g));
	struct node **all = NULL, **stack;
	size_t n = 0, i, j, k;

	for (i = 0; i < nr; i++) {
		struct recipe *r = rs[i];
		for (j = i + 1; j < nr; j++)
			if (r->name && rs[j]->name && strcmp(r->name, rs[j]->name) == 0)
				errorat(errors, rs[j]->path, 1, "recipe name '%s' also used by %s", r->name, r->path);
		all = xrealloc(all, (n + 1 + r->nsteps) * sizeof(*all));
		all[n++] = newnode(r, NULL);
		int opened[2] = {0, 0}; /* in the target's build directory, in HOST_BUILD_DIR's */
		for (j = 0; j < r->nsteps; j++) {
			all[n] = newnode(r, &r->steps[j]);
			if (!opened[all[n]->shared])
				all[n]->opens = opened[all[n]->shared] = 1;
			adddep(all[n], all[n - 1]); /* source, or the previous step */
			n++;
		}
	}
	for (i = 0; i < n; i++) {
		struct step *s = all[i]->step;
		if (!s)
			continue;
		for (k = 0; k < s->nafters; k++) {
			struct node *d = findnode(all, n, s->afters[k].ref);
			if (!d)
				errorat(errors, s->recipe->path, s->afters[k].line,
				        "unknown dependency '%s' (no such recipe or step)", s->afters[k].ref);
			else if (d->step && d->step->dist && !s->dist)
				errorat(errors, s->recipe->path, s->afters[k].line,
				        "'%s' is 'only dist': a step of the toolchain cannot run after it",
				        s->afters[k].ref);
			else if (s->host && !d->shared)
				errorat(errors, s->recipe->path, s->afters[k].line,
				        "host step '%s' cannot run after '%s', which is built for each target",
				        s->name, s->afters[k].ref);
			else if (d == all[i])
				errorat(errors, s->recipe->path, s->afters[k].line, "dependency cycle: %s -> %s", d->name,
				        d->name);
			else
				adddep(all[i], d);
		}
	}
	g->nodes = xcalloc(n + 1, sizeof(*g->nodes));
	stack = xcalloc(n + 1, sizeof(*stack));
	/* without dist, a step that is 'only dist' is left out, and so is the source of a recipe
	 * all of whose steps are (mimalloc: nothing of make toolchain uses it, and the SBOM of
	 * a toolchain lists only what it was made from); a source a step uses is visited through
	 * that step */
	for (i = 0; i < n; i++)
		if ((withdist || (all[i]->step ? !all[i]->step->dist : all[i]->recipe->nsteps == 0)) &&
		    visit(all[i], &g->nodes, &g->nnodes, stack, 0, errors) < 0)
			break;
	free(stack);
	g->made = all;
	g->nmade = n;
	return g;
}

static void
markdeps(struct node *n)
{
	size_t i;

	if (n->mark)
		return;
	n->mark = 1;
	for (i = 0; i < n->ndeps; i++)
		markdeps(n->deps[i]);
}

void
graphgoals(struct graph *g, char *const *names, size_t n, int *errors)
{
	size_t i, kept = 0;

	for (i = 0; i < g->nnodes; i++)
		g->nodes[i]->mark = 0;
	for (i = 0; i < n; i++) {
		struct node *x = findnode(g->nodes, g->nnodes, names[i]);
		if (!x) {
			warn("unknown step '%s': no such recipe or step%s", names[i],
			     strchr(names[i], ':') ? " (a step marked 'only dist' runs with dist only)" : "");
			++*errors;
		} else {
			markdeps(x);
		}
	}
	/* the nodes left out stay NDONE (as made): the scheduler never starts them */
	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i]->mark)
			g->nodes[kept++] = g->nodes[i];
	g->nnodes = kept;
	for (i = 0; i < g->nnodes; i++)
		g->nodes[i]->mark = 0;
}

/* keyinput renders everything a node's result depends on; the key is its hash. */
static void
keyinput(struct buf *b, const struct node *n, const struct config *c)
{
	struct recipe *r = n->recipe;
	size_t i, j;

	bufaddf(b, "node %s\nrecipe %s\nversion %s\n", n->name, n->step ? n->step->hash : r->srchash, r->version);
	for (i = 0; i < r->nalts; i++) {
		struct artifact *a = r->alts[i];
		for (j = 0; j < a->npatches; j++)
			bufaddf(b, "patch %s %s\n", a->patches[j].name, a->patches[j].hash);
		for (j = 0; j < a->nfixups; j++)
			bufaddf(b, "patch %s %s\n", a->fixups[j].name, a->fixups[j].hash);
	}
	for (i = 0; i < r->npatches; i++)
		bufaddf(b, "patch %s %s\n", r->patches[i].name, r->patches[i].hash);
	/* what is shared by every target holds no config the target's steps mention: a host
	 * step, what its own script mentions (never the target: recipe.c refuses that); a
	 * shared source, nothing beyond what the tree is made from */
	const struct strv *vars = !n->shared ? &r->vars : n->step ? &n->step->vars : NULL;
	for (i = 0; n->step && i < sizeof(stepkeyed) / sizeof(*stepkeyed); i++) {
		const char *v = configget(c, stepkeyed[i]);
		if (n->shared && strcmp(stepkeyed[i], "TARGET") == 0)
			continue;
		for (j = 0; j < vars->n && strcmp(vars->v[j], stepkeyed[i]) != 0; j++)
			;
		if (j == vars->n)
			bufaddf(b, "config %s=%s\n", stepkeyed[i], v ? v : "");
	}
	for (i = 0; vars && i < vars->n; i++) {
		const char *v = configget(c, vars->v[i]);
		bufaddf(b, "config %s=%s\n", vars->v[i], v ? v : "");
	}
	for (i = 0; i < n->ndeps; i++)
		bufaddf(b, "dep %s %s\n", n->deps[i]->name, n->deps[i]->key);
}

void
graphkeys(struct graph *g, const struct config *c)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++) {
		struct buf b = {0};
		bufadds(&b, STATEMAGIC);
		keyinput(&b, g->nodes[i], c);
		sha256hex(b.s, b.len, g->nodes[i]->key);
		free(b.s);
	}
}

char *
graphrecord(const struct node *n, const struct config *c)
{
	struct buf b = {0};

	bufadds(&b, STATEMAGIC);
	bufaddf(&b, "key %s\n", n->key);
	keyinput(&b, n, c);
	if (n->art)
		bufaddf(&b, "artifact %s %s\n", n->art->file, n->art->sha256);
	return b.s;
}

int
graphdone(const struct node *n, const struct config *c, const char *statedir)
{
	char *rec = graphrecord(n, c), *path = statepath(statedir, n);
	int rc = writefileatomic(path, rec, strlen(rec));

	free(rec);
	free(path);
	return rc;
}

/* unfinishedpath is the mark of a recipe whose step is running, or was stopped before it
 * finished. */
static char *
unfinishedpath(const char *statedir, const struct recipe *r)
{
	return xasprintf("%s/%s.unfinished", statedir, r->name);
}

static char *
treepath(const char *statedir, const struct recipe *r)
{
	return xasprintf("%s/%s.tree", statedir, r->name);
}

int
graphtree(const struct node *n, const char *statedir)
{
	char *path = treepath(statedir, n->recipe), *text = xasprintf("%s\n", n->key);
	int rc = writefileatomic(path, text, strlen(text));

	free(path);
	free(text);
	return rc;
}

int
graphstarted(const struct node *n, const char *statedir)
{
	char *path = unfinishedpath(statedir, n->recipe), *text = xasprintf("%s\n", n->name);
	int rc = n->step ? writefileatomic(path, text, strlen(text)) : 0;

	free(path);
	free(text);
	return rc;
}

void
graphended(const struct node *n, const char *statedir)
{
	char *path = unfinishedpath(statedir, n->recipe);

	if (unlink(path) < 0 && errno != ENOENT)
		warn("%s:", path);
	free(path);
}

static char *
timepath(const char *statedir, const struct node *n)
{
	char *rec = statepath(statedir, n), *path = xasprintf("%s.time", rec);

	free(rec);
	return path;
}

void
graphtimed(const struct node *n, const char *statedir, double secs, long long bytes)
{
	char *path = timepath(statedir, n), *text = xasprintf("seconds %.1f\nlogged %lld\n", secs, bytes);

	if (writefileatomic(path, text, strlen(text)) < 0)
		warn("%s:", path); /* only the next estimate suffers */
	free(path);
	free(text);
}

static void
readtimes(struct node *n, const char *statedir)
{
	char *path = timepath(statedir, n), *text = readfile(path, NULL);
	double s;
	long long b;

	n->prevsecs = -1;
	n->prevbytes = -1;
	if (text && sscanf(text, "seconds %lf logged %lld", &s, &b) == 2 && s >= 0) {
		n->prevsecs = s;
		n->prevbytes = b;
	}
	free(text);
	free(path);
}

double
graphestimate(const struct node *n, double speed, int *rough)
{
	if (n->prevsecs >= 0)
		return n->prevsecs;
	if (n->step && n->step->cost > 0) {
		*rough = 1;
		return n->step->cost * speed;
	}
	return -1;
}

double
graphremaining(const struct graph *g, const double *left, int jobs)
{
	double *finish = xcalloc(g->nnodes ? g->nnodes : 1, sizeof(*finish)), longest = 0, sum = 0;
	size_t i, j, k;

	/* nodes are in a topological order: a node's dependencies come before it */
	for (i = 0; i < g->nnodes; i++) {
		const struct node *n = g->nodes[i];
		double start = 0;
		for (j = 0; j < n->ndeps; j++)
			for (k = 0; k < i; k++)
				if (g->nodes[k] == n->deps[j] && finish[k] > start)
					start = finish[k];
		finish[i] = start + left[i];
		if (finish[i] > longest)
			longest = finish[i];
		sum += left[i];
	}
	free(finish);
	sum /= jobs > 0 ? jobs : 1;
	return longest > sum ? longest : sum;
}

char *
statepath(const char *statedir, const struct node *n)
{
	return xasprintf("%s/%s.%s", statedir, n->recipe->name, n->step ? n->step->name : "source");
}

/* findline returns the line of rec starting with prefix (up to a space or '=' after it). */
static const char *
findline(const char *rec, const char *prefix, size_t plen)
{
	const char *l;

	for (l = rec; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, prefix, plen) == 0)
			return l;
	return NULL;
}

static int
samelines(const char *a, const char *b)
{
	size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

	return la == lb && strncmp(a, b, la) == 0;
}

/* why compares a done record with the current inputs and names the first difference. */
static void
why(struct node *n, const struct config *c, const char *old)
{
	char *cur = graphrecord(n, c);
	const char *l;

	if (strncmp(old, STATEMAGIC, strlen(STATEMAGIC)) != 0) {
		n->reason = "state from another version of bootstrap";
		goto out;
	}
	l = findline(old, "recipe ", 7);
	if (!l || !samelines(l, findline(cur, "recipe ", 7))) {
		n->reason = "recipe changed";
		goto out;
	}
	/* every line of the current input must be in the old record, and vice versa; of the
	 * differences, name a config change first (it explains a version change too), then a
	 * patch, then a dependency */
	const char *first[4] = {NULL, NULL, NULL, NULL}; /* config, patch, dep, other */
	for (int pass = 0; pass < 2; pass++) {
		const char *from = pass ? old : cur, *to = pass ? cur : old;
		for (l = from; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			const char *m;
			int found = 0, kind;
			if (strncmp(l, "key ", 4) == 0 || strncmp(l, "artifact ", 9) == 0)
				continue;
			for (m = to; m && *m && !found; m = strchr(m, '\n') ? strchr(m, '\n') + 1 : NULL)
				found = samelines(l, m);
			if (found)
				continue;
			kind = strncmp(l, "config ", 7) == 0 ? 0 : strncmp(l, "patch ", 6) == 0 ? 1
			     : strncmp(l, "dep ", 4) == 0    ? 2 : 3;
			if (!first[kind])
				first[kind] = l;
		}
	}
	for (int k = 0; k < 4; k++) {
		size_t kl;
		if (!(l = first[k]))
			continue;
		if (k == 0) {
			kl = strcspn(l + 7, "=\n");
			n->reasonbuf = xasprintf("config changed: %.*s", (int)kl, l + 7);
		} else if (k == 1) {
			kl = strcspn(l + 6, " \n");
			n->reasonbuf = xasprintf("patch changed: %.*s", (int)kl, l + 6);
		} else if (k == 2) {
			kl = strcspn(l + 4, " \n");
			n->reasonbuf = xasprintf("dependency changed: %.*s", (int)kl, l + 4);
		} else {
			n->reasonbuf = xasprintf("input changed: %.*s", (int)strcspn(l, "\n"), l);
		}
		n->reason = n->reasonbuf;
		goto out;
	}
	n->reason = "key changed";
out:
	free(cur);
}

/* recordedart finds the alternative a source node's done record names (file and sha256). */
static struct artifact *
recordedart(const struct node *n, const char *rec)
{
	const char *l = findline(rec, "artifact ", 9);
	size_t i, fl;

	if (!l)
		return NULL;
	l += 9;
	for (i = 0; i < n->recipe->nalts; i++) {
		struct artifact *a = n->recipe->alts[i];
		fl = strlen(a->file);
		if (strncmp(l, a->file, fl) == 0 && l[fl] == ' ' && strncmp(l + fl + 1, a->sha256, 64) == 0 &&
		    (l[fl + 65] == '\n' || l[fl + 65] == '\0'))
			return a;
	}
	return NULL;
}

/* intree: x is a step that runs in the build directory o, the first step there, begins */
static int
intree(const struct node *o, const struct node *x)
{
	return x->step && x->recipe == o->recipe && x->shared == o->shared;
}

size_t
graphplan(struct graph *g, const struct config *c, const struct place *own, const struct place *shared)
{
	size_t i, j, count = 0;

	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		const char *statedir = (n->shared ? shared : own)->state;
		char *path = statepath(statedir, n);
		char *old = readfile(path, NULL);
		n->reason = NULL;
		n->fresh = 0;
		readtimes(n, statedir);
		if (old && !n->step)
			n->art = recordedart(n, old);
		if (!old) {
			n->reason = "never built";
		} else {
			const char *k = findline(old, "key ", 4);
			if (!k || strncmp(k + 4, n->key, 64) != 0)
				why(n, c, old);
		}
		free(old);
		free(path);
		/* a step killed mid-way (SIGKILL, or a stop that reached its compilers) can leave a
		 * half-written file with a fresh time stamp, which make would take as up to date: the
		 * recipe starts again from a fresh source tree */
		char *mark = n->step ? NULL : unfinishedpath(statedir, n->recipe), *was;
		if (mark && (was = readfile(mark, NULL)) != NULL) {
			was[strcspn(was, "\n")] = '\0';
			free(n->reasonbuf);
			n->reasonbuf = xasprintf("%s was stopped before it finished: its work tree is prepared again",
			                         was);
			n->reason = n->reasonbuf;
			free(was);
		}
		free(mark);
	}
	/* A recipe whose work tree is gone must redo every step in it: the later steps need the
	 * build directory the earlier ones made. */
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		if (n->step)
			continue;
		if (n->reason) {
			/* preparing the source again empties the build directory */
			for (j = 0; j < g->nnodes; j++)
				if (g->nodes[j]->recipe == n->recipe && !g->nodes[j]->reason)
					g->nodes[j]->reason = "source prepared again";
			continue;
		}
		int anystale = 0;
		for (j = 0; j < g->nnodes; j++)
			if (g->nodes[j]->recipe == n->recipe && g->nodes[j]->reason)
				anystale = 1;
		if (!anystale)
			continue;
		const char *workdir = (n->shared ? shared : own)->work;
		char *src = xasprintf("%s/%s/src", workdir, n->recipe->name);
		char *bld = xasprintf("%s/%s/build", workdir, n->recipe->name);
		if (!isdir(src) || !isdir(bld))
			for (j = 0; j < g->nnodes; j++)
				if (g->nodes[j]->recipe == n->recipe && !g->nodes[j]->reason)
					g->nodes[j]->reason = "work tree missing";
		free(src);
		free(bld);
	}
	/* A build directory holds what its recipe's first step there began: configure's caches,
	 * objects compiled with its flags. When a step in it must run and that first step's key
	 * is not the one the directory was begun for (state/RECIPE.tree; none from a bootstrap
	 * before the record), the directory is emptied and every step in it runs: a configure
	 * run again over an old config.cache stops at the changed compiler or flags, and make
	 * does not remake an object whose flags changed. A step that failed by itself leaves the
	 * record as it was: the rerun continues where it stopped. */
	for (i = 0; i < g->nnodes; i++) {
		struct node *o = g->nodes[i];
		if (!o->opens)
			continue;
		for (j = 0; j < g->nnodes && !(intree(o, g->nodes[j]) && g->nodes[j]->reason); j++)
			;
		if (j == g->nnodes) /* nothing in it must run */
			continue;
		char *path = treepath((o->shared ? shared : own)->state, o->recipe), *began = readfile(path, NULL);
		/* the record is the key and a newline (graphtree) */
		int same = began && strncmp(began, o->key, HEXLEN - 1) == 0 && began[HEXLEN - 1] == '\n';
		free(path);
		free(began);
		if (same)
			continue;
		o->fresh = 1;
		for (j = 0; j < g->nnodes; j++)
			if (intree(o, g->nodes[j]) && !g->nodes[j]->reason)
				g->nodes[j]->reason = g->nodes[j] == o ? "its build directory was begun for other inputs: it starts empty"
				                                       : "its build directory starts empty";
	}
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		n->state = n->reason ? NWAIT : NDONE;
		n->npending = 0;
		if (n->reason)
			count++;
	}
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		for (j = 0; j < n->ndeps; j++)
			if (n->deps[j]->state != NDONE)
				n->npending++;
		if (n->state == NWAIT && n->npending == 0)
			n->state = NREADY;
	}
	return count;
}
