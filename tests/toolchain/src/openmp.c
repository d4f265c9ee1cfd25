/* Check 4: OpenMP, statically linked. Run with OMP_NUM_THREADS=2: must use
 * two distinct OS threads and compute the right sum. */
#include <omp.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main(void)
{
	long long sum = 0; /* 500000500000 needs 64 bits on a 32-bit target too */
	int nthreads = 0;
	long tids[64] = { 0 };

#pragma omp parallel reduction(+ : sum)
	{
		int me = omp_get_thread_num();
#pragma omp single
		nthreads = omp_get_num_threads();
		if (me < 64)
			tids[me] = syscall(SYS_gettid);
#pragma omp for schedule(static)
		for (long i = 1; i <= 1000000; i++)
			sum += i;
	}

	int distinct = 0;
	for (int i = 0; i < nthreads && i < 64; i++) {
		int dup = tids[i] == 0;
		for (int j = 0; j < i; j++)
			dup |= tids[j] == tids[i];
		distinct += !dup;
	}
	printf("threads=%d distinct_tids=%d sum=%lld\n", nthreads, distinct, sum);
	return sum == 500000500000LL && nthreads > 1 && distinct == nthreads ? 0 : 1;
}
