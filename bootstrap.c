/* bootstrap: builds a toolchain from recipes. It reads the config and the recipes, plans which
 * steps must run, fetches and verifies the sources they need, runs the steps under one job
 * budget, and installs the staging prefix as TOOLCHAIN_DIR in one rename.
 * Usage and exit statuses: docs/usage.md. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/config.h"
#include "src/dist.h"
#include "src/extract.h"
#include "src/fetch.h"
#include "src/graph.h"
#include "src/install.h"
#include "src/recipe.h"
#include "src/sched.h"
#include "src/sig.h"
#include "src/target.h"
#include "src/util.h"

static void
usage(void)
{
	fprintf(stderr, "usage: bootstrap [-f config.mk] [build|dist|fetch|explain|-n|check] [NAME=VALUE ...] "
	                "[RECIPE[:STEP] ...]\n");
	exit(EXIT_USAGE);
}

static const char *
need(const struct config *c, const char *name)
{
	const char *v = configget(c, name);

	if (!v || !*v)
		fatal(EXIT_RECIPE, "%s is not set (in the config or as %s=VALUE)", name, name);
	return v;
}

/* checkunknown reports variables, from the config file or the command line, that are neither
 * settings nor used by a recipe: most likely a misspelt name, which would otherwise be ignored
 * without a word. */
static void
checkunknown(struct config *c, struct recipe **rs, size_t nr)
{
	size_t i, j, k;

	for (i = 0; i < c->nvars; i++) {
		struct var *v = &c->vars[i];
		size_t len = strlen(v->name);
		/* package versions are settings even when the recipes in use do not name them */
		int used = configknown(v->name) || targetvar(v->name) || v->line < 0 ||
		           (len > 8 && strcmp(v->name + len - 8, "_VERSION") == 0);
		for (j = 0; j < nr && !used; j++)
			for (k = 0; k < rs[j]->vars.n && !used; k++)
				used = strcmp(rs[j]->vars.v[k], v->name) == 0;
		if (!used)
			errorat(&c->errors, v->line ? v->file : "command line", v->line,
			        "unknown variable %s (not a setting, and no recipe uses it)", v->name);
	}
}

/* sourcedate is SOURCE_DATE_EPOCH, the time recorded in what is installed (the SBOM's creation
 * time, the release tarball's mtimes): the config's value, or else derived from the pinned
 * inputs, never the clock: the commit time of the checkout that holds the recipes, or without
 * git the newest modification time of a recipe file. */
static long long
sourcedate(struct config *c, const char *recipes)
{
	const char *v = configget(c, "SOURCE_DATE_EPOCH");
	char *end, line[64] = "";
	long long t = 0;

	if (v && *v) {
		t = strtoll(v, &end, 10);
		if (*end || t < 0)
			fatal(EXIT_RECIPE, "SOURCE_DATE_EPOCH must be seconds since 1970, found '%s'", v);
		return t;
	}
	char *cmd = xasprintf("git -C '%s' log -1 --format=%%ct 2>/dev/null", recipes);
	FILE *f = strchr(recipes, '\'') ? NULL : popen(cmd, "r");
	free(cmd);
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		pclose(f);
		t = strtoll(line, &end, 10);
		if (end != line && (*end == '\n' || !*end))
			return t;
	}
	t = 0;
	DIR *d = opendir(recipes);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		struct stat st;
		char *p = xasprintf("%s/%s", recipes, e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0 && st.st_mtime > t)
			t = st.st_mtime;
		free(p);
	}
	if (d)
		closedir(d);
	return t;
}

/* fetchall makes sure the sources of the recipes whose source must be prepared are in the
 * cache (every recipe when all is set); OFFLINE lists every missing one. Returns an exit status. */
static int
fetchall(struct graph *g, const struct fetchopts *fo, int all)
{
	size_t i, j, missing = 0;

	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		struct recipe *r = n->recipe;
		if (n->step || (!all && n->state == NDONE) || r->nalts == 0)
			continue;
		n->art = fo->offline ? fetchcached(fo, r) : fetchrecipe(fo, r);
		if (interrupted)
			reraise();
		if (n->art)
			continue;
		missing++;
		if (fo->offline) {
			for (j = 0; j < r->nalts; j++)
				warn("missing %s/%s (sha256 %s)%s", fo->cache, r->alts[j]->file,
				        r->alts[j]->sha256, j + 1 < r->nalts ? ", or" : "");
		} else {
			warn("%s: could not fetch any of its %zu artifact(s) (see above); cache: %s", r->name, r->nalts,
			     fo->cache);
		}
	}
	if (missing && fo->offline)
		warn("OFFLINE=1: %zu recipe(s) have no artifact in the cache; copy the files listed above into %s",
		     missing, fo->cache);
	return missing ? EXIT_FETCH : 0;
}

int
main(int argc, char **argv)
{
	struct config c = {0};
	const char *cfgpath = "config.mk", *cmd = "build";
	int dryrun = 0; /* -n: explain what CMD (build or dist) would run */
	int cmdgiven = 0; /* step names follow a command: a word before one is a bad command */
	struct recipe **rs;
	size_t nr, i;
	int errors = 0, argi;
	struct graph *g;
	struct fetchopts fo;
	struct runctx x = {0};
	/* steps named on the command line: only they and what they run after are built, and
	 * nothing is installed (a part of the build, for CI and for working on a recipe) */
	char **goals = xcalloc((size_t)argc, sizeof(*goals));
	size_t ngoals = 0;

	for (argi = 1; argi < argc; argi++) {
		const char *a = argv[argi];
		if (strcmp(a, "-f") == 0 && argi + 1 < argc)
			cfgpath = argv[++argi];
		else if (strcmp(a, "-n") == 0)
			dryrun = 1;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage();
		else if (configarg(&c, a))
			;
		else if (!strcmp(a, "build") || !strcmp(a, "dist") || !strcmp(a, "fetch") || !strcmp(a, "explain") ||
		         !strcmp(a, "check"))
			cmd = a, cmdgiven = 1;
		else if (cmdgiven && *a && *a != '-' && !strchr(a, '='))
			goals[ngoals++] = argv[argi];
		else {
			warn("unknown argument '%s'", a);
			usage();
		}
	}
	configload(&c, cfgpath);
	if (c.errors)
		return EXIT_RECIPE;
	const char *jobs = configget(&c, "JOBS");
	if (!jobs || !*jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%ld", n > 0 ? n : 1);
		configset(&c, "JOBS", tmp, NULL, 0);
		jobs = configget(&c, "JOBS");
	}
	char *end;
	long nj = strtol(jobs, &end, 10);
	if (*end || nj < 1 || nj > 1024)
		fatal(EXIT_RECIPE, "JOBS must be a number from 1 to 1024, found '%s'", jobs);
	x.jobs = (int)nj;
	need(&c, "TARGET");
	char *targets = xasprintf("%s/targets", need(&c, "RECIPES"));
	targetload(&c, targets);
	free(targets);
	if (c.errors)
		return EXIT_RECIPE;
	x.patchdir = abspath(need(&c, "PATCHES"));
	rs = recipeloaddir(need(&c, "RECIPES"), &c, x.patchdir, &nr, &errors);
	checkunknown(&c, rs, nr);
	errors += c.errors;
	if (errors)
		return EXIT_RECIPE;
	/* fetch takes dist's sources too: a machine given the cache can then make dist offline */
	g = graphbuild(rs, nr, strcmp(cmd, "dist") == 0 || strcmp(cmd, "fetch") == 0, &errors);
	if (ngoals)
		graphgoals(g, goals, ngoals, &errors);
	if (errors)
		return EXIT_RECIPE;
	graphkeys(g, &c);
	if (strcmp(cmd, "check") == 0) {
		printf("%zu recipes, %zu steps: ok\n", nr, g->nnodes - nr);
		return 0;
	}

	x.config = &c;
	x.builddir = abspath(need(&c, "BUILD_DIR"));
	x.statedir = xasprintf("%s/state", x.builddir);
	x.logdir = xasprintf("%s/logs", x.builddir);
	x.workdir = xasprintf("%s/work", x.builddir);
	x.stage = xasprintf("%s/stage", x.builddir);
	x.hostprefix = xasprintf("%s/host", x.builddir);
	x.release = xasprintf("%s/release", x.builddir);
	x.own = (struct place){x.statedir, x.workdir};
	x.shared = x.own;
	for (i = 0; i < g->nnodes && !g->nodes[i]->shared; i++)
		;
	if (i < g->nnodes) { /* a host step: HOST_BUILD_DIR is its place */
		const char *hb = configget(&c, "HOST_BUILD_DIR");
		if (!hb || !*hb)
			fatal(EXIT_RECIPE, "HOST_BUILD_DIR is not set: %s is a host step (built once for every "
			      "target), which runs there", g->nodes[i]->name);
		x.hostbuild = abspath(hb);
		if (strcmp(x.hostbuild, x.builddir) == 0)
			fatal(EXIT_RECIPE, "HOST_BUILD_DIR must not be BUILD_DIR (%s)", x.builddir);
		x.sharedprefix = xasprintf("%s/prefix", x.hostbuild);
		x.shared = (struct place){xasprintf("%s/state", x.hostbuild), xasprintf("%s/work", x.hostbuild)};
	}
	x.dist = strcmp(cmd, "dist") == 0;
	x.tty = isatty(1);
	/* a value given is checked now; the git look-up waits until something is installed */
	const char *sde = configget(&c, "SOURCE_DATE_EPOCH");
	x.sourcedate = sde && *sde ? sourcedate(&c, need(&c, "RECIPES")) : -1;
	x.fetch = &fo;
	char *dest = abspath(need(&c, "TOOLCHAIN_DIR"));
	configset(&c, "TOOLCHAIN_DIR", dest, NULL, 0);

	if (dryrun || strcmp(cmd, "explain") == 0) {
		size_t count = graphplan(g, &c, &x.own, &x.shared);
		for (i = 0; i < g->nnodes; i++)
			if (g->nodes[i]->reason)
				printf("%s: %s\n", g->nodes[i]->name, g->nodes[i]->reason);
		if (count == 0) {
			printf("nothing to do\n");
			return 0;
		}
		int rough, known;
		x.jobs = x.jobs > 0 ? x.jobs : 1;
		double left = estimateleft(g, &x, &rough, &known);
		if (known)
			printf("estimated time: %s%.0f s with JOBS=%d (%s)\n", rough ? "about " : "", left, x.jobs,
			       rough ? "rough: some steps never ran here; from the recipes' typical costs"
			             : "from the times of the last run of each step");
		else
			printf("estimated time: unknown (a step never ran here and its recipe gives no cost)\n");
		return 0;
	}

	siginit();
	fetchinit(&fo, &c);
	if (strcmp(cmd, "fetch") == 0)
		return fetchall(g, &fo, 1);

	int lockfd = lockbuild(x.builddir);
	(void)lockfd; /* held until exit */
	reapstale(x.builddir);
	struct cache cache;
	cacheinit(&cache, &c, x.builddir, need(&c, "TARGET"), configget(&c, "HOST_CC"), configget(&c, "HOST_CXX"));
	x.cache = &cache;
	const char *dirs[] = {x.statedir, x.logdir, x.workdir, x.stage, x.hostprefix, x.release};
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (mkdirs(dirs[i]) < 0)
			fatal(EXIT_USAGE, "%s:", dirs[i]);
	x.hosttools = pinhosttools(x.builddir);
	size_t count = graphplan(g, &c, &x.own, &x.shared);
	if (x.hostbuild) {
		/* shared by every target: built by one run at a time, not rebuilt under a run using it */
		int build = 0;
		for (i = 0; i < g->nnodes; i++)
			build |= g->nodes[i]->shared && g->nodes[i]->reason != NULL;
		int sharedfd = lockshared(x.hostbuild, build);
		(void)sharedfd; /* held until exit */
		const char *sdirs[] = {x.shared.state, x.shared.work, x.sharedprefix};
		for (i = 0; i < sizeof(sdirs) / sizeof(*sdirs); i++)
			if (mkdirs(sdirs[i]) < 0)
				fatal(EXIT_USAGE, "%s:", sdirs[i]);
		if (build)
			count = graphplan(g, &c, &x.own, &x.shared); /* as it is now that the lock is held */
	}
	if (count == 0) {
		printf("nothing to do\n");
	} else {
		int rc = fetchall(g, &fo, 0);
		if (rc)
			return rc;
		rc = schedrun(g, &x);
		if (rc)
			return rc;
	}
	if (ngoals) {
		printf("built what was named; nothing installed (TOOLCHAIN_DIR and DIST_DIR untouched)\n");
		free(goals);
		return 0;
	}
	free(goals);
	if (x.sourcedate < 0)
		x.sourcedate = sourcedate(&c, need(&c, "RECIPES"));
	int rc = install(g, &x, dest);
	if (rc || strcmp(cmd, "dist") != 0)
		return rc;
	char *distdir = abspath(need(&c, "DIST_DIR"));
	return dist(dest, need(&c, "TARGET"), distdir, x.sourcedate);
}
