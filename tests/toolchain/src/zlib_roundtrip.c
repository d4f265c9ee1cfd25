/* Checks 3 and 6: zlib from the sysroot, found without -I/-L. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main(void)
{
	enum { N = 1 << 16 };
	static unsigned char in[N], out[N];
	static unsigned char comp[N + N / 100 + 64];
	for (size_t i = 0; i < N; i++)
		in[i] = (unsigned char)("musl zlib round trip "[i % 21] ^ (i >> 12));

	uLongf clen = sizeof comp;
	if (compress2(comp, &clen, in, N, Z_BEST_COMPRESSION) != Z_OK) {
		fprintf(stderr, "compress2 failed\n");
		return 1;
	}
	uLongf olen = sizeof out;
	if (uncompress(out, &olen, comp, clen) != Z_OK) {
		fprintf(stderr, "uncompress failed\n");
		return 1;
	}
	if (olen != N || memcmp(in, out, N) != 0) {
		fprintf(stderr, "round trip mismatch\n");
		return 1;
	}
	if (clen >= N / 4) {
		fprintf(stderr, "did not compress: %lu bytes\n", (unsigned long)clen);
		return 1;
	}
	if (strcmp(zlibVersion(), ZLIB_VERSION) != 0) {
		fprintf(stderr, "header %s != library %s\n", ZLIB_VERSION, zlibVersion());
		return 1;
	}
	printf("zlib ok %s %d -> %lu\n", zlibVersion(), N, (unsigned long)clen);
	return 0;
}
