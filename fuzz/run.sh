#!/bin/sh
# `make fuzz`: build every fuzz/fuzz_<name>.c as a libFuzzer target with
# clang (ASan + UBSan) in build-fuzz/, and run each for FUZZ_SECONDS
# (default 60; or FUZZ_RUNS inputs from a fixed seed, for CI) on a copy
# of its seed corpus fuzz/<name>.in/. A crash is
# saved by libFuzzer as build-fuzz/crash-*; copy it into
# fuzz/<name>.crashes/ so `make test` replays it from then on.
set -eu
seconds="${FUZZ_SECONDS:-60}"
out=build-fuzz
pkgs="libcurl gumbo libxml-2.0 sqlite3 libpcre2-8 jansson inih libxxhash proj libutf8proc zlib"
sh scripts/install-deps.sh --fuzz
san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
make --no-print-directory BUILD="$out" CC=clang OPT="-O1 -g" SAN="$san" \
    "$out/libcitydir.a" >/dev/null
status=0
for src in fuzz/fuzz_*.c; do
    name=$(basename "$src" .c); name=${name#fuzz_}
    echo "fuzz: $name (${FUZZ_RUNS:-${seconds}s}${FUZZ_RUNS:+ runs})"
    # shellcheck disable=SC2046
    clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -O1 -g \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        $(pkg-config --cflags $pkgs) -o "$out/fuzz_$name" "$src" \
        "$out/libcitydir.a" $(pkg-config --libs $pkgs) -lm -lpthread
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    cp -r "fuzz/$name.in/." "$corpus/" 2>/dev/null || true
    if [ -n "${FUZZ_RUNS:-}" ]; then
        # a fixed number of runs from a fixed seed: the same inputs every
        # time, as CI wants
        limit="-runs=$FUZZ_RUNS -seed=1"
    else
        limit="-max_total_time=$seconds"
    fi
    # shellcheck disable=SC2086
    if ! (cd "$out" && "./fuzz_$name" $limit \
            -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
            "corpus-$name" 2>"fuzz-$name.log"); then
        echo "fuzz: $name FAILED, see $out/fuzz-$name.log" >&2
        tail -n 30 "$out/fuzz-$name.log" >&2
        status=1
    else
        tail -n 1 "$out/fuzz-$name.log"
    fi
done
exit $status
