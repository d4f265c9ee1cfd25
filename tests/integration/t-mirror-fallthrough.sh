#!/bin/bash
# MIRRORS are tried in order: a 404 on the first mirror falls through to the
# next one, which serves the file.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

start_nginx
setup_standard libgreet hello
publish m1 libgreet-1.0.tar.gz
publish m2 hello-1.0.tar.gz
write_config "MIRRORS ?= $URL/m1 $URL/m2"

bs_ok build
assert_sha "$T/sources/hello-1.0.tar.gz" "$(tarball_sha hello-1.0.tar.gz)"
assert_sha "$T/sources/libgreet-1.0.tar.gz" "$(tarball_sha libgreet-1.0.tar.gz)"
l404=$(grep -n '^404 "GET /m1/hello-1\.0\.tar\.gz ' "$ACCESS_LOG" | head -n1 | cut -d: -f1)
l200=$(grep -n '^200 "GET /m2/hello-1\.0\.tar\.gz ' "$ACCESS_LOG" | head -n1 | cut -d: -f1)
[ -n "$l404" ] || fail "no 404 for /m1/hello-1.0.tar.gz in the access log:
$(cat "$ACCESS_LOG")"
[ -n "$l200" ] || fail "no 200 for /m2/hello-1.0.tar.gz in the access log:
$(cat "$ACCESS_LOG")"
[ "$l404" -lt "$l200" ] || fail "m2 was asked (line $l200) before m1 (line $l404)"
# libgreet is on the first mirror: the second is not asked for it.
assert_log_has '^200 "GET /m1/libgreet-1\.0\.tar\.gz '
assert_log_lacks 'GET /m2/libgreet'
assert_hello
