/* recipe.c: see recipe.h and docs/recipes.md. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recipe.h"

struct parser {
	const char *path;
	int line;
	int *errors;
	const struct config *config;
	const char *patchdir;
};

static void
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s:%d: ", p->path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	(*p->errors)++;
}

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
		perr(p, p->line, "patch file '%s' must be a path below the patches directory", name);
		return;
	}
	text = readfile(r->path, &len);
	if (!text) {
		perr(p, p->line, "patch file '%s' not found (looked for %s: %s)", name, r->path, strerror(errno));
		return;
	}
	sha256hex(text, len, r->hash);
	free(text);
}

/* scanvars records every $NAME or ${NAME} in s that names a config variable. */
static void
scanvars(struct recipe *r, const struct config *c, const char *s)
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
			for (i = 0; i < r->vars.n; i++)
				dup |= strcmp(r->vars.v[i], name) == 0;
			if (!dup && configfind(c, name))
				strvadd(&r->vars, name);
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

/* expandversion replaces a whole-value ${NAME} by the config value. */
static char *
expandversion(struct parser *p, const char *v)
{
	size_t n = strlen(v);

	if (n > 3 && v[0] == '$' && v[1] == '{' && v[n - 1] == '}') {
		char *name = xstrndup(v + 2, n - 3);
		const char *val = configget(p->config, name);
		if (!val || !*val) {
			perr(p, p->line, "version refers to ${%s}, which the config does not set", name);
			free(name);
			return xstrdup(v);
		}
		free(name);
		return xstrdup(val);
	}
	if (strchr(v, '$'))
		perr(p, p->line, "version must be a literal or a single ${NAME}, found '%s'", v);
	return xstrdup(v);
}

struct recipe *
recipeload(const char *path, const struct config *c, const char *patchdir, int *errors)
{
	struct parser p = {path, 0, errors, c, patchdir};
	struct recipe *r = xcalloc(1, sizeof(*r));
	struct artifact *art = NULL;
	struct step *st = NULL;
	size_t len;
	char *text = readfile(path, &len), *line, *next;
	int namelinetmp = 0, versionline = 0;
	size_t i;

	r->path = xstrdup(path);
	if (!text) {
		fprintf(stderr, "bootstrap: %s: cannot read recipe: %s\n", path, strerror(errno));
		(*errors)++;
		return r;
	}
	sha256hex(text, len, r->hash);
	scanvars(r, c, text);
	if (r->vars.n > 1)
		qsort(r->vars.v, r->vars.n, sizeof(char *), cmpstr);
	for (line = text; line && *line; line = next) {
		int indented, startline;
		char *key, *val, *e;
		struct buf joined = {0};

		p.line++;
		startline = p.line;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* join continuation lines, keeping the backslash-newline for the shell */
		bufadds(&joined, line);
		while (joined.len > 0 && joined.s[joined.len - 1] == '\\' && next && *next) {
			line = next;
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			p.line++;
			bufaddc(&joined, '\n');
			bufadds(&joined, line);
		}
		line = joined.s ? joined.s : "";
		indented = *line == ' ' || *line == '\t';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#') {
			free(joined.s);
			continue;
		}
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
		int ln = startline, endline = p.line;
		p.line = ln;
		if (!*val && strcmp(key, "run") != 0) {
			perr(&p, ln, "'%s' needs a value", key);
		} else if (!indented) {
			art = NULL;
			st = NULL;
			if (strcmp(key, "name") == 0) {
				if (r->name)
					perr(&p, ln, "duplicate 'name' (first on line %d)", namelinetmp);
				else if (!validname(val))
					perr(&p, ln, "invalid name '%s': expected [a-z0-9][a-z0-9+._-]*", val);
				else
					r->name = xstrdup(val), namelinetmp = ln;
			} else if (strcmp(key, "version") == 0) {
				if (r->version)
					perr(&p, ln, "duplicate 'version' (first on line %d)", versionline);
				else
					r->version = expandversion(&p, val), versionline = ln;
			} else if (strcmp(key, "patch") == 0) {
				addpatch(&p, &r->patches, &r->npatches, val);
			} else if (strcmp(key, "artifact") == 0) {
				if (strchr(val, '/') || strcmp(val, ".") == 0 || strcmp(val, "..") == 0)
					perr(&p, ln, "artifact file name '%s' must not contain '/'", val);
				r->artifacts = xrealloc(r->artifacts, (r->nartifacts + 1) * sizeof(*r->artifacts));
				art = &r->artifacts[r->nartifacts++];
				memset(art, 0, sizeof(*art));
				art->file = xstrdup(val);
				art->line = ln;
			} else if (strcmp(key, "step") == 0) {
				if (!validname(val) || strcmp(val, "source") == 0)
					perr(&p, ln, "invalid step name '%s'%s", val,
					     strcmp(val, "source") == 0 ? ": 'source' is reserved" : "");
				for (i = 0; i < r->nsteps; i++)
					if (strcmp(r->steps[i].name, val) == 0)
						perr(&p, ln, "duplicate step '%s' (first on line %d)", val, r->steps[i].line);
				r->steps = xrealloc(r->steps, (r->nsteps + 1) * sizeof(*r->steps));
				st = &r->steps[r->nsteps++];
				memset(st, 0, sizeof(*st));
				st->name = xstrdup(val);
				st->line = ln;
				st->recipe = r;
			} else {
				perr(&p, ln, "unknown key '%s' (expected name, version, patch, artifact or step)", key);
			}
		} else if (art) {
			if (strcmp(key, "version") == 0) {
				art->version = xstrdup(val);
			} else if (strcmp(key, "sha256") == 0) {
				if (!ishex64(val)) {
					perr(&p, ln, "malformed sha256 '%s': expected 64 hex digits", val);
					snprintf(art->sha256, sizeof(art->sha256), "%s", "malformed"); /* reported once */
				} else {
					for (i = 0; i < 64; i++)
						art->sha256[i] = (char)tolower((unsigned char)val[i]);
					art->sha256[64] = '\0';
				}
			} else if (strcmp(key, "url") == 0) {
				strvadd(&art->urls, xstrdup(val));
			} else if (strcmp(key, "debian") == 0) {
				art->debian = xstrdup(val);
			} else if (strcmp(key, "member") == 0) {
				art->member = xstrdup(val);
			} else if (strcmp(key, "strip") == 0) {
				if (strchr(val, '/') || strcmp(val, "..") == 0)
					perr(&p, ln, "strip takes one folder name, found '%s'", val);
				art->strip = xstrdup(val);
			} else if (strcmp(key, "exclude") == 0) {
				strvadd(&art->excludes, xstrdup(val));
			} else if (strcmp(key, "patch") == 0) {
				addpatch(&p, &art->patches, &art->npatches, val);
			} else if (strcmp(key, "fixup") == 0) {
				addpatch(&p, &art->fixups, &art->nfixups, val);
			} else {
				perr(&p, ln, "unknown key '%s' in artifact (expected version, sha256, url, debian, member, strip, exclude, patch or fixup)", key);
			}
		} else if (st) {
			if (strcmp(key, "after") == 0) {
				st->afters = xrealloc(st->afters, (st->nafters + 1) * sizeof(*st->afters));
				st->afters[st->nafters].ref = xstrdup(val);
				st->afters[st->nafters++].line = ln;
			} else if (strcmp(key, "run") == 0) {
				bufadds(&st->script, val);
				bufaddc(&st->script, '\n');
			} else {
				perr(&p, ln, "unknown key '%s' in step (expected after or run)", key);
			}
		} else {
			perr(&p, ln, "indented '%s' outside an artifact or step block", key);
		}
		free(joined.s);
		p.line = endline;
	}
	free(text);
	p.line = 1;
	if (!r->name)
		perr(&p, 1, "missing 'name'");
	if (!r->version)
		perr(&p, 1, "missing 'version'");
	for (i = 0; i < r->nartifacts; i++) {
		struct artifact *a = &r->artifacts[i];
		if (!a->sha256[0])
			perr(&p, a->line, "artifact '%s' has no sha256", a->file);
		if (r->version && (!a->version || strcmp(a->version, r->version) == 0)) {
			r->alts = xrealloc(r->alts, (r->nalts + 1) * sizeof(*r->alts));
			r->alts[r->nalts++] = a;
		}
	}
	if (r->version && r->nartifacts > 0 && r->nalts == 0) {
		struct buf have = {0};
		for (i = 0; i < r->nartifacts; i++)
			bufaddf(&have, "%s%s", i ? ", " : "", r->artifacts[i].version ? r->artifacts[i].version : "?");
		perr(&p, versionline, "no artifact for version %s (artifacts are for: %s)", r->version, have.s);
		free(have.s);
	}
	if (r->name) {
		/* the file must be NAME.recipe so that references and state names are unambiguous */
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		char *want = xasprintf("%s.recipe", r->name);
		if (strcmp(base, want) != 0)
			perr(&p, namelinetmp, "name '%s' does not match the file name (expected %s)", r->name, want);
		free(want);
	}
	return r;
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
		fprintf(stderr, "bootstrap: %s: cannot read recipes directory: %s\n", dir, strerror(errno));
		(*errors)++;
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
