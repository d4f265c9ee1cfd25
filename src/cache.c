/* cache.c: see cache.h. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "util.h"

/* The compiler check ccache runs for every compile (compiler_check): a compiler in the stage is
 * identified by MUSLXB_STAGE_ID, the hash of its programs' contents (it is rebuilt in every fresh
 * build directory, with a new mtime and the same bytes). A compiler elsewhere in the build
 * directory, one the build made and runs where it made it (gcc's xgcc and xg++, which compile its
 * target libraries), by the contents of the compiler programs in its directory, hashed once for
 * each set of their sizes and times and kept in ids/ beside the script, and the stage's (its
 * assembler and linker). Any other by its size and mtime, as ccache does by default. */
static const char idscript[] =
	"#!/bin/sh\n"
	"# ccache's compiler check, written by bootstrap (docs/cache.md)\n"
	"case $1 in\n"
	"\"$MUSLXB_STAGE\"/*) echo \"stage $MUSLXB_STAGE_ID\" ;;\n"
	"\"$MUSLXB_BUILD_DIR\"/*)\n"
	"\td=${1%/*} ids=${0%/*}/ids\n"
	"\tfor f in xgcc xg++ cpp cc1 cc1plus collect2 lto-wrapper; do\n"
	"\t\t[ ! -f \"$d/$f\" ] || [ \"$d/$f\" = \"$1\" ] || set -- \"$@\" \"$d/$f\"\n"
	"\tdone\n"
	"\tk=$(stat -L -c '%n %s %Y' \"$@\" | cksum | tr ' ' -) || exit 1\n"
	"\tif [ ! -f \"$ids/$k\" ]; then\n"
	"\t\tmkdir -p \"$ids\" && cat \"$@\" | sha256sum > \"$ids/$k.$$\" && mv \"$ids/$k.$$\" \"$ids/$k\" || exit 1\n"
	"\tfi\n"
	"\techo \"built $(cut -c1-64 \"$ids/$k\") stage $MUSLXB_STAGE_ID\" ;;\n"
	"*) stat -L -c '%s %Y' \"$1\" ;;\n"
	"esac\n";

/* answers tells whether host:port accepts a connection and, when probe is given, answers it
 * (with a reply starting with want) within a second. */
static int
answers(const char *host, const char *port, const char *probe, const char *want)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL, *ai;
	int ok = 0;

	if (getaddrinfo(host, port, &hints, &res) != 0)
		return 0;
	for (ai = res; ai && !ok; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		int err = 0;
		socklen_t len = sizeof(err);
		if (fd < 0)
			continue;
		if ((connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 || errno == EINPROGRESS) && poll(&p, 1, 1000) == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
			char buf[64] = {0};
			ok = 1;
			if (probe) {
				p.events = POLLIN;
				ok = write(fd, probe, strlen(probe)) == (ssize_t)strlen(probe) && poll(&p, 1, 1000) == 1 &&
				     read(fd, buf, sizeof(buf) - 1) > 0 && strncmp(buf, want, strlen(want)) == 0;
			}
		}
		close(fd);
	}
	freeaddrinfo(res);
	return ok;
}

/* remoteok checks a remote storage URL (redis://HOST[:PORT], http://HOST[:PORT]/..., file:DIR,
 * attributes after '|'); *why says what failed. */
static int
remoteok(const char *url, const char **why)
{
	char *u = xstrndup(url, strcspn(url, "| ")), *host, *end, *port = NULL;
	int ok = 0;
	const char *probe = NULL, *want = NULL, *dport = NULL;

	*why = "no answer within a second";
	if (strncmp(u, "file:", 5) == 0) {
		const char *d = u + 5;
		if (strncmp(d, "//", 2) == 0)
			d += 2;
		ok = isdir(d);
		*why = "no such directory";
		free(u);
		return ok;
	}
	if (strncmp(u, "redis://", 8) == 0)
		host = u + 8, probe = "PING\r\n", want = "+PONG", dport = "6379";
	else if (strncmp(u, "http://", 7) == 0)
		host = u + 7, probe = "HEAD / HTTP/1.0\r\n\r\n", want = "HTTP/", dport = "80";
	else {
		*why = "not a redis://, http:// or file: URL";
		free(u);
		return 0;
	}
	if ((end = strchr(host, '@')) != NULL)
		host = end + 1;
	host[strcspn(host, "/")] = '\0';
	if ((end = strrchr(host, ':')) != NULL && !strchr(end, ']')) {
		*end = '\0';
		port = end + 1;
	}
	if (*host == '[') {
		host++;
		host[strcspn(host, "]")] = '\0';
	}
	ok = answers(host, port && *port ? port : dport, probe, want);
	free(u);
	return ok;
}

int
cacheinit(struct cache *k, const struct config *c, const char *builddir, const char *target, const char *hostcc,
          const char *hostcxx)
{
	const char *on = configget(c, "CCACHE"), *remote = configget(c, "CCACHE_REMOTE");
	const char *hosts = configget(c, "DISTCC_HOSTS");
	char *ccache, *dir;
	size_t i;

	*k = (struct cache){0};
	if (!on || !*on || strcmp(on, "0") == 0) {
		if ((remote && *remote) || (hosts && *hosts))
			warn("CCACHE_REMOTE and DISTCC_HOSTS work through ccache: set CCACHE=1 too (ignored now)");
		return 0;
	}
	if (strcmp(on, "1") != 0)
		fatal(EXIT_RECIPE, "CCACHE must be 0 or 1, found '%s'", on);
	if (!(ccache = onpath("ccache")))
		fatal(EXIT_USAGE, "CCACHE=1, but there is no ccache on PATH (Debian package ccache)");
	if (hosts && *hosts) {
		char *d = onpath("distcc");
		if (!d)
			fatal(EXIT_USAGE, "DISTCC_HOSTS is set, but there is no distcc on PATH (Debian package distcc)");
		free(d);
		k->distcc = xstrdup(hosts);
	}
	dir = xasprintf("%s/ccache", builddir);
	k->bindir = xasprintf("%s/bin", dir);
	k->idtool = xasprintf("%s/compiler-id", dir);
	if (rmtree(k->bindir) < 0 || mkdirs(k->bindir) < 0)
		fatal(EXIT_USAGE, "%s:", k->bindir);
	/* ccache under each compiler's name: run by that name, it runs the next one on PATH */
	char *names[] = {
		xstrdup("cc"), xstrdup("c++"), xstrdup("gcc"), xstrdup("g++"), xstrdup("clang"), xstrdup("clang++"),
		xstrdup(hostcc ? hostcc : "gcc"), xstrdup(hostcxx ? hostcxx : "g++"), xasprintf("%s-gcc", target),
		xasprintf("%s-g++", target), xasprintf("%s-cc", target), xasprintf("%s-c++", target),
	};
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *base = strrchr(names[i], '/') ? strrchr(names[i], '/') + 1 : names[i];
		char *link = xasprintf("%s/%s", k->bindir, base);
		if (symlink(ccache, link) < 0 && errno != EEXIST)
			fatal(EXIT_USAGE, "%s:", link);
		free(link);
		free(names[i]);
	}
	if (writefileatomic(k->idtool, idscript, strlen(idscript)) < 0 || chmod(k->idtool, 0755) < 0)
		fatal(EXIT_USAGE, "%s:", k->idtool);
	if (remote && *remote) {
		const char *why;
		if (remoteok(remote, &why))
			k->remote = strstr(remote, "operation-timeout=") ? xstrdup(remote)
			                                                  : xasprintf("%s|operation-timeout=2000", remote);
		else
			warn("CCACHE_REMOTE %s: %s; this run uses the local cache only", remote, why);
	}
	k->ccache = ccache;
	free(dir);
	return 0;
}

/* stageid hashes the stage's compiler programs (those that exist yet). */
static void
stageid(const char *stage, const char *target, char out[HEXLEN])
{
	const char *pats[] = {"bin/%s-gcc", "bin/%s-g++", "bin/%s-cpp", "libexec/gcc/%s/*/cc1", "libexec/gcc/%s/*/cc1plus",
	                      "libexec/gcc/%s/*/collect2", "%s/bin/as", "%s/bin/ld"};
	struct buf b = {0};
	size_t i, j;

	for (i = 0; i < sizeof(pats) / sizeof(*pats); i++) {
		char *rel = xasprintf(pats[i], target), *pat = xasprintf("%s/%s", stage, rel);
		glob_t g;
		if (glob(pat, 0, NULL, &g) == 0) {
			for (j = 0; j < g.gl_pathc; j++) {
				char h[HEXLEN];
				if (sha256file(g.gl_pathv[j], h) == 0)
					bufaddf(&b, "%s %s\n", g.gl_pathv[j] + strlen(stage), h);
			}
			globfree(&g);
		}
		free(rel);
		free(pat);
	}
	sha256hex(b.s ? b.s : "", b.len, out);
	free(b.s);
}

char *
cachemakevars(const struct cache *k)
{
	/* gcc's target libraries are compiled by the xgcc gcc has just built, called by its path
	 * in gcc's build tree, not through PATH; gcc's top-level Makefile puts STAGE_CC_WRAPPER in
	 * front of it (CC_FOR_TARGET, CXX_FOR_TARGET). Other packages' makes ignore it. */
	return k->bindir ? xasprintf("STAGE_CC_WRAPPER=%s", k->ccache) : NULL;
}

void
cacheenv(const struct cache *k, const char *stage, const char *target, const char *builddir)
{
	char id[HEXLEN];

	if (!k->bindir)
		return;
	const char *path = getenv("PATH");
	setenv("PATH", xasprintf("%s:%s", k->bindir, path ? path : "/usr/bin:/bin"), 1);
	stageid(stage, target, id);
	setenv("MUSLXB_STAGE", stage, 1);
	setenv("MUSLXB_STAGE_ID", id, 1);
	setenv("CCACHE_COMPILERCHECK", xasprintf("%s %%compiler%%", k->idtool), 1);
	/* paths below the build directory are hashed relative to it: a fresh BUILD_DIR hits */
	setenv("CCACHE_BASEDIR", builddir, 1);
	setenv("CCACHE_NOHASHDIR", "true", 1);
	if (k->remote)
		setenv("CCACHE_REMOTE_STORAGE", k->remote, 1);
	else
		unsetenv("CCACHE_REMOTE_STORAGE");
	if (k->distcc) {
		setenv("CCACHE_PREFIX", "distcc", 1);
		setenv("DISTCC_HOSTS", k->distcc, 1);
	}
}
