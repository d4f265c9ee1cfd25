#!/bin/bash
# An artifact with no mirror copy and an unresolvable upstream URL is fetched
# from DEBIAN_MIRROR's pool/main/PATH, and the failed DNS lookup does not
# stall the fetch (< 20 s in all).
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
make_tarball libgreet libgreet-1.0 debfb_1.0.orig.tar.gz
mkdir -p "$T/www/debian/pool/main/d/debfb"
cp "$T/tarballs/debfb_1.0.orig.tar.gz" "$T/www/debian/pool/main/d/debfb/"
install_recipe_text debfb <<'R'
name debfb
version 1.0

artifact debfb_1.0.orig.tar.gz
	sha256 @SHA256_debfb_1.0.orig.tar.gz@
	url http://nonexistent.invalid/x.tar.gz
	debian d/debfb/debfb_1.0.orig.tar.gz
	strip libgreet-1.0

step check
	run test -f "$SRC/greet.c"
R
write_config # MIRRORS = $URL/m1, which does not have it

t0=$(now)
bs fetch
took=$(elapsed "$t0")
metric debian-fallback "${took}s"
expect_rc 0 "fetch with the Debian pool as the only source"
lt "$took" 20 || fail "the fetch took ${took}s (the DNS failure stalled it)"
assert_sha "$T/sources/debfb_1.0.orig.tar.gz" "$(tarball_sha debfb_1.0.orig.tar.gz)"
assert_log_has '^404 "GET /m1/debfb_1\.0\.orig\.tar\.gz '
assert_log_has '^200 "GET /debian/pool/main/d/debfb/debfb_1\.0\.orig\.tar\.gz '
m=$(grep -n 'GET /m1/debfb' "$ACCESS_LOG" | head -n1 | cut -d: -f1)
d=$(grep -n 'GET /debian/pool' "$ACCESS_LOG" | head -n1 | cut -d: -f1)
[ "$m" -lt "$d" ] || fail "the Debian pool was asked before the mirror"

bs_ok build
assert_out_has '^done debfb:check '
