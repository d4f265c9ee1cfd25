/* Checks 7 and 8 (static-pie, default not PIE). The tables of pointers need
 * run-time relocation in a static PIE (done by rcrt1's self-relocation). */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

static const char *const words[] = { "static", "pie", "ok" };
static int twice(int x) { return 2 * x; }
static int thrice(int x) { return 3 * x; }
static int (*const ops[])(int) = { twice, thrice };

int main(void)
{
	char buf[64] = "";
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		strcat(buf, words[i]);
		strcat(buf, i + 1 < sizeof words / sizeof words[0] ? "-" : "");
	}
	int v = ops[0](5) + ops[1](7);	/* 10 + 21 */
	if (v != 31)
		return 1;
	printf("%s %d\n", buf, v);
	return 0;
}
