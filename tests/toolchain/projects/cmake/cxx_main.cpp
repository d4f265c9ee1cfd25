#include <iostream>
#include <string>
#include <thread>
#include "cutil.h"
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
int main()
{
    int r = 0;
    std::thread t([&r] { r = cutil_square(6); });
    t.join();
    if (r != 36)
        return 1;
    std::cout << std::string("cmake c++ ok") << "\n";
    return 0;
}
