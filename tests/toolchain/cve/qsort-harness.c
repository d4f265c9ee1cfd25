/*
 * Regression harness for CVE-2026-40200 (musl qsort: pntz, shl/shr,
 * heap array bounds).
 *
 * The bug needs more than about 7.5 million elements on 32-bit targets
 * and far more than any allocation on 64-bit ones, so it cannot be
 * reached through qsort() here.  Instead run.sh builds this file with
 * musl's own src/stdlib/qsort.c #included (found through -iquote), so
 * the static helpers can be called directly, and with
 *   -fsanitize=shift,bounds -fsanitize-undefined-trap-on-error
 * so that a shift by a full word or a store past the end of the
 * sift()/trinkle() stack arrays traps (no sanitizer runtime is needed).
 *
 * Every check runs in its own child process; the output is one line per
 * check, "PASS qsort-NAME" or "FAIL qsort-NAME", details on stderr.
 * Exit status: 0 if all checks passed, 1 otherwise.
 * With check names as arguments only those checks run.
 */

/* What musl's build would provide for qsort.c (its src/include/features.h: some
 * machines' atomic_arch.h, arm's, declare hidden symbols). */
#define weak_alias(old, new) extern int new##_harness_unused
#define hidden __attribute__((__visibility__("hidden")))
#define __qsort_r harness_qsort_r
#include "qsort.c"
#undef __qsort_r

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define WBITS ((int)(8 * sizeof(size_t)))

/* Keeps the compiler from folding the helpers' inputs. */
static volatile size_t zero;

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

/* pntz(p): distance from bit 0 (set) to the next set bit of p. */
static int t_pntz(void)
{
	static const struct { size_t lo, hi; int want; } c[] = {
		{ 3, 0, 1 },
		{ 5, 0, 2 },
		{ (size_t)-1, 0, 1 },
		{ 1 | (size_t)1 << (WBITS - 1), 0, WBITS - 1 },
		{ 1 | (size_t)1 << (WBITS - 1), 1, WBITS - 1 },
		/* the CVE: the next set bit is bit 0 of the high word */
		{ 1, 1, WBITS },
		{ 1, 3, WBITS },
		{ 1, (size_t)-1, WBITS },
		{ 1, 2, WBITS + 1 },
		{ 1, 6, WBITS + 1 },
		{ 1, (size_t)1 << (WBITS - 1), 2 * WBITS - 1 },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		size_t p[2] = { c[i].lo + zero, c[i].hi + zero };
		int r = pntz(p);
		if (r != c[i].want)
			bad("pntz({%#zx, %#zx}) = %d, want %d",
			    c[i].lo, c[i].hi, r, c[i].want);
	}
	return fails != 0;
}

/* Bit-by-bit references for the doubleword shifts. */
static void ref_shl(size_t p[2], int n)
{
	while (n--) {
		p[1] = p[1] << 1 | p[0] >> (WBITS - 1);
		p[0] <<= 1;
	}
}

static void ref_shr(size_t p[2], int n)
{
	while (n--) {
		p[0] = p[0] >> 1 | p[1] << (WBITS - 1);
		p[1] >>= 1;
	}
}

static const size_t pat[][2] = {
	{ (size_t)0x9e3779b97f4a7c15ull, (size_t)0xc2b2ae3d27d4eb4full },
	{ 1, 0 },
	{ 0, 1 },
	{ (size_t)-1, (size_t)-1 },
	{ 0x8001, (size_t)1 << (8 * sizeof(size_t) - 1) },
};

static int t_shift(int left)
{
	/* the full-word case, n == WBITS, is the one the CVE series fixes */
	const int ns[] = { 1, 2, 3, WBITS - 1, WBITS, WBITS + 1, WBITS + 7,
	                   2 * WBITS - 1 };
	for (size_t i = 0; i < sizeof pat / sizeof *pat; i++) {
		for (size_t j = 0; j < sizeof ns / sizeof *ns; j++) {
			int n = ns[j] + (int)zero;
			size_t got[2] = { pat[i][0], pat[i][1] };
			size_t want[2] = { pat[i][0], pat[i][1] };
			if (left) {
				shl(got, n);
				ref_shl(want, n);
			} else {
				shr(got, n);
				ref_shr(want, n);
			}
			if (got[0] != want[0] || got[1] != want[1])
				bad("%s({%#zx, %#zx}, %d) = {%#zx, %#zx}, "
				    "want {%#zx, %#zx}", left ? "shl" : "shr",
				    pat[i][0], pat[i][1], n, got[0], got[1],
				    want[0], want[1]);
		}
	}
	return fails != 0;
}

static int t_shl(void) { return t_shift(1); }
static int t_shr(void) { return t_shift(0); }

/*
 * Direct calls of trinkle() and sift() on a byte buffer (width 1) with a
 * made-up table of heap sizes lp[k] = k + 2 (only lp[k] > 1 + lp[k-2]
 * matters: it keeps a stepson left of its siblings) and a comparison
 * that orders elements by address, lower address = greater.  Then a
 * stepson is always greater than the root being trinkled and every
 * sift goes all the way down, which drives the loops as far as the bit
 * vector p and pshift allow, while every address stays inside buf.
 */
#define NBUF 65536
static unsigned char buf[NBUF];
static size_t lpt[4 * 8 * sizeof(size_t)];
static long ncmp;

static int by_address(const void *a, const void *b, void *arg)
{
	const unsigned char *x = a, *y = b;
	(void)arg;
	ncmp++;
	if (x < buf || x >= buf + NBUF || y < buf || y >= buf + NBUF) {
		fprintf(stderr, "  compared an element outside the array\n");
		_exit(1);
	}
	return x < y ? 1 : x > y ? -1 : 0;
}

static void init_lp(void)
{
	for (size_t k = 0; k < sizeof lpt / sizeof *lpt; k++)
		lpt[k] = k + 2;
}

/* Two heaps 64 (32) orders apart: pntz must skip a whole word. */
static int t_trinkle_far_heap(void)
{
	size_t p[2] = { 1 + zero, 1 + zero };
	init_lp();
	trinkle(buf + NBUF - 1, 1, by_address, 0, p, 2, 1, lpt);
	/* one stepson (one root comparison), then sift from pshift
	 * 2 + WBITS down to 1: two comparisons per level */
	long want = 1 + 2 * (long)(WBITS + 1);
	if (ncmp != want)
		bad("trinkle over a word-wide gap made %ld comparisons, "
		    "want %ld", ncmp, want);
	return fails != 0;
}

/* A bit vector with every bit set: more stepsons than trinkle's
 * array holds unless the loop is bounded. */
static int t_trinkle_bound(void)
{
	size_t p[2] = { (size_t)-1 + zero, (size_t)-1 + zero };
	init_lp();
	trinkle(buf + NBUF - 1, 1, by_address, 0, p, 2, 1, lpt);
	return 0;
}

/* A heap order above what sift's array can hold. */
static int t_sift_bound(void)
{
	init_lp();
	sift(buf + NBUF - 1, 1, by_address, 0, 3 * WBITS, lpt);
	return 0;
}

/* The patched qsort must still sort. */
static unsigned long long rng_state = 12345; /* 64 bits on 32-bit targets too */
static unsigned rnd(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rng_state >> 33);
}

struct big { unsigned key; unsigned char pad[296]; };

static int cmp_big(const void *a, const void *b, void *arg)
{
	unsigned x = ((const struct big *)a)->key;
	unsigned y = ((const struct big *)b)->key;
	(void)arg;
	return x < y ? -1 : x > y;
}

static int cmp_uint(const void *a, const void *b, void *arg)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	(void)arg;
	return x < y ? -1 : x > y;
}

static int cmp_uchar(const void *a, const void *b, void *arg)
{
	(void)arg;
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

static unsigned keyval(int kind, size_t i, size_t n)
{
	switch (kind) {
	case 0: return rnd();
	case 1: return (unsigned)i;
	case 2: return (unsigned)(n - i);
	case 3: return 7;
	case 4: return (unsigned)(i % 17);
	default: return rnd() % 4;
	}
}

static int t_sorts(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 31,
		64, 100, 255, 1000, 4097, 30000, 200000 };
	static unsigned u[200000];
	static unsigned char c[200000];
	static struct big b[3000];
	for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
		size_t n = sizes[si];
		for (int kind = 0; kind < 6; kind++) {
			unsigned long sum = 0, sum2;
			for (size_t i = 0; i < n; i++) {
				u[i] = keyval(kind, i, n);
				sum += u[i];
			}
			harness_qsort_r(u, n, sizeof *u, cmp_uint, 0);
			sum2 = 0;
			for (size_t i = 0; i < n; i++) {
				sum2 += u[i];
				if (i && u[i - 1] > u[i]) {
					bad("unsorted: n=%zu kind=%d at %zu",
					    n, kind, i);
					return 1;
				}
			}
			if (sum != sum2) {
				bad("elements changed: n=%zu kind=%d", n, kind);
				return 1;
			}

			sum = 0;
			for (size_t i = 0; i < n; i++) {
				c[i] = (unsigned char)keyval(kind, i, n);
				sum += c[i];
			}
			harness_qsort_r(c, n, 1, cmp_uchar, 0);
			sum2 = 0;
			for (size_t i = 0; i < n; i++) {
				sum2 += c[i];
				if (i && c[i - 1] > c[i]) {
					bad("unsorted bytes: n=%zu kind=%d", n,
					    kind);
					return 1;
				}
			}
			if (sum != sum2) {
				bad("bytes changed: n=%zu kind=%d", n, kind);
				return 1;
			}

			if (n > sizeof b / sizeof *b)
				continue;
			/* width 300 > cycle()'s 256-byte buffer */
			sum = 0;
			for (size_t i = 0; i < n; i++) {
				b[i].key = keyval(kind, i, n);
				memset(b[i].pad, (int)(b[i].key & 255),
				       sizeof b[i].pad);
				sum += b[i].key;
			}
			harness_qsort_r(b, n, sizeof *b, cmp_big, 0);
			sum2 = 0;
			for (size_t i = 0; i < n; i++) {
				sum2 += b[i].key;
				if ((i && b[i - 1].key > b[i].key)
				    || b[i].pad[0] != (b[i].key & 255)
				    || b[i].pad[295] != (b[i].key & 255)) {
					bad("wide elements: n=%zu kind=%d",
					    n, kind);
					return 1;
				}
			}
			if (sum != sum2) {
				bad("wide elements changed: n=%zu", n);
				return 1;
			}
		}
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} checks[] = {
	{ "pntz-high-word", t_pntz },
	{ "shl-full-word", t_shl },
	{ "shr-full-word", t_shr },
	{ "trinkle-far-heap", t_trinkle_far_heap },
	{ "trinkle-bound", t_trinkle_bound },
	{ "sift-bound", t_sift_bound },
	{ "sorts", t_sorts },
};

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;
	for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
		int st;
		pid_t pid;
		if (!wanted(checks[i].name, argc, argv))
			continue;
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			alarm(60);
			_exit(checks[i].fn());
		}
		if (waitpid(pid, &st, 0) != pid) {
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			printf("PASS qsort-%s\n", checks[i].name);
		} else {
			if (WIFSIGNALED(st))
				fprintf(stderr, "  qsort-%s: killed by signal "
				        "%d%s\n", checks[i].name, WTERMSIG(st),
				        WTERMSIG(st) == SIGILL ?
				        " (sanitizer trap: undefined shift "
				        "or out-of-bounds index)" : "");
			printf("FAIL qsort-%s\n", checks[i].name);
			failed = 1;
		}
	}
	return failed;
}
