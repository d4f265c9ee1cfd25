#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include "mutil.h"
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
int main(void)
{
	const char *s = "hello";
	unsigned long c = crc32(0L, (const Bytef *)s, (uInt)strlen(s));
	if (c != 0x3610a686UL || mutil_twice(21) != 42)
		return 1;
	printf("meson c ok crc=%08lx\n", c);
	return 0;
}
