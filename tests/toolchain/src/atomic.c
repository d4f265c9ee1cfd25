/* Check 9: libatomic. A 24-byte struct (generic __atomic_* library calls)
 * and a 16-byte struct / __int128 (__atomic_*_16), updated by two threads.
 * A 32-bit target has no __int128: the wide counter is 64 bits there (its
 * atomics are inline) and the structs take the generic calls. */
#include <pthread.h>
#include <stdio.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

struct big { long a, b, c; };
struct pair { long lo, hi; } __attribute__((aligned(16)));

static struct big big;
static struct pair pair;
#ifdef __SIZEOF_INT128__
typedef unsigned __int128 wide_t;
#else
typedef unsigned long long wide_t;
#endif
enum { HALF = sizeof(wide_t) * 4 }; /* bits in each half of wide */
static wide_t wide;
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

		__atomic_fetch_add(&wide, (wide_t)1 << HALF | 1, __ATOMIC_SEQ_CST);
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
	wide_t w = __atomic_load_n(&wide, __ATOMIC_SEQ_CST), low = ((wide_t)1 << HALF) - 1;
	long n = 2L * ITER;
	int ok = b.a == n && b.b == 2 * n && b.c == 3 * n && p.lo == n && p.hi == -n &&
		 (w & low) == (wide_t)n && (w >> HALF) == (wide_t)n;
	printf("atomic %s: big=%ld,%ld,%ld pair=%ld,%ld wide=%llu,%llu\n", ok ? "ok" : "BAD",
	       b.a, b.b, b.c, p.lo, p.hi, (unsigned long long)(w >> HALF), (unsigned long long)(w & low));
	return ok ? 0 : 1;
}
