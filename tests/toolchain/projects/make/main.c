#include <stdio.h>
#include "greet.h"
int main(void)
{
	printf("%s %s (built by GNU make %s)\n", greet(), shout(), make_version);
	return 0;
}
