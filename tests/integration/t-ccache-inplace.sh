#!/bin/bash
# CCACHE=1 and a compiler the build makes and runs where it made it, as gcc's
# build compiles its target libraries with its own xgcc (docs/cache.md): every
# make gets STAGE_CC_WRAPPER=ccache (gcc's top-level Makefile puts it in front
# of that compiler), and ccache's compiler check knows such a compiler by its
# contents, not its time stamp: a fresh BUILD_DIR, where it is made again with
# a new time, hits; a compiler with other contents misses.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1
command -v ccache > /dev/null || fail "ccache is not installed (make deps-test installs it)"

# $1: a line that makes the compiler's bytes differ
inplace_recipe() {
	cat > "$T/recipes/inplace.recipe" <<EOR
name inplace
version 1.0
step compiler
	run mkdir -p tools
	run printf '#!/bin/sh\n# $1\nexec gcc "\$@"\n' > tools/xgcc
	run chmod +x tools/xgcc
step lib
	run printf 'int greet(void) { return 42; }\n' > greet.c
	run printf 'greet.o: greet.c\n\t\$(STAGE_CC_WRAPPER) %s -O2 -c greet.c -o greet.o\n' "\$BUILD/tools/xgcc" > Makefile
	run make
	run mkdir -p "\$PREFIX/lib" && cp greet.o "\$PREFIX/lib/"
EOR
}
mkdir -p "$T/recipes"
inplace_recipe 'version one'
write_config 'CCACHE = 1'
stats() { ccache --print-stats | awk -v n="$1" '$1 == n { print $2 }'; }
hits() { echo $(( $(stats direct_cache_hit) + $(stats preprocessed_cache_hit) )); }
export CCACHE_DIR=$T/ccache
unset CCACHE_REMOTE_STORAGE CCACHE_PREFIX CCACHE_BASEDIR CCACHE_DISABLE CCACHE_RECACHE

bs_ok build
assert_exists "$T/prefix/lib/greet.o"
assert_eq 1 "$(stats cache_miss)" "cache misses of the first build (greet.c by tools/xgcc)"
assert_eq 0 "$(hits)" "cache hits of the first build"
assert_file_has "$T/build/logs/inplace.lib.log" '^[^ ]*/ccache [^ ]*/tools/xgcc -O2 -c greet.c'
ccache -z > /dev/null

# a fresh build directory: tools/xgcc is made again (a new time stamp, the same bytes)
sleep 1
bs_ok build "BUILD_DIR=$T/build2" "TOOLCHAIN_DIR=$T/prefix2"
assert_eq 1 "$(hits)" "cache hits in a fresh build directory"
assert_eq 0 "$(stats cache_miss)" "cache misses in a fresh build directory"
ccache -z > /dev/null

# the compiler's contents changed: the same source and flags miss
inplace_recipe 'version two'
bs_ok build "BUILD_DIR=$T/build3" "TOOLCHAIN_DIR=$T/prefix3"
assert_eq 1 "$(stats cache_miss)" "cache misses with a compiler of other contents"
assert_eq 0 "$(hits)" "cache hits with a compiler of other contents"

# without CCACHE, no wrapper: the compiler is called alone
bs_ok build "BUILD_DIR=$T/build4" "TOOLCHAIN_DIR=$T/prefix4" CCACHE=0
assert_exists "$T/prefix4/lib/greet.o"
assert_file_has "$T/build4/logs/inplace.lib.log" '^[^ ]*/tools/xgcc -O2 -c greet.c'
assert_file_lacks "$T/build4/logs/inplace.lib.log" '^[^ ]*/ccache '
