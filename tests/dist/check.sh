#!/usr/bin/env bash
# The release files as a user gets them (`make check-dist`, docs/release.md).
#
#   tests/dist/check.sh DIST_DIR
#
# 1. SHA256SUMS verifies and the tarball unpacks into one top folder
#    TARGET-cross/.
# 2. static-tools: every ELF executable outside the sysroot's libraries (the
#    drivers, cc1, cc1plus, collect2, lto-wrapper, the binutils, make) is
#    static: no program interpreter, no dynamic section. allocator: the
#    compiler's and the binutils' programs allocate with mimalloc.
# 3. empty-root: in a root holding only the unpacked toolchain, the test
#    sources and an empty /tmp (chroot; nothing of the host's /usr, /lib or
#    /bin), the toolchain compiles, links and runs a static C program, the
#    static C++ threads/async program and the zlib program.
# 4. sbom: TARGET-cross.spdx.json beside the tarball is the tarball's
#    share/muslxb/sbom.spdx.json, valid against the SPDX 2.3 JSON schema
#    (tests/sbom, checked by Debian's python3-jsonschema), and every sha256
#    it gives a package is one pinned in recipes/.
# 5. The whole of check-toolchain (tests/toolchain/run.sh) against the
#    unpacked tree, a path no build used.
#
#   tests/dist/check.sh --tools TREE
#
# runs 2 alone on a tree of static tools that is not (yet) a release: the
# RELEASE_PREFIX of a build of some of dist's steps (`make dist STEPS=...`,
# what CI builds of the static pass), every program of 2b that is there.
#
# Prints PASS/FAIL lines and ends with `N passed, N failed`. Needs root (or
# user namespaces, through unshare) for the chroot.
set -u
umask 022
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
TARGET=${TARGET:-x86_64-linux-musl}
top=$TARGET-cross
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; fail=$((fail + 1)); }

# static_tools TREE MIN: every ELF executable of TREE outside the sysroot's libraries is
# static, and there are at least MIN
static_tools() {
	local tc=$1 min=$2 n=0 dyn="" f readelf
	readelf=$(command -v "$tc/bin/$TARGET-readelf" readelf | head -n 1)
	while IFS= read -r -d '' f; do
		[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
		case ${f#"$tc"/} in "$TARGET"/lib/* | lib/gcc/*) continue ;; esac
		n=$((n + 1))
		if "$readelf" -lW "$f" | grep -q 'INTERP' || "$readelf" -dW "$f" | grep -q 'Dynamic section'; then
			dyn="$dyn ${f#"$tc"/}"
		fi
	done < <(find "$tc" -type f -perm -u+x -print0)
	if [ "$n" -lt "$min" ]; then
		bad static-tools "only $n executables found in $tc"
	elif [ -n "$dyn" ]; then
		bad static-tools "dynamic executables:$dyn"
	else
		ok "static-tools ($n executables, all static)"
	fi
}

# allocator TREE ALL: the compiler's and the binutils' main programs are linked with
# mimalloc (recipes/mimalloc.recipe), not musl's allocator: with MIMALLOC_SHOW_STATS=1 each
# prints mimalloc's statistics when it exits. ALL=1: all of them must be there; 0: those
# that are, at least one
allocator() {
	local tc=$1 all=$2 gccver p noalloc="" missing="" seen=""
	gccver=$(cd "$tc/libexec/gcc/$TARGET" 2>/dev/null && ls | head -n 1)
	for p in "bin/$TARGET-gcc" "bin/$TARGET-g++" "libexec/gcc/$TARGET/$gccver/cc1" \
		"libexec/gcc/$TARGET/$gccver/cc1plus" "libexec/gcc/$TARGET/$gccver/collect2" \
		"bin/$TARGET-as" "bin/$TARGET-ld" "bin/$TARGET-ar"; do
		if [ ! -x "$tc/$p" ]; then missing="$missing $p"; continue; fi
		seen="$seen ${p##*/}"
		MIMALLOC_SHOW_STATS=1 "$tc/$p" --version 2>&1 >/dev/null | grep -q '^ *heap stats:' || noalloc="$noalloc $p"
	done
	if [ -n "$noalloc" ]; then
		bad allocator "no mimalloc statistics (MIMALLOC_SHOW_STATS=1) from:$noalloc"
	elif [ -z "$seen" ] || { [ "$all" = 1 ] && [ -n "$missing" ]; }; then
		bad allocator "not in $tc:$missing"
	else
		ok "allocator (mimalloc in:$seen)"
	fi
}

if [ "${1:-}" = --tools ]; then
	tree=${2:?usage: tests/dist/check.sh --tools TREE}
	static_tools "$tree" 1
	allocator "$tree" 0
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi
dist=${1:?usage: tests/dist/check.sh DIST_DIR | --tools TREE}
work=$(mktemp -d "${TMPDIR:-/tmp}/muslxb-dist-check.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# 1. verify and unpack
mkdir "$work/unpacked"
if ! out=$(cd "$dist" && sha256sum -c SHA256SUMS 2>&1); then
	bad sha256sums "$out"
elif ! out=$(tar -C "$work/unpacked" -xzf "$dist/$top.tgz" 2>&1); then
	bad unpack "$out"
elif [ "$(ls -A "$work/unpacked")" != "$top" ]; then
	bad unpack "expected one top folder $top, found: $(ls -A "$work/unpacked" | tr '\n' ' ')"
else
	ok "sha256sums and unpack"
fi
tc=$work/unpacked/$top
[ -x "$tc/bin/$TARGET-gcc" ] || { echo "no $top/bin/$TARGET-gcc in $dist/$top.tgz"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }

# 2. static-tools, 2b. allocator
static_tools "$tc" 20
allocator "$tc" 1

# 3. empty-root
root=$work/root
mkdir -p "$root/tmp" "$root/src"
chmod 1777 "$root/tmp"
cp -a "$tc" "$root/tc"
cp "$repo/tests/toolchain/src/hello.c" "$repo/tests/toolchain/src/cxx_threads.cpp" \
	"$repo/tests/toolchain/src/zlib_roundtrip.c" "$root/src/"
chroot=$(PATH=$PATH:/usr/sbin:/sbin command -v chroot) || { echo "no chroot on this machine"; exit 2; }
if [ "$(id -u)" = 0 ]; then inroot() { env -i PATH=/tc/bin TMPDIR=/tmp "$chroot" "$root" "$@"; }
else inroot() { env -i PATH=/tc/bin TMPDIR=/tmp unshare -r "$chroot" "$root" "$@"; }
fi
what=$(cd "$root" && find . -maxdepth 1 -mindepth 1 | sort | tr '\n' ' ')
er() { # er NAME EXPECTED-OUTPUT-REGEX COMMAND...: compile in the root, run there, match
	local name=$1 want=$2 out
	shift 2
	if ! out=$(inroot "$@" 2>&1); then bad "empty-root $name" "compile failed in a root holding only: $what" "$out"; return; fi
	if ! out=$(inroot "/$name" 2>&1); then bad "empty-root $name" "/$name failed in the root" "$out"; return; fi
	if ! printf '%s\n' "$out" | grep -Eq "$want"; then bad "empty-root $name" "output does not match /$want/" "$out"; return; fi
	ok "empty-root $name"
}
er hello 'hello' "/tc/bin/$TARGET-gcc" -static -O2 -o /hello /src/hello.c
er cxx-threads '^cxx-threads ok 4999950000 ' "/tc/bin/$TARGET-g++" -static -pthread -O2 -o /cxx-threads /src/cxx_threads.cpp
er zlib '^zlib ok ' "/tc/bin/$TARGET-gcc" -static -O2 -o /zlib /src/zlib_roundtrip.c -lz

# 4. the SBOM
sbom=$dist/$top.spdx.json
if [ ! -f "$sbom" ]; then
	bad sbom "no $sbom"
elif ! cmp -s "$sbom" "$tc/share/muslxb/sbom.spdx.json"; then
	bad sbom "$sbom is not the tarball's share/muslxb/sbom.spdx.json"
elif ! out=$(python3 - "$repo/tests/sbom/spdx-schema-2.3.json" "$sbom" "$repo/recipes" 2>&1 <<'PY'
import glob, json, re, sys
import jsonschema
schema, doc = (json.load(open(f)) for f in sys.argv[1:3])
jsonschema.validate(doc, schema)
pinned = set()
for r in glob.glob(sys.argv[3] + "/*.recipe"):
    pinned.update(re.findall(r"^\s+sha256\s+([0-9a-f]{64})\s*$", open(r).read(), re.M))
used = [c["checksumValue"] for p in doc["packages"] for c in p.get("checksums", []) if c["algorithm"] == "SHA256"]
stray = [h for h in used if h not in pinned]
print(f"{len(doc['packages'])} packages, {len(doc.get('files', []))} files, "
      f"{len(doc.get('relationships', []))} relationships; {len(used)} package sha256s, all pinned in recipes/"
      if not stray else f"not pinned in recipes/: {stray}")
sys.exit(1 if stray or not used else 0)
PY
); then
	bad sbom "$out"
else
	ok "sbom ($out)"
fi

# 5. check-toolchain at this path
TARGET=$TARGET bash "$repo/tests/toolchain/run.sh" --no-install "$tc" > "$work/check.out" 2>&1
cat "$work/check.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/check.out" | tail -n 1)
if [ -z "$line" ]; then
	bad check-toolchain "no summary line"
else
	p=${line%% passed*} f=${line#*passed, }
	pass=$((pass + p)) fail=$((fail + ${f%% failed*}))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
