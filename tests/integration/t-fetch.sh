#!/bin/bash
# `bootstrap fetch` downloads and verifies every artifact the config selects
# into SOURCES and builds nothing; artifacts of other versions are not
# fetched; a second fetch downloads nothing.
. "$TESTS_DIR/lib.sh"

start_nginx
setup_standard
publish m1 libgreet-1.0.tar.gz hello-1.0.tar.gz paraa-1.0.tar.gz parab-1.0.tar.gz
# An artifact for another hello version, available nowhere: not selected.
cat >> "$T/recipes/hello.recipe" <<'R'

artifact hello-0.9.tar.gz
	version 0.9
	sha256 0000000000000000000000000000000000000000000000000000000000000000
R
write_config

bs_ok fetch
for f in libgreet-1.0.tar.gz hello-1.0.tar.gz paraa-1.0.tar.gz parab-1.0.tar.gz; do
	assert_sha "$T/sources/$f" "$(tarball_sha "$f")"
done
assert_log_lacks 'hello-0\.9'
assert_missing "$T/sources/hello-0.9.tar.gz"
assert_out_lacks '^start [a-z]+:[a-z]'
assert_missing "$T/prefix"
[ -z "$(ls -A "$T/build/state" 2>/dev/null)" ] || fail "fetch recorded steps: $(ls "$T/build/state")"
[ -z "$(ls -A "$T/build/work" 2>/dev/null)" ] || fail "fetch prepared sources: $(ls "$T/build/work")"

n=$(log_count)
bs_ok fetch
assert_eq "$n" "$(log_count)" "requests logged after a second fetch"

# The cache is enough for an offline build.
bs_ok build OFFLINE=1
got=$("$T/prefix/bin/hello") || fail "installed hello failed"
assert_eq "Greetings, world! (libgreet 1.0)" "$got" "output of the installed hello"
