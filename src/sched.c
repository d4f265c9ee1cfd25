/* sched.c: see sched.h. The main loop polls a self-pipe that the signal handlers write to
 * (SIGCHLD as well as the stop signals), so a finished step, a free job token and a stop
 * request all wake the same poll(). */
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

volatile sig_atomic_t interrupted;
/* The self-pipe: global because the signal handler writes to it. */
static int sigfds[2] = {-1, -1};

enum { TAILLINES = 30, KILLWAIT = 10 };

static void
onsignal(int sig)
{
	int err = errno;
	char c = (char)sig;

	if (sig != SIGCHLD && !interrupted)
		interrupted = sig;
	if (sigfds[1] >= 0 && write(sigfds[1], &c, 1) < 0) {
		/* the pipe is full: the loop is awake anyway */
	}
	errno = err;
}

void
siginit(void)
{
	struct sigaction sa;
	int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD};
	size_t i;

	if (pipe2(sigfds, O_CLOEXEC | O_NONBLOCK) < 0)
		fatal(EXIT_USAGE, "pipe:");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			fatal(EXIT_USAGE, "sigaction:");
}

void
reraise(void)
{
	int sig = interrupted ? interrupted : SIGTERM;
	sigset_t set;

	fflush(stdout);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* childsignals puts a child back to default signal handling before it runs anything. */
static void
childsignals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	close(sigfds[0]);
	close(sigfds[1]);
}

int
lockbuild(const char *builddir)
{
	char *path = xasprintf("%s/lock", builddir), pid[32];
	int fd;
	ssize_t n;

	if (mkdirs(builddir) < 0)
		fatal(EXIT_USAGE, "%s:", builddir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal(EXIT_USAGE, "%s:", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			fatal(EXIT_USAGE, "flock %s:", path);
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fatal(EXIT_LOCKED, "%s: locked by pid %s (another bootstrap run is using this build directory)", path,
		      *pid ? pid : "?");
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		fatal(EXIT_USAGE, "%s:", path);
	free(path);
	return fd;
}

/* reapscan kills the processes that carry marker in their environment; returns how many. */
static int
reapscan(const char *marker)
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
				warn("killing process %ld left running by an earlier run", (long)pid);
				kill(pid, SIGKILL);
				n++;
				break;
			}
		free(env);
	}
	closedir(d);
	return n;
}

void
reapstale(const char *builddir)
{
	char *marker = xasprintf("MUSLXB_BUILD_DIR=%s", builddir);
	int i;

	/* again until none is left: a make may fork between a scan and its kill */
	for (i = 0; i < 50 && reapscan(marker) > 0; i++)
		usleep(100000);
	free(marker);
}

static char *
logpath(const struct runctx *x, const struct node *n)
{
	return xasprintf("%s/%s.%s.log", x->logdir, n->recipe->name, n->step ? n->step->name : "source");
}

/* setenvs gives a step its documented environment. */
static void
setenvs(const struct runctx *x, const struct node *n, const char *jobserver)
{
	const struct config *c = x->config;
	struct recipe *r = n->recipe;
	const char *path = getenv("PATH");
	size_t i;

	for (i = 0; i < c->nvars; i++)
		setenv(c->vars[i].name, c->vars[i].value, 1);
	char *src = xasprintf("%s/%s/src", x->workdir, r->name);
	char *bld = xasprintf("%s/%s/build", x->workdir, r->name);
	char *sys = xasprintf("%s/%s", x->stage, configget(c, "TARGET"));
	char *np = xasprintf("%s/bin:%s/bin:%s", x->stage, x->hostprefix, path ? path : "/usr/bin:/bin");
	setenv("SRC", src, 1);
	setenv("BUILD", bld, 1);
	setenv("PREFIX", x->stage, 1);
	setenv("SYSROOT", sys, 1);
	setenv("HOST_PREFIX", x->hostprefix, 1);
	setenv("PATCHES", x->patchdir, 1);
	setenv("RECIPE", r->name, 1);
	setenv("VERSION", r->version, 1);
	setenv("STEP", n->step ? n->step->name : "source", 1);
	setenv("JOBS", xasprintf("%d", x->jobs), 1);
	setenv("PATH", np, 1);
	setenv("MUSLXB_BUILD_DIR", x->builddir, 1);
	setenv("MAKEFLAGS", jobserver, 1);
	unsetenv("MFLAGS");
	unsetenv("MAKELEVEL");
	unsetenv("MAKEOVERRIDES");
	unsetenv("GNUMAKEFLAGS");
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
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		fatal(EXIT_USAGE, "fork:");
	if (pid == 0) {
		int fd;
		pid_t parent = getppid();
		setpgid(0, 0);
		childsignals();
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
			char *wd = xasprintf("%s/%s", x->workdir, r->name);
			char *archive = r->used ? cachepath(x->fetch, r->used) : NULL;
			close(errp[1]);
			int rc = preparesource(r, r->used, archive, wd);
			fflush(stdout);
			fflush(stderr);
			_exit(rc);
		}
		if (chdir(getenv("BUILD")) < 0)
			goto fail;
		printf("# %s: %s\n", n->name, n->reason ? n->reason : "");
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

static void
status(struct graph *g, struct runctx *x, size_t done, size_t total, double t0)
{
	char el[32];
	size_t i, w = 0;

	if (!x->tty)
		return;
	fmttime(el, sizeof(el), now() - t0);
	printf("\r\033[K[%zu/%zu] %s running:", done, total, el);
	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i]->state == NRUN && w < 4) {
			printf(" %s", g->nodes[i]->name);
			w++;
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
		struct pollfd p = {sigfds[0], POLLIN, 0};
		poll(&p, 1, 200);
		char drain[64];
		while (read(sigfds[0], drain, sizeof(drain)) > 0)
			;
	}
}

int
schedrun(struct graph *g, struct runctx *x)
{
	int jfd[2], tokfd, rc = 0;
	size_t i, j, total = 0, done = 0, running = 0;
	struct node *failed = NULL;
	int failstatus = 0;
	double t0 = now();
	char *jobserver;
	char *held = xmalloc((size_t)x->jobs); /* tokens read from the pipe and not yet returned */
	size_t nheld = 0;

	for (i = 0; i < g->nnodes; i++)
		if (g->nodes[i]->state != NDONE)
			total++;
	if (pipe(jfd) < 0)
		fatal(EXIT_USAGE, "pipe:");
	for (i = 1; i < (size_t)x->jobs; i++)
		if (write(jfd[1], "+", 1) != 1)
			fatal(EXIT_USAGE, "jobserver pipe:");
	/* our own reads must not block, but the children's must: a second open file description */
	char *self = xasprintf("/proc/self/fd/%d", jfd[0]);
	tokfd = open(self, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	free(self);
	if (tokfd < 0)
		fatal(EXIT_USAGE, "jobserver pipe: reopen:");
	jobserver = xasprintf("-j%d --jobserver-auth=%d,%d", x->jobs, jfd[0], jfd[1]);

	for (;;) {
		int wanttoken = 0;
		/* start what is ready while there are job slots */
		while (!failed && !interrupted) {
			struct node *n = NULL;
			char tok = 0;
			for (i = 0; i < g->nnodes && !n; i++)
				if (g->nodes[i]->state == NREADY)
					n = g->nodes[i];
			if (!n)
				break;
			/* one slot is ours without a token; every further running step holds one */
			if (running > 0) {
				if (read(tokfd, &tok, 1) != 1) {
					wanttoken = 1;
					break;
				}
				held[nheld++] = tok;
			}
			n->start = now();
			n->pid = startnode(x, n, jobserver);
			if (n->pid < 0) {
				failed = n;
				failstatus = n->step ? EXIT_STEP : EXIT_EXTRACT;
				n->state = NFAILED;
				if (running > 0 && write(jfd[1], &held[--nheld], 1) != 1)
					warn("jobserver pipe:");
				break;
			}
			n->state = NRUN;
			running++;
			if (!x->tty)
				printf("start %s\n", n->name);
			fflush(stdout);
		}
		status(g, x, done, total, t0);
		if (running == 0)
			break;
		if (failed || interrupted) {
			stopall(g, &running);
			break;
		}
		struct pollfd p[2] = {{sigfds[0], POLLIN, 0}, {tokfd, POLLIN, 0}};
		if (poll(p, wanttoken ? 2 : 1, x->tty ? 1000 : -1) < 0 && errno != EINTR)
			fatal(EXIT_USAGE, "poll:");
		char drain[64];
		while (read(sigfds[0], drain, sizeof(drain)) > 0)
			;
		pid_t pid;
		int st;
		struct rusage ru;
		while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0) {
			struct node *n = NULL;
			for (i = 0; i < g->nnodes; i++)
				if (g->nodes[i]->state == NRUN && g->nodes[i]->pid == pid)
					n = g->nodes[i];
			if (!n)
				continue;
			kill(-pid, SIGKILL); /* nothing of a finished step may linger */
			n->end = now();
			n->cpu = seconds(ru.ru_utime) + seconds(ru.ru_stime);
			running--;
			/* Tokens belong to the run, not to a step: hand one back whenever we hold more than
			 * the steps still running need, so that their makes can use the freed slot even if
			 * the step that ended was the one using our own slot. */
			while (nheld > (running > 0 ? running - 1 : 0))
				if (write(jfd[1], &held[--nheld], 1) != 1)
					warn("jobserver pipe:");
			char dur[32];
			fmttime(dur, sizeof(dur), n->end - n->start);
			int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
			if (x->tty)
				printf("\r\033[K");
			printf("%s %s (%s)\n", ok ? "done" : "failed", n->name, dur);
			fflush(stdout);
			if (!ok) {
				if (!failed) {
					failed = n;
					failstatus = n->step ? EXIT_STEP : (WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_EXTRACT);
					if (failstatus == 0)
						failstatus = EXIT_EXTRACT;
					n->state = NFAILED;
					n->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				} else {
					n->state = NWAIT;
				}
				continue;
			}
			char *extra = NULL;
			if (!n->step && n->recipe->used)
				extra = xasprintf("artifact %s %s\n", n->recipe->used->file, n->recipe->used->sha256);
			char *rec = graphrecord(n, x->config, extra), *path = statepath(x->statedir, n);
			if (writefileatomic(path, rec, strlen(rec)) < 0)
				fatal(EXIT_USAGE, "%s:", path);
			free(rec);
			free(path);
			free(extra);
			n->state = NDONE;
			done++;
			for (j = 0; j < n->nouts; j++) {
				struct node *o = n->outs[j];
				if (o->state == NWAIT && --o->npending == 0)
					o->state = NREADY;
			}
		}
	}
	if (x->tty)
		printf("\r\033[K");
	/* the table of what ran */
	if (done > 0 || failed) {
		double cpu = 0;
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
		char el[32];
		fmttime(el, sizeof(el), now() - t0);
		printf("%-28s %10s %9.0fs\n", "total", el, cpu);
	}
	fflush(stdout);
	free(held);
	close(tokfd);
	close(jfd[0]);
	close(jfd[1]);
	free(jobserver);
	if (interrupted) {
		warn("interrupted by signal %d; nothing recorded for the steps that were running", (int)interrupted);
		reraise();
	}
	if (failed) {
		char *log = logpath(x, failed);
		if (failed->step)
			warn("step %s failed (exit status %d); the last %d lines of its log follow", failed->name,
			     failed->status, TAILLINES);
		else
			warn("%s failed: the source could not be prepared; the last %d lines of its log follow",
			     failed->name, TAILLINES);
		tail(log);
		warn("log: %s", log);
		free(log);
		rc = failstatus;
	}
	return rc;
}
