/* Check 1 (static hello) and 6 (dynamic hello). Must be built by the musl
 * toolchain: refuses to compile against glibc; needs the linux UAPI headers. */
#include <stdio.h>
#include <linux/version.h>

#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main(void)
{
	printf("hello from musl (linux headers %d.%d)\n",
	       LINUX_VERSION_CODE >> 16, (LINUX_VERSION_CODE >> 8) & 0xff);
	return 0;
}
