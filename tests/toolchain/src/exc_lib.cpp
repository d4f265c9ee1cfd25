#include "exc.h"
#include <vector>

namespace {
struct guard {
    guard() { ++live_guards; }
    ~guard() { --live_guards; }
};
}

void lib_throw(int code)
{
    guard g;
    throw lib_error("from libexc.a", code);
}

void lib_throw_nested(int depth)
{
    guard g;
    if (depth == 0)
        throw lib_error("nested", 99);
    lib_throw_nested(depth - 1);
}

int lib_vector_at(unsigned i)
{
    std::vector<int> v{1, 2, 3};
    return v.at(i);
}
