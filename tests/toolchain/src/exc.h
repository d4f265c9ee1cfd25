// Check 5: exceptions thrown in one translation unit / a static library,
// caught in another, also unwinding through C frames.
#pragma once
#include <stdexcept>

struct lib_error : std::runtime_error {
    int code;
    lib_error(const char *what, int c) : std::runtime_error(what), code(c) {}
};

extern int live_guards;  // defined in exc_main.cpp; RAII objects alive

void lib_throw(int code);         // exc_lib.cpp, in libexc.a
void lib_throw_nested(int depth); // exc_lib.cpp, in libexc.a
int lib_vector_at(unsigned i);    // exc_lib.cpp: std::out_of_range from libstdc++
void tu_throw_int(int v);         // exc_thrower.cpp, a separate object
extern "C" void cxx_callback(int v);                  // exc_thrower.cpp, throws
extern "C" int c_call(void (*fn)(int), int v);        // exc_cframe.c (C, -fexceptions)
