#include "exc.h"

void tu_throw_int(int v)
{
    throw v;
}

extern "C" void cxx_callback(int v)
{
    throw lib_error("through C", v);
}
