/* sig.h: the stop signals (SIGINT, SIGTERM, SIGHUP) and SIGCHLD, turned into a flag and a
 * self-pipe that a poll() loop can wait on. */
#ifndef SIG_H
#define SIG_H

#include <signal.h>

/* The signal that interrupted the run, or 0. Global because a signal handler sets it. */
extern volatile sig_atomic_t interrupted;

/* siginit installs the handlers that set `interrupted` and wake sigfd(). */
void siginit(void);
/* sigfd is the read end of the self-pipe: readable after any handled signal. */
int sigfd(void);
/* sigdrain empties the self-pipe. */
void sigdrain(void);
/* sigchild puts a freshly forked child back to default signal handling and closes the pipe. */
void sigchild(void);
/* reraise ends the process with the signal that interrupted it, so the exit status tells. */
void reraise(void);

#endif
