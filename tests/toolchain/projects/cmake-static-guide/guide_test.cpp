#include <iostream>
#include <stdexcept>
#include <string>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif
extern "C" int guide_c_call(void (*fn)(int), int v);
extern "C" int guide_c_len(const char *s);

struct guide_error : std::runtime_error {
    int code;
    explicit guide_error(int c) : std::runtime_error("through C"), code(c) {}
};

static int live = 0;
struct guard {
    guard() { ++live; }
    ~guard() { --live; }
};

static void thrower(int v)
{
    guard g;
    throw guide_error(v);
}

int main()
{
    int caught = 0;
    try {
        guard g;
        guide_c_call(thrower, 6);
    } catch (const guide_error &e) {
        if (e.code == 6 && std::string(e.what()) == "through C")
            caught = e.code;
    }
    if (caught != 6 || live != 0 || guide_c_len("musl") != 5)
        return 1;
    std::cout << "cmake static guide ok " << caught << "\n";
    return 0;
}
