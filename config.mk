# User choices for the toolchain build. Every variable can be overridden on
# the command line: `make toolchain JOBS=1 TOOLCHAIN_DIR=/opt/x`.
# Syntax: the subset of make that bootstrap also reads (see docs/config.md).

TARGET        ?= x86_64-linux-musl
TOOLCHAIN_DIR ?= $(HOME)/x-tools/$(TARGET)
# One build directory per target: two targets built one after the other do
# not clobber each other's stage and state.
BUILD_DIR     ?= build/$(TARGET)
# Where the steps that are the same for every target (gmp, mpfr and mpc: the
# `host` steps) are built, once, and kept for every target's build to use.
HOST_BUILD_DIR ?= build/host
# Where `make dist` writes the release files (docs/release.md).
DIST_DIR      ?= dist
SOURCES       ?= $(HOME)/.cache/muslxb/sources
MIRRORS       ?=
DEBIAN_MIRROR ?=
OFFLINE       ?= 0
JOBS          ?=
# The compilers for the programs that run on the build machine (binutils, gmp,
# mpfr, mpc and gcc itself). gcc's own sources are C++, and clang++ compiles
# them in less CPU time than Debian's g++ 12; the C packages, mostly configure
# tests, are quicker with gcc (docs/toolchain.md). HOST_CXX=g++ works as well.
HOST_CC       ?= gcc
HOST_CXX      ?= clang++
# Compiler flags for the programs that run on the build machine (binutils,
# gmp, mpfr, mpc, gcc) and for the code built for the target (gcc's target
# libraries, musl, zlib, make). Recipes add what a package needs (-fPIC, ...).
HOST_CFLAGS   ?= -O2 -g0
TARGET_CFLAGS ?= -O2 -g0
# Assignments given to every make that a step runs, as if on its command
# line: no info manuals (building them needs texinfo; none are installed).
MAKEVARS      ?= MAKEINFO=true
# The time recorded in what is installed and released (the SBOM's creation
# time, every mtime in `make dist`'s tarball), in seconds since 1970. Empty:
# the commit time of this checkout (git), so that a rebuild of the same
# commit records the same time; never the clock.
SOURCE_DATE_EPOCH ?=
# The machine `make dist`'s static tools are built for (gcc's and binutils'
# --host): x86_64 Linux with musl, built by the toolchain itself. Its vendor
# field differs from TARGET's so that gcc and binutils configure as a cross
# toolchain, with the same names and layout as the toolchain's (same CPU,
# different triple: a "cross-native" build would install unprefixed tools).
STATIC_HOST   ?= x86_64-muslxb-linux-musl
# The compiler cache (docs/cache.md): CCACHE=1 runs every compile of the
# build through ccache (Debian's ccache). CCACHE_REMOTE: a storage the team
# shares (redis://HOST:PORT, http://HOST/PATH, file:DIR; ccache's
# remote_storage). DISTCC_HOSTS: spread the compiles over these distcc hosts
# (distcc's syntax), counted in JOBS.
CCACHE        ?= 0
CCACHE_REMOTE ?=
DISTCC_HOSTS  ?=
RECIPES       ?= recipes
PATCHES       ?= patches

GCC_VERSION      ?= 16.2.0
BINUTILS_VERSION ?= 2.47
MUSL_VERSION     ?= 1.2.6
LINUX_VERSION    ?= 6.12.107
ZLIB_VERSION     ?= 1.3.2
GNUMAKE_VERSION  ?= 4.4.1
GMP_VERSION      ?= 6.3.0
MPFR_VERSION     ?= 4.2.2
MPC_VERSION      ?= 1.3.1
# The allocator linked into make dist's static tools (recipes/mimalloc.recipe)
MIMALLOC_VERSION ?= 2.0.9
