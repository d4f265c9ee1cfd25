/* tests/unit.c: unit tests of bootstrap's modules (config, recipe, graph, fetch, extract, util).
 *
 * Build: make tests/unit (or tests/unit-san for ASan/UBSan). Run: ./tests/unit [SUBSTRING...]
 * runs every test, or those whose name contains one of the SUBSTRINGs.
 *
 * Output is TAP-like: "ok N - name" or "not ok N - name" followed by "# " lines saying what was
 * expected and what was found, then "N passed, N failed". The exit status is 1 if any failed.
 *
 * Each test runs in a child process (so that a crash, a hang or a sanitizer report is charged
 * to one test) inside its own directory made by mkdtemp under $TMPDIR (default /tmp), removed
 * afterwards unless UNIT_KEEP=1. Messages the modules print on stderr are captured into a file
 * in that directory when a test asserts on them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>

#include "../src/config.h"
#include "../src/extract.h"
#include "../src/fetch.h"
#include "../src/graph.h"
#include "../src/recipe.h"
#include "../src/util.h"

/* ------------------------------------------------------------------------------------------ */
/* harness */

static char *T;            /* the test's own directory (absolute) */
static int diagfd = -1;    /* where failure lines go (a pipe to the parent) */
static int nfails;         /* failed checks in this test */
static const char *ctx;    /* optional label printed with failures */

/* keep holds on to memory the modules hand out without a way to free it, so that it stays
 * reachable (LeakSanitizer then reports only memory that is really lost). */
/* the last thing a test sends its parent: without it, the test did not run to its end */
#define DONE "\001done\n"

static void **kept;
static size_t nkept, capkept;

static void *
keep(void *p)
{
	if (nkept == capkept) {
		capkept = capkept ? 2 * capkept : 64;
		kept = xrealloc(kept, capkept * sizeof(*kept));
	}
	kept[nkept++] = p;
	return p;
}

static char *
vfmt(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void
diagwrite(const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t n = write(diagfd, s + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		off += (size_t)n;
	}
}

/* fail records one failed check: "# unit.c:LINE: [ctx] message". */
static void
fail(int line, const char *fmt, ...)
{
	va_list ap;
	char *msg, *out;

	va_start(ap, fmt);
	msg = vfmt(fmt, ap);
	va_end(ap);
	out = xasprintf("# unit.c:%d: %s%s%s%s\n", line, ctx ? "[" : "", ctx ? ctx : "", ctx ? "] " : "", msg);
	diagwrite(out);
	free(out);
	free(msg);
	nfails++;
}

/* show renders a string for a diagnostic line: quoted, newlines escaped, NULL as NULL. */
static char *
show(const char *s)
{
	struct buf b = {0};
	size_t n = 0;

	if (!s)
		return keep(xstrdup("NULL"));
	bufaddc(&b, '\'');
	for (; *s && n < 1500; s++, n++) {
		if (*s == '\n')
			bufadds(&b, "\\n");
		else if (*s == '\t')
			bufadds(&b, "\\t");
		else
			bufaddc(&b, *s);
	}
	if (*s)
		bufadds(&b, "...");
	bufaddc(&b, '\'');
	return keep(b.s);
}

#define CHECK(c) ((c) ? 1 : (fail(__LINE__, "check failed: %s", #c), 0))
#define CHECKINT(found, want) checkint((long long)(found), (long long)(want), #found, __LINE__)
#define CHECKSTR(found, want) checkstr((found), (want), #found, __LINE__)
#define CHECKHAS(hay, needle) checkhas((hay), (needle), #hay, __LINE__, 1)
#define CHECKLACKS(hay, needle) checkhas((hay), (needle), #hay, __LINE__, 0)

static int
checkint(long long found, long long want, const char *expr, int line)
{
	if (found == want)
		return 1;
	fail(line, "%s\n#   expected: %lld\n#   found:    %lld", expr, want, found);
	return 0;
}

static int
checkstr(const char *found, const char *want, const char *expr, int line)
{
	if (found && want ? strcmp(found, want) == 0 : found == want)
		return 1;
	fail(line, "%s\n#   expected: %s\n#   found:    %s", expr, show(want), show(found));
	return 0;
}

static int
checkhas(const char *hay, const char *needle, const char *expr, int line, int want)
{
	int has = hay && strstr(hay, needle);

	if (has == want)
		return 1;
	fail(line, "%s\n#   expected: %s %s\n#   found:    %s", expr, want ? "to contain" : "not to contain",
	     show(needle), show(hay));
	return 0;
}

/* P returns the absolute path of fmt below the test's directory. */
static char *
P(const char *fmt, ...)
{
	va_list ap;
	char *rel, *p;

	va_start(ap, fmt);
	rel = vfmt(fmt, ap);
	va_end(ap);
	p = rel[0] == '/' ? xstrdup(rel) : xasprintf("%s/%s", T, rel);
	free(rel);
	return keep(p);
}

/* wbytes writes a file below T (making its directories) without using the code under test. */
static char *
wbytes(const char *rel, const void *data, size_t len)
{
	char *path = P("%s", rel), *dir = keep(xstrdup(path)), *slash = strrchr(dir, '/');
	FILE *f;

	*slash = '\0';
	if (mkdirs(dir) < 0)
		fail(__LINE__, "fixture: mkdirs %s: %s", dir, strerror(errno));
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		fail(__LINE__, "fixture: cannot write %s: %s", path, strerror(errno));
	return path;
}

static char *
wfile(const char *rel, const char *text)
{
	return wbytes(rel, text, strlen(text));
}

/* slurp reads a file (NULL if it cannot). */
static char *
slurp(const char *path)
{
	char *s = readfile(path, NULL);

	return s ? keep(s) : NULL;
}

/* capture sends stderr (and stdout if both) to a file until uncapture, which returns it. */
static int savedfd[2] = {-1, -1};
static int capboth;

static void
capture(int both)
{
	char *path = P("captured.txt");
	int fd;

	fflush(stdout);
	fflush(stderr);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fail(__LINE__, "cannot open %s: %s", path, strerror(errno));
		return;
	}
	capboth = both;
	savedfd[0] = dup(2);
	dup2(fd, 2);
	if (both) {
		savedfd[1] = dup(1);
		dup2(fd, 1);
	}
	close(fd);
}

static char *
uncapture(void)
{
	char *s;

	fflush(stdout);
	fflush(stderr);
	if (savedfd[0] >= 0) {
		dup2(savedfd[0], 2);
		close(savedfd[0]);
		savedfd[0] = -1;
	}
	if (capboth && savedfd[1] >= 0) {
		dup2(savedfd[1], 1);
		close(savedfd[1]);
		savedfd[1] = -1;
	}
	s = slurp(P("captured.txt"));
	return s ? s : keep(xstrdup(""));
}

static int
countlines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* prefixed tells whether the first line of s starts with prefix. */
static int
startswith(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char hexabc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char hexempty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
#define SHA1X "1111111111111111111111111111111111111111111111111111111111111111"
#define SHA2X "2222222222222222222222222222222222222222222222222222222222222222"

/* ------------------------------------------------------------------------------------------ */
/* util */

static void
t_sha256hex(const void *arg)
{
	char out[HEXLEN];

	sha256hex("abc", 3, out);
	CHECKSTR(out, hexabc);
	sha256hex("", 0, out);
	CHECKSTR(out, hexempty);
}

static void
t_sha256file(const void *arg)
{
	char out[HEXLEN], want[HEXLEN];
	size_t n = 300000, i;
	char *big = keep(xmalloc(n));

	CHECKINT(sha256file(wfile("abc.txt", "abc"), out), 0);
	CHECKSTR(out, hexabc);
	CHECKINT(sha256file(wfile("empty.txt", ""), out), 0);
	CHECKSTR(out, hexempty);
	/* larger than the module's read buffer */
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	sha256hex(big, n, want);
	CHECKINT(sha256file(wbytes("big.bin", big, n), out), 0);
	CHECKSTR(out, want);
	errno = 0;
	CHECKINT(sha256file(P("does-not-exist"), out), -1);
	CHECKINT(errno, ENOENT);
}

static void
t_ishex64(const void *arg)
{
	char s[80];

	CHECK(ishex64(hexabc));
	CHECK(ishex64("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
	memcpy(s, hexabc, 63);
	s[63] = '\0';
	CHECK(!ishex64(s)); /* 63 digits */
	snprintf(s, sizeof(s), "%s0", hexabc);
	CHECK(!ishex64(s)); /* 65 digits */
	snprintf(s, sizeof(s), "%s", hexabc);
	s[10] = 'g';
	CHECK(!ishex64(s));
	s[10] = ' ';
	CHECK(!ishex64(s));
	CHECK(!ishex64(""));
}

/* leftovers counts entries of dir whose name contains ".tmp". */
static int
leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".tmp"))
			n++;
	closedir(d);
	return n;
}

static void
t_writefileatomic(const void *arg)
{
	char *path = P("out.txt");
	struct stat st;

	CHECKINT(writefileatomic(path, "first\n", 6), 0);
	CHECKSTR(slurp(path), "first\n");
	CHECKINT(writefileatomic(path, "second, longer\n", 15), 0);
	CHECKSTR(slurp(path), "second, longer\n");
	CHECKINT(writefileatomic(path, "", 0), 0);
	CHECKSTR(slurp(path), "");
	if (CHECKINT(stat(path, &st), 0))
		CHECK(S_ISREG(st.st_mode));
	CHECKINT(leftovers(T), 0);
	/* failures: a missing directory, and a target that is a directory */
	CHECKINT(writefileatomic(P("no/such/dir/f"), "x", 1), -1);
	mkdir(P("adir"), 0755);
	CHECKINT(writefileatomic(P("adir"), "x", 1), -1);
	CHECK(isdir(P("adir")));
	CHECKINT(leftovers(T), 0);
}

static void
t_mkdirs(const void *arg)
{
	CHECKINT(mkdirs(P("m/a/b/c")), 0);
	CHECK(isdir(P("m/a/b/c")));
	CHECKINT(mkdirs(P("m/a/b/c")), 0); /* exists: fine */
	CHECKINT(mkdirs(P("m/a/x/")), 0);  /* trailing slash */
	CHECK(isdir(P("m/a/x")));
	wfile("m/file", "f");
	CHECKINT(mkdirs(P("m/file/sub")), -1);
	CHECKINT(mkdirs(P("m/file")), -1);
	CHECK(!isdir(P("m/file")));
}

static void
t_rmtree(const void *arg)
{
	char *rt = P("rt");
	int asroot = geteuid() == 0;

	wfile("rt/a/b/file", "x");
	wfile("rt/locked/inner/file", "y");
	wfile("rt/locked/deep/file", "z");
	wfile("outside/keep", "keep me");
	CHECKINT(symlink(P("outside"), P("rt/link")), 0);
	CHECKINT(symlink(P("outside/keep"), P("rt/a/filelink")), 0);
	chmod(P("rt/locked/deep"), 0);
	chmod(P("rt/locked"), 0);
	if (asroot) {
		/* root reads mode-000 directories anyway: remove as nobody to make the test mean something */
		const char *paths[] = {"", "rt", "rt/a", "rt/a/b", "rt/a/b/file", "rt/locked", "rt/locked/inner",
		                       "rt/locked/inner/file", "rt/locked/deep", "rt/locked/deep/file", "rt/link",
		                       "rt/a/filelink"};
		size_t i;
		for (i = 0; i < sizeof(paths) / sizeof(*paths); i++)
			if (lchown(*paths[i] ? P("%s", paths[i]) : T, 65534, 65534) < 0)
				fail(__LINE__, "lchown %s: %s", paths[i], strerror(errno));
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		if (pid == 0) {
			if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
				_exit(2);
			if (access(T, X_OK) < 0)
				_exit(2); /* $TMPDIR not reachable by nobody */
			_exit(rmtree(rt) == 0 && !exists(rt) ? 0 : 1);
		}
		int st = 0;
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
			diagwrite("# (could not run as nobody: removed as root instead)\n");
		else
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		if (exists(rt))
			CHECKINT(rmtree(rt), 0);
	} else {
		CHECKINT(rmtree(rt), 0);
	}
	CHECK(!exists(rt));
	CHECKSTR(slurp(P("outside/keep")), "keep me");
	CHECKINT(rmtree(rt), 0); /* already gone */
	wfile("single", "x");
	CHECKINT(rmtree(P("single")), 0);
	CHECK(!exists(P("single")));
}

static void
t_abspath(const void *arg)
{
	char cwd[PATH_MAX];

	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECKSTR(keep(abspath("/x/y")), "/x/y");
	CHECKSTR(keep(abspath("x/y")), keep(xasprintf("%s/x/y", cwd)));
	CHECKSTR(keep(abspath("./x")), keep(xasprintf("%s/x", cwd)));
	CHECKSTR(keep(abspath(".")), cwd);
}

static void
t_buf(const void *arg)
{
	struct buf b = {0};
	struct strv sv = {0};
	char big[5000];
	int i;

	bufadds(&b, "ab");
	bufaddc(&b, 'c');
	bufadd(&b, "dxx", 1);
	CHECKSTR(b.s, "abcd");
	CHECKINT(b.len, 4);
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bufaddf(&b, "<%s>%d", big, 42);
	CHECKINT(b.len, 4 + 2 + 4999 + 2);
	CHECK(b.s[b.len] == '\0');
	CHECK(strcmp(b.s + b.len - 3, ">42") == 0);
	free(b.s);
	for (i = 0; i < 100; i++)
		strvadd(&sv, xasprintf("%d", i));
	CHECKINT(sv.n, 100);
	CHECKSTR(sv.v[99], "99");
	for (i = 0; i < 100; i++)
		free(sv.v[i]);
	free(sv.v);
}

/* ------------------------------------------------------------------------------------------ */
/* config */

static void
freeconfig(struct config *c)
{
	size_t i;

	for (i = 0; i < c->nvars; i++) {
		free(c->vars[i].name);
		free(c->vars[i].value);
	}
	free(c->vars);
	memset(c, 0, sizeof(*c));
}

static void
t_config_syntax(const void *arg)
{
	struct config c = {0};
	char *path, *err;
	struct var *v;

	setenv("UNIT_HOME", "/home/unit", 1);
	unsetenv("UNIT_SURELY_UNSET");
	path = wfile("config.mk",
	             "# a comment line\n"                          /* 1 */
	             "\n"                                          /* 2 */
	             "TARGET ?= x86_64-linux-musl\n"               /* 3 */
	             "PLAIN = two  words   \n"                     /* 4 */
	             "IMM := $(TARGET)-gcc\n"                      /* 5 */
	             "   # an indented comment\n"                  /* 6 */
	             "TRAIL = value # trailing comment\n"          /* 7 */
	             "HOMEY ?= $(UNIT_HOME)/x-tools/$(TARGET)\n"   /* 8 */
	             "BRACE = ${PLAIN}!\n"                         /* 9 */
	             "DOLLAR = a$$b\n"                             /* 10 */
	             "EMPTY ?=\n"                                  /* 11 */
	             "UNSETREF = [$(UNIT_SURELY_UNSET)]\n"         /* 12 */
	             "\tTABBED\t=\tt\n");                          /* 13 */
	capture(0);
	configload(&c, path);
	err = uncapture();
	CHECKINT(c.errors, 0);
	CHECKSTR(err, "");
	CHECKSTR(configget(&c, "TARGET"), "x86_64-linux-musl");
	CHECKSTR(configget(&c, "PLAIN"), "two  words");
	CHECKSTR(configget(&c, "IMM"), "x86_64-linux-musl-gcc");
	CHECKSTR(configget(&c, "TRAIL"), "value");
	CHECKSTR(configget(&c, "HOMEY"), "/home/unit/x-tools/x86_64-linux-musl");
	CHECKSTR(configget(&c, "BRACE"), "two  words!");
	CHECKSTR(configget(&c, "DOLLAR"), "a$b");
	CHECKSTR(configget(&c, "EMPTY"), "");
	CHECKSTR(configget(&c, "UNSETREF"), "[]");
	CHECKSTR(configget(&c, "TABBED"), "t");
	CHECKSTR(configget(&c, "NOT_THERE"), NULL);
	v = configfind(&c, "IMM");
	if (CHECK(v != NULL)) {
		CHECKINT(v->line, 5);
		CHECKSTR(v->file, path);
	}
	v = configfind(&c, "HOMEY");
	if (CHECK(v != NULL))
		CHECKINT(v->line, 8);
	freeconfig(&c);
}

static void
t_config_assign(const void *arg)
{
	struct config c = {0};

	configload(&c, wfile("config.mk",
	                     "A = first\n"
	                     "A ?= second\n"
	                     "B ?= one\n"
	                     "B ?= two\n"
	                     "C = x\n"
	                     "C = y\n"
	                     "D := $(A)/$(C)\n"
	                     "A = third\n"
	                     "E = $(A)\n"));
	CHECKINT(c.errors, 0);
	CHECKSTR(configget(&c, "A"), "third");
	CHECKSTR(configget(&c, "B"), "one");
	CHECKSTR(configget(&c, "C"), "y");
	CHECKSTR(configget(&c, "D"), "first/y");
	CHECKSTR(configget(&c, "E"), "third");
	CHECKINT(configfind(&c, "B")->line, 3);
	freeconfig(&c);
}

static void
t_config_env(const void *arg)
{
	struct config c = {0};

	setenv("UNIT_ENVQ", "fromenv", 1);
	setenv("UNIT_ENVP", "fromenv", 1);
	configload(&c, wfile("config.mk",
	                     "UNIT_ENVQ ?= fromfile\n"
	                     "UNIT_ENVP = fromfile\n"
	                     "REF = <$(UNIT_ENVQ)> <${UNIT_ENVP}>\n"
	                     "HOMEREF = $(HOME)/x\n"));
	CHECKINT(c.errors, 0);
	CHECKSTR(configget(&c, "UNIT_ENVQ"), "fromenv"); /* make: ?= keeps the environment's value */
	CHECKSTR(configget(&c, "UNIT_ENVP"), "fromfile"); /* make: = in the file beats the environment */
	CHECKSTR(configget(&c, "REF"), "<fromenv> <fromfile>");
	if (getenv("HOME"))
		CHECKSTR(configget(&c, "HOMEREF"), keep(xasprintf("%s/x", getenv("HOME"))));
	freeconfig(&c);
}

static void
t_config_cmdline(const void *arg)
{
	struct config c = {0};
	struct var *v;

	CHECKINT(configarg(&c, "TARGET=aarch64-linux-musl"), 1);
	CHECKINT(configarg(&c, "JOBS=3"), 1);
	CHECKINT(configarg(&c, "EMPTYV="), 1);
	CHECKINT(configarg(&c, "WITH_EQ=a=b"), 1);
	CHECKINT(configarg(&c, "nonsense"), 0);
	CHECKINT(configarg(&c, "1A=2"), 0);
	CHECKINT(configarg(&c, "=x"), 0);
	CHECKINT(configarg(&c, "A-B=1"), 0);
	CHECKINT(configarg(&c, "build"), 0);
	configload(&c, wfile("config.mk",
	                     "TARGET ?= x86_64-linux-musl\n"
	                     "JOBS = 8\n"
	                     "EMPTYV := notempty\n"
	                     "TC = /opt/$(TARGET)\n"));
	CHECKINT(c.errors, 0);
	CHECKSTR(configget(&c, "TARGET"), "aarch64-linux-musl");
	CHECKSTR(configget(&c, "JOBS"), "3");
	CHECKSTR(configget(&c, "EMPTYV"), "");
	CHECKSTR(configget(&c, "WITH_EQ"), "a=b");
	CHECKSTR(configget(&c, "TC"), "/opt/aarch64-linux-musl");
	v = configfind(&c, "JOBS");
	if (CHECK(v != NULL)) {
		CHECKINT(v->line, 0);
		CHECKSTR(v->file, NULL);
	}
	/* an argument after the file still wins */
	CHECKINT(configarg(&c, "TC=/x"), 1);
	CHECKSTR(configget(&c, "TC"), "/x");
	CHECKINT(configfind(&c, "TC")->line, 0);
	CHECK(configknown("TARGET") && configknown("PATCHES") && !configknown("GCC_VERSION"));
	freeconfig(&c);
}

static void
t_config_errors(const void *arg)
{
	struct config c = {0};
	char *path, *err, *want;
	static const int bad[] = {2, 4, 5, 6, 7, 9}, good[] = {1, 3, 8};
	size_t i;

	path = wfile("config.mk",
	             "OK = 1\n"              /* 1 */
	             "just some words\n"     /* 2: missing '=' */
	             "# fine\n"              /* 3 */
	             "1BAD = x\n"            /* 4: bad name */
	             "LIST += more\n"        /* 5: += */
	             "= novalue\n"           /* 6: no name */
	             "A-B = 3\n"             /* 7: bad name */
	             "GOOD := 2\n"           /* 8 */
	             "REF = $(UNCLOSED\n");  /* 9: bad reference */
	capture(0);
	configload(&c, path);
	err = uncapture();
	CHECKINT(c.errors, 6);
	CHECKINT(countlines(err), 6);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		want = keep(xasprintf("%s:%d: ", path, bad[i]));
		CHECKHAS(err, want);
	}
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		want = keep(xasprintf("%s:%d: ", path, good[i]));
		CHECKLACKS(err, want);
	}
	CHECKHAS(err, "+=");
	CHECKSTR(configget(&c, "OK"), "1");
	CHECKSTR(configget(&c, "GOOD"), "2");
	CHECKSTR(configget(&c, "LIST"), NULL);
	freeconfig(&c);
}

static void
t_config_missing(const void *arg)
{
	struct config c = {0};
	char *err, *path = P("nope.mk");

	capture(0);
	configload(&c, path);
	err = uncapture();
	CHECKINT(c.errors, 1);
	CHECKHAS(err, path);
	freeconfig(&c);
}

/* ------------------------------------------------------------------------------------------ */
/* recipes */

static struct config *
newconfig(void)
{
	struct config *c = keep(xcalloc(1, sizeof(*c)));

	configset(c, "TARGET", "x86_64-linux-musl", NULL, 0);
	configset(c, "JOBS", "2", NULL, 0);
	configset(c, "FOO_VERSION", "1.2", NULL, 0);
	configset(c, "UNUSED_VAR", "u", NULL, 0);
	return c;
}

static const char validrecipe[] =
	"# foo: a test package\n"                                   /* 1 */
	"name foo\n"                                                /* 2 */
	"version ${FOO_VERSION}\n"                                  /* 3 */
	"patch foo/0001-fix.patch\n"                                /* 4 */
	"\n"                                                        /* 5 */
	"artifact foo-1.2.tar.gz\n"                                 /* 6 */
	"\tversion 1.2\n"                                           /* 7 */
	"\tsha256 BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD\n" /* 8 */
	"\turl https://example.test/foo-1.2.tar.gz\n"               /* 9 */
	"\turl https://mirror.example.test/foo/foo-1.2.tar.gz\n"    /* 10 */
	"\tdebian f/foo/foo_1.2.orig.tar.gz\n"                      /* 11 */
	"\tmember foo-1.2/foo-1.2.tar.xz\n"                         /* 12 */
	"\tstrip foo-1.2\n"                                         /* 13 */
	"\texclude doc\n"                                           /* 14 */
	"\texclude *.pdf\n"                                         /* 15 */
	"\tpatch foo/art.patch\n"                                   /* 16 */
	"\tfixup foo/fixup.sh\n"                                    /* 17 */
	"artifact foo-1.1.tar.gz\n"                                 /* 18 */
	"  version 1.1\n"                                           /* 19 */
	"  sha256 " SHA1X "\n"                                      /* 20 */
	"  url https://example.test/foo-1.1.tar.gz\n"               /* 21 */
	"artifact foo-any.tar.gz\n"                                 /* 22 */
	"\t# any version\n"                                         /* 23 */
	"\tsha256 " SHA2X "\n"                                      /* 24 */
	"\n"                                                        /* 25 */
	"step configure\n"                                          /* 26 */
	"\trun ./configure --prefix=$PREFIX \\\n"                   /* 27 */
	"\t    --target=$TARGET \\\n"                               /* 28 */
	"\t    --with-jobs=$(JOBS)\n"                               /* 29 */
	"\trun echo \"# kept\" > note\n"                            /* 30 */
	"step build\n"                                              /* 31 */
	"\tafter bar:install\n"                                     /* 32 */
	"\tafter baz\n"                                             /* 33 */
	"\trun make\n";                                             /* 34 */

static void
recipefixture(void)
{
	wfile("patches/foo/0001-fix.patch", "--- a/x\n+++ b/x\n");
	wfile("patches/foo/art.patch", "art patch\n");
	wfile("patches/foo/fixup.sh", "echo fixup\n");
}

static void
t_recipe_valid(const void *arg)
{
	struct config *c = newconfig();
	char *path, *err, want[HEXLEN];
	struct recipe *r;
	struct artifact *a;
	int errors = 0;

	recipefixture();
	path = wfile("recipes/foo.recipe", validrecipe);
	capture(0);
	r = keep(recipeload(path, c, P("patches"), &errors));
	err = uncapture();
	CHECKINT(errors, 0);
	CHECKSTR(err, "");
	CHECKSTR(r->name, "foo");
	CHECKSTR(r->version, "1.2");
	CHECKSTR(r->path, path);
	sha256hex(validrecipe, strlen(validrecipe), want);
	CHECKSTR(r->hash, want);
	if (CHECKINT(r->npatches, 1)) {
		CHECKSTR(r->patches[0].name, "foo/0001-fix.patch");
		CHECKSTR(r->patches[0].path, P("patches/foo/0001-fix.patch"));
		CHECKINT(r->patches[0].line, 4);
		sha256hex("--- a/x\n+++ b/x\n", 16, want);
		CHECKSTR(r->patches[0].hash, want);
	}
	if (!CHECKINT(r->nartifacts, 3))
		return;
	a = &r->artifacts[0];
	CHECKSTR(a->file, "foo-1.2.tar.gz");
	CHECKSTR(a->version, "1.2");
	CHECKSTR(a->sha256, hexabc); /* stored lower case */
	CHECKINT(a->line, 6);
	if (CHECKINT(a->urls.n, 2)) {
		CHECKSTR(a->urls.v[0], "https://example.test/foo-1.2.tar.gz");
		CHECKSTR(a->urls.v[1], "https://mirror.example.test/foo/foo-1.2.tar.gz");
	}
	CHECKSTR(a->debian, "f/foo/foo_1.2.orig.tar.gz");
	CHECKSTR(a->member, "foo-1.2/foo-1.2.tar.xz");
	CHECKSTR(a->strip, "foo-1.2");
	if (CHECKINT(a->excludes.n, 2)) {
		CHECKSTR(a->excludes.v[0], "doc");
		CHECKSTR(a->excludes.v[1], "*.pdf");
	}
	if (CHECKINT(a->npatches, 1)) {
		CHECKSTR(a->patches[0].name, "foo/art.patch");
		CHECKINT(a->patches[0].line, 16);
		sha256hex("art patch\n", 10, want);
		CHECKSTR(a->patches[0].hash, want);
	}
	if (CHECKINT(a->nfixups, 1)) {
		CHECKSTR(a->fixups[0].name, "foo/fixup.sh");
		CHECKSTR(a->fixups[0].path, P("patches/foo/fixup.sh"));
	}
	a = &r->artifacts[1];
	CHECKSTR(a->version, "1.1");
	CHECKSTR(a->sha256, SHA1X);
	CHECKINT(a->line, 18);
	CHECKSTR(a->debian, NULL);
	CHECKSTR(a->member, NULL);
	CHECKSTR(a->strip, NULL);
	a = &r->artifacts[2];
	CHECKSTR(a->file, "foo-any.tar.gz");
	CHECKSTR(a->version, NULL);
	CHECKINT(a->line, 22);
	CHECKINT(a->urls.n, 0);
	if (CHECKINT(r->nalts, 2)) {
		CHECK(r->alts[0] == &r->artifacts[0]);
		CHECK(r->alts[1] == &r->artifacts[2]);
	}
	if (!CHECKINT(r->nsteps, 2))
		return;
	CHECKSTR(r->steps[0].name, "configure");
	CHECKINT(r->steps[0].line, 26);
	CHECKINT(r->steps[0].nafters, 0);
	CHECKSTR(r->steps[0].script.s,
	         "./configure --prefix=$PREFIX \\\n\t    --target=$TARGET \\\n\t    --with-jobs=$(JOBS)\n"
	         "echo \"# kept\" > note\n");
	CHECKSTR(r->steps[1].name, "build");
	CHECKINT(r->steps[1].line, 31);
	if (CHECKINT(r->steps[1].nafters, 2)) {
		CHECKSTR(r->steps[1].afters[0].ref, "bar:install");
		CHECKINT(r->steps[1].afters[0].line, 32);
		CHECKSTR(r->steps[1].afters[1].ref, "baz");
		CHECKINT(r->steps[1].afters[1].line, 33);
	}
	CHECKSTR(r->steps[1].script.s, "make\n");
	/* config variables mentioned: FOO_VERSION, TARGET, JOBS (not PREFIX: not a config variable) */
	if (CHECKINT(r->vars.n, 3)) {
		CHECKSTR(r->vars.v[0], "FOO_VERSION");
		CHECKSTR(r->vars.v[1], "JOBS");
		CHECKSTR(r->vars.v[2], "TARGET");
	}
}

static void
t_recipe_steprecipe(const void *arg)
{
	struct config *c = newconfig();
	struct recipe *r;
	int errors = 0;
	size_t i;

	r = keep(recipeload(wfile("recipes/s.recipe", "name s\nversion 1\nstep a\n\trun true\nstep b\n\trun true\n"
	                                              "step c\n\trun true\n"),
	                    c, P("patches"), &errors));
	CHECKINT(errors, 0);
	if (CHECKINT(r->nsteps, 3))
		for (i = 0; i < r->nsteps; i++) {
			ctx = r->steps[i].name;
			CHECK(r->steps[i].recipe == r);
		}
}

static void
t_recipe_alts(const void *arg)
{
	struct config *c = newconfig();
	struct recipe *r;
	int errors = 0;
	char *path;

	recipefixture();
	path = wfile("recipes/foo.recipe", validrecipe);
	configset(c, "FOO_VERSION", "1.1", NULL, 0);
	r = keep(recipeload(path, c, P("patches"), &errors));
	CHECKINT(errors, 0);
	CHECKSTR(r->version, "1.1");
	if (CHECKINT(r->nalts, 2)) {
		CHECKSTR(r->alts[0]->file, "foo-1.1.tar.gz");
		CHECKSTR(r->alts[1]->file, "foo-any.tar.gz");
	}
	/* a version no artifact names: only the versionless one */
	configset(c, "FOO_VERSION", "9.9", NULL, 0);
	r = keep(recipeload(path, c, P("patches"), &errors));
	CHECKINT(errors, 0);
	if (CHECKINT(r->nalts, 1))
		CHECKSTR(r->alts[0]->file, "foo-any.tar.gz");
	/* a recipe with no artifact at all has no alternatives and no error */
	path = wfile("recipes/bare.recipe", "name bare\nversion 1\nstep s\n\trun true\n");
	r = keep(recipeload(path, c, P("patches"), &errors));
	CHECKINT(errors, 0);
	CHECKINT(r->nalts, 0);
	CHECKINT(r->nartifacts, 0);
}

static void
t_recipe_vars(const void *arg)
{
	struct config *c = newconfig();
	struct recipe *r;
	int errors = 0;
	char *path;

	configset(c, "GCC_VERSION", "16.2.0", NULL, 0);
	configset(c, "MIRRORS", "", NULL, 0);
	path = wfile("recipes/v.recipe",
	             "name v\n"
	             "version 1\n"
	             "step s\n"
	             "\trun echo $TARGET ${TARGET} $(JOBS) $PREFIX $$HOME $GCC_VERSIONX\n"
	             "\trun echo ${GCC_VERSION}/$NOT_IN_CONFIG\n");
	r = keep(recipeload(path, c, P("patches"), &errors));
	CHECKINT(errors, 0);
	if (CHECKINT(r->vars.n, 3)) {
		CHECKSTR(r->vars.v[0], "GCC_VERSION");
		CHECKSTR(r->vars.v[1], "JOBS");
		CHECKSTR(r->vars.v[2], "TARGET");
	}
}

struct recipeerr {
	const char *file, *text;
	int line;
	const char *msg;
};

static const struct recipeerr recipeerrs[] = {
	{"foo.recipe", "# recipe\nname foo\nversion 1.0\nfrobnicate yes\n", 4, "unknown key 'frobnicate'"},
	{"foo.recipe",
	 "name foo\nversion 1.0\nartifact foo-1.0.tar.gz\n\tsha256 " SHA1X
	 "\n\turl https://example.test/foo-1.0.tar.gz\n\tchecksum abc\n",
	 6, "unknown key 'checksum' in artifact"},
	{"foo.recipe", "name foo\nversion 1.0\nstep build\n\trun make \\\n\t  all \\\n\t  install\n\tdepends bar\n", 7,
	 "unknown key 'depends' in step"},
	{"foo.recipe",
	 "name foo\nversion 1.0\n\nartifact foo-1.0.tar.gz\n\turl https://example.test/foo-1.0.tar.gz\n"
	 "step build\n\trun make\n",
	 4, "no sha256"},
	{"foo.recipe",
	 "name foo\nversion 1.0\nartifact foo-1.0.tar.gz\n\turl https://example.test/f.tgz\n"
	 "\tsha256 111111111111111111111111111111111111111111111111111111111111111\n",
	 5, "malformed sha256"},
	{"foo.recipe",
	 "name foo\nversion 1.0\nartifact foo-1.0.tar.gz\n"
	 "\tsha256 g111111111111111111111111111111111111111111111111111111111111111\n",
	 4, "malformed sha256"},
	{"foo.recipe", "name foo\nversion 1.0\nstep build\n\trun make\nstep install\n\trun make install\nstep build\n\trun true\n",
	 7, "duplicate step 'build'"},
	{"foo.recipe", "name foo\nversion 1.0\npatch foo/missing.patch\n", 3, "foo/missing.patch"},
	{"foo.recipe", "name foo\nversion 1.0\nartifact foo-1.0.tar.gz\n\tsha256 " SHA1X "\n\tpatch foo/nope.patch\n", 5,
	 "foo/nope.patch"},
	{"foo.recipe", "name foo\nversion 1.0\nartifact foo-1.0.tar.gz\n\tsha256 " SHA1X "\n\tfixup foo/nope.sh\n", 5,
	 "foo/nope.sh"},
	{"bar.recipe", "# the foo package\nname foo\nversion 1.0\n", 2, "does not match the file name"},
	{"foo.recipe", "version 1.0\nstep a\n\trun true\n", 1, "missing 'name'"},
	{"foo.recipe", "name foo\nstep a\n\trun true\n", 1, "missing 'version'"},
	{"foo.recipe",
	 "name foo\nversion ${FOO_VERSION}\nartifact foo-1.0.tar.gz\n\tversion 1.0\n\tsha256 " SHA1X
	 "\nartifact foo-1.1.tar.gz\n\tversion 1.1\n\tsha256 " SHA2X "\n",
	 2, "no artifact for version 1.2"},
	{"foo.recipe", "name foo\nversion 1.0\nstep source\n\trun true\n", 3, "reserved"},
	{"foo.recipe", "name foo\nversion ${NOPE_VERSION}\n", 2, "NOPE_VERSION"},
	{"foo.recipe", "name foo\nversion 1.0\npatch ../escape.patch\n", 3, "../escape.patch"},
	{"foo.recipe", "name foo\n  run true\nversion 1\n", 2, "outside an artifact or step"},
	{"foo.recipe", "name Foo\nversion 1\n", 1, "invalid name"},
	{"foo.recipe", "name foo\nversion 1\nname foo\n", 3, "duplicate 'name'"},
	{"foo.recipe", "name foo\nversion 1\nstep a\n\tafter\n", 4, "needs a value"},
};

static void
t_recipe_error(const void *arg)
{
	const struct recipeerr *e = arg;
	struct config *c = newconfig();
	char *path, *err, *want;
	const char *l, *nl;
	int errors = 0;

	wfile("patches/.keep", "");
	wfile("escape.patch", "x\n");
	path = wfile(keep(xasprintf("recipes/%s", e->file)), e->text);
	capture(0);
	keep(recipeload(path, c, P("patches"), &errors));
	err = uncapture();
	want = keep(xasprintf("%s:%d: ", path, e->line));
	CHECK(errors >= 1);
	CHECKINT(countlines(err), errors);
	if (!startswith(err, want))
		fail(__LINE__, "first error\n#   expected: %s...%s...\n#   found:    %s", show(want), show(e->msg), show(err));
	else
		CHECKHAS(err, e->msg);
	/* and no error at another line */
	for (l = err; l && *l; l = (nl = strchr(l, '\n')) ? nl + 1 : NULL)
		if (!startswith(l, want)) {
			fail(__LINE__, "an error at another line than %d: %s", e->line, show(l));
			break;
		}
}

static void
t_recipe_loaddir(const void *arg)
{
	struct config *c = newconfig();
	struct recipe **rs;
	size_t n = 0;
	int errors = 0;

	wfile("r/zeta.recipe", "name zeta\nversion 1\n");
	wfile("r/alpha.recipe", "name alpha\nversion 1\n");
	wfile("r/notes.txt", "not a recipe\n");
	wfile("r/.hidden.recipe", "garbage\n");
	mkdir(P("patches"), 0755);
	rs = keep(recipeloaddir(P("r"), c, P("patches"), &n, &errors));
	CHECKINT(errors, 0);
	if (CHECKINT(n, 2)) {
		keep(rs[0]);
		keep(rs[1]);
		CHECKSTR(rs[0]->name, "alpha");
		CHECKSTR(rs[1]->name, "zeta");
	}
}

/* ------------------------------------------------------------------------------------------ */
/* graph */

static const char grapha[] =
	"name a\n"                 /* 1 */
	"version 1.0\n"            /* 2 */
	"patch a.patch\n"          /* 3 */
	"artifact a-1.0.tar.gz\n"  /* 4 */
	"\tsha256 " SHA1X "\n"     /* 5 */
	"\tpatch a-art.patch\n"    /* 6 */
	"step s1\n"                /* 7 */
	"\trun echo $AVAR\n"       /* 8 */
	"step s2\n"                /* 9 */
	"\trun make\n";            /* 10 */
static const char graphb[] =
	"name b\n"
	"version 2.0\n"
	"step t1\n"
	"\tafter a:s1\n"
	"\trun true\n"
	"step t2\n"
	"\tafter a\n"
	"\trun true\n";
static const char graphc[] =
	"name c\n"
	"version 3.0\n"
	"step u1\n"
	"\trun true\n";

static struct config *
graphconfig(void)
{
	struct config *c = keep(xcalloc(1, sizeof(*c)));

	configset(c, "TARGET", "x86_64-linux-musl", NULL, 0);
	configset(c, "AVAR", "one", NULL, 0);
	configset(c, "UNMENTIONED", "zzz", NULL, 0);
	return c;
}

static void
graphfixture(void)
{
	wfile("recipes/a.recipe", grapha);
	wfile("recipes/b.recipe", graphb);
	wfile("recipes/c.recipe", graphc);
	wfile("patches/a.patch", "a patch\n");
	wfile("patches/a-art.patch", "artifact patch\n");
}

/* loadgraph loads dir's recipes and builds the graph with keys; errors captured into *errp. */
static struct graph *
loadgraph(const char *dir, struct config *c, int *errors, char **errp)
{
	struct recipe **rs;
	struct graph *g;
	size_t n = 0, i;
	char *err;

	*errors = 0;
	capture(0);
	rs = keep(recipeloaddir(P("%s", dir), c, P("patches"), &n, errors));
	for (i = 0; i < n; i++)
		keep(rs[i]);
	if (*errors) {
		err = uncapture();
		fail(__LINE__, "recipes in %s do not load: %s", dir, show(err));
		if (errp)
			*errp = err;
		return NULL;
	}
	g = keep(graphbuild(rs, n, 1, errors));
	for (i = 0; g && i < g->nnodes; i++)
		keep(g->nodes[i]);
	err = uncapture();
	if (errp)
		*errp = err;
	if (g && !*errors)
		graphkeys(g, c);
	return g;
}

static struct node *
node(struct graph *g, const char *name)
{
	size_t i;

	for (i = 0; g && i < g->nnodes; i++)
		if (strcmp(g->nodes[i]->name, name) == 0)
			return g->nodes[i];
	return NULL;
}

static size_t
indexof(struct graph *g, struct node *n)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i] == n)
			return i;
	return (size_t)-1;
}

/* depnames lists a node's dependencies' names, space separated, in order. */
static char *
depnames(struct node *n)
{
	struct buf b = {0};
	size_t i;

	bufgrow(&b, 0);
	for (i = 0; n && i < n->ndeps; i++)
		bufaddf(&b, "%s%s", i ? " " : "", n->deps[i]->name);
	return keep(b.s);
}

static struct graph *
stdgraph(struct config *c)
{
	int errors;
	char *err = NULL;
	struct graph *g;

	graphfixture();
	g = loadgraph("recipes", c, &errors, &err);
	if (!g || errors) {
		fail(__LINE__, "the fixture graph does not build: %s", show(err));
		return NULL;
	}
	return g;
}

static void
t_graph_order(const void *arg)
{
	struct graph *g = stdgraph(graphconfig());
	size_t i, j;

	if (!g)
		return;
	CHECKINT(g->nnodes, 8);
	CHECKSTR(depnames(node(g, "a:source")), "");
	CHECKSTR(depnames(node(g, "a:s1")), "a:source");
	CHECKSTR(depnames(node(g, "a:s2")), "a:s1");
	CHECKSTR(depnames(node(g, "b:t1")), "b:source a:s1");
	CHECKSTR(depnames(node(g, "b:t2")), "b:t1 a:s2");
	CHECKSTR(depnames(node(g, "c:u1")), "c:source");
	CHECK(node(g, "a:source") && node(g, "a:source")->step == NULL);
	CHECK(node(g, "b:t1") && strcmp(node(g, "b:t1")->step->name, "t1") == 0);
	/* topological: each dependency comes before its dependent; outs mirror deps */
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		for (j = 0; j < n->ndeps; j++) {
			size_t d = indexof(g, n->deps[j]);
			if (d == (size_t)-1 || d >= i)
				fail(__LINE__, "%s is at %zu but its dependency %s is at %zu", n->name, i, n->deps[j]->name, d);
			size_t k, found = 0;
			for (k = 0; k < n->deps[j]->nouts; k++)
				found |= n->deps[j]->outs[k] == n;
			if (!found)
				fail(__LINE__, "%s is not among the outs of %s", n->name, n->deps[j]->name);
		}
	}
}

static void
t_graph_after_recipe_without_steps(const void *arg)
{
	int errors;
	char *err = NULL;
	struct graph *g;

	mkdir(P("patches"), 0755);
	wfile("r/d.recipe", "name d\nversion 1\n");
	wfile("r/e.recipe", "name e\nversion 1\nstep x\n\tafter d\n\tafter d:source\n\trun true\n");
	g = loadgraph("r", graphconfig(), &errors, &err);
	CHECKINT(errors, 0);
	CHECKSTR(err, "");
	if (g) {
		CHECKINT(g->nnodes, 3);
		CHECKSTR(depnames(node(g, "e:x")), "e:source d:source");
	}
}

static void
t_graph_forward_ref(const void *arg)
{
	int errors;
	char *err = NULL;
	struct graph *g;
	size_t i, j;

	mkdir(P("patches"), 0755);
	wfile("r/a.recipe", "name a\nversion 1\nstep x\n\tafter z:y\n\trun true\nstep x2\n\trun true\n");
	wfile("r/m.recipe", "name m\nversion 1\nstep k\n\tafter a:x2\n\tafter z\n\trun true\n");
	wfile("r/z.recipe", "name z\nversion 1\nstep w\n\trun true\nstep y\n\trun true\n");
	g = loadgraph("r", graphconfig(), &errors, &err);
	CHECKINT(errors, 0);
	CHECKSTR(err, "");
	if (!g || !CHECKINT(g->nnodes, 8))
		return;
	CHECKSTR(depnames(node(g, "a:x")), "a:source z:y");
	CHECKSTR(depnames(node(g, "m:k")), "m:source a:x2 z:y");
	for (i = 0; i < g->nnodes; i++)
		for (j = 0; j < g->nodes[i]->ndeps; j++)
			if (indexof(g, g->nodes[i]->deps[j]) >= i)
				fail(__LINE__, "%s comes before its dependency %s", g->nodes[i]->name, g->nodes[i]->deps[j]->name);
}

static void
t_graph_unknown_dep(const void *arg)
{
	int errors;
	char *err = NULL, *path, *want;

	graphfixture();
	path = wfile("recipes/c.recipe", "name c\nversion 3.0\nstep u1\n\trun true\n\tafter a:s1\nstep u2\n\tafter nosuch:step\n\trun x\n");
	loadgraph("recipes", graphconfig(), &errors, &err);
	CHECKINT(errors, 1);
	want = keep(xasprintf("%s:7: ", path));
	if (!startswith(err, want))
		fail(__LINE__, "expected %s..., found %s", show(want), show(err));
	CHECKHAS(err, "nosuch:step");
	/* a known recipe, unknown step; and a plain unknown recipe */
	path = wfile("recipes/c.recipe", "name c\nversion 3.0\nstep u1\n\tafter a:s9\n\tafter zz\n\trun true\n");
	loadgraph("recipes", graphconfig(), &errors, &err);
	CHECKINT(errors, 2);
	CHECKHAS(err, keep(xasprintf("%s:4: ", path)));
	CHECKHAS(err, "a:s9");
	CHECKHAS(err, keep(xasprintf("%s:5: ", path)));
	CHECKHAS(err, "'zz'");
}

static void
t_graph_cycle(const void *arg)
{
	int errors;
	char *err = NULL;

	graphfixture();
	/* a:s1 runs after b:t1, which runs after a:s2, which runs after a:s1 */
	wfile("recipes/a.recipe", "name a\nversion 1.0\nstep s1\n\tafter b:t1\n\trun true\nstep s2\n\trun true\n");
	wfile("recipes/b.recipe", "name b\nversion 2.0\nstep t1\n\tafter a:s2\n\trun true\n");
	loadgraph("recipes", graphconfig(), &errors, &err);
	CHECK(errors >= 1);
	CHECKHAS(err, "cycle");
	CHECKHAS(err, "a:s1");
	CHECKHAS(err, "a:s2");
	CHECKHAS(err, "b:t1");
	CHECKLACKS(err, "c:u1");
	CHECK(strstr(err, P("recipes/a.recipe")) || strstr(err, P("recipes/b.recipe")));
}

static void
t_graph_self_cycle(const void *arg)
{
	int errors;
	char *err = NULL, *path;

	mkdir(P("patches"), 0755);
	path = wfile("r/a.recipe", "name a\nversion 1\nstep s1\n\trun true\nstep s2\n\tafter a:s2\n\trun true\n");
	loadgraph("r", graphconfig(), &errors, &err);
	CHECKINT(errors, 1);
	CHECKHAS(err, keep(xasprintf("%s:6: ", path)));
	CHECKHAS(err, "cycle");
	/* after its own recipe's later step */
	path = wfile("r/a.recipe", "name a\nversion 1\nstep s1\n\tafter a:s2\n\trun true\nstep s2\n\trun true\n");
	loadgraph("r", graphconfig(), &errors, &err);
	CHECK(errors >= 1);
	CHECKHAS(err, "cycle");
	CHECKHAS(err, "a:s1");
	CHECKHAS(err, "a:s2");
}

/* keys copies every node's key, by name. */
struct keyset {
	char names[16][32];
	char keys[16][HEXLEN];
	size_t n;
};

static void
getkeys(struct graph *g, struct keyset *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	for (i = 0; g && i < g->nnodes && i < 16; i++) {
		snprintf(k->names[i], sizeof(k->names[i]), "%s", g->nodes[i]->name);
		memcpy(k->keys[i], g->nodes[i]->key, HEXLEN);
	}
	k->n = g ? g->nnodes : 0;
}

/* keysdiffer checks which nodes' keys differ between a and b against the list want
 * (space-separated names). */
static void
keysdiffer(int line, const char *what, const struct keyset *a, const struct keyset *b, const char *want)
{
	struct buf got = {0};
	size_t i, j;

	bufgrow(&got, 0);
	if (a->n != b->n || a->n == 0) {
		fail(line, "%s: graphs differ in size (%zu, %zu)", what, a->n, b->n);
		return;
	}
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n && strcmp(a->names[i], b->names[j]) != 0; j++)
			;
		if (j == b->n) {
			fail(line, "%s: node %s missing", what, a->names[i]);
			continue;
		}
		if (strcmp(a->keys[i], b->keys[j]) != 0)
			bufaddf(&got, "%s%s", got.len ? " " : "", a->names[i]);
	}
	/* compare as sets: both lists are in the graph's order, so sort-free comparison by words */
	struct buf w = {0};
	bufgrow(&w, 0);
	for (i = 0; i < a->n; i++) {
		char pat[40];
		snprintf(pat, sizeof(pat), " %s ", a->names[i]);
		char *sp = xasprintf(" %s ", want);
		if (strstr(sp, pat))
			bufaddf(&w, "%s%s", w.len ? " " : "", a->names[i]);
		free(sp);
	}
	if (strcmp(got.s, w.s) != 0)
		fail(line, "%s: nodes whose key changed\n#   expected: %s\n#   found:    %s", what, show(w.s), show(got.s));
	free(got.s);
	free(w.s);
}

static void
t_graph_keys_deterministic(const void *arg)
{
	struct config *c = graphconfig();
	struct keyset k1, k2;
	struct graph *g;
	size_t i, j;
	int errors;

	g = stdgraph(c);
	getkeys(g, &k1);
	g = loadgraph("recipes", c, &errors, NULL);
	getkeys(g, &k2);
	keysdiffer(__LINE__, "same inputs", &k1, &k2, "");
	for (i = 0; i < k1.n; i++) {
		if (!ishex64(k1.keys[i]))
			fail(__LINE__, "key of %s is not 64 hex digits: %s", k1.names[i], show(k1.keys[i]));
		for (j = i + 1; j < k1.n; j++)
			if (strcmp(k1.keys[i], k1.keys[j]) == 0)
				fail(__LINE__, "%s and %s have the same key", k1.names[i], k1.names[j]);
	}
	/* graphkeys again on the same graph: same keys */
	graphkeys(g, c);
	getkeys(g, &k2);
	keysdiffer(__LINE__, "graphkeys twice", &k1, &k2, "");
}

static void
t_graph_keys_recipe(const void *arg)
{
	struct config *c = graphconfig();
	struct keyset k1, k2;
	int errors;

	getkeys(stdgraph(c), &k1);
	/* what the source is made from: every node of the recipe, and what runs after it */
	wfile("recipes/a.recipe", keep(xasprintf("exclude docs\n%s", grapha)));
	getkeys(loadgraph("recipes", c, &errors, NULL), &k2);
	keysdiffer(__LINE__, "a.recipe's source changed", &k1, &k2, "a:source a:s1 a:s2 b:t1 b:t2");
	/* a step's script: that step and what runs after it */
	wfile("recipes/a.recipe", keep(xasprintf("exclude docs\n%s\trun make install\n", grapha)));
	getkeys(loadgraph("recipes", c, &errors, NULL), &k1);
	keysdiffer(__LINE__, "a:s2 changed", &k2, &k1, "a:s2 b:t2");
	/* a comment, the licence, the summary: nothing is built again */
	wfile("recipes/a.recipe", keep(xasprintf("exclude docs\n# a comment\nlicense MIT\nsummary A\n%s\trun make install\n", grapha)));
	getkeys(loadgraph("recipes", c, &errors, NULL), &k2);
	keysdiffer(__LINE__, "a comment changed", &k1, &k2, "");
	/* a recipe-level run line goes before every step */
	wfile("recipes/c.recipe", "name c\nversion 3.0\nrun X=1\nstep u1\n\trun false\n");
	getkeys(loadgraph("recipes", c, &errors, NULL), &k1);
	keysdiffer(__LINE__, "c.recipe's run line", &k2, &k1, "c:u1");
}

static void
t_graph_keys_patch(const void *arg)
{
	struct config *c = graphconfig();
	struct keyset k1, k2, k3;
	int errors;

	getkeys(stdgraph(c), &k1);
	wfile("patches/a.patch", "a patch, changed\n");
	getkeys(loadgraph("recipes", c, &errors, NULL), &k2);
	keysdiffer(__LINE__, "recipe patch changed", &k1, &k2, "a:source a:s1 a:s2 b:t1 b:t2");
	wfile("patches/a-art.patch", "artifact patch, changed\n");
	getkeys(loadgraph("recipes", c, &errors, NULL), &k3);
	keysdiffer(__LINE__, "artifact patch changed", &k2, &k3, "a:source a:s1 a:s2 b:t1 b:t2");
}

static void
t_graph_keys_config(const void *arg)
{
	struct config *c = graphconfig();
	struct keyset k1, k2, k3;
	struct graph *g;
	int errors;

	g = stdgraph(c);
	getkeys(g, &k1);
	configset(c, "UNMENTIONED", "changed", NULL, 0);
	g = loadgraph("recipes", c, &errors, NULL);
	getkeys(g, &k2);
	keysdiffer(__LINE__, "unmentioned config changed", &k1, &k2, "");
	/* every step's environment depends on TARGET (SYSROOT, the tools' names); no source does */
	configset(c, "TARGET", "aarch64-linux-musl", NULL, 0);
	g = loadgraph("recipes", c, &errors, NULL);
	getkeys(g, &k3);
	keysdiffer(__LINE__, "TARGET changed", &k2, &k3, "a:s1 a:s2 b:t1 b:t2 c:u1");
	k2 = k3;
	configset(c, "AVAR", "two", NULL, 0);
	graphkeys(g, c); /* same graph, new config */
	getkeys(g, &k3);
	keysdiffer(__LINE__, "AVAR changed (graphkeys again)", &k2, &k3, "a:source a:s1 a:s2 b:t1 b:t2");
	g = loadgraph("recipes", c, &errors, NULL);
	getkeys(g, &k2);
	keysdiffer(__LINE__, "AVAR changed (reloaded)", &k3, &k2, "");
}

/* An artifact for source nodes' done records. */
static struct artifact recordedx = {.file = "x.tar.gz", .sha256 = SHA1X};

/* recordall writes every node's done record and makes the work trees, each begun by its
 * recipe's first step (graphtree), as a run does. */
static void
recordall(struct graph *g, struct config *c, const char *sd, const char *wd)
{
	size_t i;

	mkdirs(sd);
	for (i = 0; g && i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		if (!n->step)
			n->art = &recordedx;
		if (graphdone(n, c, sd) < 0)
			fail(__LINE__, "cannot write the done record of %s", n->name);
		if (n->opens && graphtree(n, sd) < 0)
			fail(__LINE__, "cannot write the tree record of %s", n->name);
		if (!n->step) {
			char *d = xasprintf("%s/%s/src", wd, n->recipe->name);
			mkdirs(d);
			free(d);
			d = xasprintf("%s/%s/build", wd, n->recipe->name);
			mkdirs(d);
			free(d);
		}
	}
}

/* reasons renders "name=reason" for every node that must run. */
static char *
reasons(struct graph *g)
{
	struct buf b = {0};
	size_t i;

	bufgrow(&b, 0);
	for (i = 0; g && i < g->nnodes; i++)
		if (g->nodes[i]->reason)
			bufaddf(&b, "%s%s=%s", b.len ? ", " : "", g->nodes[i]->name, g->nodes[i]->reason);
	return keep(b.s);
}

static const char *
reason(struct graph *g, const char *name)
{
	struct node *n = node(g, name);

	if (!n) {
		fail(__LINE__, "no node %s", name);
		return "(no such node)";
	}
	return n->reason;
}

static void
t_graph_plan_fresh(const void *arg)
{
	struct config *c = graphconfig();
	struct graph *g = stdgraph(c);
	char *sd = P("build/state"), *wd = P("build/work");
	struct place pl = {sd, wd};
	size_t i;

	if (!g)
		return;
	mkdirs(sd);
	CHECKINT(graphplan(g, c, &pl, &pl), g->nnodes);
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		ctx = n->name;
		CHECKSTR(n->reason, "never built");
		CHECKINT(n->state, n->ndeps ? NWAIT : NREADY);
		CHECKINT(n->npending, n->ndeps);
	}
	ctx = NULL;
	CHECKSTR(keep(statepath(sd, node(g, "a:s1"))), P("build/state/a.s1"));
	CHECKSTR(keep(statepath(sd, node(g, "a:source"))), P("build/state/a.source"));
	char *rec = keep(graphrecord(node(g, "a:s1"), c));
	CHECK(startswith(rec, "muslxb-state") || strstr(rec, "\nkey ") || startswith(rec, "key "));
	CHECKHAS(rec, keep(xasprintf("key %s\n", node(g, "a:s1")->key)));
	node(g, "a:source")->art = &recordedx;
	rec = keep(graphrecord(node(g, "a:source"), c));
	CHECKHAS(rec, "artifact x.tar.gz " SHA1X "\n");
}

static void
t_graph_plan_uptodate(const void *arg)
{
	struct config *c = graphconfig();
	struct graph *g = stdgraph(c);
	char *sd = P("build/state"), *wd = P("build/work");
	struct place pl = {sd, wd};
	size_t i;
	int errors;

	if (!g)
		return;
	recordall(g, c, sd, wd);
	CHECKINT(graphplan(g, c, &pl, &pl), 0);
	CHECKSTR(reasons(g), "");
	for (i = 0; i < g->nnodes; i++)
		CHECKINT(g->nodes[i]->state, NDONE);
	/* a fresh graph from the same files: still nothing */
	g = loadgraph("recipes", c, &errors, NULL);
	CHECKINT(graphplan(g, c, &pl, &pl), 0);
	CHECKSTR(reasons(g), "");
	/* an unmentioned variable changes: still nothing */
	configset(c, "UNMENTIONED", "other", NULL, 0);
	graphkeys(g, c);
	CHECKINT(graphplan(g, c, &pl, &pl), 0);
	CHECKSTR(reasons(g), "");
}

static void
t_graph_plan_recipe_changed(const void *arg)
{
	struct config *c = graphconfig();
	struct graph *g = stdgraph(c);
	char *sd = P("build/state"), *wd = P("build/work");
	struct place pl = {sd, wd};
	int errors;

	if (!g)
		return;
	recordall(g, c, sd, wd);
	wfile("recipes/a.recipe", keep(xasprintf("exclude docs\n%s", grapha)));
	g = loadgraph("recipes", c, &errors, NULL);
	CHECKINT(graphplan(g, c, &pl, &pl), 5);
	CHECKSTR(reason(g, "a:source"), "recipe changed");
	CHECKSTR(reason(g, "a:s1"), "dependency changed: a:source");
	CHECKSTR(reason(g, "a:s2"), "dependency changed: a:s1");
	CHECKSTR(reason(g, "b:source"), NULL);
	CHECKSTR(reason(g, "b:t1"), "dependency changed: a:s1");
	CHECK(startswith(reason(g, "b:t2"), "dependency changed: "));
	CHECKSTR(reason(g, "c:source"), NULL);
	CHECKSTR(reason(g, "c:u1"), NULL);
	CHECKINT(node(g, "a:source")->state, NREADY);
	CHECKINT(node(g, "b:t1")->state, NWAIT);
	CHECKINT(node(g, "b:t1")->npending, 1);
}

static void
t_graph_plan_patch_changed(const void *arg)
{
	struct config *c = graphconfig();
	struct graph *g = stdgraph(c);
	char *sd = P("build/state"), *wd = P("build/work");
	struct place pl = {sd, wd};
	int errors;

	if (!g)
		return;
	recordall(g, c, sd, wd);
	wfile("patches/a.patch", "a patch, changed\n");
	g = loadgraph("recipes", c, &errors, NULL);
	CHECKINT(graphplan(g, c, &pl, &pl), 5);
	CHECKSTR(reason(g, "a:source"), "patch changed: a.patch");
	CHECKSTR(reason(g, "a:s1"), "patch changed: a.patch");
	CHECKSTR(reason(g, "b:t1"), "dependency changed: a:s1");
	CHECKSTR(reason(g, "c:u1"), NULL);
	recordall(g, c, sd, wd);
	wfile("patches/a-art.patch", "artifact patch, changed\n");
	g = loadgraph("recipes", c, &errors, NULL);
	CHECKINT(graphplan(g, c, &pl, &pl), 5);
	CHECKSTR(reason(g, "a:source"), "patch changed: a-art.patch");
}

static void
t_graph_plan_config_changed(const void *arg)
{
	struct config *c = graphconfig();
	struct graph *g = stdgraph(c);
	char *sd = P("build/state"), *wd = P("build/work");
	struct place pl = {sd, wd};

	if (!g)
		return;
	recordall(g, c, sd, wd);
	configset(c, "AVAR", "two", NULL, 0);
	graphkeys(g, c);
	CHECKINT(graphplan(g, c, &pl, &pl), 5);
	CHECKSTR(reason(g, "a:source"), "config changed: AVAR");
	CHECKSTR(reason(g, "a:s2"), "config changed: AVAR");
	CHECKSTR(reason(g, "b:t1"), "dependency changed: a:s1");
	CHECKSTR(reason(g, "b:source"), NULL);
	CHECKSTR(reason(g, "c:u1"), NULL);
}

static void
t_graph_plan_work_missing(const void *arg)
{
	struct config *c = graphconfig();
	struct graph *g = stdgraph(c);
	char *sd = P("build/state"), *wd = P("build/work");
	struct place pl = {sd, wd};

	if (!g)
		return;
	recordall(g, c, sd, wd);
	/* one step's record is gone, work tree present: only that step */
	unlink(P("build/state/a.s2"));
	CHECKINT(graphplan(g, c, &pl, &pl), 1);
	CHECKSTR(reasons(g), "a:s2=never built");
	CHECKINT(node(g, "a:s2")->state, NREADY);
	/* in the build directory a:s1 began (its record, state/a.tree, holds a:s1's key) */
	CHECKINT(node(g, "a:s1")->opens, 1);
	CHECKINT(node(g, "a:s2")->opens, 0);
	CHECKINT(node(g, "a:s1")->fresh, 0);
	/* begun for other inputs, or by a bootstrap that kept no record: emptied first, and
	 * every step in it runs */
	CHECKINT(writefileatomic(P("build/state/a.tree"), "0000000000000000000000000000000000000000000000000000000000000000\n", 65), 0);
	CHECKINT(graphplan(g, c, &pl, &pl), 2);
	CHECKINT(node(g, "a:s1")->fresh, 1);
	CHECKSTR(reason(g, "a:s1"), "its build directory was begun for other inputs: it starts empty");
	CHECKSTR(reason(g, "a:s2"), "never built");
	unlink(P("build/state/a.tree"));
	CHECKINT(graphplan(g, c, &pl, &pl), 2);
	CHECKINT(node(g, "a:s1")->fresh, 1);
	CHECK(graphtree(node(g, "a:s1"), sd) == 0);
	/* and the work tree is gone too: the recipe's other steps must run again */
	CHECKINT(rmtree(P("build/work/a/src")), 0);
	CHECKINT(graphplan(g, c, &pl, &pl), 3);
	CHECKSTR(reason(g, "a:source"), "work tree missing");
	CHECKSTR(reason(g, "a:s1"), "work tree missing");
	CHECKSTR(reason(g, "a:s2"), "never built");
	CHECKSTR(reason(g, "b:t1"), NULL);
	CHECKSTR(reason(g, "c:u1"), NULL);
	/* work tree gone but nothing of the recipe must run: nothing runs */
	recordall(g, c, sd, wd);
	rmtree(P("build/work/c"));
	CHECKINT(graphplan(g, c, &pl, &pl), 0);
	CHECKSTR(reasons(g), "");
	/* nothing in a build directory must run: left alone, with its record or without */
	unlink(P("build/state/a.tree"));
	CHECKINT(graphplan(g, c, &pl, &pl), 0);
	CHECKINT(node(g, "a:s1")->fresh, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* fetch */

static char *
apt(const char *list, const char *dir)
{
	char *m = aptmirror(list ? P("%s", list) : P("no-sources.list"), P("%s", dir));

	return m ? keep(m) : NULL;
}

static void
t_apt_list(const void *arg)
{
	mkdir(P("empty.d"), 0755);
	wfile("a.list", "# comment\n\n"
	                "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://example.test/debian bookworm main\n");
	CHECKSTR(apt("a.list", "empty.d"), "http://example.test/debian");
	wfile("b.list", "deb-src http://src.example.test/debian bookworm main\n"
	                "deb http://security.example.test/debian-security bookworm-security main\n"
	                "deb http://ubuntu.example.test/ubuntu jammy main\n"
	                "  deb\thttp://tab.example.test/debian\ttrixie-updates main contrib\n");
	CHECKSTR(apt("b.list", "empty.d"), "http://tab.example.test/debian");
	wfile("c.list", "deb http://security.example.test/debian-security bookworm-security main\n");
	CHECKSTR(apt("c.list", "empty.d"), NULL);
	CHECKSTR(apt(NULL, "no-such.d"), NULL);
	/* sources.list wins over the directory */
	wfile("d.d/x.sources", "Types: deb\nURIs: http://dir.example.test/debian\nSuites: bookworm\n");
	CHECKSTR(apt("a.list", "d.d"), "http://example.test/debian");
	CHECKSTR(apt("c.list", "d.d"), "http://dir.example.test/debian");
}

static void
t_apt_deb822(const void *arg)
{
	wfile("s.d/00-other.sources", "Types: deb\nURIs: https://pkgs.example.test/repo\nSuites: nodistro\nComponents: main\n");
	wfile("s.d/05-disabled.sources.bak", "Types: deb\nURIs: http://bak.example.test/debian\nSuites: bookworm\n");
	wfile("s.d/06-notes.txt", "Types: deb\nURIs: http://txt.example.test/debian\nSuites: bookworm\n");
	wfile("s.d/07-list.save", "deb http://save.example.test/debian bookworm main\n");
	wfile("s.d/10-security.sources",
	      "Types: deb\nURIs: http://security.example.test/debian-security\nSuites: bookworm-security\n"
	      "Components: main\n");
	wfile("s.d/30-debian.sources",
	      "# Debian\n"
	      "Types: deb deb-src\n"
	      "URIs: http://deb.example.test/debian\n"
	      "Suites: bookworm bookworm-updates\n"
	      "Components: main\n"
	      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n");
	wfile("s.d/40-later.sources", "Types: deb\nURIs: http://later.example.test/debian\nSuites: trixie\n");
	wfile("s.list", "# empty\n");
	CHECKSTR(apt("s.list", "s.d"), "http://deb.example.test/debian");
	CHECKSTR(apt(NULL, "s.d"), "http://deb.example.test/debian");
	/* several stanzas in one file: the security one first, then Debian */
	wfile("m.d/debian.sources",
	      "Types: deb\nURIs: http://security.example.test/debian-security\nSuites: trixie-security\n"
	      "Components: main\n"
	      "\n"
	      "Types: deb\nURIs: http://multi.example.test/debian\nSuites: trixie trixie-updates\n"
	      "Components: main\n");
	CHECKSTR(apt(NULL, "m.d"), "http://multi.example.test/debian");
	/* a .list file in the directory counts */
	wfile("l.d/00-other.sources", "Types: deb\nURIs: https://pkgs.example.test/repo\nSuites: nodistro\n");
	wfile("l.d/50-deb.list", "deb http://dotlist.example.test/debian bookworm main\n");
	CHECKSTR(apt(NULL, "l.d"), "http://dotlist.example.test/debian");
	/* nothing Debian at all */
	wfile("n.d/a.sources", "Types: deb\nURIs: https://pkgs.example.test/repo\nSuites: nodistro\n");
	wfile("n.d/b.sources", "Types: deb\nURIs: http://security.example.test/d\nSuites: bookworm-security\n");
	CHECKSTR(apt(NULL, "n.d"), NULL);
}

static void
t_apt_deb822_src_only(const void *arg)
{
	/* a deb-src-only stanza followed by a binary one: the binary one */
	wfile("s.d/debian.sources",
	      "Types: deb-src\nURIs: http://src.example.test/debian\nSuites: bookworm\nComponents: main\n"
	      "\n"
	      "Types: deb\nURIs: http://deb.example.test/debian\nSuites: bookworm\nComponents: main\n");
	CHECKSTR(apt(NULL, "s.d"), "http://deb.example.test/debian");
}

static void
t_apt_deb822_enabled(const void *arg)
{
	/* "Enabled: no" turns a stanza off; "Enabled: yes" (with a non-free component) does not */
	wfile("s.d/a.sources",
	      "Types: deb\nURIs: http://off.example.test/debian\nSuites: bookworm\nEnabled: no\n");
	wfile("s.d/b.sources",
	      "Types: deb\nURIs: http://on.example.test/debian\nSuites: bookworm\nEnabled: yes\n"
	      "Components: main contrib non-free non-free-firmware\n");
	CHECKSTR(apt(NULL, "s.d"), "http://on.example.test/debian");
}

static void
t_fetchcached(const void *arg)
{
	struct config *c = newconfig();
	struct fetchopts o;
	struct recipe *r;
	struct artifact *a;
	char *err;
	int errors = 0;
	char h1[HEXLEN], h2[HEXLEN];

	sha256hex("one\n", 4, h1);
	sha256hex("two\n", 4, h2);
	mkdir(P("patches"), 0755);
	r = keep(recipeload(wfile("recipes/q.recipe", keep(xasprintf("name q\nversion 1\n"
	                                                               "artifact q-1.tar.gz\n\tsha256 %s\n"
	                                                               "artifact q-1.tar.xz\n\tsha256 %s\n",
	                                                               h1, h2))),
	                    c, P("patches"), &errors));
	CHECKINT(errors, 0);
	memset(&o, 0, sizeof(o));
	o.cache = P("cache");
	mkdir(o.cache, 0755);
	CHECK(fetchcached(&o, r) == NULL);
	CHECKSTR(keep(cachepath(&o, r->alts[1])), P("cache/q-1.tar.xz"));
	wfile("cache/q-1.tar.xz", "two\n");
	a = fetchcached(&o, r);
	CHECK(a == r->alts[1]);
	/* the first alternative present with a wrong hash is moved aside */
	wfile("cache/q-1.tar.gz", "corrupted\n");
	capture(0);
	a = fetchcached(&o, r);
	err = uncapture();
	CHECK(a == r->alts[1]);
	CHECK(!exists(P("cache/q-1.tar.gz")));
	CHECKSTR(slurp(P("cache/q-1.tar.gz.corrupt")), "corrupted\n");
	CHECKHAS(err, "q-1.tar.gz");
	wfile("cache/q-1.tar.gz", "one\n");
	CHECK(fetchcached(&o, r) == r->alts[0]);
}

static struct fetchopts fo1, fo2; /* reachable: fetchopts has no free function */

static void
t_fetchinit(const void *arg)
{
	struct config *c = newconfig();
	struct fetchopts o;

	configset(c, "SOURCES", P("cache"), NULL, 0);
	configset(c, "MIRRORS", "  http://m1.example.test/src/  http://m2.example.test//\thttp://m3.example.test ", NULL, 0);
	configset(c, "DEBIAN_MIRROR", "http://deb.example.test/debian/", NULL, 0);
	configset(c, "OFFLINE", "1", NULL, 0);
	fetchinit(&fo1, c);
	o = fo1;
	CHECKSTR(o.cache, P("cache"));
	if (CHECKINT(o.mirrors.n, 3)) {
		CHECKSTR(o.mirrors.v[0], "http://m1.example.test/src");
		CHECKSTR(o.mirrors.v[1], "http://m2.example.test");
		CHECKSTR(o.mirrors.v[2], "http://m3.example.test");
	}
	CHECKSTR(o.debian, "http://deb.example.test/debian");
	CHECKINT(o.offline, 1);
	configset(c, "OFFLINE", "0", NULL, 0);
	fetchinit(&fo2, c);
	o = fo2;
	CHECKINT(o.offline, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* extract */

struct ent {
	const char *name;
	char type; /* f file, x executable, d dir, l symlink, h hard link, p fifo */
	const char *data;
	size_t len; /* 0: strlen(data) */
};

static void
mkarchive(int line, const char *path, const struct ent *es, size_t n, int gz)
{
	struct archive *a = archive_write_new();
	size_t i;

	archive_write_set_format_pax_restricted(a);
	if (gz)
		archive_write_add_filter_gzip(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fail(line, "fixture: cannot write archive %s: %s", path, archive_error_string(a));
		archive_write_free(a);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct ent *x = &es[i];
		struct archive_entry *e = archive_entry_new();
		size_t len = x->data ? (x->len ? x->len : strlen(x->data)) : 0;
		archive_entry_set_pathname(e, x->name);
		archive_entry_set_mtime(e, 1700000000, 0);
		switch (x->type) {
		case 'd':
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			break;
		case 'f':
		case 'x':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, x->type == 'x' ? 0755 : 0644);
			archive_entry_set_size(e, (la_int64_t)len);
			break;
		case 'l':
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_perm(e, 0777);
			archive_entry_set_symlink(e, x->data);
			break;
		case 'h':
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_hardlink(e, x->data);
			archive_entry_set_size(e, 0);
			break;
		case 'p':
			archive_entry_set_filetype(e, AE_IFIFO);
			archive_entry_set_perm(e, 0644);
			break;
		}
		if (archive_write_header(a, e) != ARCHIVE_OK)
			fail(line, "fixture: header %s: %s", x->name, archive_error_string(a));
		if ((x->type == 'f' || x->type == 'x') && len > 0 && archive_write_data(a, x->data, len) != (la_ssize_t)len)
			fail(line, "fixture: data %s: %s", x->name, archive_error_string(a));
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		fail(line, "fixture: close %s: %s", path, archive_error_string(a));
	archive_write_free(a);
}

#define MKARCHIVE(path, es, gz) mkarchive(__LINE__, (path), (es), sizeof(es) / sizeof(*(es)), (gz))

static int
sameinode(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

static char *
linkof(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return keep(xstrdup(buf));
}

static void
t_extract_strip_exclude(const void *arg)
{
	static const struct ent es[] = {
		{"pkg-1/", 'd', NULL, 0},
		{"pkg-1/README", 'f', "readme\n", 0},
		{"pkg-1/src/", 'd', NULL, 0},
		{"pkg-1/src/main.c", 'f', "int main;\n", 0},
		{"pkg-1/configure", 'x', "#!/bin/sh\n", 0},
		{"pkg-1/doc/", 'd', NULL, 0},
		{"pkg-1/doc/manual.html", 'f', "<html>\n", 0},
		{"pkg-1/doc/sub/deep.txt", 'f', "deep\n", 0},
		{"pkg-1/paper.pdf", 'f', "%PDF\n", 0},
		{"pkg-1/src/link.c", 'l', "main.c", 0},
		{"pkg-1/up", 'l', "src/../README", 0},
		{"pkg-1/README.hard", 'h', "pkg-1/README", 0},
	};
	struct artifact a = {0};
	char *arch = P("pkg-1.tar.gz"), *dest = P("out"), *err;
	struct stat st;
	int rc;

	MKARCHIVE(arch, es, 1);
	a.strip = "pkg-1";
	strvadd(&a.excludes, xstrdup("doc"));
	strvadd(&a.excludes, xstrdup("*.pdf"));
	capture(0);
	rc = extract(arch, &a, dest);
	err = uncapture();
	free(a.excludes.v[0]);
	free(a.excludes.v[1]);
	free(a.excludes.v);
	if (!CHECKINT(rc, 0)) {
		fail(__LINE__, "stderr: %s", show(err));
		return;
	}
	CHECKSTR(slurp(P("out/README")), "readme\n");
	CHECKSTR(slurp(P("out/src/main.c")), "int main;\n");
	CHECK(stat(P("out/configure"), &st) == 0 && (st.st_mode & 0100));
	CHECK(!exists(P("out/doc")));
	CHECK(!exists(P("out/doc/manual.html")));
	CHECK(!exists(P("out/paper.pdf")));
	CHECK(!exists(P("out/pkg-1")));
	CHECKSTR(linkof(P("out/src/link.c")), "main.c");
	CHECKSTR(linkof(P("out/up")), "src/../README");
	CHECK(sameinode(P("out/README"), P("out/README.hard")));
}

static void
t_extract_plain(const void *arg)
{
	static const struct ent es[] = {
		{"./top/", 'd', NULL, 0},
		{"./top/a.txt", 'f', "a\n", 0},
		{"./top/b/c.txt", 'f', "c\n", 0},
		{"x.txt", 'f', "x\n", 0},
	};
	struct artifact a = {0};
	char *arch = P("plain.tar");

	MKARCHIVE(arch, es, 0);
	CHECKINT(extract(arch, &a, P("out")), 0);
	CHECKSTR(slurp(P("out/top/a.txt")), "a\n");
	CHECKSTR(slurp(P("out/top/b/c.txt")), "c\n");
	CHECKSTR(slurp(P("out/x.txt")), "x\n");
}

static void
t_extract_failures(const void *arg)
{
	static const struct ent es[] = {
		{"pkg-1/a", 'f', "a\n", 0},
		{"other/b", 'f', "b\n", 0},
	};
	struct artifact a = {0};
	char *arch = P("t.tar.gz"), *err;

	MKARCHIVE(arch, es, 1);
	/* an entry outside the folder to strip */
	a.strip = "pkg-1";
	capture(0);
	CHECKINT(extract(arch, &a, P("out")), -1);
	err = uncapture();
	CHECKHAS(err, "other/b");
	CHECK(!exists(P("out")));
	/* everything excluded */
	a.strip = NULL;
	strvadd(&a.excludes, xstrdup("*"));
	capture(0);
	CHECKINT(extract(arch, &a, P("out")), -1);
	err = uncapture();
	CHECK(*err != '\0');
	CHECK(!exists(P("out")));
	free(a.excludes.v[0]);
	free(a.excludes.v);
	memset(&a, 0, sizeof(a));
	/* the destination exists: refused, and left alone */
	wfile("there/mine", "mine\n");
	capture(0);
	CHECKINT(extract(arch, &a, P("there")), -1);
	uncapture();
	CHECKSTR(slurp(P("there/mine")), "mine\n");
	/* not an archive */
	wfile("junk.tar.gz", "this is not an archive at all, not even close\n");
	capture(0);
	CHECKINT(extract(P("junk.tar.gz"), &a, P("out2")), -1);
	err = uncapture();
	CHECK(*err != '\0');
	CHECK(!exists(P("out2")));
	/* a missing archive */
	capture(0);
	CHECKINT(extract(P("missing.tar.gz"), &a, P("out3")), -1);
	uncapture();
	CHECK(!exists(P("out3")));
}

struct refusal {
	const char *label;
	struct ent bad[3];
	const char *sentinel; /* relative to T: must not exist afterwards ("" none) */
};

/* Names starting with '@' are made absolute below T. */
static const struct refusal refusals[] = {
	{"'..' path", {{"../x", 'f', "evil\n", 0}}, "x"},
	{"nested '..' path", {{"a/../../x", 'f', "evil\n", 0}}, "x"},
	{"absolute path", {{"@abs/x", 'f', "evil\n", 0}}, "abs/x"},
	{"symlink to ../../etc",
	 {{"d/", 'd', NULL, 0}, {"d/l", 'l', "../../etc", 0}, {"d/l/evil", 'f', "evil\n", 0}}, "etc/evil"},
	{"absolute symlink", {{"l", 'l', "@etc", 0}, {"l/evil", 'f', "evil\n", 0}}, "etc/evil"},
	{"symlink to ..", {{"l", 'l', "..", 0}}, ""},
	{"hard link to ../x", {{"h", 'h', "../hl", 0}}, ""},
	{"hard link to an absolute path", {{"h", 'h', "@hl", 0}}, ""},
	{"fifo", {{"f", 'p', NULL, 0}}, ""},
	{"symlink escaping through a '.' component", {{"x/./l", 'l', "../../etc", 0}}, ""},
	{"symlink escaping through another symlink", {{"d/", 'd', NULL, 0}, {"d/s", 'l', "..", 0}, {"t", 'l', "d/s/..", 0}},
	 ""},
};

static void
t_extract_refuse(const void *arg)
{
	const struct refusal *rf = arg;
	struct ent es[5];
	struct artifact a = {0};
	char *arch = P("bad.tar.gz"), *dest = P("out"), *err;
	size_t n = 0, i;
	struct stat st;
	int rc;

	mkdir(P("etc"), 0755);
	wfile("hl", "outside\n");
	es[n++] = (struct ent){"ok.txt", 'f', "fine\n", 0};
	for (i = 0; i < 3 && rf->bad[i].name; i++) {
		es[n] = rf->bad[i];
		if (es[n].name[0] == '@')
			es[n].name = P("%s", es[n].name + 1);
		if (es[n].data && es[n].data[0] == '@')
			es[n].data = P("%s", es[n].data + 1);
		n++;
	}
	es[n++] = (struct ent){"zz-after.txt", 'f', "after\n", 0};
	mkarchive(__LINE__, arch, es, n, 1);
	capture(0);
	rc = extract(arch, &a, dest);
	err = uncapture();
	CHECKINT(rc, -1);
	if (rc == 0) {
		/* say where the links it made lead */
		for (i = 1; i + 1 < n; i++)
			if (es[i].type == 'l') {
				char *p = P("out/%s", es[i].name), *rp = realpath(p, NULL);
				fail(__LINE__, "extracted %s -> %s, which resolves to %s", es[i].name, es[i].data,
				     rp ? rp : "(nothing)");
				free(rp);
			}
	}
	CHECKHAS(err, "refus");
	CHECK(!exists(dest));
	if (*rf->sentinel)
		CHECK(!exists(P("%s", rf->sentinel)));
	CHECKSTR(slurp(P("hl")), "outside\n");
	CHECK(stat(P("hl"), &st) == 0 && st.st_nlink == 1);
	CHECK(!exists(P("x")));
	CHECK(!exists(P("ok.txt")));
	(void)rmtree(dest);
}

/* build an inner .tar.gz and an outer archive holding it */
static void
memberfixture(const char *outername, int outergz, const char *memberpath, const struct ent *inner, size_t ninner)
{
	char *innerpath = P("inner.tar.gz"), *data;
	size_t len = 0;

	mkarchive(__LINE__, innerpath, inner, ninner, 1);
	data = readfile(innerpath, &len);
	if (!data) {
		fail(__LINE__, "fixture: cannot read %s", innerpath);
		return;
	}
	keep(data);
	struct ent outer[] = {
		{"foo-1/", 'd', NULL, 0},
		{"foo-1/README", 'f', "outer readme\n", 0},
		{memberpath, 'f', data, len},
		{"foo-1/zz-trailer", 'f', "trailer\n", 0},
	};
	MKARCHIVE(P("%s", outername), outer, outergz);
}

static void
t_extract_member(const void *arg)
{
	static const struct ent inner[] = {
		{"inner-1/", 'd', NULL, 0},
		{"inner-1/hello.txt", 'f', "hello from inside\n", 0},
		{"inner-1/sub/x.c", 'f', "x\n", 0},
	};
	struct artifact a = {0};
	char *err;

	memberfixture("outer.tar", 0, "foo-1/inner-1.tar.gz", inner, 3);
	a.member = "foo-1/inner-1.tar.gz";
	a.strip = "inner-1";
	capture(0);
	CHECKINT(extract(P("outer.tar"), &a, P("out")), 0);
	err = uncapture();
	CHECKSTR(err, "");
	CHECKSTR(slurp(P("out/hello.txt")), "hello from inside\n");
	CHECKSTR(slurp(P("out/sub/x.c")), "x\n");
	CHECK(!exists(P("out/README")));
	CHECK(!exists(P("out/foo-1")));
	/* compressed outer archive, member written with a leading ./ */
	memberfixture("outer2.tar.gz", 1, "./foo-1/inner-1.tar.gz", inner, 3);
	CHECKINT(extract(P("outer2.tar.gz"), &a, P("out2")), 0);
	CHECKSTR(slurp(P("out2/hello.txt")), "hello from inside\n");
	/* a member that is not there */
	a.member = "foo-1/nope.tar.gz";
	capture(0);
	CHECKINT(extract(P("outer.tar"), &a, P("out3")), -1);
	err = uncapture();
	CHECKHAS(err, "nope.tar.gz");
	CHECK(!exists(P("out3")));
}

static void
t_extract_member_refuse(const void *arg)
{
	static const struct ent inner[] = {
		{"inner-1/ok.txt", 'f', "ok\n", 0},
		{"inner-1/../../x", 'f', "evil\n", 0},
	};
	struct artifact a = {0};
	char *err;

	memberfixture("outer.tar", 0, "foo-1/inner-1.tar.gz", inner, 2);
	a.member = "foo-1/inner-1.tar.gz";
	capture(0);
	CHECKINT(extract(P("outer.tar"), &a, P("out")), -1);
	err = uncapture();
	CHECKHAS(err, "refus");
	CHECK(!exists(P("out")));
	CHECK(!exists(P("x")));
}

/* prepare runs preparesource in a child process that ends with _exit, as the scheduler does. */
static int
prepare(struct recipe *r, const struct artifact *a, const char *archive, const char *workdir)
{
	pid_t pid;
	int st = 0;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		int rc = preparesource(r, a, archive, workdir);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
t_preparesource(const void *arg)
{
	static const struct ent es[] = {
		{"p-1/", 'd', NULL, 0},
		{"p-1/hello.txt", 'f', "hello\n", 0},
	};
	struct config *c = newconfig();
	struct recipe *r;
	char *arch = P("p-1.tar.gz"), *err;
	int errors = 0, rc;

	MKARCHIVE(arch, es, 1);
	wfile("patches/p/art.patch", "--- a/hello.txt\n+++ b/hello.txt\n@@ -1 +1 @@\n-hello\n+hello world\n");
	/* the fixup runs after the artifact's patch, the recipe's patch after the fixup */
	wfile("patches/p/fix.sh", "grep -q 'hello world' hello.txt\necho fixed > fixed.txt\n");
	wfile("patches/p/recipe.patch", "--- a/fixed.txt\n+++ b/fixed.txt\n@@ -1 +1 @@\n-fixed\n+fixed twice\n");
	wfile("patches/p/bad.patch", "--- a/hello.txt\n+++ b/hello.txt\n@@ -1 +1 @@\n-nothing like this\n+x\n");
	r = keep(recipeload(wfile("recipes/p.recipe", "name p\nversion 1\npatch p/recipe.patch\n"
	                                              "artifact p-1.tar.gz\n\tsha256 " SHA1X "\n\tstrip p-1\n"
	                                              "\tpatch p/art.patch\n\tfixup p/fix.sh\n"
	                                              "step build\n\trun true\n"),
	                    c, P("patches"), &errors));
	if (!CHECKINT(errors, 0) || !CHECKINT(r->nalts, 1))
		return;
	capture(1);
	rc = prepare(r, r->alts[0], arch, P("work/p"));
	err = uncapture();
	if (!CHECKINT(rc, 0))
		fail(__LINE__, "output: %s", show(err));
	CHECKSTR(slurp(P("work/p/src/hello.txt")), "hello world\n");
	CHECKSTR(slurp(P("work/p/src/fixed.txt")), "fixed twice\n");
	CHECK(isdir(P("work/p/build")));
	CHECK(!exists(P("work/p/src.tmp")));
	/* again over an existing work tree: starts afresh */
	wfile("work/p/build/stale", "x");
	capture(1);
	rc = prepare(r, r->alts[0], arch, P("work/p"));
	uncapture();
	CHECKINT(rc, 0);
	CHECK(!exists(P("work/p/build/stale")));
	/* a patch that does not apply */
	r = keep(recipeload(wfile("recipes/p.recipe", "name p\nversion 1\npatch p/bad.patch\n"
	                                              "artifact p-1.tar.gz\n\tsha256 " SHA1X "\n\tstrip p-1\n"),
	                    c, P("patches"), &errors));
	capture(1);
	rc = prepare(r, r->alts[0], arch, P("work/q"));
	err = uncapture();
	CHECKINT(rc, EXIT_EXTRACT);
	CHECKHAS(err, "bad.patch");
	CHECK(!exists(P("work/q/src")));
	/* no artifact: an empty source tree */
	r = keep(recipeload(wfile("recipes/n.recipe", "name n\nversion 1\nstep s\n\trun true\n"), c, P("patches"), &errors));
	capture(1);
	rc = prepare(r, NULL, NULL, P("work/n"));
	uncapture();
	CHECKINT(rc, 0);
	CHECK(isdir(P("work/n/src")) && isdir(P("work/n/build")));
}

/* ------------------------------------------------------------------------------------------ */
/* runner */

struct test {
	const char *name;
	void (*fn)(const void *);
	const void *arg;
};

static struct test *tests;
static size_t ntests;

static void
add(const char *name, void (*fn)(const void *), const void *arg)
{
	tests = xrealloc(tests, (ntests + 1) * sizeof(*tests));
	tests[ntests++] = (struct test){name, fn, arg};
}

static void
register_tests(void)
{
	size_t i;

	add("util: sha256hex known vectors", t_sha256hex, NULL);
	add("util: sha256file", t_sha256file, NULL);
	add("util: ishex64", t_ishex64, NULL);
	add("util: writefileatomic", t_writefileatomic, NULL);
	add("util: mkdirs", t_mkdirs, NULL);
	add("util: rmtree with a mode-000 directory and links", t_rmtree, NULL);
	add("util: abspath", t_abspath, NULL);
	add("util: buf and strv", t_buf, NULL);

	add("config: ?= = := comments and $(NAME) expansion", t_config_syntax, NULL);
	add("config: ?= keeps an earlier value, = replaces it", t_config_assign, NULL);
	add("config: environment values", t_config_env, NULL);
	add("config: command-line values win over the file", t_config_cmdline, NULL);
	add("config: syntax errors as path:LINE and counted", t_config_errors, NULL);
	add("config: missing file", t_config_missing, NULL);

	add("recipe: a valid recipe with every directive", t_recipe_valid, NULL);
	add("recipe: steps point back to their recipe", t_recipe_steprecipe, NULL);
	add("recipe: alternatives filtered by version", t_recipe_alts, NULL);
	add("recipe: vars lists the config variables mentioned", t_recipe_vars, NULL);
	for (i = 0; i < sizeof(recipeerrs) / sizeof(*recipeerrs); i++)
		add(keep(xasprintf("recipe error: %s (line %d)", recipeerrs[i].msg, recipeerrs[i].line)), t_recipe_error,
		    &recipeerrs[i]);
	add("recipe: recipeloaddir loads *.recipe sorted", t_recipe_loaddir, NULL);

	add("graph: implicit and explicit order, topological", t_graph_order, NULL);
	add("graph: after a recipe without steps is its source", t_graph_after_recipe_without_steps, NULL);
	add("graph: references to recipes later in the order", t_graph_forward_ref, NULL);
	add("graph: unknown dependency at the after line", t_graph_unknown_dep, NULL);
	add("graph: cycle across two recipes names its steps", t_graph_cycle, NULL);
	add("graph: step after itself or a later step", t_graph_self_cycle, NULL);
	add("graph: keys are deterministic and distinct", t_graph_keys_deterministic, NULL);
	add("graph: keys follow the recipe text", t_graph_keys_recipe, NULL);
	add("graph: keys follow patch contents", t_graph_keys_patch, NULL);
	add("graph: keys follow mentioned config only", t_graph_keys_config, NULL);
	add("graph: plan with no state: never built", t_graph_plan_fresh, NULL);
	add("graph: plan after recording everything: nothing", t_graph_plan_uptodate, NULL);
	add("graph: plan reasons: recipe changed, dependency changed", t_graph_plan_recipe_changed, NULL);
	add("graph: plan reasons: patch changed", t_graph_plan_patch_changed, NULL);
	add("graph: plan reasons: config changed", t_graph_plan_config_changed, NULL);
	add("graph: plan reasons: work tree missing, build directory begun for other inputs",
	    t_graph_plan_work_missing, NULL);

	add("fetch: aptmirror from sources.list", t_apt_list, NULL);
	add("fetch: aptmirror from deb822 .sources", t_apt_deb822, NULL);
	add("fetch: aptmirror skips a deb-src-only stanza", t_apt_deb822_src_only, NULL);
	add("fetch: aptmirror Enabled: yes/no per stanza", t_apt_deb822_enabled, NULL);
	add("fetch: fetchcached picks a verified alternative", t_fetchcached, NULL);
	add("fetch: fetchinit reads MIRRORS, DEBIAN_MIRROR, OFFLINE", t_fetchinit, NULL);

	add("extract: strip, exclude, links", t_extract_strip_exclude, NULL);
	add("extract: no strip, ./ prefixes", t_extract_plain, NULL);
	add("extract: failures remove the destination", t_extract_failures, NULL);
	for (i = 0; i < sizeof(refusals) / sizeof(*refusals); i++)
		add(keep(xasprintf("extract refuses: %s", refusals[i].label)), t_extract_refuse, &refusals[i]);
	add("extract: member inside an outer archive", t_extract_member, NULL);
	add("extract: member with a bad entry is refused", t_extract_member_refuse, NULL);
	add("extract: preparesource patches, fixups, recipe patches", t_preparesource, NULL);
}

static int
selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return 1;
	return 0;
}

/* runone runs a test in a child process; returns 1 if it passed, with its diagnostics in *diag. */
static int
runone(const struct test *t, const char *tmpbase, struct buf *diag)
{
	char *dir = xasprintf("%s/bootstrap-unit.XXXXXX", tmpbase);
	int p[2], st = 0, ok;
	pid_t pid;
	char chunk[4096];
	ssize_t n;

	if (!mkdtemp(dir)) {
		bufaddf(diag, "# mkdtemp %s: %s\n", dir, strerror(errno));
		free(dir);
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		bufaddf(diag, "# pipe: %s\n", strerror(errno));
		free(dir);
		return 0;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		bufaddf(diag, "# fork: %s\n", strerror(errno));
		free(dir);
		return 0;
	}
	if (pid == 0) {
		close(p[0]);
		diagfd = p[1];
		T = dir;
		if (chdir(T) < 0)
			_exit(3);
		alarm(120);
		t->fn(t->arg);
		fflush(stdout);
		fflush(stderr);
		diagwrite(DONE);
		exit(nfails ? 1 : 0);
	}
	close(p[1]);
	for (;;) {
		n = read(p[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		bufadd(diag, chunk, (size_t)n);
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	char *done = strstr(diag->s, DONE);
	if (done) {
		memmove(done, done + strlen(DONE), strlen(done + strlen(DONE)) + 1);
		diag->len -= strlen(DONE);
	}
	ok = done && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	int nfailed = strstr(diag->s, "# unit.c:") != NULL;
	if (!done) {
		/* it died in the middle: show what it printed while its stderr was being captured */
		char *cap = xasprintf("%s/captured.txt", dir), *text = readfile(cap, NULL), *l, *nl;
		if (text && *text) {
			bufaddf(diag, "# last captured output of the test:\n");
			for (l = text; *l; l = nl) {
				nl = strchr(l, '\n');
				nl = nl ? nl + 1 : l + strlen(l);
				bufaddf(diag, "#   %.*s\n", (int)(nl - l - (nl[-1] == '\n')), l);
			}
		}
		free(text);
		free(cap);
	}
	if (WIFSIGNALED(st))
		bufaddf(diag, "# the test died of signal %d (%s)%s\n", WTERMSIG(st), strsignal(WTERMSIG(st)),
		        WTERMSIG(st) == SIGALRM ? ": it hung" : "");
	else if (!done)
		bufaddf(diag, "# the test stopped before its end, exit status %d (a sanitizer report?)\n",
		        WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else if (!ok && (nfailed == 0 || WEXITSTATUS(st) != 1))
		bufaddf(diag, "# the test ran to its end but exited with status %d (a LeakSanitizer report on stderr?)\n",
		        WEXITSTATUS(st));
	if (getenv("UNIT_KEEP") && strcmp(getenv("UNIT_KEEP"), "1") == 0)
		bufaddf(diag, "# kept %s\n", dir);
	else
		rmtree(dir);
	free(dir);
	return ok;
}

int
main(int argc, char **argv)
{
	const char *tmpbase = getenv("TMPDIR");
	int passed = 0, failed = 0, num = 0;
	size_t i;

	if (!tmpbase || !*tmpbase)
		tmpbase = "/tmp";
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	register_tests();
	for (i = 0; i < ntests; i++) {
		struct buf diag = {0};
		if (!selected(tests[i].name, argc, argv))
			continue;
		num++;
		bufgrow(&diag, 0);
		if (runone(&tests[i], tmpbase, &diag)) {
			printf("ok %d - %s\n", num, tests[i].name);
			passed++;
		} else {
			printf("not ok %d - %s\n", num, tests[i].name);
			failed++;
		}
		fputs(diag.s, stdout);
		free(diag.s);
	}
	printf("%d passed, %d failed\n", passed, failed);
	for (i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	free(tests);
	return failed ? 1 : 0;
}
