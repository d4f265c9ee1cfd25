#include "exc.h"
#include <exception>
#include <iostream>
#include <string>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int live_guards = 0;

#define CHECK(c)                                                            \
    do {                                                                    \
        if (!(c)) {                                                         \
            std::cerr << "check failed line " << __LINE__ << ": " #c "\n"; \
            return 1;                                                       \
        }                                                                   \
    } while (0)

int main()
{
    int caught = 0;

    try {
        lib_throw(7);
    } catch (const std::exception &e) {  // by base class
        const lib_error *le = dynamic_cast<const lib_error *>(&e);
        CHECK(le && le->code == 7 && std::string(e.what()) == "from libexc.a");
        ++caught;
    }
    CHECK(live_guards == 0);

    try {
        lib_throw_nested(20);
    } catch (const lib_error &e) {
        CHECK(e.code == 99);
        ++caught;
    }
    CHECK(live_guards == 0);  // all 21 destructors ran during unwinding

    try {
        tu_throw_int(42);
    } catch (int v) {
        CHECK(v == 42);
        ++caught;
    }

    try {
        c_call(cxx_callback, 5);
    } catch (const lib_error &e) {
        CHECK(e.code == 5 && std::string(e.what()) == "through C");
        ++caught;
    }

    try {
        lib_vector_at(10);
    } catch (const std::out_of_range &) {
        ++caught;
    }

    std::exception_ptr ep;
    try {
        lib_throw(3);
    } catch (...) {
        ep = std::current_exception();
    }
    try {
        std::rethrow_exception(ep);
    } catch (const lib_error &e) {
        CHECK(e.code == 3);
        ++caught;
    }

    CHECK(caught == 6);
    std::cout << "exceptions ok " << caught << "\n";
    return 0;
}
