#!/bin/sh
# Runs every test binary given (cmocka), then every fuzz replay binary
# given after "--" on its corpus fuzz/<name>.in/ (and saved crashes in
# fuzz/<name>.crashes/), and prints one closing line "N passed, N failed":
# test cases over all cmocka binaries, plus one per corpus replayed.
# Usage: tests/run.sh BUILD_DIR TEST_BINARY... [-- REPLAY_BINARY...]
build="$1"; shift
passed=0; failed=0; bad=""
export CITYDIR_TEST_BUILD="$build"
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    t="$1"; shift
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    passed=$((passed + p)); failed=$((failed + f))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        failed=$((failed + 1)); bad="$bad $t"
    fi
done
[ "${1:-}" = "--" ] && shift
for r in "$@"; do
    name=${r##*/replay_}
    dirs="fuzz/$name.in"
    [ -d "fuzz/$name.crashes" ] && dirs="$dirs fuzz/$name.crashes"
    # shellcheck disable=SC2086
    if out=$("$r" $dirs 2>&1); then
        echo "[       OK ] fuzz replay $name: $out"
        passed=$((passed + 1))
    else
        printf '%s\n' "$out"
        echo "[  FAILED  ] fuzz replay $name"
        failed=$((failed + 1)); bad="$bad $r"
    fi
done
[ -n "$bad" ] && echo "failed or crashed:$bad"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
