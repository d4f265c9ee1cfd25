/* config.c: see config.h. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

static const char *const settings[] = {
	"TARGET", "TOOLCHAIN_DIR", "BUILD_DIR", "SOURCES", "MIRRORS", "DEBIAN_MIRROR",
	"OFFLINE", "JOBS", "RECIPES", "PATCHES", "MAKEVARS", "SOURCE_DATE_EPOCH", "DIST_DIR",
	"CCACHE", "CCACHE_REMOTE", "DISTCC_HOSTS", "HOST_BUILD_DIR",
};

int
configknown(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (strcmp(name, settings[i]) == 0)
			return 1;
	return 0;
}

struct var *
configfind(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nvars; i++)
		if (strcmp(c->vars[i].name, name) == 0)
			return &c->vars[i];
	return NULL;
}

const char *
configget(const struct config *c, const char *name)
{
	struct var *v = configfind(c, name);

	return v ? v->value : NULL;
}

void
configset(struct config *c, const char *name, const char *value, const char *file, int line)
{
	struct var *v = configfind(c, name);

	if (!v) {
		c->vars = xrealloc(c->vars, (c->nvars + 1) * sizeof(*c->vars));
		v = &c->vars[c->nvars++];
		v->name = xstrdup(name);
	} else {
		free(v->value);
	}
	v->value = xstrdup(value);
	v->file = file;
	v->line = line;
}

static int
isname(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* expand replaces $(NAME) and ${NAME} by config values, else environment values, else nothing. */
static char *
expand(struct config *c, const char *path, int line, const char *s)
{
	struct buf b = {0};

	bufgrow(&b, 0);
	while (*s) {
		if (s[0] == '$' && (s[1] == '(' || s[1] == '{')) {
			char close = s[1] == '(' ? ')' : '}';
			const char *end = strchr(s + 2, close);
			if (!end || !isname(s + 2, (size_t)(end - s - 2))) {
				errorat(&c->errors, path, line, "expected $(NAME) in value");
				return b.s;
			}
			char *name = xstrndup(s + 2, (size_t)(end - s - 2));
			const char *val = configget(c, name);
			if (!val)
				val = getenv(name);
			if (val)
				bufadds(&b, val);
			free(name);
			s = end + 1;
		} else if (s[0] == '$' && s[1] == '$') {
			bufaddc(&b, '$');
			s += 2;
		} else {
			bufaddc(&b, *s++);
		}
	}
	return b.s;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

void
configload(struct config *c, const char *path)
{
	size_t len;
	char *text = readfile(path, &len);
	char *line, *next;
	int lineno = 0;

	if (!text) {
		errorat(&c->errors, path, 0, "cannot read config:");
		return;
	}
	for (line = text; line && *line; line = next) {
		char *op, *name, *value, *val;
		int cond = 0;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* strip comments: make treats # as a comment anywhere unless escaped */
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = trim(line);
		if (!*line)
			continue;
		op = strchr(line, '=');
		if (!op || op == line) {
			errorat(&c->errors, path, lineno, "expected NAME = value, found '%s'", line);
			continue;
		}
		value = op + 1;
		if (op[-1] == '?' || op[-1] == ':' || op[-1] == '+') {
			if (op[-1] == '+') {
				errorat(&c->errors, path, lineno, "'+=' is not supported; use '='");
				continue;
			}
			cond = op[-1] == '?';
			op--;
		}
		*op = '\0';
		name = trim(line);
		if (!isname(name, strlen(name))) {
			errorat(&c->errors, path, lineno, "expected a variable name, found '%s'", name);
			continue;
		}
		struct var *old = configfind(c, name);
		if (cond && old)
			continue; /* ?= keeps a value given on the command line or earlier */
		if (cond && getenv(name) && !old) {
			/* make's ?= keeps an environment value too */
			configset(c, name, getenv(name), path, lineno);
			continue;
		}
		if (old && old->line == 0)
			continue; /* command line wins, as in make */
		val = expand(c, path, lineno, trim(value));
		configset(c, name, val, path, lineno);
		free(val);
	}
	free(text);
}

int
configarg(struct config *c, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || !isname(arg, (size_t)(eq - arg)))
		return 0;
	char *name = xstrndup(arg, (size_t)(eq - arg));
	configset(c, name, eq + 1, NULL, 0);
	free(name);
	return 1;
}
