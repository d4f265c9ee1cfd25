/* Check 9: libatomic. A 24-byte struct (generic __atomic_* library calls)
 * and a 16-byte struct / __int128 (__atomic_*_16), updated by two threads. */
#include <pthread.h>
#include <stdio.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

struct big { long a, b, c; };
struct pair { long lo, hi; } __attribute__((aligned(16)));

static struct big big;
static struct pair pair;
static unsigned __int128 wide;
enum { ITER = 100000 };

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITER; i++) {
		struct big ob, nb;
		__atomic_load(&big, &ob, __ATOMIC_SEQ_CST);
		do {
			nb = ob;
			nb.a += 1;
			nb.b += 2;
			nb.c += 3;
		} while (!__atomic_compare_exchange(&big, &ob, &nb, 0,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));

		struct pair op, np;
		__atomic_load(&pair, &op, __ATOMIC_SEQ_CST);
		do {
			np.lo = op.lo + 1;
			np.hi = op.hi - 1;
		} while (!__atomic_compare_exchange(&pair, &op, &np, 0,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));

		__atomic_fetch_add(&wide, (unsigned __int128)1 << 64 | 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], 0, worker, 0))
			return 2;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);

	struct big b;
	struct pair p;
	__atomic_load(&big, &b, __ATOMIC_SEQ_CST);
	__atomic_load(&pair, &p, __ATOMIC_SEQ_CST);
	unsigned __int128 w = __atomic_load_n(&wide, __ATOMIC_SEQ_CST);
	long n = 2L * ITER;
	int ok = b.a == n && b.b == 2 * n && b.c == 3 * n && p.lo == n && p.hi == -n &&
		 (unsigned long)w == (unsigned long)n && (unsigned long)(w >> 64) == (unsigned long)n;
	printf("atomic %s: big=%ld,%ld,%ld pair=%ld,%ld wide=%lu,%lu\n", ok ? "ok" : "BAD",
	       b.a, b.b, b.c, p.lo, p.hi, (unsigned long)(w >> 64), (unsigned long)w);
	return ok ? 0 : 1;
}
