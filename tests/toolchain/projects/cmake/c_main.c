#include <stdio.h>
#include "cutil.h"
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
int main(void)
{
	if (cutil_square(7) != 49)
		return 1;
	puts("cmake c ok");
	return 0;
}
