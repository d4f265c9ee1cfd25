#!/bin/bash
# A failing step: exit 5; stdout has `failed R:S (Ns)`; stderr names the step
# (`step R:S failed`), shows the last 30 lines of its log (lines 11 to 40 of
# 40) and the log's path; steps after it do not run; nothing is installed.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

install_recipe_text fail <<'R'
name fail
version 1.0

step build
	run i=1
	run while [ $i -le 40 ]; do echo "step output line $i end"; i=$((i + 1)); done
	run exit 1

step after
	run echo should not run
R
write_config

bs build
expect_rc 5 "build with a failing step"
assert_out_has '^failed fail:build \([0-9.]+s\)$'
assert_out_lacks '^start fail:after'
assert_err_has '^bootstrap: '
assert_err_has 'step fail:build failed'
assert_err_has 'step output line 40 end'
assert_err_has 'step output line 11 end'
assert_err_lacks 'step output line 10 end'
assert_err_lacks 'step output line 1 end'
n=$(grep -c 'step output line [0-9]* end' "$T/err")
assert_eq 30 "$n" "number of log lines shown on stderr"
assert_err_has 'log: '
log=$(sed -n 's/.*log: \([^ ]*\).*/\1/p' "$T/err" | tail -n1)
[ -n "$log" ] || fail "no log path after 'log: ' on stderr"
case $log in /*) ;; *) log=$T/$log ;; esac
assert_file_has "$log" '^step output line 1 end$'
assert_file_has "$log" '^step output line 40 end$'
assert_eq "$T/build/logs/fail.build.log" "$(cd "$(dirname "$log")" && pwd)/$(basename "$log")" "log path"
assert_missing "$T/prefix"

# The failed step is not recorded: it runs again (and fails again).
bs build
expect_rc 5 "second build with the failing step"
assert_out_has '^start fail:build$'
