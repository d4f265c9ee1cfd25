/* install.c: see install.h. */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "install.h"
#include "sbom.h"

void
writemanifest(struct graph *g, struct runctx *x)
{
	struct buf b = {0};
	size_t i, k;

	bufadds(&b, "# What went into this toolchain, written by bootstrap.\n");
	/* the values the build depends on, not where it ran (paths, job count, mirrors) */
	for (i = 0; i < x->config->nvars; i++) {
		const struct var *v = &x->config->vars[i];
		if (!configknown(v->name) || strcmp(v->name, "TARGET") == 0 || strcmp(v->name, "MAKEVARS") == 0)
			bufaddf(&b, "config %s=%s\n", v->name, v->value);
	}
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		struct recipe *r = n->recipe;
		if (n->step) {
			bufaddf(&b, "step %s\n", n->name);
			const char *s = n->step->script.s ? n->step->script.s : "";
			while (*s) {
				size_t l = strcspn(s, "\n");
				bufaddf(&b, "  run %.*s\n", (int)l, s);
				s += l + (s[l] == '\n');
			}
			continue;
		}
		bufaddf(&b, "\npackage %s %s recipe-sha256 %s\n", r->name, r->version, r->hash);
		if (n->art) {
			struct artifact *a = n->art;
			bufaddf(&b, "artifact %s %s\n", a->file, a->sha256);
			for (k = 0; k < a->npatches; k++)
				bufaddf(&b, "patch %s sha256 %s\n", a->patches[k].name, a->patches[k].hash);
			for (k = 0; k < a->nfixups; k++)
				bufaddf(&b, "fixup %s sha256 %s\n", a->fixups[k].name, a->fixups[k].hash);
		}
		for (k = 0; k < r->npatches; k++)
			bufaddf(&b, "patch %s sha256 %s\n", r->patches[k].name, r->patches[k].hash);
	}
	char *dir = xasprintf("%s/share/muslxb", x->stage), *path = xasprintf("%s/manifest", dir);
	if (mkdirs(dir) < 0 || writefileatomic(path, b.s, b.len) < 0)
		fatal(EXIT_INSTALL, "%s:", path);
	free(dir);
	free(path);
	free(b.s);
}

/* overall is the key of what is installed: every node's key, and the recorded time. */
static char *
overall(struct graph *g, const struct runctx *x, const char *dest)
{
	struct buf b = {0};
	char key[HEXLEN];
	size_t i;

	bufaddf(&b, "SOURCE_DATE_EPOCH %lld\n", x->sourcedate);
	/* every recipe's whole text too: its licence and summary go into the SBOM */
	for (i = 0; i < g->nnodes; i++)
		bufaddf(&b, "%s %s %s\n", g->nodes[i]->name, g->nodes[i]->key, g->nodes[i]->recipe->hash);
	sha256hex(b.s, b.len, key);
	free(b.s);
	return xasprintf("%s %s\n", key, dest);
}

/* copytree copies the tree from into to; files already in to are replaced, not written through
 * (a hard link in to keeps its old contents under its other names). */
static int
copytree(const char *from, const char *to)
{
	char *src = xasprintf("%s/.", from);
	pid_t pid;
	int st;

	if ((pid = xfork()) == 0) {
		execlp("cp", "cp", "-a", "--remove-destination", src, to, (char *)NULL);
		_exit(127);
	}
	free(src);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* sweep removes what an earlier, killed install left beside dest. */
static void
sweep(const char *dest)
{
	char *dir = xstrdup(dest), *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dest;
	char *pre = xasprintf("%s.muslxb-", base);
	DIR *d;
	struct dirent *e;

	if (slash)
		*slash = '\0';
	d = opendir(slash ? (*dir ? dir : "/") : ".");
	while (d && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, pre, strlen(pre)) == 0) {
			char *p = xasprintf("%s/%s", slash ? dir : ".", e->d_name);
			if (rmtree(p) < 0)
				warn("%s:", p);
			free(p);
		}
	if (d)
		closedir(d);
	free(pre);
	free(dir);
}

int
install(struct graph *g, struct runctx *x, const char *dest)
{
	char *stamp = xasprintf("%s/installed", x->statedir);
	char *key = overall(g, x, dest), *old = readfile(stamp, NULL);
	char *tmp = xasprintf("%s.muslxb-new.%ld", dest, (long)getpid());
	char *parent = xstrdup(dest), *slash = strrchr(parent, '/');
	int rc = 0;

	if (old && strcmp(old, key) == 0 && isdir(dest)) {
		free(old);
		goto out;
	}
	free(old);
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdirs(parent) < 0) {
			warn("%s:", parent);
			rc = EXIT_INSTALL;
			goto out;
		}
	}
	sweep(dest);
	writemanifest(g, x);
	writesbom(g, x);
	if (mkdir(tmp, 0755) < 0 || copytree(x->stage, tmp) < 0 || (x->dist && copytree(x->release, tmp) < 0) ||
	    interrupted) {
		if (!interrupted)
			warn("cannot copy %s%s%s to %s", x->stage, x->dist ? " and " : "", x->dist ? x->release : "", tmp);
		rmtree(tmp);
		if (interrupted)
			reraise();
		rc = EXIT_INSTALL;
		goto out;
	}
	if (isdir(dest)) {
		/* one rename swaps the trees; the old one then lies at tmp */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_EXCHANGE) < 0) {
			warn("rename %s to %s:", tmp, dest);
			rmtree(tmp);
			rc = EXIT_INSTALL;
			goto out;
		}
		if (rmtree(tmp) < 0)
			warn("removing the previous toolchain at %s:", tmp);
	} else if (rename(tmp, dest) < 0) {
		warn("rename %s to %s:", tmp, dest);
		rmtree(tmp);
		rc = EXIT_INSTALL;
		goto out;
	}
	if (writefileatomic(stamp, key, strlen(key)) < 0)
		warn("%s:", stamp);
	printf("installed %s\n", dest);
out:
	free(parent);
	free(stamp);
	free(key);
	free(tmp);
	return rc;
}
