#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench` (and `make bench-peers`): generate the Bergstadt site
# (bench/gen.py), serve it with nginx on 127.0.0.1 (bench/nginx.conf), and
# measure in one go: the yardstick (bench/ceiling.c: libcurl multi + gumbo,
# nothing else), a full citydir crawl (bench/bergstadt.ini), the same crawl
# again on the unchanged site, and an export of all places in each format
# beside `sqlite3 -json` dumping the same rows. bench/report.py prints the
# table. Every process is timed by GNU time (wall, user+sys CPU, peak RSS).
#
# Usage: sh bench/run.sh [peers]
#   peers                 also Scrapy (bench/scrapy_spider.py) and wget2 -r
# Environment:
#   BENCH_SHOPS=20000     shops in the site (pages = shops + shops/50)
#   BENCH_SCALE="5000 50000"  also crawl sites of these sizes, for memory
#   BENCH_PORT=48780      first port tried
#   BUILD=build           build folder of citydir
set -eu

mode="${1:-}"
shops="${BENCH_SHOPS:-20000}"
scale="${BENCH_SCALE:-}"
port="${BENCH_PORT:-48780}"
build="${BUILD:-build}"
top=$(pwd)
dir="$top/$build/bench"
res="$dir/results.txt"
py=/usr/bin/python3
[ -x "$py" ] || py=python3

if [ "$mode" = peers ]; then
    sh scripts/install-deps.sh --bench --peers
else
    sh scripts/install-deps.sh --bench
fi
cd_bin="$top/$build/citydir"
[ -x "$cd_bin" ] || { echo "bench: build citydir first (make)" >&2; exit 1; }
mkdir -p "$dir/nginx/tmp" "$dir/out"

echo "bench: building the yardstick" >&2
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -O2 -g -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
    -o "$dir/ceiling" bench/ceiling.c \
    $(pkg-config --cflags --libs libcurl gumbo)

# A site per size, made once (it is the same bytes every time).
site_for() {
    s="$dir/site-$1"
    if [ ! -f "$s/meta.json" ] || [ bench/gen.py -nt "$s/meta.json" ]; then
        echo "bench: generating a site of $1 shops in $s" >&2
        rm -rf "$s"
        "$py" bench/gen.py "$s" --shops "$1"
    fi
}

port_free() {
    "$py" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

tries=0
until port_free "$port"; do
    port=$((port + 1)); tries=$((tries + 1))
    [ $tries -lt 50 ] || { echo "bench: no free port" >&2; exit 1; }
done
base="http://127.0.0.1:$port"
sed "s/48780/$port/g" bench/nginx.conf >"$dir/nginx/nginx.conf"
sed "s/48780/$port/g" bench/bergstadt.ini >"$dir/bergstadt.ini"

nginx_pid=""
stop_nginx() {
    if [ -n "$nginx_pid" ]; then
        kill "$nginx_pid" 2>/dev/null || true
        nginx_pid=""
        sleep 0.3
    fi
}
trap stop_nginx EXIT INT TERM

# Serve the site of $1 shops.
serve() {
    stop_nginx
    site_for "$1"
    ln -sfn "../site-$1" "$dir/nginx/site"
    userdir=""
    [ "$(id -u)" = 0 ] && userdir="user root;"
    nginx -p "$dir/nginx/" -c "$dir/nginx/nginx.conf" -e error.log \
        ${userdir:+-g "$userdir"}
    i=0
    until [ -s "$dir/nginx/nginx.pid" ] &&
          curl -fsS -o /dev/null "$base/robots.txt" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 50 ]; then
            echo "bench: nginx did not start:" >&2
            cat "$dir/nginx/error.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    nginx_pid=$(cat "$dir/nginx/nginx.pid")
}

# measure NAME PAGES_FROM CMD...: run CMD under GNU time and append
# "NAME wall user sys maxrss_kb" to the results.
measure() {
    name="$1"; shift
    status=0
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" || status=$?
    if [ $status -ne 0 ]; then
        echo "bench: $name exited with status $status" >&2
        echo "status_$name $status" >>"$res"
    fi
    echo "$name $(tail -n 1 "$dir/time.txt")" >>"$res"
}

crawl() {
    # crawl NAME DB: a citydir crawl of the Bergstadt site into DB.
    measure "$1" "$cd_bin" crawl --db "$2" --no-progress -q \
        --report "$dir/$1.report.json" "$dir/bergstadt.ini"
    [ -s "$dir/$1.report.json" ] || return 0
    "$py" -c 'import json,sys; s=json.load(open(sys.argv[1]))["sources"][0]
print(sys.argv[2], "pages", s["pages_fetched"], "records", s["records"],
      "failed", s["pages_failed"], "status", s["status"])' \
        "$dir/$1.report.json" "$1" >>"$res"
}

: >"$res"
echo "machine $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')" \
    >>"$res"
echo "shops $shops" >>"$res"
serve "$shops"
echo "pages_expected $("$py" -c 'import json,sys
print(json.load(open(sys.argv[1]))["pages"])' "$dir/site-$shops/meta.json")" \
    >>"$res"

echo "bench: warming up (a ceiling crawl, not counted)" >&2
"$dir/ceiling" "$base/verzeichnis/" "$base/verzeichnis/" 64 >/dev/null

echo "bench: ceiling" >&2
measure ceiling "$dir/ceiling" "$base/verzeichnis/" "$base/verzeichnis/" 64 \
    >"$dir/ceiling.out"
echo "ceiling pages $(awk '{print $2}' "$dir/ceiling.out")" >>"$res"

db="$dir/bench.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "bench: citydir full crawl" >&2
crawl full "$db"
echo "bench: citydir re-crawl of the unchanged site" >&2
crawl recrawl "$db"
# The same full crawl with parsing on the loop's thread only: the CPU a
# page costs without the overhead of threads (crawler/workers.h).
db1="$dir/bench-1thread.db"
rm -f "$db1" "$db1-wal" "$db1-shm"
echo "bench: citydir full crawl, parsing on one thread" >&2
CITYDIR_PARSE_THREADS=0 crawl full_1thread "$db1"
rm -f "$db1" "$db1-wal" "$db1-shm" "$db1.lock"

echo "bench: exports" >&2
for fmt in json geojson csv; do
    measure "export_$fmt" "$cd_bin" export --db "$db" --format "$fmt" \
        -o "$dir/out/places.$fmt"
done
measure sqlite3_json sh -c "sqlite3 -json '$db' \
    'SELECT * FROM places WHERE deleted = 0 ORDER BY id' \
    >'$dir/out/places.sqlite3.json'"
echo "places $(sqlite3 "$db" 'SELECT count(*) FROM places WHERE deleted = 0')" \
    >>"$res"

if [ "$mode" = peers ]; then
    echo "bench: Scrapy" >&2
    rm -f "$dir/scrapy.count"
    measure scrapy "$py" -m scrapy runspider bench/scrapy_spider.py \
        -a start="$base/verzeichnis/" -a count="$dir/scrapy.count" \
        -s LOG_LEVEL=WARNING
    echo "scrapy pages $(cat "$dir/scrapy.count")" >>"$res"
    echo "bench: wget2 -r" >&2
    rm -rf "$dir/wget2"
    measure wget2 wget2 -r -l inf -np -q --max-threads=64 --robots=on \
        --no-host-directories -P "$dir/wget2" "$base/verzeichnis/"
    echo "wget2 pages $(find "$dir/wget2" -type f | wc -l)" >>"$res"
    rm -rf "$dir/wget2"
fi

for n in $scale; do
    serve "$n"
    sdb="$dir/scale-$n.db"
    rm -f "$sdb" "$sdb-wal" "$sdb-shm"
    echo "bench: citydir full crawl of $n shops (memory)" >&2
    crawl "scale_$n" "$sdb"
    rm -f "$sdb" "$sdb-wal" "$sdb-shm"
done
stop_nginx

"$py" bench/report.py "$res" | tee "$dir/table.txt"
