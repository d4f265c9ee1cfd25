#!/bin/bash
# JOBS is one budget shared by all steps through the make jobserver: with
# JOBS=2 two independent builds, each running make with many parallel
# targets, never run more than 2 jobs at once, and their steps overlap in
# time; with JOBS=1 at most 1 job runs at a time.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded paraa parab
jc=$T/jobcount
mkdir -p "$jc"
write_config "JOBS ?= 2" "JOBCOUNT_DIR ?= $jc"

t0=$(now)
bs_ok build
metric fixture-build-jobs2 "$(elapsed "$t0")s"
max=$(cat "$jc/max" 2>/dev/null || echo none)
metric jobs2-max "$max"
assert_eq 0 "$(cat "$jc/cur")" "jobs still counted as running"
[ "$max" != none ] || fail "no job recorded itself in $jc"
[ "$max" -le 2 ] || fail "with JOBS=2, $max jobs ran at once:
$(cat "$jc/events")"
[ "$max" -eq 2 ] || fail "with JOBS=2, never 2 jobs at once"
as=$(cat "$jc/paraa.start") ae=$(cat "$jc/paraa.end")
bs_=$(cat "$jc/parab.start") be=$(cat "$jc/parab.end")
lt "$as" "$be" && lt "$bs_" "$ae" ||
	fail "paraa:build ($as..$ae) and parab:build ($bs_..$be) did not overlap"
# Each build ran all its jobs.
for r in paraa parab; do
	assert_eq 6 "$(grep -c "+$r/" "$jc/events")" "jobs of $r"
done

# JOBS=1 from the command line, in a fresh build directory.
rm -f "$jc"/*
t0=$(now)
bs_ok build JOBS=1 "BUILD_DIR=$T/build1" "TOOLCHAIN_DIR=$T/prefix1"
metric fixture-build-jobs1 "$(elapsed "$t0")s"
max=$(cat "$jc/max" 2>/dev/null || echo none)
metric jobs1-max "$max"
assert_eq 1 "$max" "maximum number of jobs at once with JOBS=1"
assert_exists "$T/prefix1/share/paraa/jobs.txt"
