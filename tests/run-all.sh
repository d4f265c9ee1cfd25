#!/bin/bash
# make test: the unit and integration tests, once with the normal build of
# bootstrap and once with the AddressSanitizer/UBSan build. Prints the total.
set -u
cd "$(dirname "$0")/.." || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0 fail=0
for variant in plain sanitized; do
	if [ $variant = plain ]; then bin=$PWD/bootstrap unit=tests/unit; else bin=$PWD/bootstrap-san unit=tests/unit-san; fi
	echo "=== $variant: $bin"
	out=$(mktemp)
	UNIT=$unit bash tests/run.sh "$bin" 2>&1 | tee "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$line" ]; then
		echo "tests/run.sh ($variant) printed no summary"; fail=$((fail + 1)); continue
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	pass=$((pass + p)); fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
