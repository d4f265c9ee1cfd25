/* config.h: the user's settings, from config.mk and NAME=VALUE arguments. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

/* One variable: its value and where it was set (line 0: command line). */
struct var {
	char *name, *value;
	const char *file;
	int line;
};

struct config {
	struct var *vars;
	size_t nvars;
	int errors; /* errors reported so far */
};

/* configload reads a config.mk subset: NAME ?= / = / := value, # comments, $(NAME) references.
 * Syntax errors are reported as file:line and counted in c->errors. */
void configload(struct config *c, const char *path);
/* configarg applies a NAME=VALUE command-line argument; 0 if arg is not of that form. */
int configarg(struct config *c, const char *arg);
/* configget returns a variable's value, or NULL if it is not set. */
const char *configget(const struct config *c, const char *name);
/* configfind returns a variable, or NULL. */
struct var *configfind(const struct config *c, const char *name);
/* configset sets a variable (file NULL and line 0 for command-line values). */
void configset(struct config *c, const char *name, const char *value, const char *file, int line);
/* configknown tells whether name is one of bootstrap's own settings. */
int configknown(const char *name);

#endif
