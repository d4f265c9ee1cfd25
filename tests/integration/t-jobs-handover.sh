#!/bin/bash
# Job slots belong to the run, not to a step: when one step ends, the slot it
# used goes to the makes of the steps still running. Here nap:sleep and
# paraa:build start together (both wait for nap:wait); nap:sleep takes
# bootstrap's own slot, paraa:build the token. Once nap:sleep ends, paraa's
# make must get to run 2 jobs at once with JOBS=2; an engine that keeps the
# freed slot to itself leaves it at 1.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded paraa
install_recipe_text nap <<'R'
name nap
version 1

step wait
	after paraa:configure
	run true

step sleep
	run sleep 0.5
R
# paraa:build also waits for nap:wait, so that both become ready at once
sed -i 's|^step build$|step build\n\tafter nap:wait|' "$T/recipes/paraa.recipe"
jc=$T/jobcount
mkdir -p "$jc"
write_config "JOBS ?= 2" "JOBCOUNT_DIR ?= $jc"

bs_ok build
max=$(cat "$jc/max" 2>/dev/null || echo none)
metric handover-max "$max"
[ "$max" = 2 ] || fail "after nap:sleep ended, paraa's make never ran 2 jobs at once (max $max); events:
$(cat "$jc/events")"
