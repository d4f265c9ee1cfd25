#!/bin/bash
# A patch that does not apply: exit 4, stderr names the patch file, no step
# of that recipe runs.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

setup_seeded libgreet hello
cat > "$T/patches/broken-greet.patch" <<'P'
--- a/greet.c
+++ b/greet.c
@@ -1,3 +1,3 @@
-#include <no-such-line-in-greet.c>
+#include <still-not-there.h>
 this context
 does not exist
P
sed -i 's/^patch libgreet-greeting.patch$/&\npatch broken-greet.patch/' "$T/recipes/libgreet.recipe"
grep -q '^patch broken-greet.patch$' "$T/recipes/libgreet.recipe" || fail "could not add the patch line"
write_config

bs build
expect_rc 4 "build with a patch that does not apply"
assert_err_has '^bootstrap: '
assert_err_has 'broken-greet\.patch'
assert_out_lacks '^start libgreet:configure'
assert_out_lacks '^start hello:configure'
assert_missing "$T/prefix"
