/* util.c: see util.h. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "util.h"

/* vreport prints one error line: prefix, message, and strerror(errno) after a final ':'. */
static void
vreport(const char *prefix, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt);
	int err = errno;

	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(err));
	fputc('\n', stderr);
}

void
warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("bootstrap: ", fmt, ap);
	va_end(ap);
}

void
errorat(int *count, const char *file, int line, const char *fmt, ...)
{
	char prefix[4096];
	int err = errno;
	va_list ap;

	if (line > 0)
		snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
	else
		snprintf(prefix, sizeof(prefix), "%s: ", file);
	errno = err;
	va_start(ap, fmt);
	vreport(prefix, fmt, ap);
	va_end(ap);
	(*count)++;
}

void
fatal(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("bootstrap: ", fmt, ap);
	va_end(ap);
	exit(status);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatal(EXIT_USAGE, "malloc:");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		fatal(EXIT_USAGE, "calloc:");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		fatal(EXIT_USAGE, "realloc:");
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* vbufaddf appends a formatted string; ap is consumed. */
static void
vbufaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0)
		fatal(EXIT_USAGE, "vsnprintf:");
	bufgrow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	b->len += (size_t)n;
}

pid_t
xfork(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0)
		fatal(EXIT_USAGE, "fork:");
	return pid;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	vbufaddf(&b, fmt, ap);
	va_end(ap);
	return b.s;
}

void
bufgrow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 64;
	while (b->len + extra + 1 > b->cap)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
	b->s[b->len] = '\0';
}

void
bufadd(struct buf *b, const void *p, size_t n)
{
	bufgrow(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
bufadds(struct buf *b, const char *s)
{
	bufadd(b, s, strlen(s));
}

void
bufaddc(struct buf *b, char c)
{
	bufadd(b, &c, 1);
}

void
bufaddf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbufaddf(b, fmt, ap);
	va_end(ap);
}

void
strvadd(struct strv *sv, char *s)
{
	if (sv->n + 1 >= sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

/* eachchunk reads the file at path and hands each chunk to fn; -1 with errno set on failure. */
static int
eachchunk(const char *path, void (*fn)(void *arg, const void *p, size_t n), void *arg)
{
	static char tmp[1 << 17]; /* one buffer, one caller at a time: no threads */
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int err = errno;
			close(fd);
			errno = err;
			return -1;
		}
		fn(arg, tmp, (size_t)n);
	}
	close(fd);
	return 0;
}

static void
chunktobuf(void *arg, const void *p, size_t n)
{
	bufadd(arg, p, n);
}

char *
readfile(const char *path, size_t *len)
{
	struct buf b = {0};

	bufgrow(&b, 0);
	if (eachchunk(path, chunktobuf, &b) < 0) {
		int err = errno;
		free(b.s);
		errno = err;
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.s;
}

int
writefileatomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0)
		goto fail;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto failunlink;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		goto failunlink;
	if (rename(tmp, path) < 0)
		goto failunlink;
	free(tmp);
	return 0;
failunlink:
	{
		int err = errno;
		unlink(tmp);
		errno = err;
	}
fail:
	free(tmp);
	return -1;
}

int
mkdirs(const char *path)
{
	char *p = xstrdup(path);
	char *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		free(p);
		return -1;
	}
	free(p);
	return isdir(path) ? 0 : (errno = ENOTDIR, -1);
}

static int
rmentry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	if (flag == FTW_DNR) {
		/* an unreadable directory (mode 000 in a source tree): open it up and retry */
		if (chmod(path, 0700) < 0)
			return -1;
		return rmtree(path);
	}
	return unlink(path);
}

int
rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return nftw(path, rmentry, 32, FTW_DEPTH | FTW_PHYS);
}

char *
abspath(const char *path)
{
	char cwd[4096];

	if (path[0] == '/')
		return xstrdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		fatal(EXIT_USAGE, "getcwd:");
	if (path[0] == '.' && path[1] == '\0')
		return xstrdup(cwd);
	if (path[0] == '.' && path[1] == '/')
		path += 2;
	return xasprintf("%s/%s", cwd, path);
}

int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
isdir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void
hexbytes(const unsigned char *md, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void
hexdigest(const unsigned char md[32], char out[HEXLEN])
{
	hexbytes(md, 32, out);
}

void
sha256hex(const void *data, size_t len, char out[HEXLEN])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		fatal(EXIT_USAGE, "EVP_Digest failed");
	hexdigest(md, out);
}

static void
chunktodigest(void *arg, const void *p, size_t n)
{
	EVP_DigestUpdate(arg, p, n);
}

int
sha256file(const char *path, char out[HEXLEN])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		fatal(EXIT_USAGE, "EVP_DigestInit failed");
	if (eachchunk(path, chunktodigest, ctx) < 0) {
		int err = errno;
		EVP_MD_CTX_free(ctx);
		errno = err;
		return -1;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	hexdigest(md, out);
	return 0;
}

int
ishex64(const char *s)
{
	int i;

	for (i = 0; i < 64; i++)
		if (!s[i] || !strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return s[64] == '\0';
}

double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* onpath finds an executable named name on PATH; NULL if none. */
char *
onpath(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/bin:/bin"), *dir, *save = NULL, *found = NULL;

	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", *dir ? dir : ".", name);
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}
