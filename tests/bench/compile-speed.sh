#!/usr/bin/env bash
# How fast the toolchains compile: the time each compiler takes on a fixed
# corpus, measured side by side (docs/toolchain.md, "Compile speed").
#
#   tests/bench/compile-speed.sh NAME=PREFIX[:TRIPLE] NAME=PREFIX[:TRIPLE] ...
#
# PREFIX holds bin/TRIPLE-gcc and bin/TRIPLE-g++ (TRIPLE: x86_64-linux-musl
# unless given). The first compiler is the baseline; every other one is timed
# against it in pairs: both compile at the same time, each pinned to its own
# core (taskset), then the cores are swapped; ROUNDS pairs of runs (default
# 5, so 10 runs of each), medians. Pairs cancel what drifts on these machines
# from one minute to the next; swapping cancels a difference between cores.
#
# Corpus:
#   sqlite3.c   SQLite's amalgamation (3.54.1, from the npm package
#               better-sqlite3 13.2.0, pinned by sha256), at -O2
#   cxx-heavy   tests/bench/cxx-heavy.cpp: much of the C++ standard library
#               and its templates, at -O2
# The npm package is fetched once into SOURCES (default
# ~/.cache/muslxb/sources) with `npm pack`, from the registry npm is set up
# with, and checked against its sha256.
#
# Prints one line per compiler and file, then "compile-speed: NAME/BASE FILE
# ratio=R" lines (R < 1: NAME is faster than the baseline).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ROUNDS=${ROUNDS:-5}
SOURCES=${SOURCES:-$HOME/.cache/muslxb/sources}
PKG=better-sqlite3-13.2.0.tgz
PKG_SHA256=40487589df3496f2ee0079d22b73c63fccebe7db0e8ee9a2c42421861e321e0b
SQLITE_SHA256=75a4760a7b9727a4c4c877aec92eacf39e52a8f2921ce00bd33be6d3a8e8e254
[ $# -ge 2 ] || { echo "usage: $0 NAME=PREFIX[:TRIPLE] NAME=PREFIX[:TRIPLE] ..." >&2; exit 2; }
[ "$(nproc)" -ge 2 ] || { echo "compile-speed: needs 2 cores (one per compiler)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/muslxb-cspeed.XXXXXX")
trap 'rm -rf "$work"' EXIT

# the corpus
if ! echo "$PKG_SHA256  $SOURCES/$PKG" | sha256sum -c --status 2>/dev/null; then
	mkdir -p "$SOURCES"
	(cd "$work" && npm pack --silent better-sqlite3@13.2.0 > /dev/null) ||
		{ echo "compile-speed: cannot fetch better-sqlite3 13.2.0 with npm pack" >&2; exit 1; }
	echo "$PKG_SHA256  $work/$PKG" | sha256sum -c --status ||
		{ echo "compile-speed: $PKG: sha256 is not $PKG_SHA256" >&2; exit 1; }
	mv "$work/$PKG" "$SOURCES/$PKG.tmp.$$" && mv "$SOURCES/$PKG.tmp.$$" "$SOURCES/$PKG"
fi
tar -xzf "$SOURCES/$PKG" -C "$work" package/deps/sqlite3/sqlite3.c
mv "$work/package/deps/sqlite3/sqlite3.c" "$work/sqlite3.c"
echo "$SQLITE_SHA256  $work/sqlite3.c" | sha256sum -c --status || { echo "compile-speed: sqlite3.c: bad sha256" >&2; exit 1; }
cp "$here/cxx-heavy.cpp" "$work/"

names=() ccs=() cxxs=()
for a in "$@"; do
	name=${a%%=*} rest=${a#*=}
	prefix=${rest%%:*} triple=x86_64-linux-musl
	[ "$rest" = "$prefix" ] || triple=${rest#*:}
	for t in gcc g++; do
		[ -x "$prefix/bin/$triple-$t" ] || { echo "compile-speed: no $prefix/bin/$triple-$t" >&2; exit 2; }
	done
	names+=("$name") ccs+=("$prefix/bin/$triple-gcc") cxxs+=("$prefix/bin/$triple-g++")
done

# one CPU FILE COMPILER: seconds (wall) of one compile pinned to CPU
one() {
	local t0 t1 out=$work/out.$1.o
	t0=$(date +%s.%N)
	taskset -c "$1" "$3" -O2 -w -c -o "$out" "$work/$2" || { echo "compile-speed: $3 failed on $2" >&2; return 1; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for file in sqlite3.c cxx-heavy.cpp; do
	for ((i = 1; i < ${#names[@]}; i++)); do
		if [ "$file" = sqlite3.c ]; then a=${ccs[0]} b=${ccs[i]}; else a=${cxxs[0]} b=${cxxs[i]}; fi
		# a warm-up pair, not counted (page cache, the compilers' first start)
		one 0 "$file" "$a" > /dev/null & one 1 "$file" "$b" > /dev/null; wait
		: > "$work/a" && : > "$work/b"
		for ((r = 0; r < ROUNDS; r++)); do
			one 0 "$file" "$a" >> "$work/a" & one 1 "$file" "$b" >> "$work/b"; wait
			one 1 "$file" "$a" >> "$work/a" & one 0 "$file" "$b" >> "$work/b"; wait
		done
		ma=$(median < "$work/a") mb=$(median < "$work/b")
		echo "compile-speed: $file ${names[0]} median ${ma}s ($(tr '\n' ' ' < "$work/a"))"
		echo "compile-speed: $file ${names[i]} median ${mb}s ($(tr '\n' ' ' < "$work/b"))"
		echo "compile-speed: ${names[i]}/${names[0]} $file ratio=$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", b / a }')"
	done
done
