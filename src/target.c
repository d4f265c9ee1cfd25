/* target.c: see target.h and docs/targets.md. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "util.h"

/* The table's columns after the target triple, in order; the last takes the rest of the line
 * ('-' for an empty value). */
static const char *const columns[] = {"LINUX_ARCH", "MUSL_ARCH", "LDSO", "QEMU_ARCH", "MESON_CPU_FAMILY", "ENDIAN",
                                     "GO_ARCH",    "GO_ARM",    "RUST_TARGET", "GCC_TARGET_OPTIONS"};
enum { NCOLUMNS = sizeof(columns) / sizeof(*columns) };

int
targetdependent(const char *name)
{
	static const char *const names[] = {"TARGET", "TOOLCHAIN_DIR", "DIST_DIR", "PREFIX", "SYSROOT",
	                                    "HOST_PREFIX", "RELEASE_PREFIX", "BUILD_ROOT"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return targetvar(name);
}

int
targetvar(const char *name)
{
	size_t i;

	for (i = 0; i < NCOLUMNS; i++)
		if (strcmp(name, columns[i]) == 0)
			return 1;
	return 0;
}

/* field cuts the next white-space separated word from *s; the whole rest when rest is set. */
static char *
field(char **s, int rest)
{
	char *b = *s, *e;

	b += strspn(b, " \t");
	if (!*b)
		return NULL;
	if (rest) {
		e = b + strlen(b);
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
	} else {
		e = b + strcspn(b, " \t");
	}
	*s = *e ? e + 1 : e;
	*e = '\0';
	return b;
}

void
targetload(struct config *c, const char *path)
{
	const char *target = configget(c, "TARGET");
	char *text = readfile(path, NULL), *line, *next;
	struct buf known = {0};
	int lineno = 0, found = 0;

	if (!text) {
		if (errno != ENOENT)
			errorat(&c->errors, path, 0, "cannot read the target table:");
		return;
	}
	for (line = text; line && *line; line = next) {
		char *vals[NCOLUMNS], *name, *s;
		size_t i;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		s = line;
		if (!(name = field(&s, 0)) || *name == '#')
			continue;
		for (i = 0; i < NCOLUMNS; i++)
			if (!(vals[i] = field(&s, i + 1 == NCOLUMNS)))
				break;
		if (i < NCOLUMNS) {
			errorat(&c->errors, path, lineno, "target %s: expected %d columns after the name, found %zu", name,
			        NCOLUMNS, i);
			continue;
		}
		bufaddf(&known, "%s%s", known.len ? ", " : "", name);
		if (!target || strcmp(name, target) != 0 || found++)
			continue;
		for (i = 0; i < NCOLUMNS; i++)
			configset(c, columns[i], strcmp(vals[i], "-") == 0 ? "" : vals[i], path, -lineno);
	}
	if (!found && target)
		errorat(&c->errors, path, 0, "no entry for TARGET '%s' (the table lists: %s)", target,
		        known.s ? known.s : "nothing");
	free(known.s);
	free(text);
}
