/* sched.c: see sched.h. The main loop polls the signal self-pipe (sig.h: SIGCHLD as well as
 * the stop signals), so a finished step, a free job token and a stop request all wake the same
 * poll(). A run is: startready() while there are slots, wait, reap() what ended (nodedone() or
 * nodefailed()), until nothing runs; then the table of steps and the verdict. */
#define _GNU_SOURCE /* pipe2 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extract.h"
#include "sched.h"
#include "target.h"

/* placeof is where n keeps its done record and its recipe's work tree: HOST_BUILD_DIR's for
 * what every target shares, else BUILD_DIR's */
static const struct place *
placeof(const struct runctx *x, const struct node *n)
{
	return n->shared ? &x->shared : &x->own;
}

enum { TAILLINES = 30, KILLWAIT = 10 };

/* takelock opens DIR/lock and takes it with op (LOCK_EX or LOCK_SH) without waiting; on
 * success an exclusive holder writes its pid there. Returns the descriptor, or -1 when another
 * run holds it, with holder set to the pid the file names ("?" if none). */
static int
takelock(const char *dir, int op, char holder[32])
{
	char *path = xasprintf("%s/lock", dir), pid[32];
	int fd;
	ssize_t n;

	if (mkdirs(dir) < 0)
		fatal(EXIT_USAGE, "%s:", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal(EXIT_USAGE, "%s:", path);
	if (flock(fd, op | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			fatal(EXIT_USAGE, "flock %s:", path);
		n = pread(fd, holder, 31, 0);
		holder[n > 0 ? n : 0] = '\0';
		holder[strcspn(holder, "\n")] = '\0';
		if (!*holder)
			strcpy(holder, "?");
		close(fd);
		free(path);
		return -1;
	}
	if (op == LOCK_EX) {
		n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n)
			fatal(EXIT_USAGE, "%s:", path);
	}
	free(path);
	return fd;
}

int
lockbuild(const char *builddir)
{
	char holder[32];
	int fd = takelock(builddir, LOCK_EX, holder);

	if (fd < 0)
		fatal(EXIT_LOCKED, "%s/lock: locked by pid %s (another bootstrap run is using this build directory)",
		      builddir, holder);
	return fd;
}

int
lockshared(const char *hostbuild, int exclusive)
{
	char holder[32];
	int fd = takelock(hostbuild, exclusive ? LOCK_EX : LOCK_SH, holder);

	/* shared holders write no pid: only a refused shared lock knows who holds it */
	if (fd < 0 && exclusive)
		fatal(EXIT_LOCKED,
		      "%s/lock: another bootstrap run is using the host steps' results this run must build again "
		      "(HOST_BUILD_DIR, shared by every target); build targets one after the other, or in one run "
		      "with `make toolchain TARGETS=...`",
		      hostbuild);
	if (fd < 0)
		fatal(EXIT_LOCKED,
		      "%s/lock: locked by pid %s, another bootstrap run building the host steps every target "
		      "shares (HOST_BUILD_DIR); build targets one after the other, or in one run with "
		      "`make toolchain TARGETS=...`",
		      hostbuild, holder);
	return fd;
}

/* reapscan kills the processes that carry marker in their environment, saying why; returns
 * how many. */
static int
reapscan(const char *marker, const char *why)
{
	size_t mlen = strlen(marker) + 1; /* with its NUL */
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atol(e->d_name);
		if (pid == getpid())
			continue;
		char *path = xasprintf("/proc/%s/environ", e->d_name);
		size_t len = 0;
		char *env = readfile(path, &len);
		free(path);
		if (!env)
			continue;
		for (size_t off = 0; off < len; off += strlen(env + off) + 1)
			if (len - off >= mlen && memcmp(env + off, marker, mlen) == 0) {
				warn("killing process %ld %s", (long)pid, why);
				kill(pid, SIGKILL);
				n++;
				break;
			}
		free(env);
	}
	closedir(d);
	return n;
}

/* reapall scans again until none is left: a make may fork between a scan and its kill. */
static void
reapall(const char *marker, const char *why)
{
	int i;

	for (i = 0; i < 50 && reapscan(marker, why) > 0; i++)
		usleep(100000);
}

void
reapstale(const char *builddir)
{
	char *marker = xasprintf("MUSLXB_BUILD_DIR=%s", builddir);

	reapall(marker, "left running by an earlier run");
	free(marker);
}

/* guardstart forks the guardian: it waits on a pipe whose write end only bootstrap holds. A
 * 'q' written there means the run ended in order; end of file without it means bootstrap died,
 * and the guardian kills what the run left. Returns the write end. */
static int
guardstart(void)
{
	int p[2];
	pid_t pid;
	char *marker = xasprintf("MUSLXB_RUN=%ld", (long)getpid());

	if (pipe2(p, O_CLOEXEC) < 0)
		fatal(EXIT_USAGE, "pipe:");
	if ((pid = xfork()) == 0) {
		char c = 0;
		int fd;
		/* keep nothing of the run open (the build lock above all), and outlive a ^C */
		for (fd = 3; fd < 1024; fd++)
			if (fd != p[0])
				close(fd);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		if (c != 'q')
			reapall(marker, "of a run whose bootstrap was killed");
		_exit(0);
	}
	close(p[0]);
	free(marker);
	return p[1];
}

/* guardstop tells the guardian that the run ended in order. */
static void
guardstop(int fd)
{
	if (write(fd, "q", 1) != 1)
		warn("guardian pipe:");
	close(fd);
}

char *
pinhosttools(const char *builddir)
{
	char *dir = xasprintf("%s/host-tools", builddir);
	char *link = xasprintf("%s/make", dir), *tmp = xasprintf("%s/make.new", dir);
	char *make = onpath("make");

	if (!make) {
		warn("no make on PATH: steps run the first make on theirs (the stage's, once built)");
		free(dir), dir = NULL;
	} else if (make[0] != '/') {
		char *abs = abspath(make);
		free(make);
		make = abs;
	}
	if (dir && (mkdirs(dir) < 0 || (unlink(tmp) < 0 && errno != ENOENT) || symlink(make, tmp) < 0 ||
	            rename(tmp, link) < 0))
		fatal(EXIT_USAGE, "%s:", link);
	free(make), free(link), free(tmp);
	return dir;
}

static char *
logpath(const struct runctx *x, const struct node *n)
{
	return xasprintf("%s/%s.%s.log", x->logdir, n->recipe->name, n->step ? n->step->name : "source");
}

/* unsettarget removes from the environment every variable that differs between targets,
 * wherever it came from (make exports a TARGET given on its command line). */
static void
unsettarget(void)
{
	extern char **environ;
	char **e;

	for (e = environ; *e;) {
		size_t len = strcspn(*e, "=");
		char *name = xstrndup(*e, len);
		int drop = targetdependent(name);
		if (drop)
			unsetenv(name);
		free(name);
		e = drop ? environ : e + 1; /* unsetenv moves the entries: start again */
	}
}

/* setenvs gives a step its documented environment. */
static void
setenvs(const struct runctx *x, const struct node *n, const char *jobserver)
{
	const struct config *c = x->config;
	struct recipe *r = n->recipe;
	const char *path = getenv("PATH");
	size_t i;

	int host = n->step && n->step->host;
	for (i = 0; i < c->nvars; i++)
		setenv(c->vars[i].name, c->vars[i].value, 1);
	const struct place *pl = placeof(x, n);
	char *src = xasprintf("%s/%s/src", pl->work, r->name);
	char *bld = xasprintf("%s/%s/build", pl->work, r->name);
	char *sys = xasprintf("%s/%s", x->stage, configget(c, "TARGET"));
	char *np = host ? xasprintf("%s%s%s/bin:%s", x->hosttools ? x->hosttools : "", x->hosttools ? ":" : "",
	                            x->sharedprefix, path ? path : "/usr/bin:/bin")
	                : xasprintf("%s%s%s/bin:%s/bin:%s", x->hosttools ? x->hosttools : "",
	                            x->hosttools ? ":" : "", x->stage, x->hostprefix, path ? path : "/usr/bin:/bin");
	setenv("SRC", src, 1);
	setenv("BUILD", bld, 1);
	if (x->sharedprefix)
		setenv("SHARED_PREFIX", x->sharedprefix, 1);
	setenv("PREFIX", x->stage, 1);
	setenv("SYSROOT", sys, 1);
	setenv("HOST_PREFIX", x->hostprefix, 1);
	setenv("RELEASE_PREFIX", x->release, 1);
	setenv("BUILD_ROOT", x->builddir, 1);
	setenv("PATCHES", x->patchdir, 1);
	setenv("RECIPE", r->name, 1);
	setenv("VERSION", r->version, 1);
	setenv("STEP", n->step ? n->step->name : "source", 1);
	setenv("JOBS", xasprintf("%d", x->jobs), 1);
	setenv("PATH", np, 1);
	setenv("MUSLXB_BUILD_DIR", x->builddir, 1);
	setenv("MUSLXB_RUN", xasprintf("%ld", (long)getppid()), 1);
	/* the jobserver, then the command-line assignments: MAKEVARS and the compiler cache's */
	const char *mv = configget(c, "MAKEVARS");
	char *cv = x->cache ? cachemakevars(x->cache) : NULL;
	char *vars = mv && *mv ? (cv ? xasprintf("%s %s", mv, cv) : xstrdup(mv)) : cv;
	setenv("MAKEFLAGS", vars ? xasprintf("%s -- %s", jobserver, vars) : jobserver, 1);
	unsetenv("MFLAGS");
	unsetenv("MAKELEVEL");
	unsetenv("MAKEOVERRIDES");
	unsetenv("GNUMAKEFLAGS");
	if (x->cache)
		cacheenv(x->cache, x->stage, configget(c, "TARGET"), host ? x->hostbuild : x->builddir);
	unsetenv("CCACHE_REMOTE"); /* ours, not a ccache setting */
	if (host) /* built once for every target: it sees nothing of the target's */
		unsettarget();
}

/* startnode forks the node's process in its own process group; -1 if it could not start. */
static pid_t
startnode(struct runctx *x, struct node *n, const char *jobserver)
{
	char *log = logpath(x, n);
	int errp[2], err = 0;
	pid_t pid;

	if (pipe2(errp, O_CLOEXEC) < 0)
		fatal(EXIT_USAGE, "pipe:");
	if ((pid = xfork()) == 0) {
		int fd;
		pid_t parent = getppid();
		setpgid(0, 0);
		sigchild();
		/* if bootstrap is killed outright, this process goes too; its descendants carry
		 * MUSLXB_BUILD_DIR and the next run reaps them */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(127);
		close(errp[0]);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			goto fail;
		setenvs(x, n, jobserver);
		if (!n->step) {
			struct recipe *r = n->recipe;
			char *wd = xasprintf("%s/%s", placeof(x, n)->work, r->name);
			char *archive = n->art ? cachepath(x->fetch, n->art) : NULL;
			close(errp[1]);
			int rc = preparesource(r, n->art, archive, wd);
			fflush(stdout);
			fflush(stderr);
			_exit(rc);
		}
		if (n->fresh && (rmtree(getenv("BUILD")) < 0 || mkdirs(getenv("BUILD")) < 0 ||
		                 graphtree(n, placeof(x, n)->state) < 0))
			goto fail;
		/* a later step of a recipe whose host steps are shared runs in the target's own
		 * build directory, with ../src the shared source tree */
		if (!n->shared && n->recipe->host) {
			char *src = getenv("SRC"), *shsrc = xasprintf("%s/%s/src", x->shared.work, n->recipe->name);
			if (mkdirs(getenv("BUILD")) < 0 || rmtree(src) < 0 || symlink(shsrc, src) < 0)
				goto fail;
		}
		if (chdir(getenv("BUILD")) < 0)
			goto fail;
		printf("# %s: %s\n", n->name, n->reason ? n->reason : "");
		if (n->fresh)
			printf("# %s: emptied, begun for this step's inputs\n", getenv("BUILD"));
		fflush(stdout);
		execl("/bin/sh", "sh", "-e", "-c", n->step->script.s ? n->step->script.s : ":", (char *)NULL);
	fail:
		err = errno;
		if (write(errp[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	setpgid(pid, pid); /* also here, so that a kill before the child ran still reaches it */
	close(errp[1]);
	if (read(errp[0], &err, sizeof(err)) == sizeof(err)) {
		close(errp[0]);
		waitpid(pid, NULL, 0);
		warn("%s: could not start: %s (log %s)", n->name, strerror(err), log);
		free(log);
		return -1;
	}
	close(errp[0]);
	free(log);
	return pid;
}

static double
seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void
fmttime(char *buf, size_t n, double s)
{
	if (s < 60)
		snprintf(buf, n, "%.1fs", s);
	else
		snprintf(buf, n, "%dm%02ds", (int)s / 60, (int)s % 60);
}

/* logged is the size of n's log so far; -1 if unknown. */
static long long
logged(const struct runctx *x, const struct node *n)
{
	char *log = logpath(x, n);
	struct stat st;
	long long size = stat(log, &st) == 0 ? (long long)st.st_size : -1;

	free(log);
	return size;
}

/* speedof compares the steps that ran in this run with their recipes' costs: seconds taken per
 * second of cost (1 if none has run). */
static double
speedof(const struct graph *g)
{
	double took = 0, cost = 0;
	size_t i;

	for (i = 0; i < g->nnodes; i++) {
		const struct node *n = g->nodes[i];
		if (n->state == NDONE && n->end > 0 && n->step && n->step->cost > 0) {
			took += n->end - n->start;
			cost += n->step->cost;
		}
	}
	return cost > 30 ? took / cost : 1;
}

/* progress estimates how far a running node is, 0 to 0.99: its log against the size of its
 * last run's, else its time against its estimate; -1 if nothing is known. */
static double
progress(const struct runctx *x, const struct node *n, double est)
{
	double p = -1;

	if (n->prevbytes > 0) {
		long long size = logged(x, n);
		p = size >= 0 ? (double)size / (double)n->prevbytes : -1;
	} else if (est > 0) {
		p = (now() - n->start) / est;
	} else {
		return -1;
	}
	return p < 0 ? -1 : p > 0.99 ? 0.99 : p;
}

double
estimateleft(const struct graph *g, const struct runctx *x, int *rough, int *known)
{
	double *left = xcalloc(g->nnodes ? g->nnodes : 1, sizeof(*left)), speed = speedof(g), r;
	size_t i;

	*rough = 0;
	*known = 1;
	for (i = 0; i < g->nnodes; i++) {
		const struct node *n = g->nodes[i];
		double est, p;
		if (n->state == NDONE || n->state == NFAILED)
			continue;
		est = graphestimate(n, speed, rough);
		if (est < 0) {
			if (n->step)
				*known = 0;
			est = 0;
		}
		if (n->state == NRUN && (p = progress(x, n, est)) >= 0)
			est *= 1 - p;
		left[i] = est;
	}
	r = graphremaining(g, left, x->jobs);
	free(left);
	return r;
}

static void
status(struct graph *g, struct runctx *x, size_t done, size_t total, double t0)
{
	char el[32], eta[32];
	size_t i, w = 0;
	int rough, known;
	double speed;

	if (!x->tty)
		return;
	speed = speedof(g);
	fmttime(el, sizeof(el), now() - t0);
	printf("\r\033[K[%zu/%zu] %s running:", done, total, el);
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		if (n->state == NRUN && w < 4) {
			int r = 0;
			double p = progress(x, n, graphestimate(n, speed, &r));
			printf(" %s", n->name);
			if (p >= 0)
				printf(" %d%%%s", (int)(p * 100), r ? "?" : "");
			w++;
		}
	}
	double left = estimateleft(g, x, &rough, &known);
	if (known && left >= 1) {
		fmttime(eta, sizeof(eta), left);
		printf(", %s%s left%s", rough ? "about " : "", eta, rough ? " (rough)" : "");
	}
	fflush(stdout);
}

static void
tail(const char *path)
{
	size_t len, i, lines = 0;
	char *text = readfile(path, &len);

	if (!text)
		return;
	for (i = len; i > 0; i--)
		if (text[i - 1] == '\n' && i != len && ++lines == TAILLINES)
			break;
	fputs(text + i, stderr);
	if (len && text[len - 1] != '\n')
		fputc('\n', stderr);
	free(text);
}

/* stopall ends every running node's process group: SIGTERM, then SIGKILL after KILLWAIT s. */
static void
stopall(struct graph *g, size_t *running)
{
	double deadline = now() + KILLWAIT;
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i]->state == NRUN)
			kill(-g->nodes[i]->pid, SIGTERM);
	while (*running > 0) {
		pid_t pid;
		int st;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			for (i = 0; i < g->nnodes; i++)
				if (g->nodes[i]->state == NRUN && g->nodes[i]->pid == pid) {
					kill(-pid, SIGKILL); /* whatever is left of its group */
					g->nodes[i]->state = NWAIT;
					(*running)--;
				}
		if (*running == 0)
			break;
		if (now() > deadline) {
			for (i = 0; i < g->nnodes; i++)
				if (g->nodes[i]->state == NRUN)
					kill(-g->nodes[i]->pid, SIGKILL);
			deadline = now() + 3600;
		}
		struct pollfd p = {sigfd(), POLLIN, 0};
		poll(&p, 1, 200);
		sigdrain();
	}
}

/* The state of one schedrun. */
struct run {
	struct graph *g;
	struct runctx *x;
	int jfd[2];             /* the jobserver pipe the steps' makes share */
	int tokfd;              /* our own non-blocking read end of it */
	char *jobserver;        /* MAKEFLAGS for the steps */
	char *held;             /* tokens read from the pipe and not yet returned */
	size_t nheld;
	size_t total, done, running;
	struct node *failed;    /* the first node that failed, or NULL */
	int failstatus;         /* the exit status the run ends with when a node failed */
	double t0;
};

/* jobsinit fills the jobserver pipe with a token for every slot but our own. */
static void
jobsinit(struct run *u)
{
	size_t i;

	if (pipe(u->jfd) < 0)
		fatal(EXIT_USAGE, "pipe:");
	for (i = 1; i < (size_t)u->x->jobs; i++)
		if (write(u->jfd[1], "+", 1) != 1)
			fatal(EXIT_USAGE, "jobserver pipe:");
	/* our own reads must not block, but the children's must: a second open file description */
	char *self = xasprintf("/proc/self/fd/%d", u->jfd[0]);
	u->tokfd = open(self, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	free(self);
	if (u->tokfd < 0)
		fatal(EXIT_USAGE, "jobserver pipe: reopen:");
	u->jobserver = xasprintf("-j%d --jobserver-auth=%d,%d", u->x->jobs, u->jfd[0], u->jfd[1]);
	u->held = xmalloc((size_t)u->x->jobs);
}

/* tokensback returns held tokens until we hold no more than the running steps need. Tokens
 * belong to the run, not to a step, so that the makes can use a freed slot even if the step
 * that ended was the one using our own slot. */
static void
tokensback(struct run *u)
{
	while (u->nheld > (u->running > 0 ? u->running - 1 : 0))
		if (write(u->jfd[1], &u->held[--u->nheld], 1) != 1)
			warn("jobserver pipe:");
}

static void
jobsfree(struct run *u)
{
	free(u->held);
	close(u->tokfd);
	close(u->jfd[0]);
	close(u->jfd[1]);
	free(u->jobserver);
}

/* startready starts ready nodes while there are job slots. Returns 1 if a node waits for a
 * token (the loop must then poll the jobserver pipe too). */
static int
startready(struct run *u)
{
	struct graph *g = u->g;
	size_t i;

	while (!u->failed && !interrupted) {
		struct node *n = NULL;
		char tok = 0;
		for (i = 0; i < g->nnodes && !n; i++)
			if (g->nodes[i]->state == NREADY)
				n = g->nodes[i];
		if (!n)
			return 0;
		/* one slot is ours without a token; every further running step holds one */
		if (u->running > 0) {
			if (read(u->tokfd, &tok, 1) != 1)
				return 1;
			u->held[u->nheld++] = tok;
		}
		n->start = now();
		if (graphstarted(n, placeof(u->x, n)->state) < 0)
			fatal(EXIT_USAGE, "%s: cannot mark %s as running:", placeof(u->x, n)->state, n->name);
		n->pid = startnode(u->x, n, u->jobserver);
		if (n->pid < 0) {
			u->failed = n;
			u->failstatus = n->step ? EXIT_STEP : EXIT_EXTRACT;
			n->state = NFAILED;
			tokensback(u);
			return 0;
		}
		n->state = NRUN;
		u->running++;
		if (!u->x->tty)
			printf("start %s\n", n->name);
		fflush(stdout);
	}
	return 0;
}

/* nodedone records a node that succeeded and readies what waited only for it. */
static void
nodedone(struct run *u, struct node *n)
{
	size_t j;

	if (graphdone(n, u->x->config, placeof(u->x, n)->state) < 0)
		fatal(EXIT_USAGE, "%s: cannot write the done record of %s:", placeof(u->x, n)->state, n->name);
	n->state = NDONE;
	u->done++;
	for (j = 0; j < n->nouts; j++) {
		struct node *o = n->outs[j];
		if (o->state == NWAIT && --o->npending == 0)
			o->state = NREADY;
	}
}

/* nodefailed notes a node that failed; the first failure decides the run's exit status. */
static void
nodefailed(struct run *u, struct node *n, int st)
{
	if (u->failed) {
		n->state = NWAIT;
		return;
	}
	u->failed = n;
	u->failstatus = n->step ? EXIT_STEP : (WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_EXTRACT);
	if (u->failstatus == 0)
		u->failstatus = EXIT_EXTRACT;
	n->state = NFAILED;
	n->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* reap collects every node process that ended, prints its line and records it. */
static void
reap(struct run *u)
{
	struct graph *g = u->g;
	pid_t pid;
	int st;
	struct rusage ru;
	size_t i;

	while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0) {
		struct node *n = NULL;
		char dur[32];
		for (i = 0; i < g->nnodes; i++)
			if (g->nodes[i]->state == NRUN && g->nodes[i]->pid == pid)
				n = g->nodes[i];
		if (!n)
			continue;
		kill(-pid, SIGKILL); /* nothing of a finished step may linger */
		n->end = now();
		n->cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
		u->running--;
		tokensback(u);
		fmttime(dur, sizeof(dur), n->end - n->start);
		int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		/* a step that ended by itself, even failing, left its files whole (make and the
		 * compilers remove what they did not finish); a source prepared again starts afresh */
		if (WIFEXITED(st) && (n->step || ok))
			graphended(n, placeof(u->x, n)->state);
		if (u->x->tty)
			printf("\r\033[K");
		printf("%s %s (%s)\n", ok ? "done" : "failed", n->name, dur);
		fflush(stdout);
		if (ok) {
			graphtimed(n, placeof(u->x, n)->state, n->end - n->start, logged(u->x, n));
			nodedone(u, n);
		}
		else
			nodefailed(u, n, st);
	}
}

/* summary prints the table of the steps that ran: wall and CPU time, and the totals. */
static void
summary(struct run *u)
{
	struct graph *g = u->g;
	double cpu = 0;
	char el[32];
	size_t i;

	if (u->done == 0 && !u->failed)
		return;
	printf("%-28s %10s %10s\n", "step", "time", "cpu");
	for (i = 0; i < g->nnodes; i++) {
		struct node *n = g->nodes[i];
		if (n->end > 0) {
			char dur[32];
			fmttime(dur, sizeof(dur), n->end - n->start);
			printf("%-28s %10s %9.0fs%s\n", n->name, dur, n->cpu, n->state == NFAILED ? "  FAILED" : "");
			cpu += n->cpu;
		}
	}
	fmttime(el, sizeof(el), now() - u->t0);
	printf("%-28s %10s %9.0fs\n", "total", el, cpu);
}

/* verdict reports an interrupt (and re-raises it) or the first failure with its log's tail. */
static int
verdict(struct run *u)
{
	char *log;

	if (interrupted) {
		warn("interrupted by signal %d; nothing recorded for the steps that were running", (int)interrupted);
		reraise();
	}
	if (!u->failed)
		return 0;
	log = logpath(u->x, u->failed);
	if (u->failed->step)
		warn("step %s failed (exit status %d); the last %d lines of its log follow", u->failed->name,
		     u->failed->status, TAILLINES);
	else
		warn("%s failed: the source could not be prepared; the last %d lines of its log follow",
		     u->failed->name, TAILLINES);
	tail(log);
	warn("log: %s", log);
	free(log);
	return u->failstatus;
}

int
schedrun(struct graph *g, struct runctx *x)
{
	struct run u = {.g = g, .x = x, .t0 = now()};
	size_t i;
	int guard = guardstart();

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i]->state != NDONE)
			u.total++;
	jobsinit(&u);
	for (;;) {
		int wanttoken = startready(&u);
		status(g, x, u.done, u.total, u.t0);
		if (u.running == 0)
			break;
		if (u.failed || interrupted) {
			stopall(g, &u.running);
			break;
		}
		struct pollfd p[2] = {{sigfd(), POLLIN, 0}, {u.tokfd, POLLIN, 0}};
		if (poll(p, wanttoken ? 2 : 1, x->tty ? 1000 : -1) < 0 && errno != EINTR)
			fatal(EXIT_USAGE, "poll:");
		sigdrain();
		reap(&u);
	}
	if (x->tty)
		printf("\r\033[K");
	summary(&u);
	fflush(stdout);
	jobsfree(&u);
	guardstop(guard);
	return verdict(&u);
}
