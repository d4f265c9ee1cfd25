#!/bin/bash
# bootstrap dist: the installed tree as TARGET-cross.tgz and .tar.xz (one top
# folder, names sorted, owner 0, modes 0755/0644, every mtime the
# SOURCE_DATE_EPOCH), the SBOM beside them and SHA256SUMS. Two builds of the
# same inputs in other directories, with another JOBS and umask, give the
# same bytes; another SOURCE_DATE_EPOCH gives other bytes.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
write_config 'SOURCE_DATE_EPOCH = 1700000000' "DIST_DIR = $T/dist1"
bs_ok dist
top=x86_64-linux-musl-cross
for f in $top.tgz $top.tar.xz $top.spdx.json SHA256SUMS; do assert_exists "$T/dist1/$f"; done
(cd "$T/dist1" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the files beside it"
assert_eq 3 "$(wc -l < "$T/dist1/SHA256SUMS")" "lines in SHA256SUMS"

# The archive: every entry below the top folder, sorted, owned by 0:0, one mtime.
tar -tzvf "$T/dist1/$top.tgz" --numeric-owner --full-time > "$T/listing" || fail "tar cannot list the .tgz"
awk '{ print $6 }' "$T/listing" > "$T/names"
grep -v "^$top\(/\|\$\)" "$T/names" && fail "entries outside $top/"
LC_ALL=C sort -c "$T/names" 2>/dev/null || fail "archive entries are not sorted by name"
[ "$(awk '{print $2}' "$T/listing" | sort -u)" = "0/0" ] || fail "owners other than 0/0: $(awk '{print $2}' "$T/listing" | sort -u | tr '\n' ' ')"
[ "$(awk '{print $4 "T" $5}' "$T/listing" | sort -u)" = "$(date -u -d @1700000000 +%Y-%m-%dT%H:%M:%S)" ] ||
	fail "mtimes other than SOURCE_DATE_EPOCH: $(awk '{print $4, $5}' "$T/listing" | sort -u | head -3)"
modes=$(awk '$1 !~ /^l/ {print substr($1, 2)}' "$T/listing" | sort -u | tr '\n' ' ')
assert_eq "rw-r--r-- rwxr-xr-x " "$modes" "modes of files and directories"
grep -q " $top/bin/hello\$" "$T/listing" || fail "no $top/bin/hello in the archive"
mkdir "$T/unpacked" && tar -C "$T/unpacked" -xzf "$T/dist1/$top.tgz" || fail "cannot unpack"
assert_eq "Greetings, world! (libgreet 1.0)" "$("$T/unpacked/$top/bin/hello")" "hello from the unpacked archive"
xz -t "$T/dist1/$top.tar.xz" || fail ".tar.xz does not test"
[ "$(tar -tJf "$T/dist1/$top.tar.xz" | LC_ALL=C sort)" = "$(tar -tzf "$T/dist1/$top.tgz" | LC_ALL=C sort)" ] ||
	fail ".tar.xz and .tgz hold different names"

# Another build directory, prefix, SOURCES path, job count and umask: the same bytes.
mkdir -p "$T/sources2" && cp "$T"/sources/* "$T/sources2/"
(umask 077 && "$BOOTSTRAP" dist "BUILD_DIR=$T/build2" "TOOLCHAIN_DIR=$T/elsewhere/prefix2" \
	"SOURCES=$T/sources2" JOBS=1 "DIST_DIR=$T/dist2" > "$T/out" 2> "$T/err") || fail "second dist failed: $(cat "$T/err")"
if ! cmp -s "$T/dist1/SHA256SUMS" "$T/dist2/SHA256SUMS"; then
	diff "$T/dist1/SHA256SUMS" "$T/dist2/SHA256SUMS" >&2
	diff <(tar -tzvf "$T/dist1/$top.tgz") <(tar -tzvf "$T/dist2/$top.tgz") | head -20 >&2
	fail "a second build elsewhere gave other release files"
fi

# Another SOURCE_DATE_EPOCH: other archives, and nothing is rebuilt for it.
bs_ok dist SOURCE_DATE_EPOCH=1700000001 "DIST_DIR=$T/dist3"
assert_out_lacks '^start '
cmp -s "$T/dist1/$top.tgz" "$T/dist3/$top.tgz" && fail "SOURCE_DATE_EPOCH did not change the archive"
assert_out_has "^[0-9a-f]{64}  $top.tgz\$"
