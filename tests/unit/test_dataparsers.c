/* SPDX-License-Identifier: MIT */
/*
 * Tests of the data parsers beyond their golden cases (test_golden.c):
 * json: paths and column: names (select/json.c, select/column.c), the
 * csv reader's sniffing, charsets and errors, the checks each parser adds
 * to `citydir check`, and the schemaorg parser's type table, its lenient
 * JSON-LD reading (against extruct's expectations for its invalid
 * samples) and its warnings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/record.h"
#include "normalize/normalize.h"
#include "parsers/parser.h"
#include "parsers/schemaorg.h"
#include "select/column.h"
#include "select/json.h"
#include "select/selector.h"

/* ---- helpers ---------------------------------------------------------- */

struct got {
    json_t *records;       /* cd_record_to_json() objects */
    json_t *links;         /* strings */
    json_t *warnings;      /* strings */
};

static int collect(const struct cd_emit *e, void *payload)
{
    struct got *g = payload;
    char *js;

    switch(e->kind) {
    case CD_EMIT_RECORD:
        assert_int_equal(cd_record_to_json(&js, e->record), 0);
        json_array_append_new(g->records, json_loads(js, 0, NULL));
        free(js);
        break;
    case CD_EMIT_LINK:
        json_array_append_new(g->links, json_string(e->link));
        break;
    case CD_EMIT_WARNING:
        json_array_append_new(g->warnings, json_string(e->message));
        break;
    default:
        break;
    }
    return 0;
}

static void got_init(struct got *g)
{
    g->records = json_array();
    g->links = json_array();
    g->warnings = json_array();
}

static void got_dispose(struct got *g)
{
    json_decref(g->records);
    json_decref(g->links);
    json_decref(g->warnings);
}

static void report(const char *msg, void *payload)
{
    struct cd_buf *b = payload;

    assert_int_equal(cd_buf_printf(b, "%s\n", msg), 0);
}

/* Load a definition written to a temporary file; errors into *errors. */
static int load_text(struct cd_source **out, const char *text,
                     struct cd_buf *errors)
{
    char path[] = "/tmp/citydir-test-XXXXXX.ini";
    int fd = mkstemps(path, 4), rc;
    FILE *f;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    rc = cd_source_load(out, path, report, errors);
    unlink(path);
    return rc;
}

/* Parse body with the definition `ini`. Returns the parser's code. */
static int parse_with(struct got *g, const char *ini, const char *body,
                      size_t len, const char *charset, struct cd_error *err)
{
    struct cd_buf errors = CD_BUF_INIT(65536);
    struct cd_source *src = NULL;
    struct cd_arena *arena = NULL;
    struct cd_doc doc;
    int rc;

    if(load_text(&src, ini, &errors))
        fail_msg("definition does not load: %s", cd_buf_str(&errors));
    cd_buf_dispose(&errors);
    assert_int_equal(cd_arena_new(&arena), 0);
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://example.org/doc";
    doc.charset = charset;
    doc.body = body;
    doc.len = len;
    doc.arena = arena;
    got_init(g);
    rc = src->parser->parse(&doc, src, collect, g, err);
    cd_arena_free(arena);
    cd_source_free(src);
    return rc;
}

static struct cd_selector *sel(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err;

    if(cd_selector_compile(&s, text, &err))
        fail_msg("%s: %s", text, err.msg);
    return s;
}

static int add_value(const char *v, size_t n, void *payload)
{
    json_array_append_new(payload, json_stringn(v, n));
    return 0;
}

/* The values of json: selector `text` on the JSON `doc`, as a JSON array
 * dumped compactly into out. */
static void eval(char *out, size_t outsz, const char *text, const char *doc)
{
    struct cd_selector *s = sel(text);
    struct cd_error err = { 0, "" };
    json_t *root = json_loads(doc, 0, NULL), *vals = json_array();
    char *d;

    assert_non_null(root);
    assert_int_equal(cd_selector_eval_json(s, root, add_value, vals, &err),
                     0);
    d = json_dumps(vals, JSON_COMPACT);
    snprintf(out, outsz, "%s", d);
    free(d);
    json_decref(vals);
    json_decref(root);
    cd_selector_free(s);
}

/* ---- json: paths ------------------------------------------------------ */

static void test_dataparsers__json_paths(void **state)
{
    static const char doc[] =
        "{\"results\":[{\"n\":\"a\",\"t\":[\"x\",\"y\"]},{\"n\":\"b\"}],"
        "\"geo\":{\"lat\":51.16612122151621,\"lon\":7},"
        "\"details\":[{\"type\":\"tel\",\"value\":\"1\"},"
        "{\"type\":\"mail\",\"value\":\"m\"},{\"type\":\"tel\",\"value\":2}],"
        "\"a.b\":true,\"nul\":null,\"obj\":{\"k\":\"v\"},"
        "\"addr:street\":\"Dahl\"}";
    char out[512];

    (void)state;
    eval(out, sizeof(out), "json:results.*.n", doc);
    assert_string_equal(out, "[\"a\",\"b\"]");
    eval(out, sizeof(out), "json:results[*].n", doc);
    assert_string_equal(out, "[\"a\",\"b\"]");
    eval(out, sizeof(out), "json:results[0].t", doc);  /* an array */
    assert_string_equal(out, "[\"x\",\"y\"]");
    eval(out, sizeof(out), "json:results[-1].n", doc);
    assert_string_equal(out, "[\"b\"]");
    eval(out, sizeof(out), "json:results[5].n", doc);
    assert_string_equal(out, "[]");
    eval(out, sizeof(out), "json:geo.lat", doc);  /* shortest form */
    assert_string_equal(out, "[\"51.16612122151621\"]");
    eval(out, sizeof(out), "json:$.geo.lon", doc);
    assert_string_equal(out, "[\"7\"]");
    eval(out, sizeof(out), "json:details[type=tel].value", doc);
    assert_string_equal(out, "[\"1\",\"2\"]");
    eval(out, sizeof(out), "json:details['type' = \"mail\"].value", doc);
    assert_string_equal(out, "[\"m\"]");
    eval(out, sizeof(out), "json:[\"a.b\"]", doc);
    assert_string_equal(out, "[\"true\"]");
    eval(out, sizeof(out), "json:addr:street", doc);
    assert_string_equal(out, "[\"Dahl\"]");
    eval(out, sizeof(out), "json:nul", doc);   /* null: nothing */
    assert_string_equal(out, "[]");
    eval(out, sizeof(out), "json:obj", doc);   /* object: nothing */
    assert_string_equal(out, "[]");
    eval(out, sizeof(out), "json:obj.*", doc);
    assert_string_equal(out, "[\"v\"]");
    eval(out, sizeof(out), "json:geo.lat | regex:^(\\d+)\\.", doc);
    assert_string_equal(out, "[\"51\"]");
    eval(out, sizeof(out), "json:results.n", doc);  /* no implicit map */
    assert_string_equal(out, "[]");
}

static void test_dataparsers__json_path_errors(void **state)
{
    static const struct {
        const char *path, *msg;
    } bad[] = {
        { "a[0", "bad JSON path 'a[0': missing ] at character 2" },
        { "a.", "bad JSON path 'a.': nothing after '.' at character 2" },
        { "a..b", "bad JSON path 'a..b': empty member name at character 3" },
        { "a[]", "bad JSON path 'a[]': empty [] at character 2" },
        { "a[x y]", "bad JSON path 'a[x y]': expected a number, *, a "
                    "quoted name or key=value inside [] at character 2" },
        { "a[=1]", "bad JSON path 'a[=1]': no member name before '=' at "
                   "character 2" },
    };
    struct cd_error err;
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&err, 0, sizeof(err));
        assert_int_equal(cd_json_path_check(bad[i].path, &err),
                         CD_EINVALID);
        assert_string_equal(err.msg, bad[i].msg);
    }
    assert_int_equal(cd_json_path_check("results.*.geo[0]", &err), 0);
    assert_int_equal(cd_json_path_check("@", &err), 0);
}

/* ---- column: ---------------------------------------------------------- */

static void test_dataparsers__columns(void **state)
{
    static const char *const names[] = { "Nr", "Straße", " PLZ ", "Ort" };
    struct cd_selector *s;
    size_t col;

    (void)state;
    s = sel("column:Straße");
    assert_int_equal(cd_column_find(&col, s, names, 4), 0);
    assert_int_equal(col, 1);
    cd_selector_free(s);
    s = sel("column:plz");  /* case and blanks do not matter */
    assert_int_equal(cd_column_find(&col, s, names, 4), 0);
    assert_int_equal(col, 2);
    cd_selector_free(s);
    s = sel("column:#4");
    assert_int_equal(cd_column_find(&col, s, names, 4), 0);
    assert_int_equal(col, 3);
    cd_selector_free(s);
    s = sel("column:Hausnummer");
    assert_int_equal(cd_column_find(&col, s, names, 4), CD_ENOTFOUND);
    cd_selector_free(s);
    s = sel("column:#0");
    assert_int_equal(cd_column_find(&col, s, names, 4), CD_ENOTFOUND);
    cd_selector_free(s);
}

/* ---- csv -------------------------------------------------------------- */

#define CSV_INI(extra) \
    "[source]\nid = t\nparser = csv\nstart = https://example.org/t.csv\n" \
    extra "\n[extract]\nname = column:Name\ncity = column:Ort\n"

static void test_dataparsers__csv_sniffing(void **state)
{
    static const struct {
        const char *body;
        const char *name, *city;
    } cases[] = {
        { "Name;Ort\nA, B;Stadt\n", "A, B", "Stadt" },
        { "Name,Ort\r\n\"A; B\",Stadt\r\n", "A; B", "Stadt" },
        { "Name\tOrt\rA;B,C\tStadt\r", "A;B,C", "Stadt" },
        { "\"Name\";\"Ort\"\n\"Zeile 1\nZeile 2\";\"St\"\"adt\"",
          "Zeile 1 Zeile 2", "St\"adt" },
    };
    struct cd_error err = { 0, "" };
    struct got g;
    json_t *r;
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(parse_with(&g, CSV_INI(""), cases[i].body,
                                    strlen(cases[i].body), NULL, &err), 0);
        assert_int_equal(json_array_size(g.records), 1);
        r = json_array_get(g.records, 0);
        assert_string_equal(json_string_value(json_object_get(r, "name")),
                            cases[i].name);
        assert_string_equal(json_string_value(json_object_get(r, "city")),
                            cases[i].city);
        got_dispose(&g);
    }
}

static void test_dataparsers__csv_charsets(void **state)
{
    /* "Größe" in Windows-1252, UTF-8, and UTF-16LE with a BOM. */
    static const char cp1252[] = "Name;Ort\nGr\xf6\xdf" "e;x\n";
    static const char utf8[] = "Name;Ort\nGr\xc3\xb6\xc3\x9f" "e;x\n";
    static const char utf16[] = "\xff\xfeN\0a\0m\0e\0;\0O\0r\0t\0\n\0"
                                "G\0r\0\xf6\0\xdf\0" "e\0;\0x\0";
    struct cd_error err = { 0, "" };
    struct got g;

    (void)state;
    /* Not valid UTF-8, nothing declared: Windows-1252. */
    assert_int_equal(parse_with(&g, CSV_INI(""), cp1252, strlen(cp1252),
                                NULL, &err), 0);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(g.records, 0), "name")), "Gr\xc3\xb6\xc3\x9f" "e");
    got_dispose(&g);
    /* The header says UTF-8, the bytes are not: Windows-1252 again. */
    assert_int_equal(parse_with(&g, CSV_INI(""), cp1252, strlen(cp1252),
                                "utf-8", &err), 0);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(g.records, 0), "name")), "Gr\xc3\xb6\xc3\x9f" "e");
    got_dispose(&g);
    /* `encoding` wins over the header and over valid UTF-8. */
    assert_int_equal(parse_with(&g, CSV_INI("encoding = windows-1252"),
                                utf8, strlen(utf8), "utf-8", &err), 0);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(g.records, 0), "name")),
        "Gr\xc3\x83\xc2\xb6\xc3\x83\xc5\xb8" "e");
    got_dispose(&g);
    assert_int_equal(parse_with(&g, CSV_INI(""), utf16, sizeof(utf16) - 1,
                                NULL, &err), 0);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(g.records, 0), "name")), "Gr\xc3\xb6\xc3\x9f" "e");
    got_dispose(&g);
}

static void test_dataparsers__csv_errors(void **state)
{
    static const char open_quote[] = "Name;Ort\na;b\n\"c;d\ne;f\n";
    static const char renamed[] = "Bezeichnung;Ort\na;b\n";
    struct cd_error err = { 0, "" };
    struct cd_buf b = CD_BUF_INIT(1u << 22);
    struct got g;
    size_t i;

    (void)state;
    assert_int_equal(parse_with(&g, CSV_INI(""), open_quote,
                                strlen(open_quote), NULL, &err),
                     CD_EINVALID);
    assert_string_equal(err.msg, "https://example.org/doc:3: quoted field "
                        "not closed before the end");
    got_dispose(&g);
    assert_int_equal(parse_with(&g, CSV_INI(""), renamed, strlen(renamed),
                                NULL, &err), CD_EINVALID);
    assert_string_equal(err.msg, "https://example.org/doc:1: no column "
                        "'Name' (for 'name'); the header has "
                        "'Bezeichnung', 'Ort'");
    got_dispose(&g);
    assert_int_equal(parse_with(&g, CSV_INI(""), "", 0, NULL, &err),
                     CD_EINVALID);
    assert_string_equal(err.msg, "https://example.org/doc: empty table, "
                        "no header row");
    got_dispose(&g);
    /* More columns than the ceiling. */
    assert_int_equal(cd_buf_puts(&b, "Name;Ort\n"), 0);
    for(i = 0; i < 1100; i++)
        assert_int_equal(cd_buf_puts(&b, "x;"), 0);
    assert_int_equal(parse_with(&g, CSV_INI(""), cd_buf_str(&b), b.len,
                                NULL, &err), CD_EINVALID);
    assert_string_equal(err.msg, "https://example.org/doc:2: more than "
                        "1024 columns");
    got_dispose(&g);
    cd_buf_dispose(&b);
}

/* ---- definitions ------------------------------------------------------ */

static void test_dataparsers__checks(void **state)
{
    static const struct {
        const char *ini, *msg;
    } cases[] = {
        { "[source]\nid = t\nparser = csv\nstart = https://e.org/\n"
          "[extract]\nitem = css:tr\nname = column:Name\n",
          "parser 'csv' does not take css: selectors (for 'item'; it "
          "takes: column const)" },
        { "[source]\nid = t\nparser = csv\nstart = https://e.org/\n"
          "[extract]\nname = json:name\n",
          "parser 'csv' does not take json: selectors" },
        { "[source]\nid = t\nparser = csv\nstart = https://e.org/\n"
          "encoding = klingonisch\n[extract]\nname = column:Name\n",
          "unknown encoding 'klingonisch'" },
        { "[source]\nid = t\nparser = json\nstart = https://e.org/\n"
          "[extract]\nname = json:a[0\n",
          ":6: bad JSON path 'a[0': missing ] at character 2 (for 'name' "
          "of parser 'json')" },
        { "[source]\nid = t\nparser = json\nstart = https://e.org/\n"
          "[extract]\nname = column:Name\n",
          "parser 'json' does not take column: selectors" },
        { "[source]\nid = t\nparser = geojson\nstart = https://e.org/\n"
          "[extract]\nitem = json:features.*\n",
          "parser 'geojson' takes no 'item'" },
        { "[source]\nid = t\nparser = schemaorg\nstart = https://e.org/\n"
          "[extract]\nname = css:h1\n",
          ":6: parser 'schemaorg' takes only const: in [extract]" },
        { "[source]\nid = t\nparser = geojson\nstart = https://e.org/\n"
          "[crawl]\nfollow = json:next\n",
          "parser 'geojson' does not follow links" },
    };
    struct cd_source *src = NULL;
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cd_buf errors = CD_BUF_INIT(65536);

        assert_int_equal(load_text(&src, cases[i].ini, &errors),
                         CD_EINVALID);
        if(!strstr(cd_buf_str(&errors), cases[i].msg))
            fail_msg("case %zu: want '%s' in '%s'", i, cases[i].msg,
                     cd_buf_str(&errors));
        cd_buf_dispose(&errors);
        assert_null(src);
    }
}

/* ---- schemaorg -------------------------------------------------------- */

static void test_dataparsers__schema_types(void **state)
{
    const struct cd_schema_type *t;
    size_t n, i;

    (void)state;
    t = cd_schema_types(&n);
    assert_true(n > 120);
    for(i = 1; i < n; i++)
        if(strcmp(t[i - 1].name, t[i].name) >= 0)
            fail_msg("not sorted: %s, %s", t[i - 1].name, t[i].name);
    t = cd_schema_type_find("Bakery", 6);
    assert_non_null(t);
    assert_string_equal(t->name, "Bakery");
    t = cd_schema_type_find("https://schema.org/CafeOrCoffeeShop", 35);
    assert_non_null(t);
    assert_string_equal(t->name, "CafeOrCoffeeShop");
    t = cd_schema_type_find("schema:Store", 12);
    assert_non_null(t);
    assert_null(cd_schema_type_find("Organization", 12));
    assert_null(cd_schema_type_find("http://schema.org/Person", 24));
    assert_null(cd_schema_type_find("", 0));
}

/* Every schema.org type is a word of data/categories.tsv: mapped to its
 * OSM tags, or marked "-" (too broad), so none is reported unmapped. */
static void test_dataparsers__schema_types_in_table(void **state)
{
    const struct cd_schema_type *t;
    struct cd_strlist words = { NULL, 0 }, tags = { NULL, 0 };
    struct cd_strlist unmapped = { NULL, 0 };
    size_t n, i;

    (void)state;
    t = cd_schema_types(&n);
    for(i = 0; i < n; i++)
        assert_int_equal(cd_norm_categories(&words, &tags, &unmapped,
                                            t[i].name), 0);
    for(i = 0; i < unmapped.n; i++)
        fprintf(stderr, "  not in data/categories.tsv: %s\n",
                unmapped.v[i]);
    assert_int_equal(unmapped.n, 0);
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);
    assert_int_equal(cd_norm_categories(&words, &tags, &unmapped,
                                        "Bakery, CafeOrCoffeeShop, Store"),
                     0);
    assert_int_equal(tags.n, 2);
    assert_string_equal(tags.v[0], "shop=bakery");
    assert_string_equal(tags.v[1], "amenity=cafe");
    assert_int_equal(unmapped.n, 0);
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);
}

/* The text of the first JSON-LD script of an HTML file. */
static char *first_script(const char *path)
{
    static const char open[] = "<script type=\"application/ld+json\">";
    char buf[65536], *s, *e;
    FILE *f = fopen(path, "rb");
    size_t n;

    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    s = strstr(buf, open);
    assert_non_null(s);
    s += strlen(open);
    e = strstr(s, "</script>");
    assert_non_null(e);
    return strndup(s, (size_t)(e - s));
}

static void test_dataparsers__jsonld_repair(void **state)
{
    static const char *const names[] = {
        "AllocateAction.001", "JSONLD_with_JS_comment",
        "JSONLD_with_control_characters",
        "JSONLD_with_control_characters_comment", "JoinAction.001",
    };
    char path[300], *text;
    json_t *want, *got;
    json_error_t jerr;
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct cd_buf out = CD_BUF_INIT(CD_MAX_BODY);

        snprintf(path, sizeof(path), "tests/fixtures/schemaorg/"
                 "extruct_invalid/%s.html", names[i]);
        text = first_script(path);
        assert_null(json_loads(text, 0, &jerr));
        assert_int_equal(cd_jsonld_repair(&out, text, strlen(text)), 1);
        got = json_loads(cd_buf_str(&out), 0, &jerr);
        if(!got)
            fail_msg("%s: still not JSON: %s", names[i], jerr.text);
        snprintf(path, sizeof(path), "tests/fixtures/schemaorg/"
                 "extruct_invalid/%s.expected.jsonld", names[i]);
        want = json_load_file(path, 0, &jerr);
        assert_non_null(want);
        if(!json_equal(got, json_array_get(want, 0)))
            fail_msg("%s: repaired JSON differs from extruct's", names[i]);
        json_decref(got);
        json_decref(want);
        cd_buf_dispose(&out);
        free(text);
    }
    {
        /* Valid JSON is left alone; what needs guessing stays broken. */
        struct cd_buf out = CD_BUF_INIT(1024);
        static const char ok[] = "{\"a\": \"// not a comment\", \"b\": "
                                 "\"<!-- -->\"}";
        static const char bad[] = "{\"a\": 1 \"b\": 2}";

        assert_int_equal(cd_jsonld_repair(&out, ok, strlen(ok)), 0);
        assert_string_equal(cd_buf_str(&out), ok);
        cd_buf_dispose(&out);
        assert_int_equal(cd_jsonld_repair(&out, bad, strlen(bad)), 0);
        cd_buf_dispose(&out);
    }
}

static void test_dataparsers__schemaorg_warnings(void **state)
{
    static const char ini[] =
        "[source]\nid = t\nparser = schemaorg\nstart = https://e.org/\n"
        "[crawl]\nfollow = css:a.next::attr(href)\n";
    static const char page[] =
        "<html><head><script type=\"application/ld+json\">{\"@type\": "
        "\"Bakery\" \"name\": \"X\"}</script>"
        "<script type='Application/LD+JSON; charset=utf-8'>{\"@type\":"
        "\"Bakery\",\"name\":\"Y\",}</script></head><body>"
        "<a class=next href=\"?page=2\">weiter</a>"
        "<div itemscope itemtype=\"http://schema.org/Bakery\">"
        "<span itemprop=name>Y</span></div></body></html>";
    struct cd_error err = { 0, "" };
    struct got g;

    (void)state;
    assert_int_equal(parse_with(&g, ini, page, strlen(page), NULL, &err),
                     0);
    /* Y twice (JSON-LD repaired, and microdata): emitted once. */
    assert_int_equal(json_array_size(g.records), 1);
    assert_string_equal(json_string_value(json_object_get(
        json_array_get(g.records, 0), "name")), "Y");
    assert_int_equal(json_array_size(g.links), 1);
    assert_string_equal(json_string_value(json_array_get(g.links, 0)),
                        "?page=2");
    assert_int_equal(json_array_size(g.warnings), 2);
    assert_non_null(strstr(json_string_value(json_array_get(g.warnings, 0)),
                           "https://example.org/doc: JSON-LD block 1 is not "
                           "valid JSON (line 1, column"));
    assert_non_null(strstr(json_string_value(json_array_get(g.warnings, 0)),
                           "; skipped"));
    assert_non_null(strstr(json_string_value(json_array_get(g.warnings, 1)),
                           "JSON-LD block 2"));
    assert_non_null(strstr(json_string_value(json_array_get(g.warnings, 1)),
                           "; read leniently"));
    got_dispose(&g);
}

/* ---- json and geojson documents --------------------------------------- */

static void test_dataparsers__json_errors(void **state)
{
    static const char ini[] =
        "[source]\nid = t\nparser = json\nstart = https://e.org/\n"
        "[extract]\nname = json:name\n";
    static const char geo[] =
        "[source]\nid = t\nparser = geojson\nstart = https://e.org/\n";
    struct cd_error err = { 0, "" };
    struct got g;

    (void)state;
    assert_int_equal(parse_with(&g, ini, "{\"name\": \"a\",\n\"x\": }", 19,
                                NULL, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "https://example.org/doc:2:"));
    assert_non_null(strstr(err.msg, "not valid JSON"));
    got_dispose(&g);
    /* An array document: one record per element. */
    assert_int_equal(parse_with(&g, ini, "[{\"name\":\"a\"},{\"x\":1},"
                                "{\"name\":\"b\"}]", 35, NULL, &err), 0);
    assert_int_equal(json_array_size(g.records), 2);
    got_dispose(&g);
    assert_int_equal(parse_with(&g, geo, "{\"type\":\"Point\"}", 16, NULL,
                                &err), CD_EINVALID);
    assert_string_equal(err.msg, "https://example.org/doc: not a GeoJSON "
                        "FeatureCollection or Feature (\"type\" is "
                        "'Point')");
    got_dispose(&g);
}

/* ---- categories ------------------------------------------------------ */

/* A categories string is split once, when places are normalised, and OSM
 * tags as the osm, geojson and schemaorg parsers give them pass as they
 * are. */
static void test_dataparsers__category_lists(void **state)
{
    struct cd_strlist words = { NULL, 0 }, tags = { NULL, 0 };
    struct cd_strlist unmapped = { NULL, 0 };
    size_t i;
    int bakery = 0, cafe = 0;

    (void)state;
    assert_int_equal(cd_norm_categories(&words, &tags, &unmapped,
                                        "shop=bakery; "
                                        "Bakery | amenity=cafe,Obst"), 0);
    assert_int_equal(words.n, 4);
    assert_string_equal(words.v[0], "shop=bakery");
    assert_string_equal(words.v[3], "Obst");
    for(i = 0; i < tags.n; i++) {
        bakery += !strcmp(tags.v[i], "shop=bakery");
        cafe += !strcmp(tags.v[i], "amenity=cafe");
    }
    assert_int_equal(bakery, 1);
    assert_int_equal(cafe, 1);
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);
    /* Not a tag: an unknown key, or a value with blanks. */
    assert_int_equal(cd_norm_categories(&words, &tags, &unmapped,
                                        "foo=bar"), 0);
    assert_int_equal(cd_norm_categories(&words, &tags, &unmapped,
                                        "shop=a b"), 0);
    for(i = 0; i < tags.n; i++)
        assert_true(strcmp(tags.v[i], "foo=bar") &&
                    strcmp(tags.v[i], "shop=a b"));
    cd_strlist_dispose(&words);
    cd_strlist_dispose(&tags);
    cd_strlist_dispose(&unmapped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dataparsers__json_paths),
        cmocka_unit_test(test_dataparsers__json_path_errors),
        cmocka_unit_test(test_dataparsers__columns),
        cmocka_unit_test(test_dataparsers__csv_sniffing),
        cmocka_unit_test(test_dataparsers__csv_charsets),
        cmocka_unit_test(test_dataparsers__csv_errors),
        cmocka_unit_test(test_dataparsers__checks),
        cmocka_unit_test(test_dataparsers__schema_types),
        cmocka_unit_test(test_dataparsers__schema_types_in_table),
        cmocka_unit_test(test_dataparsers__jsonld_repair),
        cmocka_unit_test(test_dataparsers__schemaorg_warnings),
        cmocka_unit_test(test_dataparsers__json_errors),
        cmocka_unit_test(test_dataparsers__category_lists),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
