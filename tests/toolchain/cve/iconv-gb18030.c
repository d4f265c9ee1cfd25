/*
 * Regression test for CVE-2026-6042 (musl iconv, GB18030 decoder:
 * four-byte codes slow, wrong above the surrogates and outside the BMP).
 *
 * Uses only the public iconv API, decoding GB18030 to UTF-32LE.  Build it
 * statically against the libc under test and run it; every check runs in
 * its own child process (with a time limit) and prints one line,
 * "PASS iconv-gb18030-NAME" or "FAIL iconv-gb18030-NAME", details on
 * stderr.  Exit status: 0 if all checks passed, 1 otherwise.
 *
 * GB18030 four-byte codes b1 b2 b3 b4 (81-FE 30-39 81-FE 30-39) have a
 * linear index counting from 0 at 81308130, last byte fastest.  Indices
 * 0-39419 (81308130-8431A439) cover U+0080-U+FFFF minus the two-byte
 * characters and the surrogates, in order; 189000 (90308130) up to
 * E3329A35 are U+10000-U+10FFFF; nothing else is assigned.
 */
#include <errno.h>
#include <iconv.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BMP4_COUNT 39420L
#define SUPP_FIRST 189000L
#define SUPP_LAST (SUPP_FIRST + 0xFFFFF)
#define SPEED_LIMIT 0.5 /* seconds for 10000 characters */

static iconv_t cd;
static int fails;

static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("  ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fails++;
}

static void lin2bytes(long n, unsigned char b[4])
{
	b[3] = 0x30 + n % 10; n /= 10;
	b[2] = 0x81 + n % 126; n /= 126;
	b[1] = 0x30 + n % 10; n /= 10;
	b[0] = 0x81 + n;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Decode n bytes as one unit.  Returns the number of code points stored
 * in out (at most max), or -1 with the errno iconv reported. */
static int decode(const unsigned char *in, size_t n, unsigned long *out,
                  int max)
{
	unsigned char buf[64];
	char *ip = (char *)in, *op = (char *)buf;
	size_t il = n, ol = sizeof buf;
	int k;

	iconv(cd, 0, 0, 0, 0);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		return -1;
	k = (int)((op - (char *)buf) / 4);
	for (int i = 0; i < k && i < max; i++)
		out[i] = buf[4*i] | buf[4*i+1] << 8
		         | (unsigned long)buf[4*i+2] << 16
		         | (unsigned long)buf[4*i+3] << 24;
	return k;
}

static void hex(const unsigned char *s, size_t n, char *dst)
{
	for (size_t i = 0; i < n; i++)
		sprintf(dst + 2*i, "%02X", s[i]);
}

/* Expect the byte string (hex) to decode to exactly one code point. */
static void expect(const char *hexbytes, unsigned long want)
{
	unsigned char in[8];
	size_t n = strlen(hexbytes) / 2;
	unsigned long got;
	int k;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(hexbytes + 2*i, "%2x", &v);
		in[i] = v;
	}
	errno = 0;
	k = decode(in, n, &got, 1);
	if (k < 0)
		bad("%s: iconv failed (%s), want U+%04lX", hexbytes,
		    strerror(errno), want);
	else if (k != 1 || got != want)
		bad("%s: decoded to %d code point(s), first U+%04lX, "
		    "want U+%04lX", hexbytes, k, k ? got : 0, want);
}

/* Expect the byte string to be rejected with error e. */
static void reject(const char *hexbytes, int e)
{
	unsigned char in[8];
	size_t n = strlen(hexbytes) / 2;
	unsigned long got;
	int k;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(hexbytes + 2*i, "%2x", &v);
		in[i] = v;
	}
	errno = 0;
	k = decode(in, n, &got, 1);
	if (k >= 0)
		bad("%s: accepted (U+%04lX), want %s", hexbytes,
		    k ? got : 0, strerror(e));
	else if (errno != e)
		bad("%s: failed with %s, want %s", hexbytes,
		    strerror(errno), strerror(e));
}

static int t_two_byte(void)
{
	expect("41", 0x41);
	expect("B0A1", 0x554A);
	expect("A1A1", 0x3000);
	expect("A2E3", 0x20AC);
	return fails != 0;
}

static int t_bmp_edges(void)
{
	expect("81308130", 0x0080);	/* first four-byte code */
	expect("81308131", 0x0081);
	expect("8130D330", 0x0452);
	expect("8431A439", 0xFFFF);	/* last BMP code */
	return fails != 0;
}

static int t_near_ffff(void)
{
	expect("84318730", 0xFE70);
	expect("84318739", 0xFE79);
	expect("8431A234", 0xFFE6);
	expect("8431A438", 0xFFFE);
	return fails != 0;
}

static int t_surrogate_edge(void)
{
	expect("82358F33", 0x9FA6);
	expect("8336C738", 0xD7FF);	/* last code below the surrogates */
	expect("8336C739", 0xE76C);	/* first code above them */
	expect("8336C830", 0xE7C8);
	return fails != 0;
}

static int t_supplementary(void)
{
	expect("90308130", 0x10000);	/* the CVE's example */
	expect("90308131", 0x10001);
	expect("9439FC36", 0x1F600);
	expect("95328236", 0x20000);
	expect("E3329A35", 0x10FFFF);	/* last assigned code */
	return fails != 0;
}

static int t_invalid(void)
{
	reject("8431A530", EILSEQ);	/* first code after the BMP part */
	reject("8F39FE39", EILSEQ);	/* last code before 90308130 */
	reject("E3329A36", EILSEQ);	/* first code after U+10FFFF */
	reject("FD308130", EILSEQ);
	reject("FE39FE39", EILSEQ);	/* last four-byte code */
	reject("8130FF30", EILSEQ);	/* third byte out of range */
	reject("81308030", EILSEQ);
	reject("8130813A", EILSEQ);	/* fourth byte out of range */
	reject("813A8130", EILSEQ);
	reject("80", EILSEQ);
	reject("FF", EILSEQ);
	reject("817F", EILSEQ);
	reject("81FF", EILSEQ);
	return fails != 0;
}

static int t_truncated(void)
{
	reject("81", EINVAL);
	reject("8130", EINVAL);
	reject("813081", EINVAL);
	reject("903081", EINVAL);
	return fails != 0;
}

/* Decode 10000 codes one call each, give up once over the time limit;
 * report wrong results and slowness separately. */
static int timed(long first, int want_ok, const char *what)
{
	unsigned long prev = 0, u;
	double t0 = now(), t;
	long i, wrong = 0;
	for (i = 0; i < 10000; i++) {
		unsigned char b[4];
		char h[9];
		int k;
		lin2bytes(first + i, b);
		errno = 0;
		k = decode(b, 4, &u, 1);
		hex(b, 4, h);
		if (want_ok) {
			if (k != 1 || u <= prev || u > 0xFFFF
			    || (u >= 0xD800 && u < 0xE000)) {
				if (!wrong++)
					bad("%s: %s decoded wrongly (k=%d "
					    "U+%04lX, previous U+%04lX)", what,
					    h, k, k > 0 ? u : 0, prev);
			}
			if (k == 1)
				prev = u;
		} else if (k >= 0 || errno != EILSEQ) {
			if (!wrong++)
				bad("%s: unassigned code %s not rejected "
				    "with EILSEQ", what, h);
		}
		if (now() - t0 > SPEED_LIMIT) {
			i++;
			break;
		}
	}
	t = now() - t0;
	if (wrong)
		bad("%s: %ld of %ld codes wrong", what, wrong, i);
	if (t > SPEED_LIMIT)
		bad("%s: too slow: %ld codes took %.3f s (limit %.1f s "
		    "for 10000)", what, i, t, SPEED_LIMIT);
	else
		fprintf(stderr, "  %s: %ld codes in %.4f s\n", what, i, t);
	return fails != 0;
}

/* 10000 BMP codes from just before 82358F33 (U+9FA6, index 19043), the
 * code the old search was slowest on (20905 scans of the whole table),
 * up to past the surrogates */
static int t_speed_bmp(void)
{
	return timed(19000, 1, "speed-bmp");
}

static int t_speed_unassigned(void)
{
	return timed(BMP4_COUNT, 0, "speed-unassigned");
}

/* All two-byte codes and all four-byte BMP codes together must cover
 * U+0080-U+FFFF minus the surrogates, each code point exactly once. */
static int t_bmp_bijection(void)
{
	static unsigned char seen[0x10000];
	double t0 = now();
	unsigned long u;
	long n = 0;
	for (int b1 = 0x81; b1 <= 0xFE; b1++) {
		for (int b2 = 0x40; b2 <= 0xFE; b2++) {
			unsigned char b[2] = { b1, b2 };
			if (b2 == 0x7F)
				continue;
			if (decode(b, 2, &u, 1) != 1 || u < 0x80 || u > 0xFFFF
			    || (u >= 0xD800 && u < 0xE000) || seen[u]++) {
				bad("two-byte %02X%02X: bad or repeated "
				    "value", b1, b2);
				return 1;
			}
			n++;
		}
	}
	for (long i = 0; i < BMP4_COUNT; i++) {
		unsigned char b[4];
		lin2bytes(i, b);
		if (decode(b, 4, &u, 1) != 1 || u < 0x80 || u > 0xFFFF
		    || (u >= 0xD800 && u < 0xE000) || seen[u]++) {
			char h[9];
			hex(b, 4, h);
			bad("four-byte %s: bad or repeated value U+%04lX",
			    h, u);
			return 1;
		}
		n++;
		if ((i & 255) == 255 && now() - t0 > 5) {
			bad("too slow: gave up after %ld codes", n);
			return 1;
		}
	}
	if (n != 0x10000 - 0x80 - 0x800)
		bad("%ld code points, want %d", n, 0x10000 - 0x80 - 0x800);
	return fails != 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} checks[] = {
	{ "two-byte", t_two_byte },
	{ "bmp-edges", t_bmp_edges },
	{ "near-ffff", t_near_ffff },
	{ "surrogate-edge", t_surrogate_edge },
	{ "supplementary", t_supplementary },
	{ "invalid", t_invalid },
	{ "truncated", t_truncated },
	{ "speed-bmp", t_speed_bmp },
	{ "speed-unassigned", t_speed_unassigned },
	{ "bmp-bijection", t_bmp_bijection },
};

int main(void)
{
	int failed = 0;
	cd = iconv_open("UTF-32LE", "GB18030");
	if (cd == (iconv_t)-1) {
		perror("iconv_open(UTF-32LE, GB18030)");
		printf("FAIL iconv-gb18030-open\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
		int st;
		pid_t pid;
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			alarm(30);
			_exit(checks[i].fn());
		}
		if (waitpid(pid, &st, 0) != pid) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("PASS iconv-gb18030-%s\n", checks[i].name);
		} else {
			if (WIFSIGNALED(st))
				fprintf(stderr, "  iconv-gb18030-%s: killed by "
				        "signal %d%s\n", checks[i].name,
				        WTERMSIG(st), WTERMSIG(st) == SIGALRM
				        ? " (time limit)" : "");
			printf("FAIL iconv-gb18030-%s\n", checks[i].name);
			failed = 1;
		}
	}
	return failed;
}
