#!/bin/sh
# Installs the Debian packages citydir needs to build and test, when any is
# missing. Called by the Makefile; safe to run by hand. Needs root (or sudo)
# only when something must be installed.
set -e

PACKAGES="build-essential pkg-config libcurl4-openssl-dev libgumbo-dev
libxml2-dev libsqlite3-dev libpcre2-dev libjansson-dev libinih-dev
libxxhash-dev libutf8proc-dev zlib1g-dev libproj-dev libcmocka-dev libmicrohttpd-dev sqlite3 python3
python3-jsonschema"

# Only for `make bench` (--bench) and `make bench-peers` (--peers too):
# nginx serves the benchmark site, GNU time measures; Scrapy and wget2 are
# the peers. Builds and tests never install these.
BENCH_PACKAGES="nginx time curl"
PEER_PACKAGES="python3-scrapy wget2"
# Only for `make fuzz` (--fuzz): clang and its libFuzzer runtime.
FUZZ_PACKAGES="clang libclang-rt-14-dev"
for a in "$@"; do
    case "$a" in
    --bench) PACKAGES="$PACKAGES $BENCH_PACKAGES" ;;
    --peers) PACKAGES="$PACKAGES $PEER_PACKAGES" ;;
    --fuzz) PACKAGES="$PACKAGES $FUZZ_PACKAGES" ;;
    esac
done

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "citydir: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "citydir: run as root, or install these packages:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "citydir: packages installed" >&2
