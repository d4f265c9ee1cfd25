#!/bin/bash
# make bench: a cold toolchain build in a fresh build directory (sources from the
# cache), then a no-op rerun. Prints per-step wall and CPU seconds (bootstrap's
# own table; a step's CPU is what it and the processes it waited for used), the
# total wall and CPU seconds, the core-seconds left idle, peak disk use of the
# build directory, the prefix size and the no-op rerun time; then what `make
# dist` adds to it: its steps (the static tools, per step) and the packing,
# in time and CPU, and the files' sizes; last, how fast the compilers compile
# (tests/bench/compile-speed.sh): the release's static tools and the
# glibc-hosted ones of `make toolchain`, side by side with the reference
# builder's compiler when REFERENCE_OUT (default /tmp/reference-build/out,
# where ../shared/bench/reference-build.sh leaves it) holds one. Given
# REFERENCE_WALL and REFERENCE_CPU (that script's wall_s and cpu_s), it prints
# the cold build's ratios to them.
# Arguments are NAME=VALUE overrides for bootstrap.
set -u
cd "$(dirname "$0")/.." || exit 1
work=${BENCH_DIR:-$(mktemp -d /tmp/muslxb-bench.XXXXXX)}
mkdir -p "$work"
build=$work/build prefix=$work/toolchain
args=("$@" BUILD_DIR="$build" HOST_BUILD_DIR="$build-host" TOOLCHAIN_DIR="$prefix")
rm -rf "$build" "$build-host" "$prefix"

./bootstrap fetch "${args[@]}" > "$work/fetch.log" 2>&1 || { cat "$work/fetch.log"; exit 1; }

peak=0
# du walks the whole tree, so sample rarely (the tree only grows during a build)
# and at the lowest priority, so that it takes what the build leaves idle
( while :; do sleep 30; nice -n 19 du -sxk "$build" 2>/dev/null | cut -f1; done ) > "$work/disk.log" &
poller=$!
start=$(date +%s.%N)
/usr/bin/time -f '%e %U %S' -o "$work/time.out" ./bootstrap build "${args[@]}" > "$work/build.log" 2>&1
rc=$?
end=$(date +%s.%N)
kill $poller 2>/dev/null; wait $poller 2>/dev/null
du -sxk "$build" | cut -f1 >> "$work/disk.log"
peak=$(sort -n "$work/disk.log" | tail -n 1)
if [ $rc -ne 0 ]; then tail -n 60 "$work/build.log"; echo "bench: build failed ($rc)"; exit 1; fi

sed -n '/^step /,/^total /p' "$work/build.log"
read -r wall user sys < "$work/time.out"
noop_start=$(date +%s.%N)
./bootstrap build "${args[@]}" > "$work/noop.log" 2>&1
noop_end=$(date +%s.%N)
grep -q '^nothing to do' "$work/noop.log" || { echo "bench: the rerun was not a no-op"; cat "$work/noop.log"; }

printf 'cold build wall:     %.0f s\n' "$wall"
printf 'cold build CPU:      %.0f s (user %.0f + sys %.0f), %.0f%% of one core\n' \
	"$(echo "$user + $sys" | bc)" "$user" "$sys" "$(echo "($user + $sys) * 100 / $wall" | bc)"
cores=$(nproc)
printf 'idle while building: %.0f core-s of %d cores x %.0f s\n' \
	"$(echo "$cores * $wall - $user - $sys" | bc)" "$cores" "$wall"
printf 'peak build dir:      %.2f GB\n' "$(echo "$peak / 1048576" | bc -l)"
printf 'toolchain size:      %s MB\n' "$(du -sxm "$prefix" | cut -f1)"
printf 'no-op rerun:         %.3f s\n' "$(echo "$noop_end - $noop_start" | bc)"
# against the reference builder (../shared/bench/reference-build.sh, run right before
# or after this on the same machine): its "reference: ... wall_s=N cpu_s=N" figures
if [ -n "${REFERENCE_WALL:-}" ] && [ -n "${REFERENCE_CPU:-}" ]; then
	printf 'against the reference: wall %.3f (%.0f / %.0f s), CPU %.3f (%.0f / %.0f CPU-s)\n' \
		"$(echo "$wall / $REFERENCE_WALL" | bc -l)" "$wall" "$REFERENCE_WALL" \
		"$(echo "($user + $sys) / $REFERENCE_CPU" | bc -l)" "$(echo "$user + $sys" | bc)" "$REFERENCE_CPU"
fi
# make dist on the built tree: its own steps (the static tools), then the packing
/usr/bin/time -f '%e %U %S' -o "$work/dist.time" ./bootstrap dist "${args[@]}" DIST_DIR="$work/dist" \
	> "$work/dist.log" 2>&1 || { tail -n 60 "$work/dist.log"; echo "bench: dist failed"; exit 1; }
sed -n '/^step /,/^total /p' "$work/dist.log"
read -r dwall duser dsys < "$work/dist.time"
printf 'dist (steps + pack): %.0f s wall, %.0f CPU-s\n' "$dwall" "$(echo "$duser + $dsys" | bc)"
/usr/bin/time -f '%e %U %S' -o "$work/pack.time" ./bootstrap dist "${args[@]}" DIST_DIR="$work/dist2" \
	SOURCE_DATE_EPOCH=1 > "$work/pack.log" 2>&1 || { cat "$work/pack.log"; echo "bench: dist failed"; exit 1; }
read -r pwall puser psys < "$work/pack.time"
printf 'dist (pack only):    %.0f s wall, %.0f CPU-s\n' "$pwall" "$(echo "$puser + $psys" | bc)"
for f in "$work"/dist/*-cross.tgz "$work"/dist/*-cross.tar.xz; do
	printf 'dist file:           %s %s MB\n' "${f##*/}" "$(du -m "$f" | cut -f1)"
done
printf 'dist build dir:      %.2f GB (after dist)\n' "$(echo "$(du -sxk "$build" | cut -f1) / 1048576" | bc -l)"

# compile speed: the release (unpacked) and make toolchain's glibc-hosted tools
mkdir -p "$work/unpacked" && tar -C "$work/unpacked" -xzf "$work"/dist/*-cross.tgz
./bootstrap build "${args[@]}" > "$work/reinstall.log" 2>&1 || { cat "$work/reinstall.log"; exit 1; }
ref=${REFERENCE_OUT:-/tmp/reference-build/out}
set -- "dist=$(echo "$work"/unpacked/*-cross)" "glibc-hosted=$prefix"
[ -x "$ref/bin/x86_64-linux-musl-gcc" ] && set -- "reference=$ref" "$@"
[ -x "$ref/bin/x86_64-linux-musl-gcc" ] || echo "bench: no reference compiler in $ref (run ../shared/bench/reference-build.sh): dist against glibc-hosted only"
bash tests/bench/compile-speed.sh "$@"
echo "bench dir: $work"
