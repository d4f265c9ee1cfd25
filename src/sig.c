/* sig.c: see sig.h. The handler only records the signal and writes a byte to the self-pipe. */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sig.h"
#include "util.h"

volatile sig_atomic_t interrupted;
/* The self-pipe: global because the signal handler writes to it. */
static int sigfds[2] = {-1, -1};

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

int
sigfd(void)
{
	return sigfds[0];
}

void
sigdrain(void)
{
	char drain[64];

	while (sigfds[0] >= 0 && read(sigfds[0], drain, sizeof(drain)) > 0)
		;
}

void
sigchild(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	close(sigfds[0]);
	close(sigfds[1]);
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
