#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the benchmark site: the shop directory of Bergstadt, a
synthetic city of N shops (default 20000).

The site is what a large municipal "local shops" directory might publish,
served as static files by nginx (bench/nginx.conf):

  /robots.txt                 allows the directory, disallows /intern/
  /index.html                 the start page
  /verzeichnis/index.html     listing pages, 50 shops each, linked by
  /verzeichnis/seite-K.html   rel="next"
  /verzeichnis/<slug>.html    one detail page per shop, 8 to 30 KB

Every page carries the surrounding markup of a real site: a large
navigation menu, a cookie banner, inline styles and scripts, a footer full
of links. Detail pages add a product list, reviews and links to shops
nearby; every second one (even shop numbers) has schema.org JSON-LD
(LocalBusiness) besides the HTML. The output is the same bytes for the same
--shops and --seed; meta.json says how many pages a full crawl fetches.

Usage: gen.py OUTDIR [--shops N] [--seed S] [--per-page K] [--base URL]
"""
import argparse
import json
import os
import random

SURNAMES = """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz
Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz
Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause
Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber
Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich
Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht
Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein
Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf""".split()

KINDS = [
    ("Bäckerei", "Bakery", ["Bäckerei {n}", "Backhaus {n}"]),
    ("Metzgerei", "ButcherShop", ["Metzgerei {n}", "Fleischerei {n}"]),
    ("Blumen", "Florist", ["Blumen {n}", "Blumenhaus {n}"]),
    ("Buchhandlung", "BookStore", ["Buchhandlung {n}", "Bücherstube {n}"]),
    ("Friseur", "HairSalon", ["Friseur {n}", "Salon {n}"]),
    ("Café", "CafeOrCoffeeShop", ["Café {n}", "Kaffeehaus {n}"]),
    ("Apotheke", "Pharmacy", ["{n}-Apotheke", "Apotheke am Markt {n}"]),
    ("Optik", "Optician", ["Optik {n}", "{n} Augenoptik"]),
    ("Schuhe", "ShoeStore", ["Schuhhaus {n}", "Schuh {n}"]),
    ("Spielwaren", "ToyStore", ["Spielwaren {n}", "Spielzeugkiste {n}"]),
    ("Fahrrad", "BikeStore", ["Zweirad {n}", "Fahrrad {n}"]),
    ("Feinkost", "Store", ["Feinkost {n}", "{n}s Delikatessen"]),
    ("Getränke", "LiquorStore", ["Getränke {n}", "Getränkemarkt {n}"]),
    ("Juwelier", "JewelryStore", ["Juwelier {n}", "Goldschmiede {n}"]),
    ("Restaurant", "Restaurant", ["Gasthaus {n}", "Restaurant {n}"]),
]
STREET_LIST = ["Hauptstraße", "Kölner Str.", "Bahnhofstraße", "Marktplatz",
               "Lindenweg", "Schützenstraße", "Mühlenweg", "Kirchgasse",
               "Friedrich-Ebert-Straße", "Wupperstraße", "Am Weyersberg",
               "Brückenstraße", "Gartenstraße", "Schulstraße", "Bergstraße"]
DISTRICTS = ["", "-Mitte", "-Nord", "-Süd", "-Altstadt"]
HOURS = ["Mo-Fr 9-18 Uhr", "Mo.–Fr. 09.00 – 18.00 Uhr, Sa. 9 – 14 Uhr",
         "Di-Fr 9-13 und 14:30-18 Uhr", "täglich 7-22 Uhr",
         "Mo-Sa 10-19 Uhr", "Mo - Fr 08:00 - 18:30 Uhr"]
PRODUCTS = """Bauernbrot Dinkelvollkorn Croissant Apfelstrudel Rinderfilet
Leberwurst Rosenstrauß Tulpen Kriminalroman Stadtführer Kinderbuch Espresso
Cappuccino Sonnenbrille Gleitsichtbrille Wanderschuh Sneaker Holzeisenbahn
Puzzle Trekkingrad E-Bike Olivenöl Parmesan Rotwein Mineralwasser Silberring
Armbanduhr Schnitzel Pasta""".split()
WORDS = """und der die das mit für im vom zum freundlich schnell lecker
gut beraten tolle Auswahl immer wieder gerne Preise Qualität Service
Lieferung pünktlich Team nett kompetent empfehlenswert Laden Innenstadt
seit Jahren Stammkunde wirklich prima""".split()
CATS = ["Lebensmittel", "Mode", "Gesundheit", "Freizeit", "Handwerk",
        "Gastronomie", "Dienstleistung", "Wohnen", "Technik", "Kultur"]
TOWN = "Bergstadt"
PER_PAGE = 50


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slugify(s):
    tr = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"}
    s = "".join(tr.get(c, c) for c in s.lower())
    out = "".join(c if c.isalnum() and c.isascii() else "-" for c in s)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def make_shop(rng, i):
    word, schema_type, patterns = KINDS[i % len(KINDS)]
    fam = rng.choice(SURNAMES)
    name = rng.choice(patterns).format(n=fam)
    phone_local = str(rng.randint(100000, 9999999))
    return {
        "i": i,
        "slug": "%06d-%s" % (i + 1, slugify(name)),
        "name": name,
        "word": word,
        "type": schema_type,
        "street": rng.choice(STREET_LIST),
        "number": str(rng.randint(1, 180)),
        "postcode": "%05d" % (42000 + rng.randint(0, 999)),
        "city": TOWN + rng.choice(DISTRICTS),
        "phone": ["0202 ", "(0202) ", "+49 202 "][i % 3] + phone_local,
        "email": "info@%s.example" % slugify(name) if i % 4 else None,
        "web": "https://www.%s-%d.example/" % (slugify(name), i)
        if i % 3 else None,
        "hours": HOURS[i % len(HOURS)],
        "lat": round(51.25 + rng.random() * 0.1, 6),
        "lon": round(7.10 + rng.random() * 0.15, 6),
        "delivery": i % 2 == 0,
        "target": rng.randint(8 * 1024, 29 * 1024),
    }


def head(title, rng):
    """The top of every page: meta, a style sheet, analytics, a menu."""
    rules = []
    for k in range(rng.randint(20, 40)):
        rules.append(".c%d-%d {{ margin: %dpx %dpx; color: #%06x; }}" % (
            k, rng.randint(0, 99), rng.randint(0, 20), rng.randint(0, 20),
            rng.randint(0, 0xFFFFFF)))
    menu = []
    for c in CATS:
        subs = "".join('<li><a href="/kategorie/%s/%d.html">%s %d</a></li>'
                       % (slugify(c), k, c, k) for k in range(4))
        menu.append('<li class="menu-item"><a href="/kategorie/%s/">%s</a>'
                    '<ul class="sub">%s</ul></li>' % (slugify(c), c, subs))
    return """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>%s – Einkaufen in %s</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Das Verzeichnis der Geschäfte in %s">
<link rel="stylesheet" href="/static/site.css?v=31">
<link rel="preload" href="/static/font.woff2" as="font" crossorigin>
<style>
body { font-family: "Source Sans Pro", sans-serif; margin: 0; }
.cookie { position: fixed; bottom: 0; background: #333; color: #fff; }
%s
</style>
<script>
window.dataLayer = window.dataLayer || [];
function gtag(){ dataLayer.push(arguments); }
gtag('js', new Date()); gtag('config', 'G-BERGSTADT');
(function(w, d) { var s = d.createElement('script'); s.async = true;
  s.src = '/static/consent.js?' + (w.innerWidth > 800 ? 'd' : 'm');
  if (w.location.hash.length > 0 && w.location.hash < '#z') { s.defer = 1; }
  d.head.appendChild(s); })(window, document);
</script>
</head>
<body class="seite">
<div class="cookie" id="cookie-banner">Wir verwenden Cookies, um diese
Seite zu verbessern. <a href="/intern/datenschutz.html">Mehr</a>
<button type="button" onclick="this.parentNode.remove()">OK</button></div>
<header class="kopf">
<a href="/" class="logo"><img src="/static/logo.svg" alt="Bergstadt"
 width="180" height="48"></a>
<form class="suche" action="/intern/suche" method="get">
<input type="search" name="q" placeholder="Geschäft suchen"></form>
<nav class="hauptmenue"><ul>%s</ul></nav>
</header>
<main id="inhalt">
""" % (esc(title), TOWN, TOWN, "\n".join(rules), "".join(menu))


def foot(rng):
    links = "".join('<li><a href="/info/%s.html">%s</a></li>' % (w, w)
                    for w in rng.sample(WORDS, 12))
    return """</main>
<footer class="fuss">
<div class="spalte"><h3>Stadtmarketing</h3><ul>%s</ul></div>
<div class="spalte"><h3>Rechtliches</h3><ul>
<li><a href="/intern/impressum.html">Impressum</a></li>
<li><a href="/intern/datenschutz.html">Datenschutz</a></li>
<li><a href="javascript:void(0)">Cookie-Einstellungen</a></li></ul></div>
<p>&copy; 2026 Stadt %s &ndash; Wirtschaftsförderung</p>
</footer>
<script src="/static/app.js?v=31" defer></script>
<script>
document.querySelectorAll('.sub').forEach(function (u) {
  u.parentNode.addEventListener('mouseenter', function () {
    u.classList.add('offen'); });
  u.parentNode.addEventListener('mouseleave', function () {
    u.classList.remove('offen'); });
});
</script>
</body>
</html>
""" % (links, TOWN)


def jsonld(s):
    d = {
        "@context": "https://schema.org",
        "@type": s["type"],
        "name": s["name"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "%s %s" % (s["street"], s["number"]),
            "postalCode": s["postcode"],
            "addressLocality": s["city"],
            "addressCountry": "DE",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": s["lat"],
                "longitude": s["lon"]},
        "telephone": s["phone"],
        "openingHours": s["hours"],
    }
    if s["email"]:
        d["email"] = s["email"]
    if s["web"]:
        d["url"] = s["web"]
    return ('<script type="application/ld+json">\n%s\n</script>\n'
            % json.dumps(d, ensure_ascii=False, indent=1))


def detail_page(s, shops, rng):
    contact = ['<li>Telefon: <a href="tel:%s">%s</a></li>'
               % (s["phone"].replace(" ", ""), esc(s["phone"]))]
    if s["email"]:
        contact.append('<li>E-Mail: <a href="mailto:%s">%s</a></li>'
                       % (s["email"], s["email"]))
    if s["web"]:
        contact.append('<li>Web: <a class="web" href="%s" rel="noopener">'
                       '%s</a></li>' % (s["web"], s["web"][8:-1]))
    near = rng.sample(range(len(shops)), min(4, len(shops)))
    nearby = "".join('<li><a href="%s.html">%s</a></li>'
                     % (shops[k]["slug"], esc(shops[k]["name"]))
                     for k in near)
    top = head(s["name"], rng)
    body = ["""<p class="breadcrumb"><a href="/verzeichnis/">Alle Geschäfte</a>
 › %s</p>
""" % esc(s["name"])]
    if s["i"] % 2 == 0:
        body.append(jsonld(s))
    body.append("""<article class="laden" id="laden-%s">
<h1 class="name">%s</h1>
<p class="kategorien"><span class="kategorie">%s</span></p>
<div class="adresse">
<span class="strasse">%s %s</span><br>
<span class="ort">%s&nbsp;%s</span>
</div>
<div class="karte" data-lat="%s" data-lon="%s"><noscript>Karte</noscript></div>
<ul class="kontakt">
%s
</ul>
<h2>Öffnungszeiten</h2>
<p class="oeffnungszeiten">%s</p>
<ul class="services" data-lieferung="%s">
<li>Lieferung: %s</li></ul>
<div class="beschreibung"><p>%s in %s, %s seit %d.</p></div>
</article>
""" % (s["slug"], esc(s["name"]), esc(s["word"]), esc(s["street"]),
       s["number"], s["postcode"], esc(s["city"]), s["lat"], s["lon"],
       "\n".join(contact), esc(s["hours"]),
       "ja" if s["delivery"] else "nein", "ja" if s["delivery"] else "nein",
       esc(s["name"]), TOWN, esc(s["word"]), 1950 + s["i"] % 70))
    body.append('<aside class="naehe"><h2>In der Nähe</h2><ul>%s</ul>'
                '</aside>\n' % nearby)
    bottom = foot(rng)
    size = len(top) + sum(len(b) for b in body) + len(bottom)
    # Fill up to the page's size with a product list and reviews.
    products, reviews = [], []
    k = 0
    while size < s["target"]:
        if k % 3 < 2:
            p = ('<li class="produkt" data-id="%d"><span class="titel">%s'
                 '</span> <span class="preis">%d,%02d&nbsp;€</span></li>\n'
                 % (k, rng.choice(PRODUCTS), rng.randint(1, 99),
                    rng.randint(0, 99)))
            products.append(p)
        else:
            p = ('<div class="bewertung"><span class="sterne">%d</span>'
                 '<p>%s.</p></div>\n'
                 % (rng.randint(1, 5),
                    " ".join(rng.choice(WORDS) for _ in range(30))))
            reviews.append(p)
        size += len(p)
        k += 1
    body.append('<section class="sortiment"><h2>Sortiment</h2><ul>\n%s'
                '</ul></section>\n<section class="bewertungen"><h2>'
                'Bewertungen</h2>\n%s</section>\n'
                % ("".join(products), "".join(reviews)))
    return top + "".join(body) + bottom


def listing_page(chunk, page, pages, rng):
    items = "\n".join(
        '<li class="eintrag"><a class="laden-link" href="%s.html">%s</a>'
        ' <span class="kurz">%s, %s</span></li>'
        % (s["slug"], esc(s["name"]), esc(s["word"]), esc(s["city"]))
        for s in chunk)
    nav = []
    if page > 1:
        prev = "./" if page == 2 else "seite-%d.html" % (page - 1)
        nav.append('<a rel="prev" href="%s">« zurück</a>' % prev)
    if page < pages:
        nav.append('<a rel="next" href="seite-%d.html">weiter »</a>'
                   % (page + 1))
    body = ('<h1>Geschäfte in %s</h1>\n<p>Seite %d von %d</p>\n'
            '<ul class="liste">\n%s\n</ul>\n<nav class="blaettern">%s</nav>\n'
            % (TOWN, page, pages, items, " ".join(nav)))
    return head("Geschäfte, Seite %d" % page, rng) + body + foot(rng)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--shops", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-page", type=int, default=PER_PAGE)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    shops = [make_shop(rng, i) for i in range(a.shops)]
    d = os.path.join(a.outdir, "verzeichnis")
    os.makedirs(d, exist_ok=True)
    pages = max(1, (len(shops) + a.per_page - 1) // a.per_page)
    total = 0
    for p in range(1, pages + 1):
        chunk = shops[(p - 1) * a.per_page:p * a.per_page]
        fn = "index.html" if p == 1 else "seite-%d.html" % p
        text = listing_page(chunk, p, pages, rng)
        total += len(text.encode())
        write(os.path.join(d, fn), text)
    for s in shops:
        text = detail_page(s, shops, rng)
        total += len(text.encode())
        write(os.path.join(d, s["slug"] + ".html"), text)
    write(os.path.join(a.outdir, "index.html"),
          head("Start", rng) + '<p><a href="/verzeichnis/">Zum Verzeichnis'
          '</a></p>\n' + foot(rng))
    write(os.path.join(a.outdir, "robots.txt"),
          "User-agent: *\nDisallow: /intern/\n\nUser-agent: BadBot\n"
          "Disallow: /\n")
    write(os.path.join(a.outdir, "meta.json"), json.dumps({
        "shops": len(shops), "listing_pages": pages,
        "detail_pages": len(shops), "pages": pages + len(shops),
        "bytes": total, "seed": a.seed}) + "\n")


if __name__ == "__main__":
    main()
