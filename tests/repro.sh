#!/bin/bash
# make check-repro: build the release twice from this checkout, in two fresh
# directories that differ in every way a rebuild may differ (BUILD_DIR,
# TOOLCHAIN_DIR, the SOURCES path, JOBS, umask, time of day), and compare
# the release files; build b is killed with SIGKILL in the middle of gcc's
# compiler step and run again. Same SHA256SUMS: pass. Otherwise it names every
# installed file that differs and shows how (diffoscope, when installed).
#   REPRO_DIR   where both builds go (default /tmp/muslxb-repro); kept
#   REPRO_JOBS  the two job counts (default "2 1")
#   REPRO_PARALLEL=1  run the two builds at the same time (sharing the cores)
#   REPRO_KILL  seconds into gcc's compiler step at which build b's bootstrap
#               is killed with SIGKILL, before it is run again to the end
#               (default 120; 0: not killed)
#   REPRO_RESUME=1  keep the two build directories of an earlier run and go
#               on from where they stopped (after fixing what failed); b is
#               still killed once in gcc:compiler if it was not yet
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
dir=${REPRO_DIR:-/tmp/muslxb-repro}
read -r jobs_a jobs_b <<< "${REPRO_JOBS:-2 1}"
kill_after=${REPRO_KILL:-120}
mkdir -p "$dir"
[ "${REPRO_RESUME:-0}" = 1 ] || rm -rf "$dir/a" "$dir/b"

one() { # NAME JOBS UMASK [KILL-SECONDS]
	local d=$dir/$1 pid waited=0
	mkdir -p "$d/sources"
	# the sources from the user's cache, copied: the SOURCES path differs too
	cp "${SOURCES:-$HOME/.cache/muslxb/sources}"/* "$d/sources/" 2>/dev/null
	echo "repro: build $1 (JOBS=$2, umask $3) in $d, from $(date -u +%H:%M:%S)"
	set -- "$1" "$2" "$3" "${4:-0}" "BUILD_DIR=$d/build" "HOST_BUILD_DIR=$d/host-build" "TOOLCHAIN_DIR=$d/x-tools/toolchain" \
		"SOURCES=$d/sources" "JOBS=$2" "DIST_DIR=$d/dist"
	if [ "$4" -gt 0 ] && [ ! -e "$d/killed" ]; then
		# killed outright in the middle of gcc's compiler step, then run again: the rerun
		# must not build on what the killed compilers left half-written
		(umask "$3" && exec ./bootstrap dist "${@:5}") > "$d/log.killed" 2>&1 &
		pid=$!
		until grep -q '^start gcc:compiler$' "$d/log.killed" 2>/dev/null; do
			kill -0 "$pid" 2>/dev/null || { echo "repro: build $1 ended before gcc:compiler started"; return 1; }
			sleep 2
		done
		while [ "$waited" -lt "$4" ] && kill -0 "$pid" 2>/dev/null; do sleep 1; waited=$((waited + 1)); done
		kill -KILL "$pid" 2>/dev/null && echo "repro: build $1 killed (SIGKILL) $4 s into gcc:compiler; running it again" &&
			: > "$d/killed"
		wait "$pid"
	fi
	(umask "$3" && ./bootstrap dist "${@:5}") > "$d/log" 2>&1
}
if [ "${REPRO_PARALLEL:-0}" = 1 ]; then
	one a "$jobs_a" 022 & pa=$!
	one b "$jobs_b" 077 "$kill_after" & pb=$!
	wait "$pa"; ra=$?
	wait "$pb"; rb=$?
	ok=$([ "$ra" = 0 ] && [ "$rb" = 0 ] && echo 1)
else
	ok=$(one a "$jobs_a" 022 >&2 && one b "$jobs_b" 077 "$kill_after" >&2 && echo 1)
fi
if [ "$ok" != 1 ]; then
	echo "repro: a build failed; see $dir/a/log and $dir/b/log"
	echo "0 passed, 1 failed"
	exit 1
fi
cat "$dir/a/dist/SHA256SUMS"
if cmp -s "$dir/a/dist/SHA256SUMS" "$dir/b/dist/SHA256SUMS"; then
	echo "repro: the two builds gave the same release files"
	echo "1 passed, 0 failed"
	exit 0
fi
echo "repro: the release files differ:"
diff "$dir/a/dist/SHA256SUMS" "$dir/b/dist/SHA256SUMS"
for x in a b; do
	rm -rf "$dir/$x/unpacked" && mkdir -p "$dir/$x/unpacked" &&
		tar -C "$dir/$x/unpacked" -xzf "$dir/$x/dist/"*.tgz
done
(cd "$dir/a/unpacked" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$dir/a.sums"
(cd "$dir/b/unpacked" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$dir/b.sums"
diff "$dir/a.sums" "$dir/b.sums" | sed -n 's/^< [0-9a-f]*  //p' > "$dir/differ"
echo "repro: $(wc -l < "$dir/differ") of $(wc -l < "$dir/a.sums") files differ:"
cat "$dir/differ"
if command -v diffoscope > /dev/null; then
	while read -r f; do
		diffoscope --max-report-size 20000 "$dir/a/unpacked/$f" "$dir/b/unpacked/$f" | head -n 40
	done < "$dir/differ"
else
	echo "repro: install diffoscope to see how they differ"
fi
echo "0 passed, 1 failed"
exit 1
