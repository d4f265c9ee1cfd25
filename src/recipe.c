/* recipe.c: see recipe.h and docs/recipes.md. The parser reads one logical line at a time
 * (continuation lines joined) and hands each directive to the function its keyword table
 * names: one table for the top level, one for artifact blocks, one for step blocks. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recipe.h"
#include "target.h"

struct parser {
	const char *path;
	int line;                /* line of the directive being handled */
	int *errors;
	const struct config *config;
	const char *patchdir;
	struct recipe *r;
	struct artifact *art;    /* the open artifact block, or NULL */
	struct step *st;         /* the open step block, or NULL */
	struct buf prelude;      /* top-level run lines, put before every step's own */
	struct strv excludes;    /* top-level excludes, inherited by every artifact */
	struct buf source;       /* the directives the source tree depends on, for srchash */
	int nameline, versionline;
};

/* A directive: its keyword, the function that handles its value, and whether the value may be
 * empty. A block's table also names the block in the "expected ..." message. */
struct keyword {
	const char *name;
	void (*fn)(struct parser *p, char *val);
	int empty;
};

static int
validname(const char *s)
{
	if (!*s || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || strchr("+._-", *s)))
			return 0;
	return 1;
}

static void
addpatch(struct parser *p, struct patchref **list, size_t *n, const char *name)
{
	struct patchref *r;
	size_t len;
	char *text;

	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	r = &(*list)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->line = p->line;
	r->path = xasprintf("%s/%s", p->patchdir, name);
	if (strstr(name, "..") || name[0] == '/') {
		errorat(p->errors, p->path, p->line, "patch file '%s' must be a path below the patches directory", name);
		return;
	}
	text = readfile(r->path, &len);
	if (!text) {
		errorat(p->errors, p->path, p->line, "patch file '%s' not found (looked for %s: %s)", name, r->path,
		        strerror(errno));
		return;
	}
	sha256hex(text, len, r->hash);
	free(text);
}

static void checkhost(struct recipe *r, struct step *st, size_t i, const struct config *c, int *errors);

/* scanvars records in vars every $NAME or ${NAME} in s that names a config variable (any
 * name, if c is NULL). */
static void
scanvars(struct strv *vars, const struct config *c, const char *s)
{
	while ((s = strchr(s, '$')) != NULL) {
		const char *b = s + 1, *e;
		int brace = *b == '{' || *b == '(';
		if (brace)
			b++;
		for (e = b; isalnum((unsigned char)*e) || *e == '_'; e++)
			;
		if (e > b) {
			char *name = xstrndup(b, (size_t)(e - b));
			size_t i;
			int dup = 0;
			for (i = 0; i < vars->n; i++)
				dup |= strcmp(vars->v[i], name) == 0;
			if (!dup && (!c || configfind(c, name)))
				strvadd(vars, name);
			else
				free(name);
		}
		s = e > s + 1 ? e : s + 1;
	}
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- top-level directives */

static void
kname(struct parser *p, char *val)
{
	if (p->r->name)
		errorat(p->errors, p->path, p->line, "duplicate 'name' (first on line %d)", p->nameline);
	else if (!validname(val))
		errorat(p->errors, p->path, p->line, "invalid name '%s': expected [a-z0-9][a-z0-9+._-]*", val);
	else
		p->r->name = xstrdup(val), p->nameline = p->line;
}

/* kversion takes a literal or a whole-value ${NAME}, expanded from the config. */
static void
kversion(struct parser *p, char *val)
{
	size_t n = strlen(val);

	if (p->r->version) {
		errorat(p->errors, p->path, p->line, "duplicate 'version' (first on line %d)", p->versionline);
		return;
	}
	p->versionline = p->line;
	if (n > 3 && val[0] == '$' && val[1] == '{' && val[n - 1] == '}') {
		char *name = xstrndup(val + 2, n - 3);
		const char *v = configget(p->config, name);
		if (!v || !*v)
			errorat(p->errors, p->path, p->line, "version refers to ${%s}, which the config does not set",
			        name);
		p->r->version = xstrdup(v && *v ? v : val);
		free(name);
		return;
	}
	if (strchr(val, '$'))
		errorat(p->errors, p->path, p->line, "version must be a literal or a single ${NAME}, found '%s'", val);
	p->r->version = xstrdup(val);
}

/* setonce sets a top-level value that may be given once. */
static void
setonce(struct parser *p, char **field, const char *key, const char *val)
{
	if (*field)
		errorat(p->errors, p->path, p->line, "duplicate '%s'", key);
	else
		*field = xstrdup(val);
}

static void
klicense(struct parser *p, char *val)
{
	setonce(p, &p->r->license, "license", val);
}

static void
ksummary(struct parser *p, char *val)
{
	setonce(p, &p->r->summary, "summary", val);
}

static void
kpatch(struct parser *p, char *val)
{
	addpatch(p, &p->r->patches, &p->r->npatches, val);
}

static void
kexclude(struct parser *p, char *val)
{
	strvadd(&p->excludes, xstrdup(val));
}

static void
kprelude(struct parser *p, char *val)
{
	bufadds(&p->prelude, val);
	bufaddc(&p->prelude, '\n');
}

static void
kartifact(struct parser *p, char *val)
{
	struct recipe *r = p->r;

	if (strchr(val, '/') || strcmp(val, ".") == 0 || strcmp(val, "..") == 0)
		errorat(p->errors, p->path, p->line, "artifact file name '%s' must not contain '/'", val);
	r->artifacts = xrealloc(r->artifacts, (r->nartifacts + 1) * sizeof(*r->artifacts));
	p->art = &r->artifacts[r->nartifacts++];
	memset(p->art, 0, sizeof(*p->art));
	p->art->file = xstrdup(val);
	p->art->line = p->line;
}

static void
kstep(struct parser *p, char *val)
{
	struct recipe *r = p->r;
	size_t i;

	if (!validname(val) || strcmp(val, "source") == 0)
		errorat(p->errors, p->path, p->line, "invalid step name '%s'%s", val,
		        strcmp(val, "source") == 0 ? ": 'source' is reserved" : "");
	for (i = 0; i < r->nsteps; i++)
		if (strcmp(r->steps[i].name, val) == 0)
			errorat(p->errors, p->path, p->line, "duplicate step '%s' (first on line %d)", val,
			        r->steps[i].line);
	r->steps = xrealloc(r->steps, (r->nsteps + 1) * sizeof(*r->steps));
	p->st = &r->steps[r->nsteps++];
	memset(p->st, 0, sizeof(*p->st));
	p->st->name = xstrdup(val);
	p->st->line = p->line;
	p->st->recipe = r;
}

/* ---- artifact block */

static void
aversion(struct parser *p, char *val)
{
	p->art->version = xstrdup(val);
}

static void
asha256(struct parser *p, char *val)
{
	size_t i;

	if (!ishex64(val)) {
		errorat(p->errors, p->path, p->line, "malformed sha256 '%s': expected 64 hex digits", val);
		snprintf(p->art->sha256, sizeof(p->art->sha256), "%s", "malformed"); /* reported once */
		return;
	}
	for (i = 0; i < 64; i++)
		p->art->sha256[i] = (char)tolower((unsigned char)val[i]);
	p->art->sha256[64] = '\0';
}

static void
aurl(struct parser *p, char *val)
{
	strvadd(&p->art->urls, xstrdup(val));
}

static void
adebian(struct parser *p, char *val)
{
	p->art->debian = xstrdup(val);
}

static void
amember(struct parser *p, char *val)
{
	p->art->member = xstrdup(val);
}

static void
astrip(struct parser *p, char *val)
{
	if (strchr(val, '/') || strcmp(val, "..") == 0)
		errorat(p->errors, p->path, p->line, "strip takes one folder name, found '%s'", val);
	p->art->strip = xstrdup(val);
}

static void
aexclude(struct parser *p, char *val)
{
	strvadd(&p->art->excludes, xstrdup(val));
}

static void
apatch(struct parser *p, char *val)
{
	addpatch(p, &p->art->patches, &p->art->npatches, val);
}

static void
afixup(struct parser *p, char *val)
{
	addpatch(p, &p->art->fixups, &p->art->nfixups, val);
}

/* ---- step block */

static void
safter(struct parser *p, char *val)
{
	struct step *st = p->st;

	st->afters = xrealloc(st->afters, (st->nafters + 1) * sizeof(*st->afters));
	st->afters[st->nafters].ref = xstrdup(val);
	st->afters[st->nafters++].line = p->line;
}

static void
srun(struct parser *p, char *val)
{
	bufadds(&p->st->script, val);
	bufaddc(&p->st->script, '\n');
}

static void
sonly(struct parser *p, char *val)
{
	if (strcmp(val, "dist") != 0)
		errorat(p->errors, p->path, p->line, "'only' takes 'dist', found '%s'", val);
	else
		p->st->dist = 1;
}

static void
shost(struct parser *p, char *val)
{
	if (*val)
		errorat(p->errors, p->path, p->line, "'host' takes no value, found '%s'", val);
	else
		p->st->host = 1;
}

static void
scost(struct parser *p, char *val)
{
	char *end;
	double v = strtod(val, &end);

	if (*end || v < 0 || v > 1e6)
		errorat(p->errors, p->path, p->line, "'cost' takes a number of seconds, found '%s'", val);
	else
		p->st->cost = v;
}

static const struct keyword topkeys[] = {
	{"name", kname, 0},       {"version", kversion, 0}, {"license", klicense, 0}, {"summary", ksummary, 0},
	{"patch", kpatch, 0},     {"exclude", kexclude, 0}, {"run", kprelude, 1},    {"artifact", kartifact, 0},
	{"step", kstep, 0},       {NULL, NULL, 0},
};
static const struct keyword artkeys[] = {
	{"version", aversion, 0}, {"sha256", asha256, 0},   {"url", aurl, 0},     {"debian", adebian, 0},
	{"member", amember, 0},   {"strip", astrip, 0},     {"exclude", aexclude, 0}, {"patch", apatch, 0},
	{"fixup", afixup, 0},     {NULL, NULL, 0},
};
static const struct keyword stepkeys[] = {
	{"after", safter, 0}, {"run", srun, 1}, {"only", sonly, 0}, {"cost", scost, 0},
	{"host", shost, 1}, {NULL, NULL, 0},
};

/* directive finds key in a block's table and runs it, or reports what the block expects. */
static void
directive(struct parser *p, const struct keyword *tab, const char *block, char *key, char *val)
{
	const struct keyword *k;
	struct buf want = {0};

	for (k = tab; k->name; k++)
		if (strcmp(k->name, key) == 0) {
			if (!*val && !k->empty)
				errorat(p->errors, p->path, p->line, "'%s' needs a value", key);
			else
				k->fn(p, val);
			return;
		}
	for (k = tab; k->name; k++)
		bufaddf(&want, "%s%s", k == tab ? "" : k[1].name ? ", " : " or ", k->name);
	errorat(p->errors, p->path, p->line, "unknown key '%s'%s%s (expected %s)", key, block ? " in " : "",
	        block ? block : "", want.s);
	free(want.s);
}

/* nextline cuts the logical line at *cursor (continuations joined, the backslash-newline kept
 * for the shell) into out; sets p->line to its first line and *last to its last. NULL at the end. */
static char *
nextline(struct parser *p, char **cursor, struct buf *out, int *last)
{
	char *line = *cursor, *next;

	if (!line || !*line)
		return NULL;
	out->len = 0;
	bufgrow(out, 0);
	out->s[0] = '\0';
	p->line = ++*last;
	for (;;) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		bufadds(out, line);
		if (!(out->len > 0 && out->s[out->len - 1] == '\\' && next && *next))
			break;
		bufaddc(out, '\n');
		line = next;
		++*last;
	}
	*cursor = next;
	return out->s;
}

/* handle splits one logical line into key and value and dispatches it. */
static void
handle(struct parser *p, char *line)
{
	int indented = *line == ' ' || *line == '\t';
	char *key, *val, *e;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return;
	key = line;
	for (e = key; *e && !isspace((unsigned char)*e); e++)
		;
	val = e;
	if (*e)
		*e++ = '\0', val = e;
	while (*val == ' ' || *val == '\t')
		val++;
	e = val + strlen(val);
	while (e > val && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	/* what the source tree is made from: every directive outside step blocks but the run lines
	 * (name, version, patches, excludes, artifacts); a step's key holds its own script */
	if ((!indented && strcmp(key, "step") != 0 && strcmp(key, "run") != 0 && strcmp(key, "license") != 0 &&
	     strcmp(key, "summary") != 0) ||
	    (indented && p->art))
		bufaddf(&p->source, "%s %s\n", key, val);
	if (!indented) {
		p->art = NULL;
		p->st = NULL;
		directive(p, topkeys, NULL, key, val);
	} else if (p->art) {
		directive(p, artkeys, "artifact", key, val);
	} else if (p->st) {
		directive(p, stepkeys, "step", key, val);
	} else {
		errorat(p->errors, p->path, p->line, "indented '%s' outside an artifact or step block", key);
	}
}

/* finish checks what needs the whole file, hands the recipe-level excludes and run lines to
 * every artifact and step, and picks the artifacts that are alternatives for the version. */
static void
finish(struct parser *p)
{
	struct recipe *r = p->r;
	size_t i, j;

	if (!r->name)
		errorat(p->errors, p->path, 1, "missing 'name'");
	if (!r->version)
		errorat(p->errors, p->path, 1, "missing 'version'");
	for (i = 0; i < r->nartifacts; i++) {
		struct artifact *a = &r->artifacts[i];
		if (!a->sha256[0])
			errorat(p->errors, p->path, a->line, "artifact '%s' has no sha256", a->file);
		for (j = 0; j < p->excludes.n; j++)
			strvadd(&a->excludes, xstrdup(p->excludes.v[j]));
		if (r->version && (!a->version || strcmp(a->version, r->version) == 0)) {
			r->alts = xrealloc(r->alts, (r->nalts + 1) * sizeof(*r->alts));
			r->alts[r->nalts++] = a;
		}
	}
	for (i = 0; i < r->nsteps && p->prelude.len; i++) {
		struct buf s = {0};
		bufadd(&s, p->prelude.s, p->prelude.len);
		if (r->steps[i].script.s)
			bufadd(&s, r->steps[i].script.s, r->steps[i].script.len);
		free(r->steps[i].script.s);
		r->steps[i].script = s;
	}
	/* a toolchain step must not run after a dist step, also not implicitly (the step above it):
	 * the toolchain's steps have the same keys whether or not dist's steps are in the graph */
	for (i = 1; i < r->nsteps; i++)
		if (r->steps[i - 1].dist && !r->steps[i].dist)
			errorat(p->errors, p->path, r->steps[i].line,
			        "step '%s' follows step '%s', which is 'only dist': put the dist steps last, or "
			        "mark this one 'only dist' too",
			        r->steps[i].name, r->steps[i - 1].name);
	if (r->version && r->nartifacts > 0 && r->nalts == 0) {
		struct buf have = {0};
		for (i = 0; i < r->nartifacts; i++)
			bufaddf(&have, "%s%s", i ? ", " : "", r->artifacts[i].version ? r->artifacts[i].version : "?");
		errorat(p->errors, p->path, p->versionline, "no artifact for version %s (artifacts are for: %s)",
		        r->version, have.s);
		free(have.s);
	}
	if (r->name) {
		/* the file must be NAME.recipe so that references and state names are unambiguous */
		const char *base = strrchr(p->path, '/');
		base = base ? base + 1 : p->path;
		char *want = xasprintf("%s.recipe", r->name);
		if (strcmp(base, want) != 0)
			errorat(p->errors, p->path, p->nameline, "name '%s' does not match the file name (expected %s)",
			        r->name, want);
		free(want);
	}
}

struct recipe *
recipeload(const char *path, const struct config *c, const char *patchdir, int *errors)
{
	struct parser p = {.path = path, .errors = errors, .config = c, .patchdir = patchdir};
	struct buf line = {0};
	size_t len, i;
	char *text, *cursor, *l;
	int last = 0;

	p.r = xcalloc(1, sizeof(*p.r));
	p.r->path = xstrdup(path);
	if (!(text = readfile(path, &len))) {
		errorat(errors, path, 0, "cannot read recipe:");
		return p.r;
	}
	sha256hex(text, len, p.r->hash);
	scanvars(&p.r->vars, c, text);
	if (p.r->vars.n > 1)
		qsort(p.r->vars.v, p.r->vars.n, sizeof(char *), cmpstr);
	cursor = text;
	while ((l = nextline(&p, &cursor, &line, &last)) != NULL)
		handle(&p, l);
	free(line.s);
	free(text);
	finish(&p);
	sha256hex(p.source.s ? p.source.s : "", p.source.len, p.r->srchash);
	free(p.source.s);
	for (i = 0; i < p.r->nsteps; i++) {
		struct step *st = &p.r->steps[i];
		struct buf b = {0};
		bufaddf(&b, "step %s\n%s", st->name, st->script.s ? st->script.s : "");
		sha256hex(b.s, b.len, st->hash);
		free(b.s);
		if (st->host)
			checkhost(p.r, st, i, c, errors);
	}
	free(p.prelude.s);
	for (i = 0; i < p.excludes.n; i++)
		free(p.excludes.v[i]);
	free(p.excludes.v);
	return p.r;
}

/* checkhost reports a host step that uses what differs between targets, is also 'only dist',
 * or follows a step that is not a host step (every step runs after the one before it); it
 * records the config variables the step mentions, which its key holds. */
static void
checkhost(struct recipe *r, struct step *st, size_t i, const struct config *c, int *errors)
{
	struct strv all = {0};
	size_t j;

	r->host = 1;
	scanvars(&st->vars, c, st->script.s ? st->script.s : "");
	if (st->vars.n > 1)
		qsort(st->vars.v, st->vars.n, sizeof(char *), cmpstr);
	if (st->dist)
		errorat(errors, r->path, st->line, "step '%s' cannot be both 'host' and 'only dist'", st->name);
	if (i > 0 && !r->steps[i - 1].host)
		errorat(errors, r->path, st->line,
		        "host step '%s' comes after step '%s', which is not a host step (host steps come first)",
		        st->name, r->steps[i - 1].name);
	scanvars(&all, NULL, st->script.s ? st->script.s : "");
	for (j = 0; j < all.n; j++) {
		if (targetdependent(all.v[j]))
			errorat(errors, r->path, st->line,
			        "host step '%s' uses $%s, which differs between targets (a host step is built once "
			        "for every target; it installs into $SHARED_PREFIX)",
			        st->name, all.v[j]);
		free(all.v[j]);
	}
	free(all.v);
}

static int
isrecipe(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 7 && d->d_name[0] != '.' && strcmp(d->d_name + n - 7, ".recipe") == 0;
}

struct recipe **
recipeloaddir(const char *dir, const struct config *c, const char *patchdir, size_t *n, int *errors)
{
	struct dirent **ents;
	struct recipe **rs;
	int i, cnt = scandir(dir, &ents, isrecipe, alphasort);

	if (cnt < 0) {
		errorat(errors, dir, 0, "cannot read recipes directory:");
		*n = 0;
		return NULL;
	}
	rs = xcalloc((size_t)cnt + 1, sizeof(*rs));
	for (i = 0; i < cnt; i++) {
		char *path = xasprintf("%s/%s", dir, ents[i]->d_name);
		rs[i] = recipeload(path, c, patchdir, errors);
		free(path);
		free(ents[i]);
	}
	free(ents);
	*n = (size_t)cnt;
	return rs;
}
