#include <stdio.h>
#include "greet.h"
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
int main(void)
{
	printf("%s %s (built by GNU make %s)\n", greet(), shout(), make_version);
	return 0;
}
