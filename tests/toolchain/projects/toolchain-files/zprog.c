/* Checks cmake-toolchain-file, meson-cross-file, env-script: zlib from the
 * sysroot, found by the build system's own lookups. Prints the version of
 * the header it was compiled with and of the library it was linked with:
 * both must be the sysroot's, not the host's. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#ifdef __GLIBC__
#error "built against glibc, not musl"
#endif

int main(void)
{
	static const char text[] = "toolchain files: zlib from the sysroot";
	unsigned char comp[256], out[sizeof text];
	uLongf clen = sizeof comp, olen = sizeof out;

	if (compress(comp, &clen, (const Bytef *)text, sizeof text) != Z_OK ||
	    uncompress(out, &olen, comp, clen) != Z_OK || olen != sizeof text ||
	    memcmp(out, text, sizeof text) != 0) {
		fprintf(stderr, "zlib round trip failed\n");
		return 1;
	}
	printf("toolchain-files c ok header %s library %s\n", ZLIB_VERSION, zlibVersion());
	return 0;
}
