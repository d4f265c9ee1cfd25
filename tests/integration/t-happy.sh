#!/bin/bash
# Happy path: a build from an empty cache fetches the artifacts from the
# mirror, runs every step in dependency order and installs a working prefix.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
setup_standard
publish m1 "${FIXTURE_TARBALLS[@]}"
# Use $(VAR) references as the real config.mk does.
write_config 'TARGET ?= x86_64-linux-musl' \
	'TOOLCHAIN_DIR ?= $(HOME)/x-tools/$(TARGET)'

bs_ok build
prefix=$HOME/x-tools/x86_64-linux-musl

# Every step ran once, and each start has its done line.
for s in libgreet:source libgreet:configure libgreet:build libgreet:install \
	hello:source hello:configure hello:build hello:install \
	paraa:source paraa:build parab:install; do
	assert_out_has "^start $s\$"
	assert_out_has "^done $s \\([0-9.]+s\\)\$"
done
assert_out_lacks '^failed '
# the closing table gives each step's wall and CPU time, and their totals
assert_out_has '^step +time +cpu$'
assert_out_has '^hello:build +[0-9.]+s +[0-9]+s$'
assert_out_has '^total +[0-9.]+s +[0-9]+s$'
# hello:configure runs after libgreet (its last step, install).
first_hello=$(grep -n '^start hello:configure$' "$T/out" | cut -d: -f1)
libgreet_done=$(grep -n '^done libgreet:install ' "$T/out" | cut -d: -f1)
[ "$libgreet_done" -lt "$first_hello" ] ||
	fail "hello:configure started (line $first_hello) before libgreet:install was done (line $libgreet_done)"

# The prefix works: the patched library, its header, the program.
assert_exists "$prefix/include/greet.h"
assert_exists "$prefix/lib/libgreet.a"
assert_exists "$prefix/share/paraa/jobs.txt"
assert_exists "$prefix/share/parab/jobs.txt"
assert_hello "" "$prefix"

# The cache holds the verified artifacts; no partial download is left.
for f in "${FIXTURE_TARBALLS[@]}"; do
	assert_sha "$T/sources/$f" "$(tarball_sha "$f")"
	assert_missing "$T/sources/$f.part"
	assert_log_has "^200 \"GET /m1/$f "
done

# The documented build directory layout.
assert_exists "$T/build/logs/hello.build.log"
assert_exists "$T/build/state/hello.build"
assert_exists "$T/build/work/hello/src/hello.c"
