#include <future>
#include <iostream>
#include "mutil.h"
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
extern "C" int part_add(int a, int b);
int main()
{
    auto f = std::async(std::launch::async, [] { return part_add(mutil_twice(20), 2); });
    if (f.get() != 42)
        return 1;
    std::cout << "meson c++ ok\n";
    return 0;
}
