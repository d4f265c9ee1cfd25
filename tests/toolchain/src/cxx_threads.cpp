// Check 2: std::thread, a generic lambda, std::async / std::future / std::promise,
// statically linked with -pthread.
#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

#define CHECK(c)                                                            \
    do {                                                                    \
        if (!(c)) {                                                         \
            std::cerr << "check failed line " << __LINE__ << ": " #c "\n"; \
            return 1;                                                       \
        }                                                                   \
    } while (0)

int main()
{
    auto add = [](auto a, auto b) { return a + b; };  // generic lambda
    CHECK(add(2, 3) == 5);
    CHECK(add(1.5, 2.25) == 3.75);
    CHECK(add(std::string("mu"), std::string("sl")) == "musl");

    // std::thread, each writing its own slot, plus a shared mutex/atomic
    std::vector<long long> part(4, 0); // 4999950000 needs 64 bits on a 32-bit target too
    std::atomic<long> atom{0};
    std::mutex m;
    long locked = 0;
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&, t] {
            for (long long i = t; i < 100000; i += 4) {
                part[t] += i;
                atom.fetch_add(1, std::memory_order_relaxed);
                std::lock_guard<std::mutex> g(m);
                ++locked;
            }
        });
    for (auto &th : ts)
        th.join();
    long long total = std::accumulate(part.begin(), part.end(), 0LL);
    CHECK(total == 4999950000LL);
    CHECK(atom.load() == 100000 && locked == 100000);

    // std::async with std::launch::async, results through std::future
    std::vector<std::future<long>> fs;
    long expect = 0;
    for (long k = 1; k <= 8; ++k) {
        expect += (k * 1000) * (k * 1000 + 1) / 2;
        fs.push_back(std::async(std::launch::async, [k] {
            long s = 0;
            for (long i = 1; i <= k * 1000; ++i)
                s += i;
            return s;
        }));
    }
    long asum = 0;
    for (auto &f : fs)
        asum += f.get();
    CHECK(asum == expect);

    // the async task really ran on another thread
    auto other = std::async(std::launch::async, [] { return std::this_thread::get_id(); });
    CHECK(other.get() != std::this_thread::get_id());

    // promise set from a std::thread
    std::promise<int> p;
    std::future<int> pf = p.get_future();
    std::thread pt([&p, &add] { p.set_value(add(40, 2)); });
    CHECK(pf.get() == 42);
    pt.join();

    // an exception travels through a future
    auto fe = std::async(std::launch::async, []() -> int { throw std::runtime_error("boom"); });
    try {
        fe.get();
        CHECK(!"no exception");
    } catch (const std::runtime_error &e) {
        CHECK(std::string(e.what()) == "boom");
    }

    std::cout << "cxx-threads ok " << total << " " << asum << "\n";
    return 0;
}
