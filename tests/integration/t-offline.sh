#!/bin/bash
# OFFLINE=1 with an empty cache: exit 3, one line per missing artifact with
# its file name and sha256, and no network access. With a partly filled
# cache only the missing ones are listed; with a full cache it builds.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
setup_standard
publish m1 "${FIXTURE_TARBALLS[@]}"
write_config "OFFLINE ?= 1"

bs build
expect_rc 3 "OFFLINE=1 build with an empty cache"
for f in "${FIXTURE_TARBALLS[@]}"; do
	sha=$(tarball_sha "$f")
	grep -F -- "$f" "$T/err" | grep -Fq -- "$sha" ||
		fail "no stderr line names $f with its sha256 $sha"
done
assert_eq 0 "$(log_count)" "requests made with OFFLINE=1"
assert_out_lacks '^start '
assert_missing "$T/prefix"

# Partly filled: only the missing are listed.
seed_cache libgreet-1.0.tar.gz paraa-1.0.tar.gz
bs fetch
expect_rc 3 "OFFLINE=1 fetch with two artifacts missing"
for f in hello-1.0.tar.gz parab-1.0.tar.gz; do
	grep -F -- "$f" "$T/err" | grep -Fq -- "$(tarball_sha "$f")" ||
		fail "no stderr line names $f with its sha256"
done
assert_err_lacks 'libgreet-1\.0\.tar\.gz'
assert_err_lacks 'paraa-1\.0\.tar\.gz'
assert_eq 0 "$(log_count)" "requests made with OFFLINE=1"

# The same from the command line (OFFLINE=1 overriding OFFLINE ?= 0).
set_config OFFLINE 0
bs build OFFLINE=1
expect_rc 3 "build OFFLINE=1 (command line) with two artifacts missing"
assert_eq 0 "$(log_count)" "requests made with OFFLINE=1 on the command line"

# All there: builds offline.
seed_cache hello-1.0.tar.gz parab-1.0.tar.gz
bs_ok build OFFLINE=1
assert_hello
assert_eq 0 "$(log_count)" "requests made with OFFLINE=1"
