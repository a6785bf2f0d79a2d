#!/bin/sh
# `make demo`: generate the demo town's site, serve it with our test server
# on 127.0.0.1:48765, crawl it with the definitions in sources/demo/, and
# export the directory to out/ in every format.
# Usage: scripts/demo.sh BUILD_DIR
set -eu
build="${1:-build}"
site="$build/demo-site"
db="out/demo.db"
port=48765

python3 sources/demo/site/generate.py "$site" >/dev/null
# Static open-data files (CSV, GeoJSON, JSON, shop pages) of the demo.
rm -rf "$site/data" && cp -r sources/demo/data "$site/data"
mkdir -p out
rm -f "$db" "$db-wal" "$db-shm"

"$build/citydir-testserver" --root "$site" --port "$port" \
    >"$build/demo-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT INT TERM
i=0
until grep -q listening "$build/demo-server.log" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt 50 ] || ! kill -0 $server 2>/dev/null; then
        echo "demo: the test server did not start:" >&2
        cat "$build/demo-server.log" >&2
        exit 1
    fi
    sleep 0.1
done

./citydir check sources/demo
./citydir crawl --db "$db" --report out/report.json sources/demo
for fmt in json geojson csv; do
    ./citydir export --db "$db" --format $fmt -o "out/directory.$fmt"
done
./citydir status --db "$db"

places=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["places"]))' out/directory.json)
echo
echo "Demo done: $places places of the fictional town Wupperfeld."
echo "  out/directory.json     the directory for the app (citydir/1)"
echo "  out/directory.geojson  the same places for maps (RFC 7946)"
echo "  out/directory.csv      the same places for city staff (RFC 4180)"
echo "  out/report.json        the crawl report"
echo "  $db            the database (try: ./citydir status --db $db)"
