#include <stdlib.h>
#include <string.h>
/* called from C++ */
int mixed_c_part(const char *s) { return (int)strlen(s) + atoi("1"); }
