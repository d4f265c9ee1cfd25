#include <stdio.h>
#include "cutil.h"
int main(void)
{
	if (cutil_square(7) != 49)
		return 1;
	puts("cmake c ok");
	return 0;
}
