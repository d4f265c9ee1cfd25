#!/bin/bash
# make bench-cache: a team's shared compiler cache on the real toolchain
# (docs/cache.md). A redis server from Debian's package on a free loopback
# port is the team's remote. Build A, in a fresh build directory with an
# empty local cache, fills it; build B, in another fresh build directory with
# another empty local cache (a second machine), gets its objects from it.
# Prints each build's wall and CPU seconds and ccache's counts, B's hit rate
# on compiles and B's wall against A's. Then the fault case: gmp's build step
# (a host library, no toolchain needed) with a fresh local cache and the
# remote down (a closed port), then mute (a port that accepts and never
# answers), against the same step with no remote at all.
#   BENCH_DIR  where it all goes (default: a new /tmp/muslxb-cache.XXXXXX)
#   BENCH_STEPS  build only these steps (and what they run after), not the
#              whole toolchain: a quick run of the bench itself
#   FAULT_STEP the step of the fault case (default gmp:build)
# Arguments are NAME=VALUE overrides for bootstrap (JOBS=, SOURCES=, ...).
set -u
cd "$(dirname "$0")/../.." || exit 1
work=${BENCH_DIR:-$(mktemp -d /tmp/muslxb-cache.XXXXXX)}
mkdir -p "$work"
rm -rf "$work/a" "$work/b" "$work/fault"
command -v redis-server > /dev/null || { echo "bench-cache: redis-server is not installed"; exit 1; }
command -v ccache > /dev/null || { echo "bench-cache: ccache is not installed"; exit 1; }

. tests/ports.sh
wait_for_port() {
	port_listening "$1" 50 || { echo "bench-cache: nothing listens on 127.0.0.1:$1 after 5 s"; exit 1; }
}
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done' EXIT

port=$(free_port)
redis_start "$port" "$work" || { echo "bench-cache: redis-server did not start"; exit 1; }
wait_for_port "$port"
pids+=("$(cat "$work/redis.pid")")
remote=redis://127.0.0.1:$port

# one NAME [NAME=VALUE...]: a build in $work/NAME with its own empty local cache;
# leaves "wall user sys" in $work/NAME.time
one() {
	local name=$1
	shift
	mkdir -p "$work/$name/ccache"
	CCACHE_DIR=$work/$name/ccache /usr/bin/time -f '%e %U %S' -o "$work/$name.time" \
		./bootstrap build "$@" BUILD_DIR="$work/$name/build" HOST_BUILD_DIR="$work/$name/host-build" TOOLCHAIN_DIR="$work/$name/toolchain" \
		${BENCH_STEPS:-} > "$work/$name.log" 2>&1 || { tail -n 40 "$work/$name.log"; echo "bench-cache: build $name failed"; exit 1; }
}
# report NAME: build NAME's line; leaves its wall seconds, compile hits and misses
# in wall, hits and miss
report() {
	local user sys k v
	local -A c=()
	read -r wall user sys < "$work/$1.time"
	while read -r k v; do c[$k]=$v; done < <(CCACHE_DIR=$work/$1/ccache ccache --print-stats)
	hits=$(( c[direct_cache_hit] + c[preprocessed_cache_hit] ))
	miss=${c[cache_miss]}
	printf 'build %s: wall %.0f s, CPU %.0f s; compiles: %d hits (%d from the remote), %d misses; %d stored in the remote\n' \
		"$1" "$wall" "$(echo "$user + $sys" | bc)" "$hits" "${c[remote_storage_hit]}" "$miss" \
		"${c[remote_storage_write]}"
}

./bootstrap fetch "$@" > "$work/fetch.log" 2>&1 || { cat "$work/fetch.log"; exit 1; }
echo "bench-cache: remote $remote (redis-server $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p'))"
one a "$@" CCACHE=1 CCACHE_REMOTE="$remote"
report a
wall_a=$wall
echo "remote after A: $(redis-cli -p "$port" dbsize) keys, $(redis-cli -p "$port" info memory | sed -n 's/^used_memory_human:\(.*\)\r*$/\1/p' | tr -d '\r')"
one b "$@" CCACHE=1 CCACHE_REMOTE="$remote"
report b
printf 'build B against A: hit rate %.1f%% of %d compiles, wall %.3f (%.0f / %.0f s)\n' \
	"$(echo "$hits * 100 / ($hits + $miss)" | bc -l)" "$((hits + miss))" \
	"$(echo "$wall / $wall_a" | bc -l)" "$wall" "$wall_a"
sums() { (cd "$work/$1/toolchain" && find bin -type f -print0 | sort -z | xargs -0 sha256sum); }
if [ ! -d "$work/a/toolchain/bin" ]; then
	echo "nothing installed (BENCH_STEPS): programs not compared"
elif sums_a=$(sums a) && [ "$sums_a" = "$(sums b)" ]; then
	echo "build B's programs in bin/ are the same bytes as A's ($(wc -l <<< "$sums_a") files)"
else
	echo "build B's programs in bin/ differ from A's:"
	diff <(sums a) <(sums b)
fi

# the fault case, on one host step: no remote, a remote that is down, one that is mute
fault() { # NAME [NAME=VALUE...]
	local name=$1 start end rc
	shift
	mkdir -p "$work/fault/$name/ccache"
	start=$(date +%s.%N)
	CCACHE_DIR=$work/fault/$name/ccache ./bootstrap build "$@" BUILD_DIR="$work/fault/$name/build" HOST_BUILD_DIR="$work/fault/$name/host-build" \
		TOOLCHAIN_DIR="$work/fault/$name/toolchain" "${FAULT_STEP:-gmp:build}" > "$work/fault/$name.log" 2>&1
	rc=$?
	end=$(date +%s.%N)
	printf '%s, %-12s exit %d, %.0f s, %s\n' "${FAULT_STEP:-gmp:build}" "$name:" "$rc" "$(echo "$end - $start" | bc)" \
		"$(grep -m1 -o 'CCACHE_REMOTE.*' "$work/fault/$name.log" || echo 'no warning')"
}
fault no-remote "$@" CCACHE=1
down=$(free_port)
fault remote-down "$@" CCACHE=1 CCACHE_REMOTE=redis://127.0.0.1:$down
mute=$(free_port)
mute_listener "$mute"
pids+=("$!")
wait_for_port "$mute"
fault remote-mute "$@" CCACHE=1 CCACHE_REMOTE=redis://127.0.0.1:$mute
