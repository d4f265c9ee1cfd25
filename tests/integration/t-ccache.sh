#!/bin/bash
# CCACHE=1 (docs/cache.md): every compile of the build runs through ccache.
# A fresh BUILD_DIR (and prefix) hits the cache the first build filled; a
# changed input (a patch) misses for what it changes and for nothing else.
# CCACHE_REMOTE: build A fills a real redis server on loopback, build B (a
# fresh build directory and an empty local cache: a second machine) gets its
# objects from it. A remote that is down or does not answer is left out with
# a warning, and the build goes on. DISTCC_HOSTS: the compiles go through a
# real distccd on loopback (its log shows them), with the same result.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1
command -v ccache > /dev/null || fail "ccache is not installed (make deps-test installs it)"
command -v redis-server > /dev/null || fail "redis-server is not installed"
command -v distccd > /dev/null || fail "distccd is not installed"

setup_seeded libgreet hello
write_config 'CCACHE = 1'
stats() { # stats NAME: the counter NAME of the cache in CCACHE_DIR
	ccache --print-stats | awk -v n="$1" '$1 == n { print $2 }'
}
hits() { echo $(( $(stats direct_cache_hit) + $(stats preprocessed_cache_hit) )); }
export CCACHE_DIR=$T/ccache-a
# nothing of the caller's ccache settings
unset CCACHE_REMOTE_STORAGE CCACHE_PREFIX CCACHE_BASEDIR CCACHE_DISABLE CCACHE_RECACHE

bs_ok build
assert_hello
# libgreet compiles greet.c (cached); hello compiles and links in one command (ccache
# passes a link through)
assert_eq 0 "$(hits)" "cache hits of the first build"
assert_eq 1 "$(stats cache_miss)" "cache misses of the first build (greet.c)"
assert_eq 1 "$(stats called_for_link)" "compiles that link (hello)"
ccache -z > /dev/null

# a fresh build directory and prefix: every compile hits
bs_ok build "BUILD_DIR=$T/build2" "TOOLCHAIN_DIR=$T/prefix2"
assert_hello "Greetings, world! (libgreet 1.0)" "$T/prefix2"
assert_eq 1 "$(hits)" "cache hits in a fresh build directory"
assert_eq 0 "$(stats cache_miss)" "cache misses in a fresh build directory"
ccache -z > /dev/null

# a changed patch: greet.c is compiled again (and its stale object is never used)
sed -i 's/^+#define GREET_WORD "Greetings"$/+#define GREET_WORD "Salutations"/' "$T/patches/libgreet-greeting.patch"
bs_ok build "BUILD_DIR=$T/build3" "TOOLCHAIN_DIR=$T/prefix3"
assert_hello "Salutations, world! (libgreet 1.0)" "$T/prefix3"
assert_eq 1 "$(stats cache_miss)" "cache misses after changing libgreet's patch"
assert_eq 0 "$(hits)" "cache hits after changing libgreet's patch"

# a shared remote: redis on a free port
port=$(free_port)
redis_start "$port" "$T" || fail "redis-server did not start"
cleanup_add 'kill "$(cat "$T/redis.pid")" 2>/dev/null'
wait_for_port "$port"
export CCACHE_DIR=$T/ccache-machine1
bs_ok build "BUILD_DIR=$T/build4" "TOOLCHAIN_DIR=$T/prefix4" "CCACHE_REMOTE=redis://127.0.0.1:$port"
assert_eq 1 "$(stats cache_miss)" "cache misses of the build that fills the remote"
[ "$(redis-cli -p "$port" dbsize)" -gt 0 ] || fail "nothing was stored in the remote cache"
export CCACHE_DIR=$T/ccache-machine2
bs_ok build "BUILD_DIR=$T/build5" "TOOLCHAIN_DIR=$T/prefix5" "CCACHE_REMOTE=redis://127.0.0.1:$port"
assert_hello "Salutations, world! (libgreet 1.0)" "$T/prefix5"
assert_eq 1 "$(stats remote_storage_hit)" "remote hits of a second machine"
assert_eq 0 "$(stats cache_miss)" "cache misses of a second machine"

# a remote that is down, and one that accepts and never answers: left out, the build goes on
export CCACHE_DIR=$T/ccache-machine3
down=$(free_port)
bs_ok build "BUILD_DIR=$T/build6" "TOOLCHAIN_DIR=$T/prefix6" "CCACHE_REMOTE=redis://127.0.0.1:$down"
assert_err_has "CCACHE_REMOTE redis://127.0.0.1:$down: no answer within a second; this run uses the local cache only"
assert_hello "Salutations, world! (libgreet 1.0)" "$T/prefix6"
mute=$(free_port)
mute_listener "$mute"
mutepid=$!
cleanup_add "kill $mutepid 2>/dev/null"
wait_for_port "$mute"
start=$(date +%s)
bs_ok build "BUILD_DIR=$T/build7" "TOOLCHAIN_DIR=$T/prefix7" "CCACHE_REMOTE=redis://127.0.0.1:$mute"
assert_err_has "CCACHE_REMOTE redis://127.0.0.1:$mute: no answer within a second"
[ $(( $(date +%s) - start )) -lt 30 ] || fail "a remote that does not answer held the build up"

# distcc: the compiles go to a distccd on loopback
dport=$(free_port)
distccd --daemon --no-detach --listen 127.0.0.1 --port "$dport" --allow 127.0.0.1 --enable-tcp-insecure \
	--log-stderr --log-level info 2> "$T/distccd.log" &
dpid=$!
cleanup_add "kill $dpid 2>/dev/null; pkill -P $dpid 2>/dev/null"
wait_for_port "$dport"
export CCACHE_DIR=$T/ccache-distcc
bs_ok build "BUILD_DIR=$T/build8" "TOOLCHAIN_DIR=$T/prefix8" "DISTCC_HOSTS=127.0.0.1:$dport/2"
assert_hello "Salutations, world! (libgreet 1.0)" "$T/prefix8"
[ "$(grep -c 'COMPILE_OK' "$T/distccd.log")" = 1 ] ||
	fail "distccd did not compile greet.c: $(grep -E 'COMPILE|ERROR|WARN' "$T/distccd.log" | tail -n 5)"
cmp -s "$T/prefix3/bin/hello" "$T/prefix8/bin/hello" || fail "hello built through distcc differs from the local build"
