#include "greet.h"
const char *shout(void) { return "ok"; }
