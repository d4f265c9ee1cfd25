#!/bin/bash
# Progress on a terminal: beside the steps running, how far each is (its log
# against the size its last run logged) and the time left (from the last
# run's step times); with only the recipes' typical costs (`cost`), a rough
# estimate, marked so. Off a terminal, one line per event and no status line.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1
command -v script > /dev/null || fail "no script(1) (util-linux) to give bootstrap a terminal"

setup_seeded
install_recipe_text slow <<'R'
name slow
version 1.0

step work
	cost 4
	run i=0; while [ $i -lt 20 ]; do echo "compiling object $i of 20"; i=$((i + 1)); sleep 0.2; done
R
write_config

# bootstrap on a terminal: script(1) gives it one; its output is in $T/tty.out
on_tty() {
	script -qfec "$(printf '%q ' "$BOOTSTRAP" "$@")" /dev/null > "$T/tty.out" 2>&1 < /dev/null
}

# first build: no earlier times, the recipe's cost: a rough estimate
on_tty build || fail "build on a terminal failed: $(tail -n 5 "$T/tty.out")"
tr '\r' '\n' < "$T/tty.out" > "$T/tty.lines"
grep -Eq 'slow:work [0-9]+%\?.*, about [0-9.ms]+ left \(rough\)' "$T/tty.lines" ||
	fail "no rough progress and estimate on the terminal: $(grep running "$T/tty.lines" | tail -n 3)"

# again, from the times and log size the first build recorded
rm -rf "$T/build/state/slow.work" "$T/prefix"
on_tty build || fail "second build on a terminal failed: $(tail -n 5 "$T/tty.out")"
tr '\r' '\n' < "$T/tty.out" > "$T/tty.lines"
grep -Eq 'slow:work [0-9]+%.*, [0-9.ms]+ left$' "$T/tty.lines" ||
	fail "no progress and estimate from the last run on the terminal: $(grep running "$T/tty.lines" | tail -n 3)"
# progress grows: a later status line shows more than an earlier one
pcts=$(sed -n 's/.*slow:work \([0-9]*\)%.*/\1/p' "$T/tty.lines" | tr '\n' ' ')
first=${pcts%% *} last=$(echo "$pcts" | awk '{ print $NF }')
[ "$last" -gt "$first" ] || fail "progress did not grow: $pcts"

# off a terminal: no status line
rm -rf "$T/build/state/slow.work" "$T/prefix"
bs_ok build
assert_out_lacks 'left'
assert_out_has '^start slow:work$'
