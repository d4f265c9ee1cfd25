#include <string.h>
#include <zlib.h>
unsigned long zdep_crc(const char *s) { return crc32(0L, (const unsigned char *)s, (unsigned)strlen(s)); }
const char *zdep_version(void) { return zlibVersion(); }
int zdep_roundtrip(void)
{
	static const char in[] = "a static musl program from Rust, with zlib from the toolchain's sysroot";
	unsigned char z[256], out[256];
	uLongf zn = sizeof z, on = sizeof out;
	if (compress(z, &zn, (const unsigned char *)in, sizeof in) != Z_OK) return -1;
	if (uncompress(out, &on, z, zn) != Z_OK) return -2;
	return on == sizeof in && memcmp(in, out, on) == 0;
}
