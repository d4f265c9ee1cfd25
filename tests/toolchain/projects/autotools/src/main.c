#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include "greet.h"
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main(void)
{
	const char *s = "hello";
	unsigned long c = crc32(0L, (const Bytef *)s, (uInt)strlen(s));
#if !defined(HAVE_ZLIB_H) || !defined(HAVE_STRLCPY)
	puts("config.h missing expected HAVE_ macros");
	return 1;
#endif
	if (c != 0x3610a686UL)
		return 1;
	printf("%s ok crc=%08lx\n", greet(), c);
	return 0;
}
