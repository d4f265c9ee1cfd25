#!/bin/bash
# A download cut off midway (SIGINT during the fetch) leaves
# SOURCES/FILE.part and exits 130; the next run resumes it with a Range
# request (nginx answers 206) and the cached file has the right sha256.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
# ~2 MB of incompressible data in a real tarball, served rate limited.
mkdir -p "$T/big/big-1.0"
random_file "$T/big/big-1.0/blob" 2000000 42
pack_dir "$T/big" big-1.0 "$T/tarballs/big-1.0.tar.gz"
cp "$T/tarballs/big-1.0.tar.gz" "$T/www/slow/big-1.0.tar.gz"
size=$(stat -c %s "$T/tarballs/big-1.0.tar.gz")
install_recipe_text big <<'R'
name big
version 1.0

artifact big-1.0.tar.gz
	sha256 @SHA256_big-1.0.tar.gz@
	url @URL@/slow/big-1.0.tar.gz
	strip big-1.0

step check
	run test -s "$SRC/blob"
R
write_config "MIRRORS ?="
part=$T/sources/big-1.0.tar.gz.part

bs_bg fetch
# Wait until some of it has arrived, then interrupt.
i=0
while [ "$(stat -c %s "$part" 2>/dev/null || echo 0)" -lt 100000 ]; do
	[ $i -ge 400 ] && fail "no partial download $part of 100000+ bytes after 20 s: $(ls -l "$T/sources")"
	kill -0 "$BG_PID" 2>/dev/null || { bs_wait; fail "bootstrap fetch ended (exit $RC) before it was interrupted"; }
	i=$((i + 1))
	sleep 0.05
done
kill -INT "$BG_PID"
bs_wait 20
expect_rc 130 "bootstrap fetch interrupted by SIGINT"
assert_exists "$part"
partsize=$(stat -c %s "$part")
[ "$partsize" -gt 0 ] && [ "$partsize" -lt "$size" ] ||
	fail "$part has $partsize bytes; expected between 1 and $((size - 1))"
assert_missing "$T/sources/big-1.0.tar.gz"
note "interrupted with $partsize of $size bytes"

bs_ok fetch
assert_sha "$T/sources/big-1.0.tar.gz" "$(tarball_sha big-1.0.tar.gz)"
assert_missing "$part"
line=$(grep -E '^206 "GET /slow/big-1\.0\.tar\.gz [^"]*" range="bytes=[0-9]+-"' "$ACCESS_LOG" | tail -n1)
[ -n "$line" ] || fail "no 206 answer to a 'Range: bytes=N-' request in the access log:
$(cat "$ACCESS_LOG")"
from=$(printf '%s\n' "$line" | sed -E 's/.*range="bytes=([0-9]+)-".*/\1/')
[ "$from" -gt 0 ] && [ "$from" -le "$partsize" ] ||
	fail "resumed from byte $from; the partial file had $partsize bytes"
sent=$(printf '%s\n' "$line" | sed -E 's/.* sent=([0-9]+).*/\1/')
assert_eq "$((size - from))" "$sent" "bytes sent by the resumed request"

# And the resumed file builds.
bs_ok build
assert_out_has '^done big:check '
