#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print the table of `make bench` from the measurements bench/run.sh
wrote: lines "NAME wall user sys maxrss_kb" (GNU time) and "NAME pages N
...". Each citydir figure is given with its ratio to its yardstick, and the
targets of the benchmark are checked. Also writes results.json beside the
measurements.

Usage: report.py RESULTS.txt
"""
import json
import os
import sys


def load(path):
    m = {"time": {}, "count": {}, "info": {}}
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "machine":
                m["info"]["machine"] = line[len("machine "):].strip()
            elif len(w) >= 3 and w[1] == "pages":
                m["count"][w[0]] = {w[k]: w[k + 1]
                                    for k in range(1, len(w) - 1, 2)}
            elif len(w) == 2:
                m["info"][w[0]] = w[1]
            elif len(w) == 5:
                wall, user, sys_, rss = (float(w[1]), float(w[2]),
                                         float(w[3]), float(w[4]))
                m["time"][w[0]] = {"wall": wall, "cpu": user + sys_,
                                   "user": user, "sys": sys_,
                                   "mb": rss / 1024.0}
    return m


def row(m, name):
    t = m["time"].get(name)
    c = m["count"].get(name)
    if not t or not c:
        return None
    pages = int(c["pages"])
    return {"pages": pages, "wall": t["wall"], "cpu": t["cpu"],
            "mb": t["mb"],
            "pps": pages / t["wall"] if t["wall"] > 0 else 0.0,
            "cpu1k": 1000.0 * t["cpu"] / pages if pages else 0.0}


def main():
    path = sys.argv[1]
    m = load(path)
    out = {"machine": m["info"].get("machine"),
           "shops": int(m["info"].get("shops", 0)), "rows": {},
           "targets": []}
    ceil = row(m, "ceiling")
    for k, v in sorted(m["info"].items()):
        if k.startswith("status_"):
            print("warning: %s exited with status %s" % (k[7:], v))
    print()
    print("citydir bench: %s shops, %s pages; %s" % (
        m["info"].get("shops"), m["info"].get("pages_expected"),
        m["info"].get("machine")))
    print()
    print("%-24s %7s %9s %7s %12s %7s %9s %7s" % (
        "crawl", "pages", "pages/s", "ratio", "CPU s/1000p", "ratio",
        "peak MB", "wall s"))

    def line(label, name, yard):
        r = row(m, name)
        if not r:
            return None
        out["rows"][name] = r
        rp = rc = ""
        if yard and yard is not r:
            rp = "%.2fx" % (r["pps"] / yard["pps"]) if yard["pps"] else ""
            rc = "%.2fx" % (r["cpu1k"] / yard["cpu1k"]) \
                if yard["cpu1k"] else ""
        print("%-24s %7d %9.0f %7s %12.2f %7s %9.1f %7.1f" % (
            label, r["pages"], r["pps"], rp, r["cpu1k"], rc, r["mb"],
            r["wall"]))
        return r

    line("ceiling (curl+gumbo)", "ceiling", ceil)
    full = line("citydir full crawl", "full", ceil)
    one = line("citydir full, 1 thread", "full_1thread", ceil)
    re = line("citydir re-crawl", "recrawl", ceil)
    scrapy = line("Scrapy", "scrapy", ceil)
    line("wget2 -r", "wget2", ceil)
    scale = sorted((int(k[6:]), k) for k in m["count"]
                   if k.startswith("scale_"))
    for n, k in scale:
        line("citydir full, %d shops" % n, k, ceil)

    print()
    sq = m["time"].get("sqlite3_json")
    if sq:
        print("%-24s %9s %9s %9s" % ("export (%s places)"
                                     % m["info"].get("places", "?"),
                                     "wall s", "CPU s", "vs sqlite3"))
        print("%-24s %9.2f %9.2f %9s" % ("sqlite3 -json", sq["wall"],
                                         sq["cpu"], "1.00x"))
        worst = 0.0
        for fmt in ("json", "geojson", "csv"):
            t = m["time"].get("export_" + fmt)
            if not t:
                continue
            ratio = t["wall"] / sq["wall"] if sq["wall"] > 0 else 0.0
            worst = max(worst, ratio)
            out["rows"]["export_" + fmt] = dict(t, ratio=ratio)
            print("%-24s %9.2f %9.2f %8.2fx" % ("citydir export " + fmt,
                                                t["wall"], t["cpu"], ratio))
        out["rows"]["sqlite3_json"] = sq
    print()

    def target(what, ok, value):
        out["targets"].append({"target": what, "value": value, "met": ok})
        print("  [%s] %-44s %s" % ("ok" if ok else "NO", what, value))

    print("targets:")
    if full and ceil:
        r = full["pps"] / ceil["pps"]
        target("full crawl pages/s >= 1.0x ceiling", r >= 1.0, "%.2fx" % r)
        r = full["cpu1k"] / ceil["cpu1k"]
        target("CPU per page <= 1.3x ceiling", r <= 1.3, "%.2fx" % r)
    if one and ceil:
        r = one["cpu1k"] / ceil["cpu1k"]
        target("CPU per page, 1 thread, <= 1.3x ceiling", r <= 1.3,
               "%.2fx" % r)
    if full and int(m["info"].get("shops", 0)) == 20000:
        target("peak memory <= 40 MB at 20000 shops", full["mb"] <= 40,
               "%.1f MB" % full["mb"])
    if len(scale) >= 2:
        lo, hi = row(m, scale[0][1]), row(m, scale[-1][1])
        r = hi["mb"] / lo["mb"]
        target("peak memory %d vs %d shops <= 1.2x" % (scale[-1][0],
                                                       scale[0][0]),
               r <= 1.2, "%.2fx" % r)
    if full and re:
        r = re["pps"] and full["wall"] / re["wall"]
        target("re-crawl >= 10x faster than full crawl", r >= 10,
               "%.2fx" % r)
    if sq and m["time"].get("export_json"):
        target("export within 2x of sqlite3 -json", worst <= 2.0,
               "%.2fx (slowest format)" % worst)
    if full and scrapy:
        r = full["pps"] / scrapy["pps"]
        target("pages/s >= 8x Scrapy", r >= 8, "%.1fx" % r)
    with open(os.path.join(os.path.dirname(path), "results.json"), "w",
              encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
