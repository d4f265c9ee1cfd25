#include <stdio.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
int mixed_cxx_part(int k);
int main(void)
{
	if (mixed_cxx_part(1) != 3 || mixed_cxx_part(5) != -1)
		return 1;
	puts("cmake mixed c-main ok");
	return 0;
}
