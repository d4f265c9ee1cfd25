/* util.h: errors, memory, growable buffers, files and hashing shared by every module. */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdnoreturn.h>
#include <sys/types.h>

/* Exit statuses: the documented contract (docs/usage.md). */
enum {
	EXIT_USAGE = 1,    /* usage error, I/O error in build dir or prefix */
	EXIT_RECIPE = 2,   /* bad config or recipe */
	EXIT_FETCH = 3,    /* fetch or verify failed, offline with artifacts missing */
	EXIT_EXTRACT = 4,  /* extraction refused, patch or fixup failed */
	EXIT_STEP = 5,     /* a step failed */
	EXIT_INSTALL = 6,  /* the prefix could not be installed */
	EXIT_LOCKED = 7,   /* another run holds the lock */
};

/* warn prints "bootstrap: " and the message; a format ending in ':' appends strerror(errno). */
void warn(const char *fmt, ...);
/* fatal is warn, then exit(status). */
noreturn void fatal(int status, const char *fmt, ...);
/* errorat reports an error in an input file as "file:line: message" ("file: message" when line
 * is 0), with the same ':' rule, and counts it in *count. */
void errorat(int *count, const char *file, int line, const char *fmt, ...);

/* Allocators that exit on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xfork flushes stdout and stderr, then forks; exits on failure. */
pid_t xfork(void);
/* xasprintf returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...);

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *s;
	size_t len, cap;
};
void bufgrow(struct buf *b, size_t extra);
void bufadd(struct buf *b, const void *p, size_t n);
void bufadds(struct buf *b, const char *s);
void bufaddc(struct buf *b, char c);
void bufaddf(struct buf *b, const char *fmt, ...);

/* A growable array of strings. */
struct strv {
	char **v;
	size_t n, cap;
};
void strvadd(struct strv *sv, char *s);

/* readfile reads a whole file; NULL with errno set on failure. */
char *readfile(const char *path, size_t *len);
/* writefileatomic writes data to path via a temporary file, fsync and rename; -1 on failure. */
int writefileatomic(const char *path, const char *data, size_t len);
/* mkdirs creates path and its parents (mode 0755); -1 on failure. */
int mkdirs(const char *path);
/* rmtree removes path recursively without following links; 0 if it did not exist. */
int rmtree(const char *path);
/* abspath makes path absolute against the current directory (no resolution of links). */
char *abspath(const char *path);
/* exists tells whether path names anything (lstat). */
int exists(const char *path);
/* isdir tells whether path is a directory. */
int isdir(const char *path);
/* onpath finds an executable named name on PATH; NULL if none. */
char *onpath(const char *name);

/* SHA-256 as 64 lowercase hex digits plus NUL. */
#define HEXLEN 65
/* hexbytes renders n bytes as 2n lowercase hex digits plus NUL. */
void hexbytes(const unsigned char *md, size_t n, char *out);
/* hexdigest renders a 32-byte digest as hex. */
void hexdigest(const unsigned char md[32], char out[HEXLEN]);
void sha256hex(const void *data, size_t len, char out[HEXLEN]);
/* sha256file hashes a file; -1 with errno set on failure. */
int sha256file(const char *path, char out[HEXLEN]);
/* ishex64 tells whether s is exactly 64 hex digits. */
int ishex64(const char *s);

/* now returns monotonic seconds. */
double now(void);

#endif
