#include "mutil.h"
int mutil_twice(int x) { return 2 * x; }
