/* SPDX-License-Identifier: MIT */
/*
 * Tests of the open-data parts that golden files cannot show: coordinate
 * systems (normalize/crs.c), safe XML (parsers/xmldoc.c), [namespaces]
 * and [extract.PARSER] in definitions, the start URL queries of Overpass
 * and CKAN (conf/query.c), the links the catalogue parsers (ckan, dcat)
 * emit with their hints (parsers/formats.c), and whole crawls against the
 * loopback test server: CKAN paging and follow-through to the csv and
 * geojson parsers with the datasets' licences in the export, an Overpass
 * query, and a bbox that drops a point and says so in the report.
 *
 * The golden cases of the xml and osm parsers are in
 * tests/fixtures/{xml,osm}/ and run by test_golden.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/place.h"
#include "crawler/crawl.h"
#include "crawler/url.h"
#include "export/export.h"
#include "normalize/crs.h"
#include "parsers/formats.h"
#include "parsers/parser.h"
#include "parsers/xmldoc.h"
#include "store/store.h"
#include "tests/server/testserver.h"

#define FIX "tests/fixtures/"
#define CKAN_HOST "http://ckan.wupperfeld.example"

/* ---- helpers ------------------------------------------------------------ */

static void report(const char *msg, void *payload)
{
    struct cd_buf *b = payload;

    if(b)
        cd_buf_printf(b, "%s\n", msg);
    else
        print_error("%s\n", msg);
}

/* The whole file, NUL-terminated; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_BODY);
    char chunk[8192];
    FILE *f = fopen(path, "rb");
    size_t n;

    if(!f)
        fail_msg("%s: cannot open", path);
    while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(cd_buf_put(&b, chunk, n), 0);
    fclose(f);
    if(len)
        *len = b.len;
    return cd_buf_detach(&b);
}

/* s with every `from` replaced by `to`; the caller frees it. */
static char *replace(const char *s, const char *from, const char *to)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_BODY);
    const char *p;
    size_t n = strlen(from);

    while((p = strstr(s, from))) {
        assert_int_equal(cd_buf_put(&b, s, (size_t)(p - s)), 0);
        assert_int_equal(cd_buf_puts(&b, to), 0);
        s = p + n;
    }
    assert_int_equal(cd_buf_puts(&b, s), 0);
    return cd_buf_detach(&b);
}

/* Write text to path. */
static void spill(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* What a parse gave: records as JSON lines, links, warnings. */
struct got {
    struct cd_buf records;
    struct cd_buf links;
    long nrecords, nlinks;
};

static int collect(const struct cd_emit *e, void *payload)
{
    struct got *g = payload;
    char *js = NULL;

    if(e->kind == CD_EMIT_RECORD) {
        assert_int_equal(cd_record_to_json(&js, e->record), 0);
        assert_int_equal(cd_buf_printf(&g->records, "%s\n", js), 0);
        free(js);
        g->nrecords++;
    } else if(e->kind == CD_EMIT_LINK) {
        assert_int_equal(cd_buf_printf(&g->links, "%s\n", e->link), 0);
        g->nlinks++;
    }
    return 0;
}

static void got_init(struct got *g)
{
    memset(g, 0, sizeof(*g));
    cd_buf_init(&g->records, CD_MAX_BODY);
    cd_buf_init(&g->links, CD_MAX_BODY);
}

static void got_dispose(struct got *g)
{
    cd_buf_dispose(&g->records);
    cd_buf_dispose(&g->links);
}

/* Parse `body` as the document `url` with src (or its [extract.as]).
 * Returns the parser's code; err holds its message. */
static int parse_with(struct got *g, const struct cd_source *src,
                      const char *as, const char *url, const char *body,
                      size_t len, struct cd_parse_stats *ps,
                      struct cd_error *err)
{
    struct cd_arena *arena = NULL;
    struct cd_doc doc;
    int rc;

    if(as)
        src = cd_source_sub(src, as);
    assert_non_null(src);
    assert_int_equal(cd_arena_new(&arena), 0);
    memset(&doc, 0, sizeof(doc));
    doc.url = url;
    doc.body = body;
    doc.len = len;
    doc.arena = arena;
    rc = cd_parse(&doc, src, NULL, collect, g, ps, err);
    cd_arena_free(arena);
    return rc;
}

/* Load the definition text (written to a temporary file). */
static struct cd_source *load_text(const char *text, struct cd_buf *msgs)
{
    char path[] = "/tmp/cd-opendata-XXXXXX";
    struct cd_source *src = NULL;
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    close(fd);
    spill(path, text);
    cd_source_load(&src, path, report, msgs);
    unlink(path);
    return src;
}

/* ---- coordinates -------------------------------------------------------- */

static void test_opendata__crs_names(void **state)
{
    int epsg, urn;

    (void)state;
    assert_int_equal(cd_crs_parse(&epsg, &urn, "EPSG:25832"), 0);
    assert_int_equal(epsg, 25832);
    assert_int_equal(urn, 0);
    assert_int_equal(cd_crs_parse(&epsg, &urn,
                                  "urn:ogc:def:crs:EPSG::31467"), 0);
    assert_int_equal(epsg, 31467);
    assert_int_equal(urn, 1);
    assert_int_equal(cd_crs_parse(&epsg, &urn,
                                  "urn:ogc:def:crs:EPSG:6.9:3857"), 0);
    assert_int_equal(epsg, 3857);
    assert_int_equal(cd_crs_parse(&epsg, &urn, "http://www.opengis.net/def/"
                                  "crs/EPSG/0/25833"), 0);
    assert_int_equal(epsg, 25833);
    assert_int_equal(urn, 1);
    assert_int_equal(cd_crs_parse(&epsg, &urn, "http://www.opengis.net/gml/"
                                  "srs/epsg.xml#31466"), 0);
    assert_int_equal(epsg, 31466);
    assert_int_equal(urn, 0);
    assert_int_equal(cd_crs_parse(&epsg, &urn,
                                  "urn:ogc:def:crs:OGC:1.3:CRS84"), 0);
    assert_int_equal(epsg, 4326);
    assert_int_equal(cd_crs_parse(&epsg, &urn, "EPSG:"), CD_EINVALID);
    assert_int_equal(cd_crs_parse(&epsg, &urn, "EPSG:12a"), CD_EINVALID);
    assert_int_equal(cd_crs_parse(&epsg, &urn, "Gauss-Krüger"),
                     CD_EINVALID);
    assert_int_equal(cd_crs_parse(&epsg, &urn, "EPSG:1234567"),
                     CD_EINVALID);
}

static void test_opendata__crs_transform(void **state)
{
    struct cd_error err = { 0, "" };
    double lon, lat;
    int north;

    (void)state;
    /* the WFS fixture's first point; ~ 7.1554 E, 51.2378 N */
    assert_int_equal(cd_crs_to_wgs84(&lon, &lat, 25832, 371234.5,
                                     5677890.2), 0);
    assert_float_equal(lon, 7.1554244, 1e-6);
    assert_float_equal(lat, 51.2378364, 1e-6);
    /* Web Mercator */
    assert_int_equal(cd_crs_to_wgs84(&lon, &lat, 3857, 788000, 6640000), 0);
    assert_float_equal(lon, 7.0787, 1e-3);
    assert_float_equal(lat, 51.1056, 1e-3);
    /* Gauss-Krüger zone 3, given easting first although its authority
     * order is northing first */
    assert_int_equal(cd_crs_to_wgs84(&lon, &lat, 31467, 3370000, 5677000),
                     0);
    assert_float_equal(lon, 7.15, 0.05);
    assert_float_equal(lat, 51.23, 0.05);
    assert_int_equal(cd_crs_north_first(&north, 31467), 0);
    assert_int_equal(north, 1);
    assert_int_equal(cd_crs_north_first(&north, 4326), 0);
    assert_int_equal(north, 1);
    assert_int_equal(cd_crs_north_first(&north, 25832), 0);
    assert_int_equal(north, 0);
    assert_int_equal(cd_crs_to_wgs84(&lon, &lat, 4326, 7.1, 51.2), 0);
    assert_float_equal(lon, 7.1, 0);
    /* unknown to PROJ */
    assert_int_equal(cd_crs_to_wgs84(&lon, &lat, 999999, 1, 2),
                     CD_EINVALID);
    assert_int_equal(cd_crs_check("EPSG:999999", &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "EPSG:999999"));
    assert_int_equal(cd_crs_check("Gauss", &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "not a CRS name"));
    assert_int_equal(cd_crs_check("EPSG:25833", &err), 0);
    cd_crs_cache_clear();
    /* usable again after clearing */
    assert_int_equal(cd_crs_to_wgs84(&lon, &lat, 25832, 371234.5,
                                     5677890.2), 0);
    assert_float_equal(lon, 7.1554244, 1e-6);
}

/* crs and bbox in a definition: checked at load time, applied by
 * cd_parse() to every record. */
static void test_opendata__crs_bbox_definition(void **state)
{
    struct cd_buf msgs = CD_BUF_INIT(65536);
    struct cd_error err = { 0, "" };
    struct cd_parse_stats ps = { 0, 0 };
    struct cd_source *src;
    struct got g;
    const char *csvdef =
        "[source]\nid = utm\nparser = csv\nstart = https://x.example/a\n"
        "crs = EPSG:25832\nbbox = 7.0, 51.1, 7.3, 51.3\n"
        "[extract]\nname = column:n\nlat = column:y\nlon = column:x\n"
        "crs = column:srs\n";
    const char *csv = "n;x;y;srs\n"
                      "A;371234,5;5677890,2;\n"
                      "B;7,1;51,2;EPSG:4326\n"
                      "C;471234.5;5677890.2;\n"
                      "D;1;2;EPSG:999999\n"
                      "E;;;\n";

    (void)state;
    src = load_text("[source]\nid = a\nparser = osm\n"
                    "start = https://x.example/\ncrs = EPSG:999999\n"
                    "bbox = 7.3,51.1,7.0,51.3\n", &msgs);
    assert_null(src);
    assert_non_null(strstr(cd_buf_str(&msgs), ":5: crs 'EPSG:999999': "
                                              "PROJ has no"));
    assert_non_null(strstr(cd_buf_str(&msgs), ":6: 'bbox' must be "
                                              "minlon,minlat,maxlon,maxlat"));
    cd_buf_dispose(&msgs);

    src = load_text(csvdef, NULL);
    assert_non_null(src);
    assert_true(src->has_bbox);
    assert_float_equal(src->bbox[3], 51.3, 0);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "t.csv", csv, strlen(csv),
                                &ps, &err), 0);
    /* A transformed; B is WGS 84 by its own crs; C is 100 km east:
     * dropped; D's crs is unknown: kept without coordinates; E has none */
    assert_int_equal(g.nrecords, 4);
    assert_int_equal(ps.outside_bbox, 1);
    assert_int_equal(ps.bad_coords, 1);
    assert_non_null(strstr(cd_buf_str(&g.records),
                           "\"name\":\"A\",\"lat\":\"51.2378364\","
                           "\"lon\":\"7.1554244\""));
    assert_non_null(strstr(cd_buf_str(&g.records),
                           "\"name\":\"B\",\"lat\":\"51.2000000\","
                           "\"lon\":\"7.1000000\""));
    assert_null(strstr(cd_buf_str(&g.records), "\"C\""));
    assert_non_null(strstr(cd_buf_str(&g.records), "{\"name\":\"D\"}"));
    assert_null(strstr(cd_buf_str(&g.records), "crs"));
    got_dispose(&g);
    cd_source_free(src);
}

/* ---- XML safety --------------------------------------------------------- */

/* Parse body as XML; the code, and err. */
static int xml(const char *body, struct cd_error *err)
{
    struct cd_arena *arena = NULL;
    struct cd_doc doc;
    xmlDocPtr dom;
    int rc;

    assert_int_equal(cd_arena_new(&arena), 0);
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://x.example/doc.xml";
    doc.body = body;
    doc.len = strlen(body);
    doc.arena = arena;
    rc = cd_xmldoc_parse(&dom, &doc, err);
    cd_arena_free(arena);
    return rc;
}

static void test_opendata__xml_safety(void **state)
{
    struct cd_error err = { 0, "" };
    struct cd_buf deep = CD_BUF_INIT(CD_MAX_LINE);
    int i;

    (void)state;
    /* a billion laughs: refused at the first declaration */
    assert_int_equal(xml("<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE lolz [\n"
                         "<!ENTITY lol \"lol\">\n"
                         "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">\n"
                         "]>\n<lolz>&lol2;</lolz>", &err), CD_EINVALID);
    assert_string_equal(err.msg, "https://x.example/doc.xml:3: entity "
                                 "declarations are not allowed");
    /* an external entity: never read */
    assert_int_equal(xml("<!DOCTYPE x [<!ENTITY e SYSTEM "
                         "\"file:///etc/passwd\">]><x>&e;</x>", &err),
                     CD_EINVALID);
    assert_non_null(strstr(err.msg, "entity declarations are not allowed"));
    /* a parameter entity */
    assert_int_equal(xml("<!DOCTYPE x [<!ENTITY % p SYSTEM "
                         "\"http://127.0.0.1:9/p.dtd\"> %p;]><x/>", &err),
                     CD_EINVALID);
    /* an external DTD is not loaded (no network), the document is read */
    assert_int_equal(xml("<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/x.dtd\">"
                         "<x>ok</x>", &err), 0);
    /* not well-formed: where */
    assert_int_equal(xml("<a>\n<b>\n</a>", &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "https://x.example/doc.xml:3: not "
                                    "well-formed XML: "));
    assert_int_equal(xml("", &err), CD_EINVALID);
    /* deeper than libxml2's 256 without XML_PARSE_HUGE */
    for(i = 0; i < 300; i++)
        assert_int_equal(cd_buf_puts(&deep, "<a>"), 0);
    for(i = 0; i < 300; i++)
        assert_int_equal(cd_buf_puts(&deep, "</a>"), 0);
    assert_int_equal(xml(cd_buf_str(&deep), &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, ":1: not well-formed XML"));
    cd_buf_dispose(&deep);
}

/* [namespaces]: checked prefixes, bad lines, and the xml parser's check
 * that every prefix an XPath uses is declared. */
static void test_opendata__namespaces(void **state)
{
    struct cd_buf msgs = CD_BUF_INIT(65536);
    struct cd_source *src;

    (void)state;
    src = load_text("[source]\nid = a\nparser = xml\n"
                    "start = https://x.example/\n"
                    "[namespaces]\nm = http://m.example/\n1x = urn:x\n"
                    "m = urn:again\nn =\n"
                    "[extract]\nname = xpath:m:Name\n", &msgs);
    assert_null(src);
    assert_non_null(strstr(cd_buf_str(&msgs), ":7: '1x' is not a "
                                              "namespace prefix"));
    assert_non_null(strstr(cd_buf_str(&msgs), ":8: namespace 'm' given "
                                              "twice"));
    assert_non_null(strstr(cd_buf_str(&msgs), ":9: "));
    cd_buf_reset(&msgs);
    src = load_text("[source]\nid = a\nparser = xml\n"
                    "start = https://x.example/\n"
                    "[namespaces]\nm = http://m.example/\n"
                    "[extract]\nitem = xpath://m:Markt\n"
                    "name = xpath:q:Name\n", &msgs);
    assert_null(src);
    assert_non_null(strstr(cd_buf_str(&msgs), ":9: 'xpath:q:Name' does "
                                              "not run: a namespace prefix "
                                              "is not in [namespaces]"));
    cd_buf_dispose(&msgs);
    src = load_text("[source]\nid = a\nparser = xml\n"
                    "start = https://x.example/\n"
                    "[namespaces]\nm = http://m.example/\n"
                    "[extract]\nitem = xpath://m:Markt\n"
                    "name = xpath:m:Name\n", NULL);
    assert_non_null(src);
    assert_int_equal(src->ns.n, 2);
    assert_string_equal(src->ns.v[0], "m");
    assert_string_equal(src->ns.v[1], "http://m.example/");
    cd_source_free(src);
}

/* ---- definitions: sub-sections and start queries ------------------------ */

static void test_opendata__extract_sections(void **state)
{
    struct cd_buf msgs = CD_BUF_INIT(65536);
    struct cd_source *src;
    const struct cd_source *csv;

    (void)state;
    src = load_text("[source]\nid = a\nparser = ckan\n"
                    "start = https://x.example/api/3/action/package_search\n"
                    "[extract.nope]\nname = const:x\n"
                    "[extract.csv]\nname = css:h1\n"
                    "[extract.geojson]\nname = json:n\nname = json:m\n",
                    &msgs);
    assert_null(src);
    assert_non_null(strstr(cd_buf_str(&msgs), ":5: unknown parser 'nope' "
                                              "in [extract.nope]"));
    assert_non_null(strstr(cd_buf_str(&msgs), ":8: parser 'csv' does not "
                                              "take css: selectors"));
    assert_non_null(strstr(cd_buf_str(&msgs), ":11: key 'name' given "
                                              "twice (first at line 10)"));
    cd_buf_dispose(&msgs);

    src = load_text("[source]\nid = a\nparser = ckan\ncity = Wupperfeld\n"
                    "license = dl-de/by-2-0\ncrs = EPSG:25832\n"
                    "start = https://x.example/api/3/action/package_search\n"
                    "[extract.csv]\nname = column:Name\n"
                    "[extract.geojson]\n", NULL);
    assert_non_null(src);
    assert_int_equal(src->nsubs, 2);
    csv = cd_source_sub(src, "csv");
    assert_non_null(csv);
    assert_string_equal(csv->parser->name, "csv");
    assert_string_equal(csv->id, "a");
    assert_string_equal(csv->city, "Wupperfeld");
    assert_string_equal(csv->license, "dl-de/by-2-0");
    assert_string_equal(csv->crs, "EPSG:25832");
    assert_non_null(csv->extract[CD_F_NAME]);
    assert_null(src->extract[CD_F_NAME]);
    assert_non_null(cd_source_sub(src, "geojson"));
    assert_null(cd_source_sub(src, "json"));
    cd_source_free(src);
}

static void test_opendata__start_queries(void **state)
{
    struct cd_source *src;
    char *def;

    (void)state;
    src = load_text("[source]\nid = a\nparser = osm\n"
                    "start = https://overpass.example/api/interpreter\n"
                    "overpass = [out:json];nwr[shop](51.2,7.1,51.3,7.2);"
                    "out center;\n", NULL);
    assert_non_null(src);
    assert_string_equal(src->start.v[0],
                        "https://overpass.example/api/interpreter?data="
                        "%5Bout%3Ajson%5D%3Bnwr%5Bshop%5D%2851.2%2C7.1%2C"
                        "51.3%2C7.2%29%3Bout%20center%3B");
    cd_source_free(src);

    def = slurp(FIX "opendata/ckan_wupperfeld.ini", NULL);
    src = load_text(def, NULL);
    free(def);
    assert_non_null(src);
    assert_string_equal(src->start.v[0],
                        CKAN_HOST "/api/3/action/package_search"
                        "?q=Einzelhandel"
                        "&fq=tags%3A%22Einzelhandel%22%20AND%20organization"
                        "%3A%22stadt-wupperfeld%22%20AND%20res_format%3A%28"
                        "%22CSV%22%20OR%20%22GeoJSON%22%29"
                        "&rows=2&start=0");
    assert_int_equal(src->cat_formats.n, 2);
    assert_string_equal(src->cat_formats.v[1], "GeoJSON");
    cd_source_free(src);

    /* a parameter the URL has is left alone */
    src = load_text("[source]\nid = a\nparser = ckan\n"
                    "start = https://x.example/api/3/action/package_search"
                    "?rows=5\n", NULL);
    assert_non_null(src);
    assert_string_equal(src->start.v[0], "https://x.example/api/3/action/"
                                         "package_search?rows=5&start=0");
    cd_source_free(src);
}

/* ---- catalogue links ---------------------------------------------------- */

static void test_opendata__hints(void **state)
{
    char *url = NULL, *p = NULL, *l = NULL;

    (void)state;
    assert_int_equal(cd_hint_link(&url, "https://x.example/a b.csv#top",
                                  "csv", "dl-by-de/2.0"), 0);
    assert_string_equal(url, "https://x.example/a b.csv#citydir:parser=csv"
                             "&license=dl-by-de%2F2.0");
    assert_int_equal(cd_hint_read(&p, &l, url), 0);
    assert_string_equal(p, "csv");
    assert_string_equal(l, "dl-by-de/2.0");
    free(p);
    free(l);
    free(url);
    /* URL normalisation keeps a hint, drops other fragments */
    assert_int_equal(cd_url_resolve(&url, "https://X.example/dir/",
                                    "d.csv#citydir:parser=csv", NULL), 0);
    assert_string_equal(url, "https://x.example/dir/d.csv#citydir:"
                             "parser=csv");
    free(url);
    assert_int_equal(cd_url_resolve(&url, "https://x.example/dir/",
                                    "d.csv#section", NULL), 0);
    assert_string_equal(url, "https://x.example/dir/d.csv");
    assert_int_equal(cd_hint_read(&p, &l, url), 0);
    assert_null(p);
    assert_null(l);
    free(url);
    assert_string_equal(cd_format_parser("GeoJSON", NULL, NULL), "geojson");
    assert_string_equal(cd_format_parser("http://publications.europa.eu/"
                                         "resource/authority/file-type/CSV",
                                         NULL, NULL), "csv");
    assert_string_equal(cd_format_parser(NULL, "https://www.iana.org/"
                                         "assignments/media-types/"
                                         "application/geo+json", NULL),
                        "geojson");
    assert_string_equal(cd_format_parser("", NULL, "https://x.example/"
                                         "shops.osm?x=1"), "osm");
    assert_null(cd_format_parser("PDF", "application/pdf",
                                 "https://x.example/a.pdf"));
}

static void test_opendata__ckan_links(void **state)
{
    struct cd_error err = { 0, "" };
    struct cd_source *src;
    struct got g;
    size_t len;
    char *body = slurp(FIX "ckan/package_search_p1.json", &len);
    char *def = slurp(FIX "opendata/ckan_wupperfeld.ini", NULL);

    (void)state;
    src = load_text(def, NULL);
    assert_non_null(src);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, src->start.v[0], body, len,
                                NULL, &err), 0);
    assert_int_equal(g.nrecords, 0);
    assert_string_equal(cd_buf_str(&g.links),
        CKAN_HOST "/dataset/einzelhandel-wupperfeld/resource/"
        "einzelhandel.csv#citydir:parser=csv&license=dl-by-de%2F2.0\n"
        CKAN_HOST "/dataset/wochenmaerkte-wupperfeld/resource/"
        "maerkte.geojson#citydir:parser=geojson&license=dl-zero-de%2F2.0\n"
        CKAN_HOST "/api/3/action/package_search?q=Einzelhandel&fq=tags%3A"
        "%22Einzelhandel%22%20AND%20organization%3A%22stadt-wupperfeld%22"
        "%20AND%20res_format%3A%28%22CSV%22%20OR%20%22GeoJSON%22%29"
        "&rows=2&start=2\n");
    got_dispose(&g);
    cd_source_free(src);

    /* without [extract.geojson] and with format = CSV: the CSV only; the
     * last page has no next link */
    src = load_text("[source]\nid = a\nparser = ckan\n"
                    "start = https://x.example/api/3/action/package_search\n"
                    "[catalog]\nformat = csv\n"
                    "[extract.csv]\nname = column:Name\n"
                    "[extract.json]\nname = json:name\n", NULL);
    assert_non_null(src);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/api/3/"
                                "action/package_search?rows=2&start=0",
                                body, len, NULL, &err), 0);
    assert_int_equal(g.nlinks, 2);
    assert_non_null(strstr(cd_buf_str(&g.links), "einzelhandel.csv#"));
    assert_non_null(strstr(cd_buf_str(&g.links), "&start=2\n"));
    free(body);
    got_dispose(&g);
    body = slurp(FIX "ckan/package_search_p2.json", &len);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/api/3/"
                                "action/package_search?rows=2&start=2",
                                body, len, NULL, &err), 0);
    assert_string_equal(cd_buf_str(&g.links),
        CKAN_HOST "/dataset/gastronomie-lieferdienste/resource/"
        "lieferdienste.csv#citydir:parser=csv&license=cc-by-4.0\n");
    got_dispose(&g);
    /* CKAN's own error */
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/e",
                                "{\"success\": false, \"error\": {\"message\""
                                ": \"Search error\", \"__type\": \"Search "
                                "Query Error\"}}", 88, NULL, &err),
                     CD_EINVALID);
    assert_string_equal(err.msg, "https://x.example/e: CKAN says: Search "
                                 "error");
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/e",
                                "{\"success\": tru", 15, NULL, &err),
                     CD_EINVALID);
    assert_non_null(strstr(err.msg, "https://x.example/e:1:"));
    got_dispose(&g);
    free(body);
    free(def);
    cd_source_free(src);
}

static void test_opendata__dcat_links(void **state)
{
    struct cd_error err = { 0, "" };
    struct cd_source *src;
    struct got g;
    size_t len;
    char *def, *body = slurp(FIX "dcat/dataset_gov_de_rostock.rdf", &len);

    (void)state;
    def = slurp(FIX "opendata/dcat_rostock.ini", NULL);
    src = load_text(def, NULL);
    free(def);
    assert_non_null(src);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, src->start.v[0], body, len,
                                NULL, &err), 0);
    assert_string_equal(cd_buf_str(&g.links),
        "https://geo.sv.rostock.de/download/opendata/lieferservices/"
        "lieferservices.json#citydir:parser=geojson&license=http%3A%2F%2F"
        "dcat-ap.de%2Fdef%2Flicenses%2Fcc-zero\n");
    got_dispose(&g);
    free(body);

    /* the reference example: a ZIP no parser reads; with a parser for
     * it, its licence is the distribution's */
    body = slurp(FIX "dcat/dcatapde_v2_simple.rdf", &len);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "simple.rdf", body, len,
                                NULL, &err), 0);
    assert_int_equal(g.nlinks, 0);
    got_dispose(&g);
    free(body);

    /* a paged catalogue, distributions by reference, [catalog] tags */
    cd_source_free(src);
    src = load_text("[source]\nid = a\nparser = dcat\n"
                    "start = https://x.example/catalog.rdf\n"
                    "[catalog]\ntags = Einzelhandel\n"
                    "[extract.csv]\nname = column:Name\n", NULL);
    assert_non_null(src);
    body = slurp(FIX "dcat/catalog_paged.rdf", &len);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/"
                                "catalog.rdf", body, len, NULL, &err), 0);
    assert_string_equal(cd_buf_str(&g.links),
        "https://opendata.wupperfeld.example/einzelhandel.csv#citydir:"
        "parser=csv&license=http%3A%2F%2Fdcat-ap.de%2Fdef%2Flicenses%2F"
        "dl-by-de%2F2.0\n"
        "https://opendata.wupperfeld.example/catalog.rdf?page=2\n");
    got_dispose(&g);
    free(body);
    /* not RDF/XML at all */
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/c.rdf",
                                "<rdf:RDF", 8, NULL, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "https://x.example/c.rdf:1: not "
                                    "well-formed XML"));
    got_dispose(&g);
    cd_source_free(src);
}

static void test_opendata__osm_errors(void **state)
{
    struct cd_error err = { 0, "" };
    struct cd_source *src;
    struct got g;
    const char *remark =
        "{\"version\": 0.6, \"elements\": [], \"remark\": \"runtime error: "
        "Query timed out in \\\"query\\\" at line 1 after 61 seconds.\"}";

    (void)state;
    src = load_text("[source]\nid = a\nparser = osm\n"
                    "start = https://x.example/\n", NULL);
    assert_non_null(src);
    got_init(&g);
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/i", remark,
                                strlen(remark), NULL, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "https://x.example/i: Overpass says: "
                                    "runtime error: Query timed out"));
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/i",
                                "<html/>", 7, NULL, &err), CD_EINVALID);
    assert_string_equal(err.msg, "https://x.example/i:1: not OSM XML (the "
                                 "root is <html>, not <osm>)");
    assert_int_equal(parse_with(&g, src, NULL, "https://x.example/i",
                                "%PDF", 4, NULL, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "neither OSM XML nor Overpass JSON"));
    got_dispose(&g);
    cd_source_free(src);
}

/* ---- crawls against the loopback server --------------------------------- */

struct fx {
    char dir[64];
    char db[128];
    char base[64];
    struct cd_store *store;
    struct cd_testserver *ts;
    struct cd_crawl_opts opts;
    struct cd_crawl_report rep;
    char *bodies[8];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct cd_error err = { 0, "" };

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cd-opendata-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/citydir.db", f->dir);
    if(cd_store_open(&f->store, f->db, 0, &err))
        fail_msg("store: %s", err.msg);
    assert_int_equal(cd_testserver_start(&f->ts, NULL, NULL, 0, 0), 0);
    snprintf(f->base, sizeof(f->base), "http://127.0.0.1:%u",
             cd_testserver_port(f->ts));
    f->opts.min_retry_ms = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char path[160];
    size_t i;

    cd_crawl_report_dispose(&f->rep);
    cd_testserver_stop(f->ts);
    cd_store_close(f->store);
    for(i = 0; i < CD_ARRAY_SIZE(f->bodies); i++)
        free(f->bodies[i]);
    snprintf(path, sizeof(path), "%s/citydir.db-wal", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/citydir.db-shm", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/def.ini", f->dir);
    unlink(path);
    unlink(f->db);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Load a definition from text with CKAN_HOST made the test server. */
static struct cd_source *fx_source(struct fx *f, const char *text)
{
    struct cd_source *src = NULL;
    char path[160];
    char *t = replace(text, CKAN_HOST, f->base);

    snprintf(path, sizeof(path), "%s/def.ini", f->dir);
    spill(path, t);
    free(t);
    if(cd_source_load(&src, path, report, NULL))
        fail_msg("%s: does not load", path);
    return src;
}

/* A fixture file as a route body, CKAN_HOST made the test server. */
static const char *fx_body(struct fx *f, size_t i, const char *file)
{
    char *raw = slurp(file, NULL);

    f->bodies[i] = replace(raw, CKAN_HOST, f->base);
    free(raw);
    return f->bodies[i];
}

static const struct cd_source_report *crawl1(struct fx *f,
                                             struct cd_source *s)
{
    struct cd_error err = { 0, "" };

    cd_crawl_report_dispose(&f->rep);
    if(cd_crawl_run(&f->rep, f->store, &s, 1, &f->opts, &err))
        fail_msg("crawl: %s", err.msg);
    assert_int_equal(f->rep.n, 1);
    return &f->rep.v[0];
}

/* "name|license|lat" per place, in id order. */
static int add_place(const struct cd_place *p, void *payload)
{
    struct cd_buf *b = payload;

    return cd_buf_printf(b, "%s|%s|%.4f\n", p->name ? p->name : "",
                         p->nsources && p->sources[0].license
                             ? p->sources[0].license : "-",
                         p->has_coords ? p->lat : 0.0);
}

/* Sorted lines of every place; the caller frees. */
static char *places(struct fx *f)
{
    struct cd_place_query q = { NULL, -1 };
    struct cd_buf b = CD_BUF_INIT(CD_MAX_BODY);
    struct cd_error err = { 0, "" };
    char *lines[64], *s, *p;
    size_t n = 0, i;
    struct cd_buf out = CD_BUF_INIT(CD_MAX_BODY);

    if(cd_store_places_foreach(f->store, &q, add_place, &b, &err))
        fail_msg("places: %s", err.msg);
    s = cd_buf_detach(&b);
    for(p = s; *p && n < 64; n++) {
        lines[n] = p;
        p = strchr(p, '\n');
        *p++ = '\0';
    }
    for(i = 0; i + 1 < n; i++) {  /* a few lines: insertion sort */
        size_t j;

        for(j = i + 1; j < n; j++) {
            if(strcmp(lines[j], lines[i]) < 0) {
                char *t = lines[i];

                lines[i] = lines[j];
                lines[j] = t;
            }
        }
    }
    for(i = 0; i < n; i++)
        assert_int_equal(cd_buf_printf(&out, "%s\n", lines[i]), 0);
    free(s);
    return cd_buf_detach(&out);
}

/* CKAN: two pages, follow-through to csv and geojson (in EPSG:25832),
 * every record with its dataset's licence, in the store and the export. */
static void test_opendata__crawl_ckan(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[6];
    const struct cd_source_report *r;
    struct cd_source *src;
    struct cd_export_opts eo = { NULL, -1 };
    struct cd_error err = { 0, "" };
    char path[160], *pl, *out;
    FILE *fp;
    char *def = slurp(FIX "opendata/ckan_wupperfeld.ini", NULL);

    memset(routes, 0, sizeof(routes));
    routes[0].path = "/api/3/action/package_search?start=2";
    routes[0].body = fx_body(f, 0, FIX "ckan/package_search_p2.json");
    routes[0].content_type = "application/json";
    routes[1].path = "/api/3/action/package_search";
    routes[1].body = fx_body(f, 1, FIX "ckan/package_search_p1.json");
    routes[1].content_type = "application/json";
    routes[2].path = "/dataset/einzelhandel-wupperfeld/resource/"
                     "einzelhandel.csv";
    routes[2].body = fx_body(f, 2, FIX "ckan/einzelhandel.csv");
    routes[2].content_type = "text/csv";
    routes[3].path = "/dataset/wochenmaerkte-wupperfeld/resource/"
                     "maerkte.geojson";
    routes[3].body = fx_body(f, 3, FIX "ckan/maerkte.geojson");
    routes[3].content_type = "application/geo+json";
    routes[4].path = "/dataset/gastronomie-lieferdienste/resource/"
                     "lieferdienste.csv";
    routes[4].body = fx_body(f, 4, FIX "ckan/lieferdienste.csv");
    routes[4].content_type = "text/csv";
    cd_testserver_set_routes(f->ts, routes, 5);
    src = fx_source(f, def);
    r = crawl1(f, src);
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(cd_testserver_hits(f->ts, "/api/3/action/"
                                               "package_search"), 2);
    assert_int_equal(r->stats.pages_fetched, 5);
    assert_int_equal(r->stats.records, 7);
    pl = places(f);
    assert_string_equal(pl,
        "Bauernmarkt Ölberg|dl-zero-de/2.0|51.2402\n"
        "Buchhandlung Schulte|dl-by-de/2.0|51.2390\n"
        "Bäckerei Haas|dl-by-de/2.0|51.2378\n"
        "Café Kühn|cc-by-4.0|51.2391\n"
        "Fleischerei Frank|dl-by-de/2.0|51.2379\n"
        "Trattoria Capri|cc-by-4.0|51.2402\n"
        "Wochenmarkt Rathausplatz|dl-zero-de/2.0|51.2336\n");
    free(pl);

    /* the export carries each place's licence, the source's too */
    snprintf(path, sizeof(path), "%s/out.json", f->dir);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    if(cd_exporter_find("json")->write(fp, f->store, &eo, &err))
        fail_msg("export: %s", err.msg);
    assert_int_equal(fclose(fp), 0);
    out = slurp(path, NULL);
    assert_non_null(strstr(out, "\"license\":\"dl-de/by-2-0\""));
    assert_non_null(strstr(out, "\"name\":\"Café Kühn\""));
    assert_non_null(strstr(out, "\"license\":\"cc-by-4.0\"}"));
    assert_non_null(strstr(out, "\"categories\":[\"amenity=marketplace\"]"));
    free(out);
    unlink(path);
    free(def);
    cd_source_free(src);
}

/* Overpass: the query goes as data= to the endpoint, which answers. */
static void test_opendata__crawl_overpass(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[1];
    const struct cd_source_report *r;
    struct cd_source *src;
    char def[1024], *pl;

    memset(routes, 0, sizeof(routes));
    routes[0].path = "/api/interpreter?data=[out:json][timeout:25];"
                     "nwr[shop](49.9,6.9,50.1,7.2);out center;";
    routes[0].body = fx_body(f, 0, FIX "osm/overpass_mosel.json");
    routes[0].content_type = "application/json";
    cd_testserver_set_routes(f->ts, routes, 1);
    snprintf(def, sizeof(def),
             "[source]\nid = mosel\nparser = osm\nlicense = ODbL-1.0\n"
             "start = %s/api/interpreter\n"
             "overpass = [out:json][timeout:25];"
             "nwr[shop](49.9,6.9,50.1,7.2);out center;\n"
             "[crawl]\ndelay_ms = 0\n", CKAN_HOST);
    src = fx_source(f, def);
    r = crawl1(f, src);
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(r->stats.records, 14);
    assert_int_equal(cd_testserver_hits(f->ts, "/api/interpreter"), 1);
    pl = places(f);
    assert_non_null(strstr(pl, "Backhaus Obczernitzki|ODbL-1.0|49.9818\n"));
    assert_non_null(strstr(pl, "Die Lohner's|ODbL-1.0|0.0000\n"));
    free(pl);
    cd_source_free(src);

    /* another query is another URL: the endpoint does not know it */
    snprintf(def, sizeof(def),
             "[source]\nid = mosel\nparser = osm\n"
             "start = %s/api/interpreter\n"
             "overpass = nwr[amenity];out;\n[crawl]\nretries = 0\n",
             CKAN_HOST);
    src = fx_source(f, def);
    r = crawl1(f, src);
    assert_int_equal(r->status, CD_RUN_FAILED);
    cd_source_free(src);
}

/* A bbox drops a point, and the report says so. */
static void test_opendata__crawl_bbox_report(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[1];
    const struct cd_source_report *r;
    struct cd_source *src;
    struct cd_error err = { 0, "" };
    char path[160], *def, *text, *rep;

    memset(routes, 0, sizeof(routes));
    routes[0].path = "/wfs";
    routes[0].body = fx_body(f, 0, FIX "xml/wfs_einzelhandel.xml");
    routes[0].content_type = "application/gml+xml";
    cd_testserver_set_routes(f->ts, routes, 1);
    text = slurp(FIX "xml/wfs_einzelhandel.ini", NULL);
    def = replace(text, "https://geodienste.wupperfeld.example/wfs?",
                  CKAN_HOST "/wfs?");
    free(text);
    src = fx_source(f, def);
    r = crawl1(f, src);
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(r->stats.records, 3);
    assert_int_equal(r->stats.outside_bbox, 1);
    snprintf(path, sizeof(path), "%s/report.json", f->dir);
    assert_int_equal(cd_crawl_report_write_json(&f->rep, path, &err), 0);
    rep = slurp(path, NULL);
    assert_non_null(strstr(rep, "\"outside_bbox\": 1"));
    free(rep);
    unlink(path);
    free(def);
    cd_source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opendata__crs_names),
        cmocka_unit_test(test_opendata__crs_transform),
        cmocka_unit_test(test_opendata__crs_bbox_definition),
        cmocka_unit_test(test_opendata__xml_safety),
        cmocka_unit_test(test_opendata__namespaces),
        cmocka_unit_test(test_opendata__extract_sections),
        cmocka_unit_test(test_opendata__start_queries),
        cmocka_unit_test(test_opendata__hints),
        cmocka_unit_test(test_opendata__ckan_links),
        cmocka_unit_test(test_opendata__dcat_links),
        cmocka_unit_test(test_opendata__osm_errors),
        cmocka_unit_test_setup_teardown(test_opendata__crawl_ckan, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_opendata__crawl_overpass,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_opendata__crawl_bbox_report,
                                        setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    cd_crs_cache_clear();
    return rc;
}
