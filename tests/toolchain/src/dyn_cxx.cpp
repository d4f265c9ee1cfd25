// Check 6: a dynamically linked C++ program (libstdc++.so, libgcc_s.so).
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main()
{
    std::map<std::string, int> m{{"musl", 1}, {"gcc", 2}};
    int n = 0;
    std::thread t([&] { n = m.at("gcc") * 21; });
    t.join();
    try {
        m.at("glibc");
        return 1;
    } catch (const std::out_of_range &) {
    }
    if (n != 42)
        return 1;
    std::cout << "dynamic c++ ok " << n << "\n";
    return 0;
}
