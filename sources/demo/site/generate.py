#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the demo site: the retailer directory of Wupperfeld, a
fictional town in the Bergisches Land.

The site is what a "Wupperfeld liefert" delivery platform might publish:
paginated listing pages under /haendler/ and one detail page per shop, with
the surrounding markup of a real site (navigation, cookie banner, scripts,
styles). Shops write phone numbers, addresses and opening hours in the many
ways real shops do. The output is deterministic for a given --seed and
--shops.

Beside the site, two more sources describe some of the same shops, as a
city's other sources would: an OpenStreetMap extract (osm/wupperfeld.json,
Overpass JSON: every third shop, with wheelchair access and the
coordinates the site lacks, plus shops the site does not list) and the
town's open-data register of businesses (opendata/gewerbe.csv: every
fourth shop, names with their legal form, streets abbreviated, whether
it sells online, plus businesses of its own). A correct crawl merges them
into one place per shop, each field from the source with the highest
priority that has it (site 50, OSM 40, register 30).

It writes expected.json: for every place, the values a correct crawl must
export (normalised) and the sources it must name, used by the
integration test.

Usage: generate.py OUTDIR [--shops N] [--seed S] [--per-page K]
"""
import argparse
import json
import os
import random
import unicodedata

SURNAMES = """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz
Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann
Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann
Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters
Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank
Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm
Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel
Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel
Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Hüsgen Bremshey
Kuhlendahl Grünewald Dültgen Bick Felder Ohligs Wüsthof Herder Böker""".split()

# (source words, expected OSM tags, name patterns)
KINDS = [
    (["Bäckerei"], ["shop=bakery"], ["Bäckerei {n}", "{n}s Backstube", "Backhaus {n}"]),
    (["Bäckerei", "Café"], ["shop=bakery", "amenity=cafe"], ["Bäckerei-Café {n}", "Café & Bäckerei {n}"]),
    (["Metzgerei"], ["shop=butcher"], ["Metzgerei {n}", "Fleischerei {n}"]),
    (["Blumen"], ["shop=florist"], ["Blumen {n}", "Blumenhaus {n}", "{n}s Blumenladen"]),
    (["Buchhandlung"], ["shop=books"], ["Buchhandlung {n}", "Bücherstube {n}"]),
    (["Friseur"], ["shop=hairdresser"], ["Friseur {n}", "Salon {n}", "Haarstudio {n}"]),
    (["Café"], ["amenity=cafe"], ["Café {n}", "Kaffeehaus {n}"]),
    (["Apotheke"], ["amenity=pharmacy"], ["{s}-Apotheke", "Apotheke am {p}"]),
    (["Optik"], ["shop=optician"], ["Optik {n}", "{n} Augenoptik"]),
    (["Schuhe"], ["shop=shoes"], ["Schuhhaus {n}", "Schuh {n}"]),
    (["Spielwaren"], ["shop=toys"], ["Spielwaren {n}", "Spielzeugkiste {n}"]),
    (["Fahrrad"], ["shop=bicycle"], ["Zweirad {n}", "Fahrrad {n}"]),
    (["Feinkost"], ["shop=deli"], ["Feinkost {n}", "{n}s Delikatessen"]),
    (["Getränke"], ["shop=beverages"], ["Getränke {n}", "Getränkemarkt {n}"]),
    (["Juwelier"], ["shop=jewelry"], ["Juwelier {n}", "Goldschmiede {n}"]),
    (["Schreibwaren"], ["shop=stationery"], ["Schreibwaren {n}", "Papeterie {n}"]),
    (["Eisdiele"], ["amenity=ice_cream"], ["Eiscafé {i}", "Eisdiele {i}"]),
    (["Restaurant"], ["amenity=restaurant"], ["Restaurant {i}", "Gasthaus {n}", "Trattoria {i}"]),
]
ITALIAN = "Venezia Dolomiti Roma Milano Capri Bella Italia Cortina Da Mario Luigi".split()
PLACES = ["Markt", "Rathaus", "Kirchplatz", "Mühlenteich", "Schloßberg"]
SAINTS = ["Löwen", "Hirsch", "Rosen", "Stern", "Einhorn", "Adler", "Markt"]

STREETS = [
    # (as written on the page, expected street)
    ("Kölner Straße", "Kölner Straße"),
    ("Kölner Str.", "Kölner Straße"),
    ("Hauptstraße", "Hauptstraße"),
    ("Hauptstr.", "Hauptstraße"),
    ("Grünewalder Straße", "Grünewalder Straße"),
    ("Düsseldorfer Str.", "Düsseldorfer Straße"),
    ("Schlüsselstraße", "Schlüsselstraße"),
    ("Mühlenweg", "Mühlenweg"),
    ("Am Weyersberg", "Am Weyersberg"),
    ("Friedrich-Ebert-Straße", "Friedrich-Ebert-Straße"),
    ("Klosterwall", "Klosterwall"),
    ("Fußgängerzone Königstraße", "Fußgängerzone Königstraße"),
    ("Wupperstraße", "Wupperstraße"),
    ("Börsenplatz", "Börsenplatz"),
    ("Neuenhöfer Allee", "Neuenhöfer Allee"),
    ("Brückenstraße", "Brückenstraße"),
    ("An der Gärtnerei", "An der Gärtnerei"),
    ("Bahnhofstraße", "Bahnhofstraße"),
    ("Lindenweg", "Lindenweg"),
    ("Schützenstraße", "Schützenstraße"),
]
TOWN = "Wupperfeld"
DISTRICTS = ["", "", "-Mitte", "-Höhscheid", "-Nord"]
POSTCODES = ["42911", "42913", "42915", "42917", "42919"]

# (as written, expected OSM opening_hours)
HOURS = [
    ("Mo-Fr 9-18 Uhr", "Mo-Fr 09:00-18:00"),
    ("Mo.–Fr. 09.00 – 18.00 Uhr, Sa. 9 – 14 Uhr", "Mo-Fr 09:00-18:00; Sa 09:00-14:00"),
    ("Di-Fr 9-13 und 14:30-18 Uhr", "Tu-Fr 09:00-13:00,14:30-18:00"),
    ("täglich 7-22 Uhr", "Mo-Su 07:00-22:00"),
    ("Mo-Sa 10-19 Uhr", "Mo-Sa 10:00-19:00"),
    ("Mo - Fr 08:00 - 18:30 Uhr", "Mo-Fr 08:00-18:30"),
    ("Mo-Fr 9-18 Uhr, Sa 9-13 Uhr", "Mo-Fr 09:00-18:00; Sa 09:00-13:00"),
    ("Mo-Fr 07:00-18:00; Sa 07:00-13:00", "Mo-Fr 07:00-18:00; Sa 07:00-13:00"),
    ("Montag bis Freitag 9 bis 18 Uhr", "Mo-Fr 09:00-18:00"),
    ("durchgehend geöffnet", "24/7"),
]


def slug(s):
    s = s.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    out = "".join(c if c.isalnum() else "-" for c in s)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def phone(rng, i):
    """A phone number as a shop writes it, and its normal form."""
    local = str(rng.randint(100000, 9999999))
    if i % 9 == 8:
        mobile = "0171"
        num = str(rng.randint(1000000, 9999999))
        return mobile + "-" + num, "+49 171 " + num
    area = "0212"
    pretty = " ".join([local[:2], local[2:4], local[4:]]) if len(local) == 6 else local
    forms = [
        area + " / " + pretty,
        "(" + area + ") " + local,
        "+49 (0)212 " + local,
        "0049 212 " + local,
        area + "-" + local,
        area + " " + local,
        "+49 212 " + local,
    ]
    return forms[i % len(forms)], "+49 212 " + local


def make_shop(rng, i):
    kind = KINDS[i % len(KINDS)]
    words, tags, patterns = kind
    fam = rng.choice(SURNAMES)
    name = rng.choice(patterns).format(n=fam, s=rng.choice(SAINTS), p=rng.choice(PLACES),
                                       i=rng.choice(ITALIAN))
    street_written, street = STREETS[rng.randrange(len(STREETS))]
    number = str(rng.randint(1, 180))
    r = rng.random()
    if r < 0.15:
        number_written, number = number + " a", number + "a"
    elif r < 0.25:
        number_written = number + "-" + str(int(number) + 2)
        number = number_written
    else:
        number_written = number
    postcode = rng.choice(POSTCODES)
    city = TOWN + rng.choice(DISTRICTS)
    ph_written, ph = phone(rng, i)
    hours_written, hours = HOURS[i % len(HOURS)]
    has_geo = i % 11 != 5
    lat = round(51.1600 + rng.random() * 0.05, 6)
    lon = round(7.0500 + rng.random() * 0.07, 6)
    jitter = (rng.uniform(-8e-5, 8e-5), rng.uniform(-1.2e-4, 1.2e-4))
    domain = slug(name) + ".example"
    has_site = i % 3 != 0
    return {
        "slug": "%03d-%s" % (i + 1, slug(name)),
        "name": name,
        "words": words,
        "tags": tags,
        "street_written": street_written + " " + number_written,
        "street": street,
        "housenumber": number,
        "postcode": postcode,
        "city": city,
        "phone_written": ph_written,
        "phone": ph,
        "email": "info@" + domain if i % 4 != 1 else None,
        "website": "https://www." + domain + "/" if has_site else None,
        "hours_written": hours_written,
        "hours": hours,
        "lat": lat if has_geo else None,
        "lon": lon if has_geo else None,
        "lat0": lat, "lon0": lon, "jitter": jitter,
        "i": i,
        "delivery": i % 2 == 0,
        "pickup": i % 5 != 3,
        "description": "%s in %s: %s seit %d." % (name, TOWN, ", ".join(words), 1950 + i % 70),
    }


HEAD = """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>{title} – Wupperfeld liefert</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/site.css">
<style>
  body {{ font-family: "Source Sans Pro", sans-serif; margin: 0; }}
  .cookie {{ position: fixed; bottom: 0; background: #333; color: #fff; }}
</style>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{ dataLayer.push(arguments); }}
  gtag('js', new Date()); /* a < b && c > d inside a script */
</script>
</head>
<body>
<header class="kopf">
  <a href="/" class="logo"><img src="/static/logo.svg" alt="Wupperfeld liefert"></a>
  <nav><ul>
    <li><a href="/haendler/">Händler</a></li>
    <li><a href="/ueber-uns.html">Über uns</a></li>
    <li><a href="/impressum.html">Impressum</a></li>
    <li><a href="mailto:redaktion@wupperfeld-liefert.example">Kontakt</a></li>
  </ul></nav>
</header>
<main>
"""
FOOT = """</main>
<footer>
  <p>&copy; 2026 Wupperfeld liefert &ndash; eine Initiative des Stadtmarketings.
  <a href="/datenschutz.html">Datenschutz</a> · <a href="javascript:void(0)">Cookie-Einstellungen</a></p>
</footer>
<div class="cookie" id="cookie-banner">Wir verwenden nur technisch notwendige Cookies. <button>OK</button></div>
<script src="/static/app.js" defer></script>
</body>
</html>
"""


def detail_page(s):
    e = lambda t: (t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    cats = "\n".join('      <span class="kategorie">%s</span>' % e(w) for w in s["words"])
    geo = ""
    if s["lat"] is not None:
        geo = '  <div class="karte" data-lat="%s" data-lon="%s"><noscript>Karte</noscript></div>\n' % (
            s["lat"], s["lon"])
    contact = ['    <li>Telefon: <a href="tel:%s">%s</a></li>' % (
        e(s["phone_written"].replace(" ", "")), e(s["phone_written"]))]
    if s["email"]:
        contact.append('    <li>E-Mail: <a href="mailto:%s">%s</a></li>' % (s["email"], s["email"]))
    if s["website"]:
        contact.append('    <li>Web: <a class="web" href="%s" rel="noopener">%s</a></li>' % (
            s["website"], s["website"].replace("https://", "").rstrip("/")))
    body = """<p class="breadcrumb"><a href="/haendler/">Alle Händler</a> › {name}</p>
<article class="haendler" id="h-{slug}">
  <h1>{name}</h1>
  <p class="kategorien">
{cats}
  </p>
  <div class="adresse">
    <span class="strasse">{street}</span><br>
    <span class="ort">{postcode}&nbsp;{city}</span>
  </div>
{geo}  <ul class="kontakt">
{contact}
  </ul>
  <h2>Öffnungszeiten</h2>
  <p class="oeffnungszeiten">{hours}</p>
  <ul class="services" data-lieferung="{deliv}" data-abholung="{pick}">
    <li>Lieferung: {deliv}</li>
    <li>Abholung: {pick}</li>
  </ul>
  <div class="beschreibung"><p>{desc}</p></div>
</article>
<aside class="werbung"><p>Jetzt auch im Wupperfeld-Gutschein-Heft!</p></aside>
""".format(name=e(s["name"]), slug=s["slug"], cats=cats, street=e(s["street_written"]),
           postcode=s["postcode"], city=e(s["city"]), geo=geo, contact="\n".join(contact),
           hours=e(s["hours_written"]), deliv="ja" if s["delivery"] else "nein",
           pick="ja" if s["pickup"] else "nein", desc=e(s["description"]))
    return HEAD.format(title=e(s["name"])) + body + FOOT


def listing_page(shops, page, pages):
    items = []
    for s in shops:
        items.append('  <li class="eintrag"><a class="haendler-link" href="%s.html">%s</a>'
                     ' <span class="kurz">%s</span></li>' % (
                         s["slug"], s["name"].replace("&", "&amp;"), ", ".join(s["words"])))
    nav = []
    if page > 1:
        prev = "index.html" if page == 2 else "seite-%d.html" % (page - 1)
        nav.append('<a rel="prev" href="%s">« zurück</a>' % prev)
    if page < pages:
        nav.append('<a rel="next" href="seite-%d.html">weiter »</a>' % (page + 1))
    body = '<h1>Händler in Wupperfeld</h1>\n<p>Seite %d von %d</p>\n<ul class="haendler-liste">\n%s\n</ul>\n<nav class="blaettern">%s</nav>\n' % (
        page, pages, "\n".join(items), " ".join(nav))
    return HEAD.format(title="Händler, Seite %d" % page) + body + FOOT


OSM_BASE = 10000000
WHEELCHAIR = ["yes", "limited", "no"]


def in_osm(s):
    return s["i"] % 3 == 0


def in_register(s):
    return s["i"] % 4 == 2


def osm_node(s, i, name=None):
    """The OSM node of a shop: what mappers tag, in OSM's normal forms."""
    tags = {"name": name or s["name"]}
    for t in s["tags"][:1]:
        k, v = t.split("=")
        tags[k] = v
    tags["addr:street"] = s["street"]
    tags["addr:housenumber"] = s["housenumber"]
    tags["addr:postcode"] = s["postcode"]
    tags["addr:city"] = TOWN
    tags["phone"] = s["phone"]
    if s["website"]:
        tags["website"] = s["website"]
    if i % 4 == 1 or s["email"]:
        tags["contact:email"] = s["email"] or "kontakt@" + slug(s["name"]) + ".example"
    tags["opening_hours"] = s["hours"]
    tags["wheelchair"] = WHEELCHAIR[i % 3]
    return {"type": "node", "id": OSM_BASE + i,
            "lat": round(s["lat0"] + s["jitter"][0], 7),
            "lon": round(s["lon0"] + s["jitter"][1], 7), "tags": tags}


def register_row(s, i):
    """A row of the town's register: legal form, abbreviated street."""
    name = s["name"] + (" GmbH" if i % 3 == 1 else "")
    online = "ja" if i % 5 == 0 else "nein"
    has = i % 2 == 0
    return [str(7000 + i), name, s["street_written"], s["postcode"], TOWN,
            s["words"][0], online,
            ("%.6f" % (s["lat0"] - s["jitter"][0])).replace(".", ",") if has else "",
            ("%.6f" % (s["lon0"] - s["jitter"][1])).replace(".", ",") if has else ""]


def expected(s, base):
    return {
        "name": s["name"],
        "categories": sorted(s["tags"]),
        "source_categories": s["words"],
        "address": {"street": s["street"], "housenumber": s["housenumber"],
                    "postcode": s["postcode"], "city": s["city"]},
        "lat": s["lat"], "lon": s["lon"],
        "phone": s["phone"], "email": s["email"], "website": s["website"],
        "opening_hours": s["hours"], "opening_hours_text": s["hours_written"],
        "delivery": s["delivery"], "pickup": s["pickup"],
        "description": s["description"],
        "url": base + s["slug"] + ".html",
        "wheelchair": None, "online_shop": None,
        "sources": ["demo-wupperfeld-liefert"],
    }


def expected_merged(s, base, osm_url, reg_url):
    """A site shop with what OSM and the register add: only the fields
    the site lacks, and the fields only they have."""
    e = expected(s, base)
    i = s["i"]
    if in_osm(s):
        node = osm_node(s, i)
        e["sources"].append("demo-wupperfeld-osm")
        e["wheelchair"] = node["tags"]["wheelchair"]
        if e["lat"] is None:
            e["lat"], e["lon"] = node["lat"], node["lon"]
        if e["email"] is None:
            e["email"] = node["tags"].get("contact:email")
    if in_register(s):
        row = register_row(s, i)
        e["sources"].append("demo-wupperfeld-register")
        e["online_shop"] = row[6] == "ja"
        if e["lat"] is None and row[7]:
            e["lat"] = float(row[7].replace(",", "."))
            e["lon"] = float(row[8].replace(",", "."))
    return e


def expected_osm_only(s, osm_url):
    node = osm_node(s, s["i"])
    t = node["tags"]
    tag = [k + "=" + t[k] for k in ("shop", "amenity") if k in t]
    return {
        "name": s["name"], "categories": tag, "source_categories": tag,
        "address": {"street": s["street"], "housenumber": s["housenumber"],
                    "postcode": s["postcode"], "city": TOWN},
        "lat": node["lat"], "lon": node["lon"],
        "phone": s["phone"], "email": t.get("contact:email"),
        "website": s["website"], "opening_hours": s["hours"],
        "opening_hours_text": s["hours"], "delivery": None, "pickup": None,
        "description": None, "url": osm_url, "wheelchair": t["wheelchair"],
        "online_shop": None, "sources": ["demo-wupperfeld-osm"],
    }


def expected_register_only(s, reg_url):
    row = register_row(s, s["i"])
    return {
        "name": row[1], "categories": sorted(s["tags"][:1]),
        "source_categories": [row[5]],
        "address": {"street": s["street"], "housenumber": s["housenumber"],
                    "postcode": s["postcode"], "city": TOWN},
        "lat": float(row[7].replace(",", ".")) if row[7] else None,
        "lon": float(row[8].replace(",", ".")) if row[8] else None,
        "phone": None, "email": None, "website": None,
        "opening_hours": None, "opening_hours_text": None,
        "delivery": None, "pickup": None, "description": None,
        "url": reg_url, "wheelchair": None, "online_shop": row[6] == "ja",
        "sources": ["demo-wupperfeld-register"],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--shops", type=int, default=320)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--per-page", type=int, default=25)
    ap.add_argument("--base", default="http://127.0.0.1:48765/haendler/")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    shops = [make_shop(rng, i) for i in range(a.shops)]
    # shops only OSM knows, and businesses only the register lists
    osm_only = [make_shop(rng, 1000 + k * 3) for k in range(8)]
    reg_only = [make_shop(rng, 2002 + k * 4) for k in range(6)]
    d = os.path.join(a.outdir, "haendler")
    os.makedirs(d, exist_ok=True)
    pages = (len(shops) + a.per_page - 1) // a.per_page
    for p in range(1, pages + 1):
        chunk = shops[(p - 1) * a.per_page:p * a.per_page]
        fn = "index.html" if p == 1 else "seite-%d.html" % p
        with open(os.path.join(d, fn), "w", encoding="utf-8") as f:
            f.write(listing_page(chunk, p, pages))
    for s in shops:
        with open(os.path.join(d, s["slug"] + ".html"), "w", encoding="utf-8") as f:
            f.write(detail_page(s))
    with open(os.path.join(a.outdir, "index.html"), "w", encoding="utf-8") as f:
        f.write(HEAD.format(title="Start") + '<p><a href="/haendler/">Zu den Händlern</a></p>\n' + FOOT)
    root = a.base.split("/haendler/")[0]
    osm_url = root + "/osm/wupperfeld.json"
    reg_url = root + "/opendata/gewerbe.csv"
    os.makedirs(os.path.join(a.outdir, "osm"), exist_ok=True)
    os.makedirs(os.path.join(a.outdir, "opendata"), exist_ok=True)
    elements = [osm_node(s, s["i"]) for s in shops if in_osm(s)]
    elements += [osm_node(s, s["i"]) for s in osm_only]
    # a street and a bench: not places, skipped by the osm parser
    elements.append({"type": "node", "id": 42, "lat": 51.17, "lon": 7.08,
                     "tags": {"amenity": "bench"}})
    with open(os.path.join(a.outdir, "osm", "wupperfeld.json"), "w", encoding="utf-8") as f:
        json.dump({"version": 0.6, "generator": "Overpass API (demo)",
                   "osm3s": {"copyright": "The data included in this document is from "
                             "www.openstreetmap.org. The data is made available under ODbL."},
                   "elements": elements}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    rows = [register_row(s, s["i"]) for s in shops if in_register(s)]
    rows += [register_row(s, s["i"]) for s in reg_only]
    with open(os.path.join(a.outdir, "opendata", "gewerbe.csv"), "w", encoding="utf-8",
              newline="") as f:
        f.write("Nr;Name;Anschrift;PLZ;Ort;Branche;Online-Shop;Breite;Länge\r\n")
        for r in rows:
            f.write(";".join('"%s"' % c if ";" in c else c for c in r) + "\r\n")
    want = [expected_merged(s, a.base, osm_url, reg_url) for s in shops]
    want += [expected_osm_only(s, osm_url) for s in osm_only]
    want += [expected_register_only(s, reg_url) for s in reg_only]
    with open(os.path.join(a.outdir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(want, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
