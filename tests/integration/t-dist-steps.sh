#!/bin/bash
# Steps marked `only dist` (the release's host-static pass, docs/recipes.md):
# `bootstrap build` leaves them out and its keys do not change for them;
# `bootstrap dist` runs them and lays what they install into RELEASE_PREFIX
# over the toolchain, in TOOLCHAIN_DIR and the tarball; a later build installs
# the toolchain alone again. Misplaced dist steps are recipe errors.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
add_release_step 'mkdir -p "$RELEASE_PREFIX/bin"' \
	"printf '#!/bin/sh\\necho release hello\\n' > \"\$RELEASE_PREFIX/bin/hello\"" \
	'chmod +x "$RELEASE_PREFIX/bin/hello"' \
	'echo only in the release > "$RELEASE_PREFIX/release-only"'

bs_ok build
assert_out_lacks '^start hello:release'
assert_hello
assert_missing "$T/prefix/release-only"

bs_ok -n
assert_out_has '^nothing to do$'
bs_ok -n dist
assert_out_has '^hello:release: never built$'
bs_ok dist
assert_eq "hello:release" "$(started_steps)" "steps started by dist after build"
assert_eq "release hello" "$("$T/prefix/bin/hello")" "bin/hello after dist"
assert_exists "$T/prefix/release-only"
assert_exists "$T/prefix/include/greet.h"
tar -xzOf "$T/dist/x86_64-linux-musl-cross.tgz" x86_64-linux-musl-cross/release-only | grep -q 'only in the release' ||
	fail "the tarball lacks what the dist step installed"

# build again: nothing runs, the toolchain alone is installed
bs_ok build
assert_eq "" "$(started_steps)" "steps started by build after dist"
assert_out_has '^installed '
assert_hello
assert_missing "$T/prefix/release-only"

# a recipe all of whose steps are 'only dist' (mimalloc's shape): build neither
# prepares nor fetches its source, and the toolchain's SBOM does not name it; fetch
# takes it (so that dist can run offline from the cache), and dist builds it and
# names it in the release's SBOM
make_tarball para relonly-1.0 relonly-1.0.tar.gz
cat > "$T/recipes/relonly.recipe" <<EOR
name relonly
version 1.0
license MIT
artifact relonly-1.0.tar.gz
	sha256 $(tarball_sha relonly-1.0.tar.gz)
	strip relonly-1.0
step lib
	only dist
	run test -x "\$SRC/configure"
	run touch "\$RELEASE_PREFIX/relonly-built"
EOR
set_config OFFLINE 1
bs_ok build
assert_out_lacks 'relonly'
assert_file_lacks "$T/prefix/share/muslxb/sbom.spdx.json" 'relonly'
bs fetch
expect_rc 3 "OFFLINE=1 fetch with a dist-only artifact missing"
assert_err_has 'relonly-1.0.tar.gz'
seed_cache relonly-1.0.tar.gz
bs_ok fetch
bs_ok dist
assert_eq "relonly:lib relonly:source" "$(started_steps | tr '\n' ' ' | sed 's/ $//')" "steps started by dist for relonly"
assert_exists "$T/prefix/relonly-built"
assert_file_has "$T/prefix/share/muslxb/sbom.spdx.json" '"name": "relonly"'
rm "$T/recipes/relonly.recipe"
set_config OFFLINE 0

# recipe errors
cp "$T/recipes/hello.recipe" "$T/hello.good"
printf '\nstep after-release\n\trun true\n' >> "$T/recipes/hello.recipe"
bs check
expect_rc 2 "a toolchain step after a dist step"
assert_err_has "hello.recipe:[0-9]+: step 'after-release' follows step 'release', which is 'only dist'"
cp "$T/hello.good" "$T/recipes/hello.recipe"
sed -i 's/^\tonly dist$/\tonly release/' "$T/recipes/hello.recipe"
bs check
expect_rc 2 "only with another word"
assert_err_has "hello.recipe:[0-9]+: 'only' takes 'dist', found 'release'"
cp "$T/hello.good" "$T/recipes/hello.recipe"
printf '\nstep late\n\tafter hello:release\n\trun true\n' >> "$T/recipes/libgreet.recipe"
bs check
expect_rc 2 "a toolchain step after another recipe's dist step"
assert_err_has "libgreet.recipe:[0-9]+: 'hello:release' is 'only dist': a step of the toolchain cannot run after it"
