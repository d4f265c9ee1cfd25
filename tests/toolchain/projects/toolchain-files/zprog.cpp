// C++ with zlib and a thread: <cstdlib> and friends must still work when
// the build system adds the sysroot's include directory with -I.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <zlib.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main()
{
	std::string s = "toolchain files c++";
	unsigned long crc = 0;
	std::thread t([&] { crc = crc32(0, reinterpret_cast<const Bytef *>(s.data()), static_cast<uInt>(s.size())); });
	t.join();
	if (crc == 0 || std::getenv("MUSLXB_NO_SUCH_VARIABLE") != nullptr)
		return EXIT_FAILURE;
	std::printf("toolchain-files c++ ok header %s library %s\n", ZLIB_VERSION, zlibVersion());
	return EXIT_SUCCESS;
}
