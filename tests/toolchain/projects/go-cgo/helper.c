#include "helper.h"
int helper_add(int a, int b) { return a + b; }
const char *helper_libc(void)
{
#ifdef __GLIBC__
	return "glibc";
#else
	return "musl";
#endif
}
