#!/bin/bash
# Artifacts are verified before use:
#  a) the mirror serves wrong bytes: exit 3, the message names the file and
#     says `sha256 mismatch`, nothing is extracted, the bad bytes are not
#     cached under the artifact's name;
#  b) the cache holds wrong bytes and no source has the right ones: exit 3,
#     nothing extracted;
#  c) the cache holds wrong bytes and the mirror the right ones: the corrupt
#     file is moved aside (kept, not under the artifact's name), the artifact
#     is fetched again and the build succeeds.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
setup_standard libgreet hello
publish m1 libgreet-1.0.tar.gz
write_config

# The tampered artifact: hello's tarball with other bytes (a valid tarball
# of the same name, so only the hash can tell).
mkdir -p "$T/evil/hello-1.0"
echo 'int main(void) { return 66; } /* TAMPERED-MARKER */' > "$T/evil/hello-1.0/hello.c"
pack_dir "$T/evil" hello-1.0 "$T/tampered.tar.gz"
good=$(tarball_sha hello-1.0.tar.gz)
cp "$T/tampered.tar.gz" "$T/www/m1/hello-1.0.tar.gz"

# a) mirror serves wrong bytes.
bs build
expect_rc 3 "build with a tampered mirror copy"
assert_err_has 'hello-1\.0\.tar\.gz'
assert_err_has 'sha256 mismatch'
assert_err_has '^bootstrap: '
assert_log_has '^200 "GET /m1/hello-1\.0\.tar\.gz '
if [ -e "$T/sources/hello-1.0.tar.gz" ]; then
	assert_sha "$T/sources/hello-1.0.tar.gz" "$good"
fi
if [ -d "$T/build/work/hello/src" ] && [ -n "$(ls -A "$T/build/work/hello/src")" ]; then
	fail "hello's source was extracted from a tampered artifact: $(ls -A "$T/build/work/hello/src")"
fi
if grep -rlq TAMPERED-MARKER "$T/build" 2>/dev/null; then
	fail "tampered content was extracted: $(grep -rl TAMPERED-MARKER "$T/build")"
fi
assert_missing "$T/prefix"

# b) the cache holds wrong bytes, the mirror too.
cp "$T/tampered.tar.gz" "$T/sources/hello-1.0.tar.gz"
bs build
expect_rc 3 "build with a tampered cache and mirror"
assert_err_has 'hello-1\.0\.tar\.gz'
assert_err_has 'sha256 mismatch'
if grep -rlq TAMPERED-MARKER "$T/build" 2>/dev/null; then
	fail "tampered content was extracted: $(grep -rl TAMPERED-MARKER "$T/build")"
fi
assert_missing "$T/prefix"

# c) the cache holds wrong bytes, the mirror the right ones.
# (Remove whatever a) and b) moved aside, so what is found below is from c.)
tsha=$(sha256_of "$T/tampered.tar.gz")
while IFS= read -r -d '' f; do
	[ "$(sha256_of "$f")" = "$tsha" ] && rm -f "$f"
done < <(find "$T/sources" "$T/build" -type f -print0)
rm -f "$T"/sources/hello-1.0.tar.gz*
cp "$T/tampered.tar.gz" "$T/sources/hello-1.0.tar.gz"
publish m1 hello-1.0.tar.gz
n_before=$(log_count)
bs_ok build
assert_sha "$T/sources/hello-1.0.tar.gz" "$good"
tail -n +"$((n_before + 1))" "$ACCESS_LOG" | grep -q '^200 "GET /m1/hello-1\.0\.tar\.gz ' ||
	fail "the corrupt cached hello-1.0.tar.gz was not fetched again from the mirror"
assert_hello
# Moved aside, not deleted: the corrupt bytes are still somewhere in SOURCES
# or BUILD_DIR, under another name.
found=
while IFS= read -r -d '' f; do
	[ "$(sha256_of "$f")" = "$tsha" ] && found=$f
done < <(find "$T/sources" "$T/build" -type f -print0)
[ -n "$found" ] || fail "the corrupt cached file was not moved aside (no copy of its bytes in SOURCES or BUILD_DIR)"
note "corrupt file moved aside to ${found#"$T"/}"
