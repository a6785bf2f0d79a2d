#!/bin/sh
# Runs every test binary given (cmocka), then prints one closing line
# "N passed, N failed" counting test cases over all binaries.
# Usage: tests/run.sh BUILD_DIR TEST_BINARY...
build="$1"; shift
passed=0; failed=0; bad_bins=""
export CITYDIR_TEST_BUILD="$build"
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p)); failed=$((failed + f))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        failed=$((failed + 1)); bad_bins="$bad_bins $t"
    fi
done
[ -n "$bad_bins" ] && echo "crashed or failed outside a test case:$bad_bins"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
