#!/bin/sh
# SPDX-License-Identifier: MIT
# citydir's nightly job (docs/operations.md): crawl every source, write the
# exports from what is committed (a failed source keeps yesterday's data,
# so exporting after a failure is right), back the database up, and exit
# with the crawl's status: 0 all committed, 1 some source failed or was
# suspect, 2 a bad definition or another crawl still running.
#
# Settings, from the environment (systemd: Environment= or an
# EnvironmentFile=/etc/default/citydir):
#   CITYDIR        the binary              (default: citydir from PATH)
#   CITYDIR_HOME   the state folder        (default: /var/lib/citydir)
#   CITYDIR_SOURCES the definitions        (default: /etc/citydir/sources)
#   CITYDIR_OUT    where exports go        (default: $CITYDIR_HOME/out)
#   CITYDIR_KEEP   backups kept, in days   (default: 14)
set -u
bin="${CITYDIR:-citydir}"
home="${CITYDIR_HOME:-/var/lib/citydir}"
sources="${CITYDIR_SOURCES:-/etc/citydir/sources}"
out="${CITYDIR_OUT:-$home/out}"
keep="${CITYDIR_KEEP:-14}"
db="$home/citydir.db"
day=$(date -u +%Y-%m-%d)

mkdir -p "$out" "$home/reports" "$home/backups" || exit 1
"$bin" crawl --no-progress -q --db "$db" \
    --report "$home/reports/report-$day.json" "$sources"
rc=$?
# the last report under a fixed name, for monitoring
cp "$home/reports/report-$day.json" "$home/reports/last.json" 2>/dev/null
if [ "$rc" -le 1 ]; then
    for f in json geojson csv; do
        "$bin" export --db "$db" --format "$f" -o "$out/directory.$f" ||
            rc=1
    done
    "$bin" backup --db "$db" "$home/backups/citydir-$day.db" || rc=1
    find "$home/backups" -name 'citydir-*.db' -mtime +"$keep" -delete
    find "$home/reports" -name 'report-*.json' -mtime +"$keep" -delete
fi
exit "$rc"
