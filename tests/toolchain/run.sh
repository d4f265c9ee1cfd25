#!/usr/bin/env bash
# Test suite for a built toolchain (`make check-toolchain`).
#
#   tests/toolchain/run.sh [OPTIONS] TOOLCHAIN_DIR
#
# Builds small programs and projects (tests/toolchain/src, .../projects) with
# the toolchain on PATH and runs them on this (x86_64 Linux) host, a foreign
# target's under qemu-user. Each check prints `PASS name` or `FAIL name`
# followed by a few indented lines saying why, or `NOT RUN name` and why it
# cannot run for this target; the last line is `N passed, N failed` (and `, N
# not run` if any). Exit status 0 when every check that ran passed, 1 when
# one failed, 2 on a usage error.
#
# Options:
#   --only NAME[,NAME...]  run only these checks (see --list)
#   --list                 print the check names and exit
#   --no-relocation        skip the relocation check
#   --no-install           do not install missing host packages
#
# Environment:
#   TARGET        target triplet (default x86_64-linux-musl)
#   MUSL_TARBALL  musl source tarball, for the cve check (tests/toolchain/cve);
#                 default: musl-$MUSL_VERSION.tar.gz (or Debian's
#                 musl_$MUSL_VERSION.orig.tar.gz) in $SOURCES, both taken
#                 from the environment or else config.mk
#   PATCHES       patches directory (default: the repository's patches/)
#   RELOC_HIDE    more directories (space separated, e.g. the build
#                 directory) to hide while the relocated copy is tested
#   EXPECT_MAKE_VERSION  version `bin/make` must report (default 4.4.1)
#   SOURCES       the download cache the upstream-* checks' projects
#                 (tests/toolchain/upstream/*.recipe) are fetched into by
#                 bootstrap's own fetcher (default: config.mk's)
#   KEEP=1        keep the work directory (logs, build trees) and say where
#   VERBOSE=1     print a failing check's whole log, not only its tail
#
# As root on Debian, missing host tools (file cmake meson ninja-build autoconf
# automake golang-go binutils strace pkg-config; the shells zsh ksh mksh
# busybox, which env-script sources the environment in when they are there)
# are installed with apt-get; otherwise the missing packages are listed and
# the checks needing them fail.

set -u
umask 022

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"
repo=$(cd "$here/../.." && pwd)
TARGET=${TARGET:-x86_64-linux-musl}
# The target's facts, from the one table the recipes read (docs/targets.md).
TARGETS_TABLE=${TARGETS_TABLE:-$repo/recipes/targets}
read -r _ LINUX_ARCH MUSL_ARCH LDSO QEMU_ARCH MESON_CPU_FAMILY ENDIAN GO_ARCH GO_ARM RUST_TARGET _ <<< "$(awk -v t="$TARGET" '$1 == t' "$TARGETS_TABLE" 2>/dev/null)"
CPU=${TARGET%%-*}
[ -n "$LDSO" ] || { echo "run.sh: $TARGETS_TABLE has no row for TARGET $TARGET" >&2; exit 2; }
EXPECT_MAKE_VERSION=${EXPECT_MAKE_VERSION:-4.4.1}
JOBS=2

ALL_CHECKS=(static-c static-cxx-threads zlib-static openmp cxx-exceptions
	dynamic static-pie default-no-pie libatomic autotools cmake
	cmake-static-guide meson make go-cgo pkg-config-wrapper
	cmake-toolchain-file meson-cross-file env-script rust guides upstream-cmake
	upstream-meson upstream-autotools host-independence relocation manifest cve)
# What the relocated copy is tested with: everything before `relocation`.
RELOC_CHECKS=static-c,static-cxx-threads,zlib-static,openmp,cxx-exceptions,dynamic,static-pie,default-no-pie,libatomic,autotools,cmake,cmake-static-guide,meson,make,go-cgo,pkg-config-wrapper,cmake-toolchain-file,meson-cross-file,env-script,guides,host-independence

usage() {
	sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;s/^#$//;p}' "$self"
}

only="" relocation=1 install=1
while [ $# -gt 0 ]; do
	case $1 in
	--only) [ $# -ge 2 ] || { usage >&2; exit 2; }; only=$2; shift 2 ;;
	--only=*) only=${1#--only=}; shift ;;
	--no-relocation) relocation=0; shift ;;
	--no-install) install=0; shift ;;
	--list) printf '%s\n' "${ALL_CHECKS[@]}"; exit 0 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -ne 1 ]; then
	usage >&2
	exit 2
fi
if [ ! -d "$1" ]; then
	echo "run.sh: $1: not a directory" >&2
	exit 2
fi
TC=$(cd "$1" && pwd)
TC_REAL=$(cd "$1" && pwd -P)
SYSROOT=$TC/$TARGET
# Programs built for a foreign target run under Debian's qemu-user, called by
# name with the sysroot for its loader and libraries (binfmt registration is
# not relied on: containers often lack it). i686 runs natively on x86_64.
RUN=()
case $CPU:$(uname -m) in
"$(uname -m)":* | i686:x86_64) ;;
*) RUN=("qemu-$QEMU_ARCH" -L "$TC/$TARGET") ;;
esac

if [ -n "$only" ]; then
	for n in ${only//,/ }; do
		case " ${ALL_CHECKS[*]} " in
		*" $n "*) ;;
		*) echo "run.sh: unknown check $n (see --list)" >&2; exit 2 ;;
		esac
	done
fi

# Paths given relative to where we were started.
if [ -n "${PATCHES:-}" ]; then
	PATCHES_DIR=$(cd "$PATCHES" 2>/dev/null && pwd) || PATCHES_DIR=$PATCHES
else
	PATCHES_DIR=$repo/patches
fi
# MUSL_TARBALL: by default the musl tarball in the download cache (SOURCES
# and MUSL_VERSION from the environment, else from config.mk)
config_value() { # config_value NAME: its value in config.mk, $(HOME) expanded
	sed -n "s/^$1[[:space:]]*[?:]*=[[:space:]]*//p" "$repo/config.mk" 2>/dev/null |
		head -n 1 | sed "s|\$(HOME)|$HOME|g; s|\${HOME}|$HOME|g"
}
if [ -z "${MUSL_TARBALL:-}" ]; then
	v=${MUSL_VERSION:-$(config_value MUSL_VERSION)}
	d=${SOURCES:-$(config_value SOURCES)}
	for f in "$d/musl-$v.tar.gz" "$d/musl_$v.orig.tar.gz"; do
		[ -f "$f" ] && { MUSL_TARBALL=$f; break; }
	done
fi
if [ -n "${MUSL_TARBALL:-}" ] && [ -e "$MUSL_TARBALL" ]; then
	MUSL_TARBALL=$(cd "$(dirname "$MUSL_TARBALL")" && pwd)/$(basename "$MUSL_TARBALL")
fi

# A clean environment: nothing from the caller may steer the compiler, make
# or the build systems.
unset CC CXX CPP LD AR AS NM RANLIB STRIP OBJCOPY OBJDUMP READELF \
	CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LIBS \
	GCC_EXEC_PREFIX COMPILER_PATH LIBRARY_PATH CPATH C_INCLUDE_PATH \
	CPLUS_INCLUDE_PATH OBJC_INCLUDE_PATH DEPENDENCIES_OUTPUT \
	SUNPRO_DEPENDENCIES GCC_COMPARE_DEBUG \
	MAKEFLAGS MFLAGS MAKELEVEL MAKEFILES GNUMAKEFLAGS \
	CMAKE_TOOLCHAIN_FILE CMAKE_GENERATOR CMAKE_BUILD_TYPE CMAKE_PREFIX_PATH \
	PKG_CONFIG_PATH PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR \
	GOFLAGS GOOS GOARCH GOROOT GOPATH GOCACHE GOENV CGO_CFLAGS CGO_LDFLAGS \
	OMP_NUM_THREADS
export LC_ALL=C

# PATH: the toolchain first; no other copy of it (its original location,
# when this is the relocated copy) anywhere.
strip_path() { # strip_path DIR PATH: PATH without entries at or below DIR
	local dir=$1 out="" e IFS=:
	for e in $2; do
		case $e in "$dir" | "$dir"/*) continue ;; esac
		out=${out:+$out:}$e
	done
	printf '%s' "$out"
}
PATH="$TC/bin:$(strip_path "$TC" "$PATH")"
export PATH

# ---------------------------------------------------------------- host tools

# tool:package
HOST_TOOLS="file:file cmake:cmake meson:meson ninja:ninja-build
autoreconf:autoconf automake:automake aclocal:automake go:golang-go
perl:perl readelf:binutils strings:binutils nm:binutils strace:strace pkg-config:pkg-config
zsh:zsh ksh:ksh mksh:mksh busybox:busybox
/usr/bin/rustc:rustc /usr/bin/cargo:cargo /usr/lib/rustlib/src/rust/library/std/Cargo.toml:rust-src
$(for p in cc libc hashbrown compiler-builtins cfg-if-0.1 rustc-demangle rustc-std-workspace-core; do
	printf '/usr/share/doc/librust-%s-dev:librust-%s-dev ' "$p" "$p"; done)
timeout:coreutils realpath:coreutils unshare:util-linux${RUN:+ qemu-$QEMU_ARCH:qemu-user}"

pkg_of() {
	local tp
	for tp in $HOST_TOOLS; do
		[ "${tp%%:*}" = "$1" ] && { echo "${tp#*:}"; return; }
	done
	echo "$1"
}

host_deps() {
	local tp missing="" pkg
	for tp in $HOST_TOOLS; do
		case ${tp%%:*} in
		/*) [ -e "${tp%%:*}" ] && continue ;; # a file the package installs
		*) command -v "${tp%%:*}" >/dev/null 2>&1 && continue ;;
		esac
		pkg=${tp#*:}
		case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
	done
	missing=${missing# }
	[ -n "$missing" ] || return 0
	if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] &&
		command -v apt-get >/dev/null 2>&1; then
		echo "installing host packages: $missing"
		local alog
		alog=$(mktemp "${TMPDIR:-/tmp}/muslxb-apt.XXXXXX")
		# shellcheck disable=SC2086 # word splitting of the package list is intended
		if ! { DEBIAN_FRONTEND=noninteractive apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y \
				--no-install-recommends $missing; } >"$alog" 2>&1; then
			echo "apt-get failed; the checks needing these packages will fail:"
			tail -n 10 "$alog" | sed 's/^/    /'
		fi
		rm -f "$alog"
	else
		echo "missing host packages (the checks needing them will fail):"
		echo "    apt-get install -y $missing"
	fi
}
host_deps

READELF='readelf'
command -v readelf >/dev/null 2>&1 || READELF=$TARGET-readelf
NM='nm'
command -v nm >/dev/null 2>&1 || NM=$TARGET-nm

# ---------------------------------------------------------------- work area

work=$(mktemp -d "${TMPDIR:-/tmp}/muslxb-tc-test.XXXXXX") || exit 1
cleanup() {
	if [ "${KEEP:-0}" = 1 ]; then
		echo "work directory kept: $work"
	else
		chmod -R u+w "$work" 2>/dev/null # Go's module cache is read-only
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$work/logs" "$work/tmp"

# ---------------------------------------------------------------- helpers
# (used inside checks: each check runs in a subshell with `set -e`, in its
# own empty directory; a failing command fails the check)

# why LINE...: say why the check fails (printed under FAIL)
why() { printf '%s\n' "$@" | tee -a "$WHY"; }
die() { why "$@"; : >"$DIED"; exit 1; }
# die_log FILE MESSAGE: fail, quoting the end of FILE
die_log() { die "$2" "$(tail -n 20 "$1" 2>/dev/null | sed 's/^/  /')"; }
# note LINE...: printed under the result even when it passes
note() { printf 'note: %s\n' "$@" | tee -a "$NOTES"; }
x() {
	printf '+ %s\n' "$*"
	"$@" || { set -- $? "$@"; printf 'failed (status %s): %s\n' "$1" "${*:2}"; return "$1"; }
}
need() {
	local t
	for t; do
		command -v "$t" >/dev/null 2>&1 ||
			die "host tool '$t' not found (Debian package $(pkg_of "$t"))"
	done
}

# expect_run PATTERN CMD...: run a built program (time-limited); it must exit
# 0 and print a line matching the extended regex PATTERN
expect_run() {
	local pat=$1 out rc
	shift
	printf '+ %s\n' "$*"
	[ ${#RUN[@]} = 0 ] || printf '  (under %s)\n' "${RUN[*]}"
	out=$(timeout 120 "${RUN[@]}" "$@" 2>&1) && rc=0 || rc=$?
	printf '%s\n' "$out"
	[ "$rc" != 124 ] || die "'$*' timed out:" "$(printf '%s\n' "$out" | tail -n 5)"
	[ "$rc" = 0 ] || die "'$*' exited with status $rc:" "$(printf '%s\n' "$out" | tail -n 5)"
	printf '%s\n' "$out" | grep -E -- "$pat" >/dev/null ||
		die "'$*' printed no line matching /$pat/:" "$(printf '%s\n' "$out" | tail -n 5)"
}

elf_type() { "$READELF" -hW "$1" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p'; }
# (no grep -q after a pipe: with pipefail an early exit can fail the writer)
has_interp() { "$READELF" -lW "$1" | grep 'INTERP' >/dev/null; }
needed() { "$READELF" -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# assert_static BIN: a static executable (ET_EXEC): no PT_INTERP, no dynamic
# section, `file` agrees
assert_static() {
	local bin=$1 f
	need file
	f=$(file -b "$bin")
	echo "file: $f"
	[ "$(elf_type "$bin")" = EXEC ] || die "$bin: ELF type $(elf_type "$bin"), want EXEC (static, not PIE)"
	! has_interp "$bin" || die "$bin has a program interpreter:" "$("$READELF" -lW "$bin" | grep -A1 INTERP)"
	"$READELF" -dW "$bin" | grep 'There is no dynamic section' >/dev/null ||
		die "$bin has a dynamic section:" "$("$READELF" -dW "$bin" | head -n 8)"
	case $f in
	*"statically linked"*) ;;
	*) die "file(1) does not say statically linked: $f" ;;
	esac
}

# assert_no_deps BIN: no interpreter and no NEEDED (static, PIE or not)
assert_no_deps() {
	! has_interp "$1" || die "$1 has a program interpreter:" "$("$READELF" -lW "$1" | grep -A1 INTERP)"
	[ -z "$(needed "$1")" ] || die "$1 needs shared libraries: $(needed "$1" | tr '\n' ' ')"
}

cp_project() { # cp_project NAME DEST: a fresh copy of projects/NAME
	rm -rf "$2"
	cp -R "$here/projects/$1" "$2"
}

CC=$TARGET-gcc
CXX=$TARGET-g++
S=$here/src

# ---------------------------------------------------------------- checks

# 1. static C hello: runs; no INTERP, no dynamic section
check_static_c() {
	x "$CC" -static -O2 -Wall -o hello "$S/hello.c"
	expect_run '^hello from musl \(linux headers [0-9]+\.[0-9]+\)$' ./hello
	assert_static hello
	[ "$("$CC" -dumpmachine)" = "$TARGET" ] || die "$CC -dumpmachine: $("$CC" -dumpmachine), want $TARGET"
}

# 2. static C++: std::thread, generic lambda, std::async/std::future
check_static_cxx_threads() {
	x "$CXX" -static -pthread -O2 -Wall -o cxx-threads "$S/cxx_threads.cpp"
	expect_run '^cxx-threads ok 4999950000 ' ./cxx-threads
	assert_static cxx-threads
}

# 3. zlib from the sysroot without -I/-L, static; and GraalVM's way of
# linking a static native image (-no-pie, --gc-sections, musl's stub libs)
check_zlib_static() {
	x "$CC" -static -o zlib-static "$S/zlib_roundtrip.c" -lz
	expect_run '^zlib ok ' ./zlib-static
	assert_static zlib-static
	x "$CC" -c -O2 -o zlib_roundtrip.o "$S/zlib_roundtrip.c"
	x "$CC" -static -no-pie -z noexecstack -Wl,--gc-sections -o zlib-graal \
		zlib_roundtrip.o -lz -ldl -lpthread -lrt -lm
	expect_run '^zlib ok ' ./zlib-graal
	assert_static zlib-graal
}

# 4. OpenMP, static: two OS threads with OMP_NUM_THREADS=2, right sum
check_openmp() {
	x "$CC" -fopenmp -static -O2 -o omp "$S/openmp.c"
	OMP_NUM_THREADS=2 expect_run '^threads=2 distinct_tids=2 sum=500000500000$' ./omp
	assert_static omp
}

# 5. C++ exceptions across TUs, a static library made with the toolchain's
# ar, and a C frame
check_cxx_exceptions() {
	x "$CXX" -O2 -c -o exc_lib.o "$S/exc_lib.cpp"
	x "$TARGET-ar" rc libexc.a exc_lib.o
	x "$TARGET-ranlib" libexc.a
	x "$TARGET-nm" libexc.a >nm.txt
	grep 'T _Z9lib_throwi' nm.txt >/dev/null || die "libexc.a has no lib_throw symbol"
	x "$CXX" -O2 -c -o exc_thrower.o "$S/exc_thrower.cpp"
	x "$CC" -O2 -fexceptions -c -o exc_cframe.o "$S/exc_cframe.c"
	x "$CXX" -O2 -c -o exc_main.o "$S/exc_main.cpp"
	x "$CXX" -static -o exc exc_main.o exc_thrower.o exc_cframe.o -L. -lexc
	expect_run '^exceptions ok 6$' ./exc
	assert_static exc
}

# 6. dynamic C / C++ / zlib programs, run through the sysroot's musl loader
check_dynamic() {
	local ldso=$SYSROOT/lib/$LDSO lib=$SYSROOT/lib t
	[ -e "$ldso" ] || die "no loader $ldso"
	if [ -L "$ldso" ]; then
		t=$(readlink "$ldso")
		echo "$ldso -> $t"
		case $t in /*) die "loader symlink is absolute: $ldso -> $t" ;; esac
	fi
	x "$CC" -O2 -o hello-dyn "$S/hello.c"
	"$READELF" -lW hello-dyn | grep -F "[Requesting program interpreter: /lib/$LDSO]" ||
		die "hello-dyn: interpreter is not /lib/$LDSO:" "$("$READELF" -lW hello-dyn | grep -A1 INTERP)"
	needed hello-dyn | grep -x 'libc.so' >/dev/null || die "hello-dyn: NEEDED $(needed hello-dyn | tr '\n' ' '), want libc.so"
	expect_run '^hello from musl ' "$ldso" --library-path "$lib" ./hello-dyn

	x "$CXX" -O2 -pthread -o cxx-dyn "$S/dyn_cxx.cpp"
	needed cxx-dyn | grep -Fx 'libstdc++.so.6' >/dev/null || die "cxx-dyn: NEEDED $(needed cxx-dyn | tr '\n' ' '), want libstdc++.so.6"
	expect_run '^dynamic c\+\+ ok 42$' "$ldso" --library-path "$lib" ./cxx-dyn

	x "$CC" -O2 -o zlib-dyn "$S/zlib_roundtrip.c" -lz
	needed zlib-dyn | grep -x 'libz.so.1' >/dev/null || die "zlib-dyn: NEEDED $(needed zlib-dyn | tr '\n' ' '), want libz.so.1"
	expect_run '^zlib ok ' "$ldso" --library-path "$lib" ./zlib-dyn
}

# 7. -static-pie: ET_DYN, no INTERP, no NEEDED, runs
check_static_pie() {
	need file
	x "$CC" -fPIE -static-pie -O2 -o spie "$S/pie.c"
	expect_run '^static-pie-ok 31$' ./spie
	[ "$(elf_type spie)" = DYN ] || die "spie: ELF type $(elf_type spie), want DYN"
	assert_no_deps spie
	echo "file: $(file -b spie)"
}

# 8. the default is not PIE: plain links give ET_EXEC
check_default_no_pie() {
	x "$CC" -o plain "$S/pie.c"
	[ "$(elf_type plain)" = EXEC ] || die "'$CC prog.c': ELF type $(elf_type plain), want EXEC (PIE by default?)"
	x "$CXX" -x c++ -o plain-cxx "$S/pie.c"
	[ "$(elf_type plain-cxx)" = EXEC ] || die "'$CXX prog.cpp': ELF type $(elf_type plain-cxx), want EXEC"
	x "$CC" -static -o plain-static "$S/pie.c"
	expect_run '^static-pie-ok 31$' ./plain-static
	[ "$(elf_type plain-static)" = EXEC ] || die "'$CC -static': ELF type $(elf_type plain-static), want EXEC"
}

# 9. libatomic, static: 16-byte and generic (24-byte) __atomic on structs
check_libatomic() {
	x "$CC" -O2 -c -o atomic.o "$S/atomic.c"
	"$NM" -u atomic.o | tee undef.txt
	grep -Eq '__atomic_(compare_exchange|load)$' undef.txt ||
		die "atomic.o does not call the generic __atomic functions (test is moot)"
	# a 32-bit target has no __int128, and takes the generic calls for the 16-byte struct
	if "$CC" -dM -E - </dev/null | grep '__SIZEOF_INT128__' >/dev/null; then
		grep -Eq '__atomic_(compare_exchange|load|fetch_add)_16$' undef.txt ||
			die "atomic.o does not call the 16-byte __atomic functions (test is moot)"
	fi
	x "$CC" -static -pthread -o atomic atomic.o -latomic
	expect_run '^atomic ok: ' ./atomic
	assert_static atomic
}

# 10. an Autotools project: autoreconf, --host=$TARGET, LDFLAGS=-static
check_autotools() {
	need autoreconf automake aclocal
	cp_project autotools src
	(cd src && x autoreconf -fi)
	mkdir build
	cd build
	x ../src/configure --host="$TARGET" LDFLAGS=-static >configure.out 2>&1 ||
		die_log configure.out "configure failed (more in config.log):"
	cat configure.out
	grep -E '^(CC|AR|RANLIB) = ' Makefile
	grep -q "^CC = $TARGET-gcc\$" Makefile || die "configure did not pick $TARGET-gcc: $(grep '^CC = ' Makefile)"
	grep -q "^AR = $TARGET-ar\$" Makefile || die "configure did not pick $TARGET-ar: $(grep '^AR = ' Makefile)"
	x make -j"$JOBS" V=1
	expect_run '^autotools ok crc=3610a686$' ./autotools-hello
	assert_static autotools-hello
}

# 11. a CMake project: C, C++, and targets mixing C and C++, all -static
check_cmake() {
	need cmake
	local b
	x cmake -S "$here/projects/cmake" -B build -G "Unix Makefiles" \
		-DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
		-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$CPU" \
		-DCMAKE_EXE_LINKER_FLAGS=-static -DCMAKE_BUILD_TYPE=Release
	# what CMake learnt from the compilers (passed back on mixed links)
	grep -h 'IMPLICIT_LINK_LIBRARIES\|IMPLICIT_LINK_DIRECTORIES' build/CMakeFiles/*/CMake*Compiler.cmake || true
	x cmake --build build --verbose -- -j"$JOBS"
	expect_run '^cmake c ok$' build/cmake_c
	expect_run '^cmake c\+\+ ok$' build/cmake_cxx
	expect_run '^cmake mixed ok 5$' build/cmake_mixed
	expect_run '^cmake mixed c-main ok$' build/cmake_mixed_cmain
	for b in cmake_c cmake_cxx cmake_mixed cmake_mixed_cmain; do
		assert_static "build/$b"
	done
}

# 12. a CMake project configured as the static C++ guide says: only the
# compilers (by name, found on PATH) and -DCMAKE_EXE_LINKER_FLAGS=-static; no
# CMAKE_SYSTEM_NAME/PROCESSOR, no sysroot, no build type. The project has an
# old policy floor, as many well-known ones do (CMP0056 OLD: try_compile, so
# the compiler ABI detection, links without CMAKE_EXE_LINKER_FLAGS): CMake
# records gcc's dynamic link lines (gcc 16: -lgcc_s_asneeded,
# -latomic_asneeded) as the implicit link libraries and adds the C ones the
# C++ line lacks to the -static link of the C++ test program that has C
# sources. Every -l in those lists must link statically. (That floor, not
# CMAKE_SYSTEM_NAME, is what `cmake` above lacks: its project asks for 3.13.)
check_cmake_static_guide() {
	need cmake
	local cm_major c_libs cxx_libs l extra=""
	local args=(-DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX"
		-DCMAKE_EXE_LINKER_FLAGS=-static)
	# CMake >= 4 refuses a policy floor below 3.5 unless told (what its error
	# tells users to pass); the ABI detection then links -static: the trap
	# is not armed, the build still has to work
	cm_major=$(cmake --version | sed -n '1s/^cmake version \([0-9]*\).*/\1/p')
	[ "${cm_major:-0}" -lt 4 ] || args+=(-DCMAKE_POLICY_VERSION_MINIMUM=3.5)
	x cmake -S "$here/projects/cmake-static-guide" -B build "${args[@]}"
	grep -h 'IMPLICIT_LINK_LIBRARIES\|IMPLICIT_LINK_DIRECTORIES' build/CMakeFiles/*/CMake*Compiler.cmake || true
	c_libs=$(sed -n 's/^set(CMAKE_C_IMPLICIT_LINK_LIBRARIES "\(.*\)")$/\1/p' build/CMakeFiles/*/CMakeCCompiler.cmake)
	cxx_libs=$(sed -n 's/^set(CMAKE_CXX_IMPLICIT_LINK_LIBRARIES "\(.*\)")$/\1/p' build/CMakeFiles/*/CMakeCXXCompiler.cmake)
	for l in ${c_libs//;/ }; do
		case ";$cxx_libs;" in *";$l;"*) ;; *) extra="$extra -l$l" ;; esac
	done
	if [ -n "$extra" ]; then
		echo "C implicit libraries CMake adds to the C++ link:$extra"
	else
		note "CMake added no C implicit library to the C++ link (C: '$c_libs'; C++: '$cxx_libs'): the mixed-link trap was not exercised"
	fi
	x cmake --build build --verbose -- -j"$JOBS"
	expect_run '^cmake static guide ok 6$' build/guide_test
	assert_static build/guide_test
}

# 13. a Meson project through a cross file, static
check_meson() {
	need meson ninja
	cat >cross.ini <<EOF
[binaries]
c = '$CC'
cpp = '$CXX'
ar = '$TARGET-ar'
strip = '$TARGET-strip'

[built-in options]
c_link_args = ['-static']
cpp_link_args = ['-static']

[host_machine]
system = 'linux'
cpu_family = '$MESON_CPU_FAMILY'
cpu = '$CPU'
endian = '$ENDIAN'
EOF
	x meson setup --cross-file cross.ini -Dprefer_static=true \
		-Ddefault_library=static -Dbuildtype=release \
		build "$here/projects/meson" ||
		die_log build/meson-logs/meson-log.txt "meson setup failed; meson-log.txt ends:"
	x ninja -C build -j "$JOBS" -v
	[ -f build/libmutil.a ] || die "default_library=static did not build libmutil.a"
	expect_run '^meson c ok crc=3610a686$' build/meson_c
	expect_run '^meson c\+\+ ok$' build/meson_cpp
	assert_static build/meson_c
	assert_static build/meson_cpp
}

# 14. GNU make: the target's, static, in the sysroot (usr/bin/make), runs;
# the toolchain's (bin/make, the same program when the target is this
# machine's CPU, else built for this machine): version, builds a project
check_make() {
	local mk=$TC/bin/make tmk=$TC/$TARGET/usr/bin/make v
	[ -x "$tmk" ] || die "no $tmk"
	assert_static "$tmk"
	expect_run "^GNU Make $EXPECT_MAKE_VERSION\$" "$tmk" --version
	[ -x "$mk" ] || die "no $mk"
	v=$("$mk" --version | head -n 1)
	echo "$v"
	[ "$v" = "GNU Make $EXPECT_MAKE_VERSION" ] || die "'make --version': $v, want GNU Make $EXPECT_MAKE_VERSION"
	[ "$(command -v make)" = "$mk" ] || die "make on PATH is $(command -v make), not $mk"
	# bin/make is the target's static make only when the target is this machine's CPU (make.recipe);
	# else the build machine's (i686 too, whose programs this machine runs)
	[ "$CPU" != "$(uname -m)" ] || assert_static "$mk"
	cp_project make proj
	x "$mk" -C proj -j"$JOBS" TARGET="$TARGET"
	expect_run "^make ok \\(built by GNU make $EXPECT_MAKE_VERSION\\)\$" proj/make-hello
	assert_static proj/make-hello
	x "$mk" -C proj clean
	if [ -e proj/make-hello ] || [ -e proj/greet/libgreet.a ]; then
		die "make clean left files"
	fi
}

# 15. Go cgo, linked externally and statically with the musl gcc
check_go_cgo() {
	need go file
	cp_project go-cgo proj
	mkdir -p gopath gocache
	export GOPATH=$PWD/gopath GOCACHE=$PWD/gocache GOMODCACHE=$PWD/gopath/pkg/mod \
		GOPROXY=off GO111MODULE=on GOTOOLCHAIN=local GOFLAGS='' GOENV=off \
		CGO_ENABLED=1 CC="$CC" CXX="$CXX" GOOS=linux
	[ "$GO_ARCH" != - ] || die "Go has no port for $TARGET (recipes/targets)"
	export GOARCH=$GO_ARCH
	[ "$GO_ARM" = - ] || export GOARM=$GO_ARM
	x go version
	(cd proj && x go build -x -ldflags '-linkmode external -extldflags "-static"' \
		-o ../cgo-hello .) >go-build.log 2>&1 ||
		die_log go-build.log "go build failed; its output ends:"
	expect_run '^cgo ok 42 musl$' ./cgo-hello
	# Go links with -rdynamic: a dynamic section is tolerated, nothing in it
	assert_no_deps cgo-hello
	echo "file: $(file -b cgo-hello)"
}

# print_paths_inside TC: -print-sysroot, -print-prog-name=... point into TC
print_paths_inside() {
	local tc=$1 tcr gcc=$1/bin/$TARGET-gcc want got p
	tcr=$(realpath "$tc")
	got=$("$gcc" -print-sysroot)
	echo "-print-sysroot: $got"
	want=$(realpath -m "$tc/$TARGET")
	if [ -z "$got" ] || [ "$(realpath -m "$got")" != "$want" ]; then
		die "-print-sysroot: '$got', want $tc/$TARGET"
	fi
	for p in ld as cc1 cc1plus collect2; do
		got=$("$gcc" -print-prog-name=$p)
		echo "-print-prog-name=$p: $got"
		case $(realpath -m "$got") in
		"$tcr"/*) [ -x "$got" ] || die "-print-prog-name=$p: $got: not executable" ;;
		*) die "-print-prog-name=$p: '$got' is not inside $tc" ;;
		esac
	done
	for p in libc.a libgcc.a libstdc++.a crtbegin.o crt1.o; do
		got=$("$gcc" -print-file-name=$p)
		echo "-print-file-name=$p: $got"
		case $(realpath -m "$got") in
		"$tcr"/*) [ -f "$got" ] || die "-print-file-name=$p: $got: no such file" ;;
		*) die "-print-file-name=$p: '$got' is not inside $tc" ;;
		esac
	done
}

# trace_compile: compile and link under strace; fail listing every file
# successfully opened, executed or stat'ed outside the toolchain and this
# check's directory, except what any dynamically linked host program touches
# (glibc's libraries, /etc/ld.so.cache, /proc, /dev, /sys). Directories are
# ignored: looking at one reads nothing from it.
trace_compile() {
	local w r f
	w=$(pwd -P)
	mkdir -p tr
	if ! strace -f -o /dev/null true >/dev/null 2>&1; then
		note "strace cannot trace here (ptrace not permitted?): file accesses not checked"
		return 0
	fi
	: >trace.all
	traced "$CC" -static -O2 -o tr/c "$S/hello.c"
	traced "$CXX" -static -O2 -pthread -o tr/cxx "$S/cxx_threads.cpp"
	traced "$CC" -O2 -static -o tr/z "$S/zlib_roundtrip.c" -lz
	traced "$CC" -O2 -o tr/dyn "$S/hello.c"
	# successful calls (result not -1): the path arguments (execve: the
	# first only, not argv)
	awk '
		/^[a-z_0-9]+\(/ && !/ = -1 / {
			line = $0
			sc = line; sub(/\(.*/, "", sc)
			n = 0
			while (match(line, /"[^"]*"/)) {
				p = substr(line, RSTART + 1, RLENGTH - 2)
				line = substr(line, RSTART + RLENGTH)
				if (p ~ /^\//) print p
				if (sc == "execve" || ++n >= 2) break
			}
		}' trace.all | sort -u >accessed.txt
	echo "$(wc -l <accessed.txt) distinct absolute paths accessed"
	: >outside.txt
	while IFS= read -r f; do
		r=$(realpath -m "$f")
		case $f in "$TC"/* | "$w"/* | "$here"/* | /proc/* | /dev/* | /sys/*) continue ;; esac
		case $r in "$TC_REAL"/* | "$w"/* | /proc/* | /dev/* | /sys/*) continue ;; esac
		case $f in /etc/ld.so.cache | /etc/ld.so.preload) continue ;; esac
		[ -d "$r" ] && continue
		case $f in
		/lib/* | /lib64/* | /usr/lib/* | /usr/lib64/*)
			case ${f##*/}/${r##*/} in
			libc.so.6/* | libm.so.6/* | libdl.so.2/* | libpthread.so.0/* | librt.so.1/* | ld-linux-x86-64.so.2/*) continue ;;
			esac
			case $f in */gconv/*) continue ;; esac
			;;
		esac
		echo "$f" >>outside.txt
	done <accessed.txt
	[ -s outside.txt ] || return 0
	die "compiling/linking used files outside the toolchain:" "$(head -n 15 outside.txt | sed 's/^/  /')"
}

traced() { # traced CMD...: run CMD under strace, appending to trace.all
	echo "+ strace ... $*"
	env -u LD_LIBRARY_PATH strace -f -qq -s 4096 -e trace=%file -ff -o tr/trace "$@" \
		>tr/out 2>&1 || die_log tr/out "'$*' failed:"
	cat tr/out
	cat tr/trace.* >>trace.all
	rm -f tr/trace.*
}

# 16. host independence: the host programs need only glibc (NEEDED, no
# RPATH, standard interpreter); gcc reports paths inside the toolchain;
# compiling touches nothing outside it
check_host_independence() {
	local f t bad=0 n=0 gv maxgv="" libexec dyn
	for t in gcc g++ c++ cpp ar as ld nm objcopy objdump ranlib readelf strip; do
		[ -x "$TC/bin/$TARGET-$t" ] || { why "missing $TC/bin/$TARGET-$t"; bad=1; }
	done
	libexec=$(find "$TC/libexec/gcc/$TARGET" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1) || true
	for t in cc1 cc1plus collect2; do
		if [ -z "$libexec" ] || [ ! -x "$libexec/$t" ]; then
			why "missing $TC/libexec/gcc/$TARGET/*/$t"
			bad=1
		fi
	done
	for t in ld as; do
		[ -x "$TC/$TARGET/bin/$t" ] || { why "missing $TC/$TARGET/bin/$t"; bad=1; }
	done
	while IFS= read -r -d '' f; do
		[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
		n=$((n + 1))
		dyn=$("$READELF" -dW "$f" 2>/dev/null) || true
		for t in $(printf '%s\n' "$dyn" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $t in
			libc.so.6 | libm.so.6 | ld-linux-x86-64.so.2 | libdl.so.2 | libpthread.so.0 | librt.so.1) ;;
			*) why "${f#"$TC"/} needs $t"; bad=1 ;;
			esac
		done
		t=$(printf '%s\n' "$dyn" | sed -n 's/.*(R[UN]*PATH).*\[\(.*\)\]/\1/p')
		# shellcheck disable=SC2016 # a literal $ORIGIN
		case $t in "" | '$ORIGIN'*) ;; *) why "${f#"$TC"/} has RPATH/RUNPATH $t"; bad=1 ;; esac
		t=$("$READELF" -lW "$f" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
		case $t in "" | /lib64/ld-linux-x86-64.so.2) ;; *) why "${f#"$TC"/} has interpreter $t"; bad=1 ;; esac
		gv=$("$READELF" -VW "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -Vu | tail -n 1) || true
		[ -z "$gv" ] || maxgv=$(printf '%s\n%s\n' "$maxgv" "$gv" | sed '/^$/d' | sort -V | tail -n 1)
	done < <(find "$TC/bin" "$TC/libexec" "$TC/$TARGET/bin" -type f -print0 2>/dev/null)
	echo "$n host ELF files checked; newest glibc symbol version needed: ${maxgv:-none}"
	[ $n -gt 0 ] || { why "no ELF files in $TC/bin, libexec, $TARGET/bin"; bad=1; }
	[ -z "$maxgv" ] || note "the host programs need glibc >= ${maxgv#GLIBC_}"
	# the parts below report through die; run them all (subshells)
	(print_paths_inside "$TC") || bad=1
	(need strace && trace_compile) || bad=1
	[ $bad = 0 ] || { : >"$DIED"; exit 1; }
}

# 17. relocation: a copy elsewhere passes the suite with the original hidden
check_relocation() {
	local copy=$work/relocation/moved/to/another-place/tc copy_real hide rc f t bad=0
	mkdir -p "${copy%/*}" "$work/relocation/tmp"
	x cp -a "$TC" "$copy"
	copy_real=$(cd "$copy" && pwd -P)
	# symlinks: relative, and staying inside the tree
	while IFS= read -r -d '' f; do
		t=$(readlink "$f")
		case $t in
		/*) why "absolute symlink ${f#"$copy"/} -> $t"; bad=1; continue ;;
		esac
		[ -e "$f" ] || continue
		case $(realpath "$f") in
		"$copy_real"/*) ;;
		*) why "symlink ${f#"$copy"/} -> $t leads out of the toolchain"; bad=1 ;;
		esac
	done < <(find "$copy" -type l -print0)
	# text files naming the original location (or a RELOC_HIDE directory).
	# Not: gcc's install-tools and plugin headers (how it was built), the
	# gdb pretty-printer hook (it computes paths relative to itself), our
	# manifest (a record)
	local pats=(-e "$TC")
	[ "$TC_REAL" = "$TC" ] || pats+=(-e "$TC_REAL")
	for hide in ${RELOC_HIDE:-}; do pats+=(-e "$hide"); done
	grep -rIlF "${pats[@]}" "$copy" 2>/dev/null |
		grep -v -e '/install-tools/' -e '/plugin/include/' -e '-gdb\.py$' \
			-e "^$copy/share/muslxb/" >paths.txt || true
	if [ -s paths.txt ]; then
		why "text files in the copy name the original location:"
		sed "s|^$copy/|  |" paths.txt | head -n 10 | tee -a "$WHY"
		bad=1
	fi
	(print_paths_inside "$copy") || bad=1

	# rerun the suite on the copy, the original off PATH and, when we may,
	# hidden: an empty read-only tmpfs over it in a private mount namespace
	local hidden=("$TC") newpath
	for hide in ${RELOC_HIDE:-}; do [ -d "$hide" ] && hidden+=("$hide"); done
	newpath="$copy/bin:$(strip_path "$TC" "$(strip_path "$copy" "$PATH")")"
	[ "$TC_REAL" = "$TC" ] || newpath=$(strip_path "$TC_REAL" "$newpath")
	local cmd=(env PATH="$newpath" TMPDIR="$work/relocation/tmp" KEEP=0 VERBOSE=0
		bash "$self" --no-install --no-relocation --only "$RELOC_CHECKS" "$copy")
	if [ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null; then
		echo "hiding: ${hidden[*]}"
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare --mount --propagation private bash -c '
			while [ "$1" != -- ]; do
				mount -t tmpfs -o ro,mode=000,size=16k muslxb-hidden "$1" || exit 125
				shift
			done
			shift
			exec "$@"' hide "${hidden[@]}" -- "${cmd[@]}" >inner.log 2>&1 && rc=0 || rc=$?
	else
		note "cannot hide the original toolchain (needs root and unshare): it stays in place, only off PATH"
		"${cmd[@]}" >inner.log 2>&1 && rc=0 || rc=$?
	fi
	sed 's/^/  | /' inner.log
	if [ "$rc" != 0 ]; then
		why "the relocated copy: $(tail -n 1 inner.log) (status $rc)"
		# the inner FAIL lines and their reasons
		awk '/^(PASS|FAIL) /{p = /^FAIL/} /^[0-9]+ passed, /{p = 0} p' inner.log |
			head -n 40 | sed 's/^/  /' | tee -a "$WHY"
		bad=1
	fi
	[ $bad = 0 ] || { : >"$DIED"; exit 1; }
}

# 18. the manifest lists the packages and the musl patches
check_manifest() {
	local m=$TC/share/muslxb/manifest p f
	[ -f "$m" ] || die "no $m"
	for p in gcc binutils musl linux zlib make gmp mpfr mpc; do
		grep -qiw -- "$p" "$m" || why "$m does not mention $p"
	done
	if [ -d "$PATCHES_DIR/musl" ]; then
		while IFS= read -r -d '' f; do
			grep -qF -- "${f##*/}" "$m" || why "$m does not mention patch ${f##*/}"
		done < <(find "$PATCHES_DIR/musl" -type f -print0 | sort -z)
	else
		echo "no $PATCHES_DIR/musl: no patches to look for"
	fi
	[ ! -s "$WHY" ] || { : >"$DIED"; exit 1; }
}

# 19. musl CVE regression tests (tests/toolchain/cve/run.sh, if present)
check_cve() {
	local r=$here/cve/run.sh
	[ -n "${MUSL_TARBALL:-}" ] ||
		die "MUSL_TARBALL is not set and no musl tarball is in the download cache (SOURCES)"
	[ -f "$MUSL_TARBALL" ] || die "MUSL_TARBALL=$MUSL_TARBALL: no such file"
	local run=(bash "$r")
	[ -x "$r" ] && run=("$r")
	x env CC="$TC/bin/$CC" RUNNER="${RUN[*]}" MUSL_TARBALL="$MUSL_TARBALL" PATCHES="$PATCHES_DIR" MUSL_ARCH="$MUSL_ARCH" \
		"${run[@]}" || die "$r failed (status $?); its output ends:" "$(tail -n 20 "$LOG" | sed 's/^/  /')"
}

# ---------------------------------------------------------------- toolchain files
# (recipes/toolchain-files.recipe, docs/build-systems.md)

# zlib_version ZLIB_H: the ZLIB_VERSION a zlib.h defines
zlib_version() { sed -n 's/^#define ZLIB_VERSION "\(.*\)"$/\1/p' "$1" 2>/dev/null; }

# inside DIR PATH: PATH (resolved) is DIR or below it
inside() {
	local d p
	d=$(realpath -m "$1") p=$(realpath -m "$2")
	case $p in "$d" | "$d"/*) return 0 ;; esac
	return 1
}

# rust_target: Rust's name for TARGET, from the target table
rust_target() { echo "$RUST_TARGET"; }

# no_host_dirs LOG: no compile or link command in LOG names the host's headers or libraries
no_host_dirs() {
	local hits
	hits=$(grep -nE -- '(-I|-isystem |-L|-Wl,-rpath,|[[:space:]]|^)/usr/(local/)?(include|lib)(/|[[:space:]]|$)' "$1" | head -n 5) || true
	[ -z "$hits" ] || die "$1: a command uses the host's headers or libraries:" "$hits"
}

# 20. bin/TARGET-pkg-config: only the sysroot's .pc files; paths in the sysroot
check_pkg_config_wrapper() {
	need pkg-config
	local pc=$TC/bin/$TARGET-pkg-config zpc=$SYSROOT/lib/pkgconfig/zlib.pc zv out w dirs="" hostpc="" h
	[ -x "$pc" ] || die "no $pc"
	zv=$(zlib_version "$SYSROOT/include/zlib.h")
	[ -n "$zv" ] || die "no ZLIB_VERSION in $SYSROOT/include/zlib.h"
	# zlib's own zlib.pc: paths relative to the sysroot (prefix=)
	[ -f "$zpc" ] || die "no $zpc (zlib's install writes it)"
	grep -E '^[a-z_]+=' "$zpc"
	if grep -F -e "$TC" -e "$TC_REAL" "$zpc" "$pc"; then die "$zpc or $pc names the toolchain's location"; fi
	echo "+ $pc --modversion zlib"
	out=$("$pc" --modversion zlib)
	echo "$out"
	[ "$out" = "$zv" ] || die "$TARGET-pkg-config --modversion zlib: '$out', want the sysroot's $zv"
	echo "+ $pc --cflags zlib"
	out=$("$pc" --cflags zlib)
	echo "$out"
	for w in $out; do
		case $w in -I*) inside "$SYSROOT" "${w#-I}" && [ -f "${w#-I}/zlib.h" ] ||
			die "--cflags zlib: $w is not the sysroot's include directory ($SYSROOT/include)" ;;
		esac
	done
	echo "+ $pc --libs --static zlib"
	out=$("$pc" --libs --static zlib)
	echo "$out"
	case " $out " in *" -lz "*) ;; *) die "--libs zlib: no -lz in '$out'" ;; esac
	for w in $out; do
		case $w in -L*)
			dirs="$dirs ${w#-L}"
			inside "$SYSROOT" "${w#-L}" && [ -f "${w#-L}/libz.a" ] ||
				die "--libs zlib: $w is not the sysroot's library directory ($SYSROOT/lib)" ;;
		esac
	done
	[ -n "$dirs" ] || die "--libs zlib: no -L (the sysroot's lib): '$out'"
	out=$("$pc" --variable=libdir zlib)
	echo "libdir: $out"
	inside "$SYSROOT" "$out" || note "--variable=libdir zlib is '$out': this pkg-config does not put the sysroot before variables"
	# only the sysroot's packages, whatever PKG_CONFIG_PATH says
	{ find "$SYSROOT/lib/pkgconfig" "$SYSROOT/share/pkgconfig" -name '*.pc' 2>/dev/null || true; } |
		sed 's|.*/||; s|\.pc$||' | sort >want.txt
	"$pc" --list-all | awk '{print $1}' | sort >listed.txt
	hostpc=$(env -u PKG_CONFIG_LIBDIR -u PKG_CONFIG_SYSROOT_DIR pkg-config --variable pc_path pkg-config 2>/dev/null) || true
	PKG_CONFIG_PATH=$hostpc "$pc" --list-all | awk '{print $1}' | sort >listed-path.txt
	echo "--list-all: $(tr '\n' ' ' <listed.txt)"
	cmp -s want.txt listed.txt || die "--list-all lists other packages than the sysroot's .pc files ($(tr '\n' ' ' <want.txt)):" "$({ diff want.txt listed.txt || true; } | sed -n 's/^[<>] /  /p' | head -n 10)"
	cmp -s want.txt listed-path.txt || die "with PKG_CONFIG_PATH=$hostpc, --list-all lists other packages:" "$({ diff want.txt listed-path.txt || true; } | sed -n 's/^[<>] /  /p' | head -n 10)"
	env -u PKG_CONFIG_LIBDIR -u PKG_CONFIG_SYSROOT_DIR pkg-config --list-all 2>/dev/null | awk '{print $1}' | sort >host.txt || true
	h=$(comm -23 host.txt want.txt | head -n 1)
	if [ -n "$h" ]; then
		echo "the host has $(wc -l <host.txt) packages; $h is not the sysroot's"
		! "$pc" --exists "$h" || die "$TARGET-pkg-config finds the host's package $h"
		! PKG_CONFIG_PATH=$hostpc "$pc" --exists "$h" || die "with PKG_CONFIG_PATH set, $TARGET-pkg-config finds the host's package $h"
	else
		note "the host has no .pc files of its own: that none is seen proves little"
	fi
	# called through a link elsewhere: the same
	mkdir lnk
	ln -s "$pc" lnk/pc-link
	[ "$(lnk/pc-link --cflags --libs zlib)" = "$("$pc" --cflags --libs zlib)" ] ||
		die "through a symbolic link the wrapper says '$(lnk/pc-link --cflags --libs zlib)'"
	# what it says builds: C, and C++ (a -I of the sysroot's include directory
	# must not break <cstdlib>'s #include_next)
	# shellcheck disable=SC2046 # the flags are words
	x "$CC" -static -O2 $("$pc" --cflags zlib) -o zc "$here/projects/toolchain-files/zprog.c" $("$pc" --libs --static zlib)
	expect_run "^toolchain-files c ok header $zv library $zv\$" ./zc
	assert_static zc
	# shellcheck disable=SC2046
	x "$CXX" -static -O2 -pthread $("$pc" --cflags zlib) -o zcxx "$here/projects/toolchain-files/zprog.cpp" $("$pc" --libs --static zlib)
	expect_run "^toolchain-files c\+\+ ok header $zv library $zv\$" ./zcxx
	assert_static zcxx
}

# cmake_found FILE: every path in the project's found.txt is in the toolchain
# (tools: bin/; the rest: the sysroot); libraries are static archives when $2 = static
cmake_found() {
	local k v p bad=0
	while IFS='=' read -r k v; do
		[ -n "$v" ] || { why "found.txt: $k is empty"; bad=1; continue; }
		for p in ${v//;/ }; do
			case $k in
			pkg-config | *compiler | ar | ranlib | strip)
				inside "$TC/bin" "$p" || { why "$k: $p is not the toolchain's"; bad=1; } ;;
			*)
				inside "$SYSROOT" "$p" || { why "$k: $p is not in the sysroot $SYSROOT"; bad=1; } ;;
			esac
			case $2/$k in static/*library*)
				case $p in *.a) ;; *) why "$k: $p is not a static archive (MUSLXB_STATIC=ON)"; bad=1 ;; esac ;;
			esac
		done
	done <"$1"
	[ $bad = 0 ] || { : >"$DIED"; exit 1; }
}

# 21. share/muslxb/toolchain.cmake: projects configured with only the
# toolchain file (and -DMUSLXB_STATIC=ON) find zlib in the sysroot, build,
# run and are static; without the switch, dynamic
check_cmake_toolchain_file() {
	need cmake
	local tf=$TC/share/muslxb/toolchain.cmake zv b cm_major guide=()
	[ -f "$tf" ] || die "no $tf"
	if grep -F -e "$TC" -e "$TC_REAL" "$TC"/share/muslxb/*.cmake; then die "the CMake files name the toolchain's location"; fi
	zv=$(zlib_version "$SYSROOT/include/zlib.h")
	[ "$zv" != "$(zlib_version /usr/include/zlib.h)" ] || note "the host's zlib.h has the sysroot's version ($zv): the versions do not tell them apart"
	x cmake -S "$here/projects/toolchain-files" -B build -G "Unix Makefiles" \
		-DCMAKE_TOOLCHAIN_FILE="$tf" -DMUSLXB_STATIC=ON >configure.log 2>&1 ||
		die_log configure.log "cmake configure failed:"
	cat configure.log build/found.txt
	(cmake_found build/found.txt static) || exit 1
	x cmake --build build --verbose -- -j"$JOBS" >build.log 2>&1 || die_log build.log "the build failed:"
	cat build.log
	no_host_dirs build.log
	expect_run "^toolchain-files c ok header $zv library $zv\$" build/tf_c
	expect_run "^toolchain-files c\+\+ ok header $zv library $zv\$" build/tf_cxx
	expect_run "^toolchain-files c ok header $zv library $zv\$" build/tf_findlib
	for b in tf_c tf_cxx tf_findlib; do assert_static "build/$b"; done

	# the projects of the cmake checks, with nothing but the toolchain file:
	# C, C++ and mixed targets; an old policy floor (CMP0056 OLD)
	x cmake -S "$here/projects/cmake" -B mixed -DCMAKE_TOOLCHAIN_FILE="$tf" -DMUSLXB_STATIC=ON
	x cmake --build mixed --verbose -- -j"$JOBS" >mixed.log 2>&1 || die_log mixed.log "projects/cmake: the build failed:"
	no_host_dirs mixed.log
	expect_run '^cmake c ok$' mixed/cmake_c
	expect_run '^cmake c\+\+ ok$' mixed/cmake_cxx
	expect_run '^cmake mixed ok 5$' mixed/cmake_mixed
	expect_run '^cmake mixed c-main ok$' mixed/cmake_mixed_cmain
	for b in cmake_c cmake_cxx cmake_mixed cmake_mixed_cmain; do assert_static "mixed/$b"; done
	cm_major=$(cmake --version | sed -n '1s/^cmake version \([0-9]*\).*/\1/p')
	[ "${cm_major:-0}" -lt 4 ] || guide+=(-DCMAKE_POLICY_VERSION_MINIMUM=3.5)
	x cmake -S "$here/projects/cmake-static-guide" -B guide -DCMAKE_TOOLCHAIN_FILE="$tf" -DMUSLXB_STATIC=ON "${guide[@]}"
	grep -h 'IMPLICIT_LINK_LIBRARIES' guide/CMakeFiles/*/CMake*Compiler.cmake || true
	x cmake --build guide --verbose -- -j"$JOBS" >guide.log 2>&1 || die_log guide.log "projects/cmake-static-guide: the build failed:"
	expect_run '^cmake static guide ok 6$' guide/guide_test
	assert_static guide/guide_test

	# without the switch: dynamic, the sysroot's shared zlib, the musl loader
	x cmake -S "$here/projects/toolchain-files" -B dyn -DCMAKE_TOOLCHAIN_FILE="$tf" >dyn-configure.log 2>&1 ||
		die_log dyn-configure.log "cmake configure (dynamic) failed:"
	(cmake_found dyn/found.txt dynamic) || exit 1
	x cmake --build dyn --verbose --target tf_c tf_cxx -- -j"$JOBS" >dyn.log 2>&1 || die_log dyn.log "the dynamic build failed:"
	no_host_dirs dyn.log
	for b in tf_c tf_cxx; do
		"$READELF" -lW "dyn/$b" | grep -F "[Requesting program interpreter: /lib/$LDSO]" >/dev/null ||
			die "dyn/$b: interpreter is not /lib/$LDSO"
		needed "dyn/$b" | grep -x 'libz.so.1' >/dev/null || die "dyn/$b: NEEDED $(needed "dyn/$b" | tr '\n' ' '), want libz.so.1"
	done
	expect_run "^toolchain-files c ok header $zv library $zv\$" "$SYSROOT/lib/$LDSO" --library-path "$SYSROOT/lib" dyn/tf_c
	expect_run "^toolchain-files c\+\+ ok header $zv library $zv\$" "$SYSROOT/lib/$LDSO" --library-path "$SYSROOT/lib" dyn/tf_cxx
}

# 22. bin/TARGET-meson-cross: the cross file it prints (for where the
# toolchain is now) is all a project needs; --static: static executables
check_meson_cross_file() {
	need meson ninja
	local gen=$TC/bin/$TARGET-meson-cross zv t
	[ -x "$gen" ] || die "no $gen"
	if grep -F -e "$TC" -e "$TC_REAL" "$gen"; then die "$gen names the toolchain's location"; fi
	zv=$(zlib_version "$SYSROOT/include/zlib.h")
	echo "+ $gen --static >cross.ini"
	"$gen" --static >cross.ini
	cat cross.ini
	t=$(sed -n "s/^toolchain = '\(.*\)'\$/\1/p" cross.ini)
	[ "$(realpath -m "$t")" = "$(realpath "$TC")" ] || die "the cross file's toolchain is '$t', not $TC"
	x meson setup --cross-file cross.ini -Dbuildtype=release build "$here/projects/toolchain-files" >setup.log 2>&1 ||
		die_log setup.log "meson setup failed (more in build/meson-logs/meson-log.txt):"
	cat setup.log
	grep -F "Run-time dependency zlib found: YES $zv" setup.log >/dev/null ||
		die "zlib $zv (the sysroot's) was not found through pkg-config:" "$(grep -i zlib setup.log | head -n 5)"
	grep -F "zlib.h ZLIB_VERSION: \"$zv\"" setup.log >/dev/null || die "the compiler does not see the sysroot's zlib.h ($zv)"
	t=$(sed -n 's/.*zlib pkg-config libdir: //p' setup.log)
	inside "$SYSROOT" "$t" || die "pkg-config's libdir for zlib is '$t', not in the sysroot"
	t=$(sed -n 's/^Found pkg-config: \(.*\) (.*/\1/p; s/^Found pkg-config: YES (\(.*\)).*/\1/p' build/meson-logs/meson-log.txt | head -n 1)
	echo "pkg-config: $t"
	case $t in *"$TARGET-pkg-config"*) ;; *) die "meson used pkg-config '$t', not $TARGET-pkg-config" ;; esac
	x ninja -C build -j "$JOBS" -v >ninja.log 2>&1 || die_log ninja.log "ninja failed:"
	cat ninja.log
	no_host_dirs ninja.log
	expect_run "^toolchain-files c ok header $zv library $zv\$" build/tf_c
	expect_run "^toolchain-files c\+\+ ok header $zv library $zv\$" build/tf_cxx
	assert_static build/tf_c
	assert_static build/tf_cxx
	# the meson check's project with the same cross file and nothing else
	x meson setup --cross-file cross.ini -Dbuildtype=release mproj "$here/projects/meson" >mproj.log 2>&1 ||
		die_log mproj.log "projects/meson: meson setup failed:"
	x ninja -C mproj -j "$JOBS" -v >mproj-ninja.log 2>&1 || die_log mproj-ninja.log "projects/meson: ninja failed:"
	[ -f mproj/libmutil.a ] || die "--static: projects/meson did not build libmutil.a (default_library)"
	expect_run '^meson c ok crc=3610a686$' mproj/meson_c
	expect_run '^meson c\+\+ ok$' mproj/meson_cpp
	assert_static mproj/meson_c
	assert_static mproj/meson_cpp
	# without --static: dynamic; given through a pipe (meson keeps a copy)
	x meson setup --cross-file <("$gen") -Dbuildtype=release dyn "$here/projects/toolchain-files" >dyn-setup.log 2>&1 ||
		die_log dyn-setup.log "meson setup (dynamic, cross file from a pipe) failed:"
	x ninja -C dyn -j "$JOBS" -v >dyn-ninja.log 2>&1 || die_log dyn-ninja.log "ninja (dynamic) failed:"
	no_host_dirs dyn-ninja.log
	"$READELF" -lW dyn/tf_c | grep -F "[Requesting program interpreter: /lib/$LDSO]" >/dev/null ||
		die "dyn/tf_c: interpreter is not /lib/$LDSO"
	needed dyn/tf_c | grep -x 'libz.so.1' >/dev/null || die "dyn/tf_c: NEEDED $(needed dyn/tf_c | tr '\n' ' '), want libz.so.1"
	expect_run "^toolchain-files c ok header $zv library $zv\$" "$SYSROOT/lib/$LDSO" --library-path "$SYSROOT/lib" dyn/tf_c
}

# 23. share/muslxb/env (sourced) and bin/TARGET-env (eval): the variables in
# every POSIX shell here; then building with nothing else
check_env_script() {
	local envf=$TC/share/muslxb/env envp=$TC/bin/$TARGET-env tcb rust ru rl sh name v want got
	local tested="" shells=(sh dash bash zsh ksh mksh "busybox sh")
	[ -f "$envf" ] || die "no $envf"
	[ -x "$envp" ] || die "no $envp"
	if grep -F -e "$TC" -e "$TC_REAL" "$envf" "$envp"; then die "$envf or $envp names the toolchain's location"; fi
	tcb=$(realpath "$TC/bin")
	rust=$(rust_target)
	rl=$(printf '%s' "$rust" | tr -- '-.' '__')
	ru=$(printf '%s' "$rl" | tr '[:lower:]' '[:upper:]')
	echo "Rust target: $rust"
	cat >want.txt <<-EOF
		PATH=$tcb:/usr/bin:/bin
		CC=$tcb/$TARGET-gcc
		CXX=$tcb/$TARGET-g++
		AR=$tcb/$TARGET-ar
		RANLIB=$tcb/$TARGET-ranlib
		STRIP=$tcb/$TARGET-strip
		PKG_CONFIG=$tcb/$TARGET-pkg-config
		CARGO_TARGET_${ru}_LINKER=$tcb/$TARGET-gcc
		CARGO_TARGET_${ru}_RUSTFLAGS=-C link-self-contained=no
		CC_${rl}=$tcb/$TARGET-gcc
		CXX_${rl}=$tcb/$TARGET-g++
		AR_${rl}=$tcb/$TARGET-ar
		CGO_ENABLED=1
		GOOS=linux
	EOF
	# sourced twice (PATH gets the toolchain once), under set -eu
	for sh in "${shells[@]}"; do
		command -v "${sh%% *}" >/dev/null 2>&1 || continue
		[ "$sh" != "busybox sh" ] || busybox sh -c true 2>/dev/null || continue
		name=${sh%% *}
		# shellcheck disable=SC2086 # "busybox sh" is two words
		env -i HOME="$PWD" PATH=/usr/bin:/bin $sh -c 'set -eu; . "$1"; . "$1"; env' sh "$envf" >"env.$name" 2>&1 ||
			die "$sh: '. $envf' failed:" "$(tail -n 5 "env.$name")"
		tested="$tested $name"
	done
	env -i HOME="$PWD" PATH=/usr/bin:/bin sh -c 'eval "$("$1")"; eval "$("$1")"; env' sh "$envp" >env.eval 2>&1 ||
		die "sh: eval \"\$($envp)\" failed:" "$(tail -n 5 env.eval)"
	echo "sourced in:$tested; eval'd in sh"
	for f in env.*; do
		while IFS= read -r want; do
			v=${want%%=*}
			got=$(grep "^$v=" "$f") || got="$v unset"
			[ "$got" = "$want" ] || why "$f: $got, want $want"
		done <want.txt
	done
	[ ! -s "$WHY" ] || { : >"$DIED"; exit 1; }
	cat env.eval
	# by a relative path, and through a symbolic link, in sh
	(cd "$TC/share" && env -i PATH=/usr/bin:/bin sh -c '. ./muslxb/env && echo "$CC"') >rel.txt 2>&1 || true
	[ "$(cat rel.txt)" = "$tcb/$TARGET-gcc" ] || die "'cd $TC/share && . ./muslxb/env': $(cat rel.txt)"
	ln -s "$envf" env-link
	env -i PATH=/usr/bin:/bin sh -c '. ./env-link && echo "$CC"' >link.txt 2>&1 || true
	[ "$(cat link.txt)" = "$tcb/$TARGET-gcc" ] || die "'. ./env-link' (a link to $envf): $(cat link.txt)"

	# build with nothing but the environment: C and C++ with zlib through
	# PKG_CONFIG, a library made with AR and RANLIB, stripped with STRIP
	cp "$here/projects/toolchain-files/zprog.c" "$here/projects/toolchain-files/zprog.cpp" "$S/exc_lib.cpp" "$S/exc.h" .
	x env -i HOME="$PWD" PATH=/usr/bin:/bin sh -ec '. "$1"
		zv=$($PKG_CONFIG --modversion zlib)
		$CC -static -O2 $($PKG_CONFIG --cflags zlib) -o zc zprog.c $($PKG_CONFIG --libs --static zlib)
		$CXX -static -O2 -pthread $($PKG_CONFIG --cflags zlib) -o zcxx zprog.cpp $($PKG_CONFIG --libs --static zlib)
		$CXX -O2 -c -o exc_lib.o exc_lib.cpp
		$AR rc libexc.a exc_lib.o
		$RANLIB libexc.a
		$NM libexc.a | grep -q lib_throw
		$STRIP zc
		echo "$zv" >zv.txt' sh "$envf"
	expect_run "^toolchain-files c ok header $(cat zv.txt) library $(cat zv.txt)\$" ./zc
	expect_run "^toolchain-files c\+\+ ok header $(cat zv.txt) library $(cat zv.txt)\$" ./zcxx
	assert_static zc
	assert_static zcxx
	! "$READELF" -SW zc | grep -F '.symtab' >/dev/null || die "\$STRIP left a symbol table in zc"

	# Go: cgo with the environment's CC and CGO_ENABLED, linked static
	if command -v go >/dev/null 2>&1; then
		cp_project go-cgo proj
		mkdir -p gopath gocache
		(cd proj && x env -i HOME="$PWD" PATH="/usr/bin:/bin:$(dirname "$(command -v go)")" \
			GOPATH="$OLDPWD/gopath" GOCACHE="$OLDPWD/gocache" GOPROXY=off GOTOOLCHAIN=local GOFLAGS= \
			sh -ec '. "$1"; go env CC CGO_ENABLED GOARCH; go build -ldflags "-linkmode external -extldflags -static" -o ../cgo-env .' \
			sh "$envf") >go-build.log 2>&1 || die_log go-build.log "go build with the environment failed:"
		cat go-build.log
		expect_run '^cgo ok 42 musl$' ./cgo-env
		assert_no_deps cgo-env
	else
		note "no go: the Go variables were only read, not used"
	fi

	# Rust: rustc's musl target linking with our gcc (-C link-self-contained=no) passes
	# -lunwind; it must resolve, to libgcc's unwinder, in a static link
	cat >uw.c <<'EOC'
#include <stdio.h>
#include <unwind.h>
static _Unwind_Reason_Code count(struct _Unwind_Context *c, void *n) { (void)c; ++*(int *)n; return _URC_NO_REASON; }
int main(void) { int n = 0; _Unwind_Backtrace(count, &n); printf("unwind ok %d\n", n > 0); return 0; }
EOC
	# (-funwind-tables: gcc's default on x86_64 and aarch64, not for 32-bit ARM's C; rustc
	# always emits them)
	x "$CC" -static -O2 -funwind-tables -o uw uw.c -Wl,--push-state,--no-as-needed -lunwind -Wl,--pop-state ||
		die "a static link with -lunwind (what rustc's musl target asks for) failed"
	expect_run '^unwind ok 1$' ./uw
	# Rust: cargo with the environment's linker, if the target's std is installed
	if command -v cargo >/dev/null 2>&1 && command -v rustc >/dev/null 2>&1 &&
		[ -d "$(rustc --print target-libdir --target "$rust" 2>/dev/null)" ]; then
		mkdir -p rs/src
		printf '[package]\nname = "tfhello"\nversion = "0.1.0"\nedition = "2021"\n' >rs/Cargo.toml
		printf 'fn main() { println!("rust ok {}", 6 * 7); }\n' >rs/src/main.rs
		(cd rs && x env -i HOME="$HOME" PATH="/usr/bin:/bin:$(dirname "$(command -v cargo)")" \
			${RUSTUP_HOME:+RUSTUP_HOME="$RUSTUP_HOME"} CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" \
			CARGO_TARGET_DIR="$OLDPWD/rs-target" \
			sh -ec '. "$1"; cargo build --offline --release -v --target "$2"' sh "$envf" "$rust") >cargo.log 2>&1 ||
			die_log cargo.log "cargo build --target $rust with the environment failed:"
		cat cargo.log
		grep -F -- "-C linker=$tcb/$TARGET-gcc" cargo.log >/dev/null ||
			die "cargo did not link with $tcb/$TARGET-gcc (CARGO_TARGET_${ru}_LINKER)"
		expect_run '^rust ok 42$' "rs-target/$rust/release/tfhello"
		assert_no_deps "rs-target/$rust/release/tfhello"
	else
		note "Rust's $rust target is not installed (rustup target add $rust): the Cargo variables were only read"
	fi
}

# the commands of docs/guides.md (GraalVM, Go, Rust, CMake, Meson, Autotools), each guide
# in an empty directory with only TC set (tests/toolchain/guides.sh)
check_guides() {
	[ "$TARGET" = x86_64-linux-musl ] || not_run "docs/guides.md is written for x86_64-linux-musl (GraalVM's native-image, Go and Rust as on that machine); not run for $TARGET"
	local rc
	bash "$here/guides.sh" "$TC" > guides.out 2>&1 && rc=0 || rc=$?
	cat guides.out
	grep '^NOT RUN' guides.out | while IFS= read -r l; do note "$l"; done
	[ "$rc" = 0 ] || die "a guide's commands failed:" "$(grep -A15 '^FAIL' guides.out | head -n 20)"
}


# 24. Rust for the target, std and all, through cargo with nothing but the
# files we ship. With the target's std installed (rustup), env-script builds
# a std program. Debian 12's rustc (1.63) has no std for musl and none can be
# downloaded here, so this check builds one offline: cargo's -Zbuild-std
# (RUSTC_BOOTSTRAP=1 on Debian's stable cargo) from Debian's rust-src, over
# Debian's packaged crates as crates.io. Debian's crates need three changes
# for that, made in a directory source of the check's own, never in /usr:
# compiler_builtins 0.1.70 stands in for the 0.1.73 std asks for; the
# rustc-dep-of-std features Debian's packaging cuts are put back in cfg-if
# 0.1 and hashbrown; crates std's workspace names only for other systems or
# for tests (dlmalloc, wasi, hermit-abi, fortanix-sgx-abi, getopts, rand) or
# for std's backtrace feature, which is not built (addr2line, object,
# miniz_oxide), are empty stand-ins. cargo then builds projects/rust-zlib (a
# thread, a caught panic, println!, and C calling zlib compiled by its build
# script with the cc crate) twice: with the sourced environment, and with
# cargo --config share/muslxb/cargo.toml alone. Each time rustc links with
# our gcc (-C link-self-contained=no: our musl and start files, -lunwind from
# the sysroot), the cc crate compiles with it, and the static program runs.
check_rust() {
	local envf=$TC/share/muslxb/env cfg=$TC/share/muslxb/cargo.toml rc=/usr/bin/rustc cargo=/usr/bin/cargo
	local rust lib reg=$PWD/reg d want tcb zv bin how srcf cfgargs lk cc
	rust=$(rust_target)
	tcb=$(realpath "$TC/bin")
	[ -f "$envf" ] || die "no $envf"
	[ -f "$cfg" ] || die "no $cfg"
	if grep -F -e "$TC" -e "$TC_REAL" "$cfg"; then die "$cfg names the toolchain's location"; fi
	[ -x "$rc" ] && [ -x "$cargo" ] || die "no $rc and $cargo (Debian: rustc cargo)"
	lib=$("$rc" --print sysroot)/lib/rustlib/src/rust/library
	[ -f "$lib/std/Cargo.toml" ] || die "no $lib/std (Debian: rust-src)"
	echo "rustc: $("$rc" --version); cargo: $("$cargo" --version); std's sources: $lib"
	# Debian's crates, as links, in a directory source of our own
	mkdir -p "$reg"
	for d in /usr/share/cargo/registry/*/; do ln -s "${d%/}" "$reg/"; done
	# own() NAME-VERSION: a copy of Debian's crate in place of the link, to change
	own() { rm "$reg/$1" && cp -R "/usr/share/cargo/registry/$1" "$reg/$1"; }
	# compiler_builtins at the version std's Cargo.toml asks for
	want=$(sed -n 's/^compiler_builtins = { *version = "\([0-9.]*\)".*/\1/p' "$lib/std/Cargo.toml")
	d=$(cd "$reg" && ls -d compiler_builtins-* 2>/dev/null | tail -n 1)
	[ -n "$want" ] && [ -n "$d" ] || die "no compiler_builtins in /usr/share/cargo/registry (Debian: librust-compiler-builtins-dev) or no version of it in $lib/std/Cargo.toml"
	if [ "$d" != "compiler_builtins-$want" ]; then
		own "$d"
		sed -i "0,/^version = /s/^version = .*/version = \"$want\"/" "$reg/$d/Cargo.toml"
		mv "$reg/$d" "$reg/compiler_builtins-$want"
	fi
	# cfg-if 0.1: Debian comments out the feature and its dependency
	d=$(cd "$reg" && ls -d cfg-if-0.1.* 2>/dev/null | tail -n 1)
	[ -n "$d" ] || die "no cfg-if 0.1 in /usr/share/cargo/registry (Debian: librust-cfg-if-0.1-dev)"
	own "$d"
	sed -i 's/^#\(\[dependencies.compiler_builtins\]\|version = "0.1.2"\|optional = true\|rustc-dep-of-std = \)/\1/' "$reg/$d/Cargo.toml"
	# hashbrown: Debian drops its dependency on alloc (rustc-std-workspace-alloc)
	d=$(cd "$reg" && ls -d hashbrown-* 2>/dev/null | tail -n 1)
	[ -n "$d" ] || die "no hashbrown in /usr/share/cargo/registry (Debian: librust-hashbrown-dev)"
	if ! grep -q '^\[dependencies.alloc\]' "$reg/$d/Cargo.toml"; then
		own "$d"
		sed -i -e 's/^\[dependencies.core\]$/[dependencies.alloc]\nversion = "1.0.0"\noptional = true\npackage = "rustc-std-workspace-alloc"\n\n&/' \
			-e '/^rustc-dep-of-std = \[$/a\    "alloc",' "$reg/$d/Cargo.toml"
	fi
	# empty stand-ins: NAME VERSION FEATURE...
	stub() {
		local s=$reg/$1-$2 f
		mkdir -p "$s/src" && : >"$s/src/lib.rs"
		{ printf '[package]\nname = "%s"\nversion = "%s"\nedition = "2018"\n[features]\n' "$1" "$2"
			shift 2; for f in "$@"; do printf '%s = []\n' "$f"; done; } >"$s/Cargo.toml"
		printf '{"package":"%s","files":{}}\n' "$(sha256sum <"$s/Cargo.toml" | cut -d' ' -f1)" >"$s/.cargo-checksum.json"
	}
	stub dlmalloc 0.2.3 rustc-dep-of-std
	stub fortanix-sgx-abi 0.3.2 rustc-dep-of-std
	stub hermit-abi 0.2.0 rustc-dep-of-std
	stub wasi 0.11.0 rustc-dep-of-std default
	stub getopts 0.2.21 rustc-dep-of-std
	stub rand 0.7.3
	stub addr2line 0.16.0 rustc-dep-of-std
	stub object 0.26.2 rustc-dep-of-std read_core elf macho pe unaligned archive
	stub miniz_oxide 0.4.4 rustc-dep-of-std
	# std's sources where -Zbuild-std looks, with an empty lock file (Debian's
	# rust-src has none): cargo's variable for another source root
	mkdir -p rsrc cargo-home
	ln -s "$lib" rsrc/library
	: >rsrc/Cargo.lock
	printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "%s"\n' "$reg" >cargo-home/config.toml
	cp_project rust-zlib rsz
	zv=$(zlib_version "$SYSROOT/include/zlib.h")
	[ -n "$zv" ] || die "no ZLIB_VERSION in $SYSROOT/include/zlib.h"
	bin=rsz-target/$rust/release/rzlib
	for how in env config; do
		# env: the environment sourced; config: nothing sourced, cargo --config
		case $how in
		env) srcf=$envf cfgargs=() ;;
		config) srcf=/dev/null cfgargs=(--config "$cfg") ;;
		esac
		# the program and its build script's output: cargo 1.65 does not run a build
		# script again when only a variable of cargo.toml's [env] changed
		rm -rf "$bin" "rsz-target/$rust/release/build/rzlib-"*
		(cd rsz && x env -i HOME="$PWD" PATH=/usr/bin:/bin RUSTC="$rc" RUSTC_BOOTSTRAP=1 \
			__CARGO_TESTS_ONLY_SRC_ROOT="$OLDPWD/rsrc" CARGO_HOME="$OLDPWD/cargo-home" \
			CARGO_TARGET_DIR="$OLDPWD/rsz-target" sh -ec '. "$1"; shift; exec "$@"' sh "$srcf" \
			"$cargo" "${cfgargs[@]}" build --offline --release -vv -Zbuild-std=std,panic_abort \
			-Zbuild-std-features=panic-unwind --target "$rust") >"cargo-$how.log" 2>&1 ||
			die_log "cargo-$how.log" "cargo build --target $rust with the $how failed:"
		tail -n 5 "cargo-$how.log"
		lk=$(grep -o -- "-C linker=[^ ]*" "cargo-$how.log" | tail -n 1)
		lk=${lk#-C linker=}
		[ -n "$lk" ] && [ "$(realpath "$lk")" = "$tcb/$TARGET-gcc" ] ||
			die "with the $how, cargo linked with '$lk', not $tcb/$TARGET-gcc"
		grep -F -- "-C linker=$lk" "cargo-$how.log" | grep -F -- "-C link-self-contained=no" >/dev/null ||
			die "with the $how, rustc linked without -C link-self-contained=no"
		cc=$(sed -n 's/^.*running: "\([^"]*gcc\)".*/\1/p' "cargo-$how.log" | tail -n 1)
		[ -n "$cc" ] && [ "$(realpath "$cc")" = "$tcb/$TARGET-gcc" ] ||
			die "with the $how, the cc crate compiled with '$cc', not $tcb/$TARGET-gcc"
		expect_run "^rust ok crc fa245d3f zlib $zv roundtrip 1 unwind true\$" "$bin"
		assert_no_deps "$bin"
		echo "with the $how: cargo linked with $lk, the cc crate compiled with $cc"
	done
	note "Rust: $("$rc" --version | cut -d' ' -f1-2) with std for $rust built from Debian's rust-src (cargo -Zbuild-std); a program with a thread, a caught panic and C calling zlib (cc crate) built by cargo with the environment and with share/muslxb/cargo.toml, linked by $TARGET-gcc, $("$READELF" -hW "$bin" | grep -q 'Type: *DYN' && echo static-pie || echo static), runs"
}

# ---------------------------------------------------------------- upstream projects
# Real projects, pinned in tests/toolchain/upstream/*.recipe (artifacts only) and
# fetched, verified and cached by bootstrap's own fetcher like the toolchain's
# sources; each check builds one with the shipped files only.

# upstream NAME DIR: NAME's pinned source, fetched into SOURCES if missing, unpacked into DIR
upstream() {
	local r=$here/upstream/$1.recipe src f strip
	local d=${SOURCES:-$(config_value SOURCES)}
	[ -x "$repo/bootstrap" ] || die "no $repo/bootstrap to fetch $1 with (make bootstrap)"
	f=$(sed -n 's/^artifact[[:space:]]*//p' "$r" | head -n 1)
	strip=$(sed -n 's/^[[:space:]]*strip[[:space:]]*//p' "$r" | head -n 1)
	x "$repo/bootstrap" -f /dev/null fetch RECIPES="$here/upstream" SOURCES="$d" TARGET="$TARGET" \
		PATCHES="$PATCHES_DIR" BUILD_DIR="$PWD/fetch" TOOLCHAIN_DIR="$PWD/none" >fetch.log 2>&1 ||
		die_log fetch.log "fetching the upstream projects into $d failed:"
	src=$d/$f
	[ -f "$src" ] || die "$src: not fetched"
	mkdir -p "$2"
	x tar -C "$2" --strip-components=1 -xf "$src"
	[ -d "$2" ] && [ -n "$strip" ] || die "$r: no strip"
}

# wrap_foreign FILE...: for a foreign target, each executable FILE becomes a
# script that runs it (moved to FILE.bin) under qemu with its own name as
# argv[0]: for test harnesses that run the programs they built by name, with
# no emulator hook of their own. Nothing for a target this machine runs.
wrap_foreign() {
	local f
	[ ${#RUN[@]} != 0 ] || return 0
	for f; do
		mv "$f" "$f.bin" || die "cannot move $f"
		printf '#!/bin/sh\nexec %s -0 "$0" "%s" "$@"\n' "${RUN[*]}" "$(realpath "$f.bin")" >"$f"
		chmod +x "$f"
	done
	echo "under ${RUN[*]}: $*"
}

# static_all DIR...: every ELF executable under DIR is static; prints how many
static_all() {
	local f n=0
	while IFS= read -r f; do
		case $(elf_type "$f" 2>/dev/null) in EXEC | DYN) ;; *) continue ;; esac
		[ "$(elf_type "$f")" = EXEC ] || has_interp "$f" || continue # a shared library
		assert_no_deps "$f"
		n=$((n + 1))
	done < <(find "$@" -type f -perm -u+x ! -name '*.so*' ! -name '*.la' ! -name '*.sh' ! -name '*.pl' ! -name '*.py')
	echo "$n"
}

# expat 2.5.0 (CMake, C and C++): its test programs runtests (C) and runtestspp
# (C++ linking C objects) under ctest; built twice: as the static C++ guide's
# users configure (compilers and -DCMAKE_EXE_LINKER_FLAGS=-static, nothing
# else: the mixed link that failed with -lgcc_s_asneeded), and with the
# toolchain file alone
check_upstream_cmake() {
	need cmake ctest
	local tf=$TC/share/muslxb/toolchain.cmake b n out
	local opts=(-DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TESTS=ON -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_EXAMPLES=ON -DCMAKE_BUILD_TYPE=Release)
	upstream expat src
	x cmake -S src/expat -B guide "${opts[@]}" -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
		-DCMAKE_EXE_LINKER_FLAGS=-static >guide-configure.log 2>&1 || die_log guide-configure.log "cmake (as the static guide says) failed:"
	x cmake -S src/expat -B tf "${opts[@]}" -DCMAKE_TOOLCHAIN_FILE="$tf" -DMUSLXB_STATIC=ON \
		>tf-configure.log 2>&1 || die_log tf-configure.log "cmake with the toolchain file failed:"
	for b in guide tf; do
		x cmake --build "$b" --verbose -- -j"$JOBS" >"$b-build.log" 2>&1 || die_log "$b-build.log" "$b: the build failed:"
		no_host_dirs "$b-build.log"
		for n in tests/runtests tests/runtestspp xmlwf/xmlwf examples/elements; do
			[ -f "$b/$n" ] || die "$b: no $n built"
			assert_static "$b/$n"
		done
		# ctest runs them through expat's tests/run.sh, which CMake's emulator does not reach
		wrap_foreign "$b/tests/runtests" "$b/tests/runtestspp"
		out=$(cd "$b" && ctest --output-on-failure -j"$JOBS" 2>&1) || die "$b: ctest failed:" "$(printf '%s\n' "$out" | tail -n 20)"
		printf '%s\n' "$out"
		printf '%s\n' "$out" | grep -E '^100% tests passed, 0 tests failed out of [1-9]' >/dev/null || die "$b: ctest did not pass every test"
		note "expat $b: ctest $(printf '%s\n' "$out" | sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p') of them passed; runtests $("$b/tests/runtests" 2>&1 | sed -n 's/.*Checks: \([0-9]*\), Failed: 0.*/\1 checks/p' | tail -n 1), runtestspp $("$b/tests/runtestspp" 2>&1 | sed -n 's/.*Checks: \([0-9]*\), Failed: 0.*/\1 checks/p' | tail -n 1)${RUN:+, under ${RUN[*]}}"
	done
	printf '<doc>\n<dirname>x</dirname>\n</doc>\n' >doc.xml
	expect_run '^$' guide/xmlwf/xmlwf doc.xml
	out=$("${RUN[@]}" guide/examples/elements <doc.xml)
	printf '%s\n' "$out"
	[ "$(printf '%s\n' "$out" | tr -d '\t' | tr '\n' ' ')" = "doc dirname " ] || die "expat's elements example printed '$out'"
}

# GNU FriBidi 1.0.8 (Meson): the cross file of bin/TARGET-meson-cross --static,
# and its own tests (meson test)
check_upstream_meson() {
	need meson ninja
	local out n
	upstream fribidi src
	"$TC/bin/$TARGET-meson-cross" --static >cross.ini
	local wrapper=()
	if [ ${#RUN[@]} != 0 ]; then
		# a foreign target's tests run under qemu: Meson's exe_wrapper (docs/build-systems.md)
		printf "[binaries]\nexe_wrapper = [%s]\n" "$(printf "'%s', " "${RUN[@]}" | sed 's/, $//')" >wrapper.ini
		cat wrapper.ini
		wrapper=(--cross-file wrapper.ini)
	fi
	x meson setup --cross-file cross.ini "${wrapper[@]}" -Ddocs=false -Dbuildtype=release build src >setup.log 2>&1 ||
		die_log setup.log "meson setup failed (more in build/meson-logs/meson-log.txt):"
	x ninja -C build -j "$JOBS" -v >ninja.log 2>&1 || die_log ninja.log "ninja failed:"
	no_host_dirs ninja.log
	assert_static build/bin/fribidi
	# its test runner (a Python script, which the exe_wrapper does not reach) runs fribidi
	wrap_foreign build/bin/fribidi
	out=$(meson test -C build --num-processes "$JOBS" 2>&1) || die "meson test failed:" "$(printf '%s\n' "$out" | tail -n 25)"
	printf '%s\n' "$out"
	n=$(printf '%s\n' "$out" | sed -n 's/^Ok: *\([0-9]*\).*/\1/p')
	[ "${n:-0}" -gt 0 ] || die "meson test ran no test"
	printf '%s\n' "$out" | grep -E '^Fail: *0 *$' >/dev/null || die "meson test: a test failed"
	note "fribidi: meson test: $n passed, 0 failed"
	# build/gen.tab holds generators meson builds for the build machine (native: true)
	n=$(static_all build/bin build/test)
	note "fribidi: $n executables (bin/, test/), all static"
}

# curl 7.88.1 (Autotools): --host and the environment script only; zlib found
# through TARGET-pkg-config, which configure takes from the environment script (PKG_CONFIG);
# make check with a part of its test suite (its test servers are built by the
# toolchain too)
# (test 20 is left out: it asks the network's DNS about a name on the internet and
# expects curl's "could not resolve" exit; the CI machines have no internet)
check_upstream_autotools() {
	need perl
	local envf=$TC/share/muslxb/env out n tests="1 to 80 !20"
	upstream curl src
	cd src
	# shellcheck disable=SC1090 # the toolchain's environment script
	. "$envf"
	x ./configure --host="$TARGET" --prefix="$PWD/inst" --disable-shared --enable-static --without-ssl --without-libpsl \
		--without-brotli --without-zstd --without-libidn2 --without-nghttp2 --disable-ldap \
		--without-librtmp --without-libssh2 LDFLAGS=-static >configure.log 2>&1 ||
		die_log configure.log "configure failed (more in src/config.log):"
	grep -E 'pkg-config|zlib|ZLIB' configure.log
	# curl's configure takes PKG_CONFIG from the environment script as it is
	[ "$PKG_CONFIG" = "$TC/bin/$TARGET-pkg-config" ] || die "the environment script set PKG_CONFIG='$PKG_CONFIG'"
	grep -E '^checking for zlib options with pkg-config\.\.\. found' configure.log >/dev/null ||
		die "configure did not find zlib through pkg-config:" "$(grep -i zlib configure.log | head -n 5)"
	grep -Ei '^ *zlib: *enabled' configure.log >/dev/null || die "curl was configured without zlib:" "$(grep -i 'zlib' configure.log | head -n 5)"
	# libtool passes -static on only for its own libraries; -all-static links programs fully static
	x make -j"$JOBS" V=1 LDFLAGS=-all-static >make.log 2>&1 || die_log make.log "make failed:"
	no_host_dirs make.log
	assert_static src/curl
	expect_run ' zlib/1' src/curl --version
	# tests 1 to 80 exercise the curl tool against the test servers: build those
	# (tests/server) and run curl's runtests.pl on them, not all of make test,
	# which first builds some 200 libtest programs these tests do not use
	x make -C tests/server -j"$JOBS" LDFLAGS=-all-static >server.log 2>&1 || die_log server.log "make -C tests/server failed:"
	# runtests.pl runs curl and its test servers by name: under qemu for a foreign target
	[ ${#RUN[@]} = 0 ] || wrap_foreign src/curl $(find tests/server -maxdepth 1 -type f -perm -u+x -exec sh -c \
		'for f; do case $(file -b "$f") in ELF*) echo "$f";; esac; done' sh {} +)
	# shellcheck disable=SC2086 # $tests: runtests.pl's own words
	# -n: not under valgrind, which runtests.pl uses when it finds one (Debian's cannot run
	# an i686 program: every test died with SIGILL)
	out=$(cd tests && perl ./runtests.pl -a -n $tests 2>&1) && n=0 || n=$?
	printf '%s\n' "$out" | tail -n 40
	[ "$n" = 0 ] || die "runtests.pl exited with $n:" "$(printf '%s\n' "$out" | grep -E 'FAILED|TESTFAIL|TESTDONE|rror' | head -n 10)" "$(printf '%s\n' "$out" | tail -n 8)"
	n=$(printf '%s\n' "$out" | sed -n 's/^TESTDONE: \([0-9]*\) tests out of \([0-9]*\) reported OK.*/\1 of \2/p' | tail -n 1)
	[ -n "$n" ] || die "runtests.pl printed no TESTDONE line"
	note "curl: runtests.pl '$tests': $n tests OK${RUN:+ (curl and its test servers under ${RUN[*]})}; curl --version: $(src/curl --version | head -n 1 | cut -c1-80)"
	n=$(static_all src tests/server)
	note "curl: $n executables, all without an interpreter or NEEDED"
}

# ---------------------------------------------------------------- driver

# not_run WHY: the check cannot run for this target; counted apart, never as passed
not_run() { why "$@"; : >"$NOTRUN"; exit 0; }

passed=0 failed=0 notrun=0
selected() {
	case $1 in
	relocation) [ "$relocation" = 1 ] || return 1 ;;
	cve) [ -f "$here/cve/run.sh" ] || return 1 ;;
	esac
	[ -z "$only" ] && return 0
	case ",$only," in *",$1,"*) return 0 ;; esac
	return 1
}

run_check() {
	local name=$1 dir=$work/$1 log=$work/logs/$1.log rc
	mkdir -p "$dir/tmp"
	(
		cd "$dir" || exit 1
		WHY=$dir/.why NOTES=$dir/.notes DIED=$dir/.died NOTRUN=$dir/.notrun LOG=$log
		TMPDIR=$dir/tmp
		export TMPDIR
		set -eE -o pipefail
		# (x already said which command failed)
		trap 'rc=$?; case $BASH_COMMAND in return*) ;; *) echo "command failed (status $rc): $BASH_COMMAND" ;; esac' ERR
		"check_${name//-/_}"
	) >"$log" 2>&1 </dev/null
	rc=$?
	if [ $rc = 0 ] && [ -e "$dir/.notrun" ]; then
		echo "NOT RUN $name"
		sed 's/^/    /' "$dir/.why"
		notrun=$((notrun + 1))
	elif [ $rc = 0 ]; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		failed=$((failed + 1))
		if [ "${VERBOSE:-0}" = 1 ]; then
			sed 's/^/    /' "$log"
		else
			[ -s "$dir/.why" ] && head -n 45 "$dir/.why" | sed 's/^/    /'
			# not a deliberate failure: an unexpected command failed
			[ -e "$dir/.died" ] || tail -n 12 "$log" | sed 's/^/    /'
		fi
	fi
	[ -s "$dir/.notes" ] && sed 's/^/    /' "$dir/.notes"
	# keep the logs, drop the build trees (relocation's copy is large)
	if [ "${KEEP:-0}" != 1 ]; then
		chmod -R u+w "$dir" 2>/dev/null
		rm -rf "$dir"
	fi
	return 0
}

for c in "${ALL_CHECKS[@]}"; do
	selected "$c" && run_check "$c"
done
if [ "$notrun" = 0 ]; then
	echo "$passed passed, $failed failed"
else
	echo "$passed passed, $failed failed, $notrun not run"
fi
[ "$failed" = 0 ]
