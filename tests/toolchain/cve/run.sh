#!/bin/sh
# Regression tests for the two musl 1.2.6 security fixes in patches/musl/:
#   CVE-2026-40200  qsort: pntz(), shl()/shr(), heap array bounds
#   CVE-2026-6042   iconv: GB18030 four-byte decoding
#
# Usage:
#   CC=x86_64-linux-musl-gcc MUSL_TARBALL=.../musl-1.2.6.tar.gz \
#   PATCHES=patches tests/toolchain/cve/run.sh
#
#   CC            the compiler under test (the toolchain's cross gcc; its
#                 programs are linked statically and run on this machine)
#   MUSL_TARBALL  the musl source tarball the toolchain's libc was built from
#   PATCHES       the patches directory (its musl/*.patch are applied)
#   MUSL_ARCH     musl's arch directory for CC's target (default x86_64)
#   CFLAGS        extra flags for both programs (optional)
#   RUNNER        how to run a program built for CC's target, split into
#                 words (empty: directly; a foreign target: qemu-ARCH -L SYSROOT)
#
# qsort: the bug cannot be reached through qsort() on a 64-bit target (it
# needs more heaps than a word has bits), so qsort-harness.c #includes
# musl's src/stdlib/qsort.c and calls its helpers directly, built with
# trapping shift/bounds sanitizers.  It is built twice: from the patched
# source (every check must pass) and from the unpatched one (each
# bug-specific check must fail, which shows the checks can fail).
# iconv: iconv-gb18030.c uses the public API against CC's own libc.
#
# Output: one line per check, "PASS name" or "FAIL name"; details go to
# stderr.  Exit status 0 when every check passed, 1 otherwise, 2 on a
# usage error.

# CC and CFLAGS are split into words on purpose.
# shellcheck disable=SC2086

set -u

here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${CC:-}" ] || [ -z "${MUSL_TARBALL:-}" ] || [ -z "${PATCHES:-}" ]; then
	echo "usage: CC=... MUSL_TARBALL=... PATCHES=... $0" >&2
	exit 2
fi
if [ ! -f "$MUSL_TARBALL" ]; then
	echo "$0: no such file: $MUSL_TARBALL" >&2
	exit 2
fi
if [ ! -d "$PATCHES/musl" ]; then
	echo "$0: no directory $PATCHES/musl" >&2
	exit 2
fi
MUSL_ARCH=${MUSL_ARCH:-x86_64}
CFLAGS=${CFLAGS:-}
PATCHES=$(cd "$PATCHES" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/cve-tests.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

failures=0
report() { # PASS|FAIL name
	echo "$1 $2"
	[ "$1" = PASS ] || failures=$((failures + 1))
}

# Checks of qsort-harness.c that exercise the bugs (all but "sorts").
bug_checks="pntz-high-word shl-full-word shr-full-word trinkle-far-heap
trinkle-bound sift-bound"

# --- sources: unpatched and patched musl -------------------------------
mkdir "$work/unfixed" "$work/fixed"
if ! tar -xf "$MUSL_TARBALL" -C "$work/unfixed" --strip-components=1; then
	report FAIL musl-source-extract
	exit 1
fi
cp -R "$work/unfixed/." "$work/fixed/"
applied=ok
for p in "$PATCHES"/musl/*.patch; do
	[ -f "$p" ] || continue
	if ! (cd "$work/fixed" && patch -p1 --forward --batch) \
	    <"$p" >"$work/patch.log" 2>&1; then
		cat "$work/patch.log" >&2
		echo "  cannot apply $p" >&2
		applied=
	fi
done
if [ -n "$applied" ]; then
	report PASS musl-patches-apply
else
	report FAIL musl-patches-apply
fi

# --- qsort harness ------------------------------------------------------
build_harness() { # tree output
	t=$1
	# compile with trapping sanitizers, link without them: no runtime
	# library is needed, so this works with a cross gcc for musl
	$CC $CFLAGS -O2 -w -fsanitize=shift,bounds \
		-fsanitize-undefined-trap-on-error \
		-iquote "$t/src/stdlib" -iquote "$t/src/internal" \
		-iquote "$t/arch/$MUSL_ARCH" -iquote "$t/arch/generic" \
		-c "$here/qsort-harness.c" -o "$2.o" &&
	$CC $CFLAGS -static "$2.o" -o "$2"
}

if build_harness "$work/fixed" "$work/qsort-fixed" >"$work/cc.log" 2>&1; then
	report PASS qsort-harness-build
	${RUNNER:-} "$work/qsort-fixed" >"$work/fixed.out"
	rc=$?
	cat "$work/fixed.out"
	n=$(grep -c '^FAIL' "$work/fixed.out")
	failures=$((failures + n))
	if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
		report FAIL qsort-harness-run
	fi
else
	cat "$work/cc.log" >&2
	report FAIL qsort-harness-build
fi

# The same harness on the unpatched file must fail every bug check.
if build_harness "$work/unfixed" "$work/qsort-unfixed" >"$work/cc.log" 2>&1
then
	${RUNNER:-} "$work/qsort-unfixed" $bug_checks >"$work/unfixed.out" \
		2>"$work/unfixed.err"
	for c in $bug_checks; do
		if grep -q "^FAIL qsort-$c\$" "$work/unfixed.out"; then
			report PASS "qsort-unfixed-fails-$c"
		else
			echo "  qsort-$c passed on the unpatched qsort.c: it" \
				"does not detect the bug" >&2
			report FAIL "qsort-unfixed-fails-$c"
		fi
	done
else
	cat "$work/cc.log" >&2
	report FAIL qsort-unfixed-harness-build
fi

# --- iconv GB18030 (the toolchain's own libc) ----------------------------
if $CC $CFLAGS -O2 -static "$here/iconv-gb18030.c" -o "$work/iconv" \
    >"$work/cc.log" 2>&1; then
	report PASS iconv-gb18030-build
	${RUNNER:-} "$work/iconv" >"$work/iconv.out"
	rc=$?
	cat "$work/iconv.out"
	n=$(grep -c '^FAIL' "$work/iconv.out")
	failures=$((failures + n))
	# a crash before all lines were printed still fails
	if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
		report FAIL iconv-gb18030-run
	fi
else
	cat "$work/cc.log" >&2
	report FAIL iconv-gb18030-build
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed" >&2
	exit 1
fi
exit 0
