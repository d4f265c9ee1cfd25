#!/bin/bash
# tests/dist/check.sh --tools TREE, what CI runs on the static pass it builds
# (.ci/run): a dynamic executable fails static-tools and is named; a program
# of the list that does not allocate with mimalloc (no statistics under
# MIMALLOC_SHOW_STATS=1) fails allocator and is named; a tree of static
# programs that do passes both.
. "${TESTS_DIR:-$(dirname "$0")/..}/lib.sh" || exit 1

check=$TESTS_DIR/dist/check.sh
tree=$T/release
mkdir -p "$tree/bin"
# a stand-in for as: prints mimalloc's statistics line as mimalloc does at exit
cat > "$T/fake.c" <<'EOC'
#include <stdio.h>
#include <stdlib.h>
int main(void) {
	const char *s = getenv("MIMALLOC_SHOW_STATS");
	if (s && *s == '1')
		fprintf(stderr, "heap stats:     peak      total      freed\n");
	puts("GNU assembler (fake)");
	return 0;
}
EOC
cc -static -o "$tree/bin/x86_64-linux-musl-as" "$T/fake.c" || fail "no static link on this machine (libc6-dev)"
# a stand-in for an ld linked dynamically and with another allocator: no statistics
printf '#include <stdio.h>\nint main(void) { puts("GNU ld (fake)"); return 0; }\n' > "$T/plain.c"
cc -o "$T/dynamic" "$T/plain.c" || fail "cc failed"

run_check() { TARGET=x86_64-linux-musl bash "$check" --tools "$tree" > "$T/check.out" 2>&1; RC=$?; cat "$T/check.out" >&2; }

run_check
[ "$RC" = 0 ] || fail "a tree of static programs with mimalloc's statistics: expected exit 0, got $RC"
assert_file_has "$T/check.out" '^PASS static-tools \(1 executables, all static\)'
assert_file_has "$T/check.out" '^PASS allocator \(mimalloc in: x86_64-linux-musl-as\)'
assert_file_has "$T/check.out" '^2 passed, 0 failed$'

cp "$T/dynamic" "$tree/bin/x86_64-linux-musl-ld"
run_check
[ "$RC" = 1 ] || fail "a dynamic ld: expected exit 1, got $RC"
assert_file_has "$T/check.out" '^FAIL static-tools'
assert_file_has "$T/check.out" 'dynamic executables: bin/x86_64-linux-musl-ld'
assert_file_has "$T/check.out" "no mimalloc statistics .*: bin/x86_64-linux-musl-ld"
assert_file_has "$T/check.out" '^0 passed, 2 failed$'

rm -r "$tree/bin"
mkdir -p "$tree/bin"
run_check
[ "$RC" = 1 ] || fail "an empty tree: expected exit 1, got $RC"
assert_file_has "$T/check.out" '^FAIL static-tools'
assert_file_has "$T/check.out" '^FAIL allocator'
