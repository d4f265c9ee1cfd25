#include "cutil.h"
int cutil_square(int x) { return x * x; }
