#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
extern "C" int mixed_c_part(const char *s);
int main()
{
    int n = 0;
    std::thread t([&n] { n = mixed_c_part("musl"); });
    t.join();
    try {
        if (n != 5)
            throw std::runtime_error("bad");
    } catch (...) {
        return 1;
    }
    std::cout << "cmake mixed ok " << n << "\n";
    return 0;
}
