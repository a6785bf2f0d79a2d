/* SPDX-License-Identifier: MIT */
/*
 * The html parser and what it stands on: charsets (ISO-8859-1 and
 * Windows-1252 pages, header before <meta>, BOMs, bad UTF-8), the gumbo to
 * libxml2 tree (malformed and very deep markup), records per item or per
 * page, follow links, const: fields, and the parser's own checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/charset.h"
#include "core/record.h"
#include "parsers/dom.h"
#include "parsers/parser.h"
#include "select/selector.h"

extern const struct cd_parser cd_parser_html;

/* ---- helpers ---------------------------------------------------------- */

/* What a parse emitted: records as JSON lines, links one per line. */
struct got {
    struct cd_buf records;
    struct cd_buf links;
    struct cd_buf urls;
    int nrecords;
    int stop_after;  /* return non-zero after this many records; 0: never */
};

static int collect(const struct cd_emit *e, void *payload)
{
    struct got *g = payload;
    char *json;

    if(e->kind == CD_EMIT_LINK) {
        cd_buf_puts(&g->links, e->link);
        cd_buf_putc(&g->links, '\n');
        return 0;
    }
    if(e->kind != CD_EMIT_RECORD)
        return 0;  /* dropped items and warnings are not records */
    assert_int_equal(cd_record_to_json(&json, e->record), 0);
    cd_buf_puts(&g->records, json);
    cd_buf_putc(&g->records, '\n');
    cd_buf_puts(&g->urls, e->record->url ? e->record->url : "(null)");
    cd_buf_putc(&g->urls, '\n');
    free(json);
    g->nrecords++;
    return g->stop_after && g->nrecords >= g->stop_after;
}

static void got_init(struct got *g)
{
    memset(g, 0, sizeof(*g));
    cd_buf_init(&g->records, 1 << 20);
    cd_buf_init(&g->links, 1 << 20);
    cd_buf_init(&g->urls, 1 << 20);
}

static void got_dispose(struct got *g)
{
    cd_buf_dispose(&g->records);
    cd_buf_dispose(&g->links);
    cd_buf_dispose(&g->urls);
}

static struct cd_selector *sel(const char *text)
{
    struct cd_selector *s = NULL;
    struct cd_error err = { 0, "" };

    if(cd_selector_compile(&s, text, &err))
        fail_msg("%s: %s", text, err.msg);
    return s;
}

/* A definition built in code: item (MAY be NULL), then "field", "selector"
 * pairs ending with NULL. */
static void src_init(struct cd_source *src, const char *item, ...)
{
    const char *key, *text;
    enum cd_field f;
    va_list ap;

    memset(src, 0, sizeof(*src));
    src->path = (char *)"test.ini";
    src->item = item ? sel(item) : NULL;
    va_start(ap, item);
    while((key = va_arg(ap, const char *))) {
        text = va_arg(ap, const char *);
        if(!strcmp(key, "follow")) {
            src->follow = realloc(src->follow,
                                  (src->nfollow + 1) * sizeof(*src->follow));
            assert_non_null(src->follow);
            src->follow[src->nfollow++] = sel(text);
            continue;
        }
        assert_int_equal(cd_field_lookup(&f, key), 0);
        src->extract[f] = sel(text);
        src->extract_line[f] = 10 + (unsigned)f;
    }
    va_end(ap);
}

static void src_dispose(struct cd_source *src)
{
    size_t i;

    cd_selector_free(src->item);
    for(i = 0; i < CD_F__COUNT; i++)
        cd_selector_free(src->extract[i]);
    for(i = 0; i < src->nfollow; i++)
        cd_selector_free(src->follow[i]);
    free(src->follow);
}

/* Parse body (len bytes) as url with the header charset; returns rc. */
static int parse(struct got *g, const struct cd_source *src,
                 const char *body, size_t len, const char *charset)
{
    struct cd_arena *arena;
    struct cd_error err = { 0, "" };
    struct cd_doc doc;
    int rc;

    assert_int_equal(cd_arena_new(&arena), 0);
    memset(&doc, 0, sizeof(doc));
    doc.url = "https://shops.example/list?page=1";
    doc.content_type = "text/html";
    doc.charset = charset;
    doc.body = body;
    doc.len = len;
    doc.arena = arena;
    rc = cd_parser_html.parse(&doc, src, collect, g, &err);
    cd_arena_free(arena);
    return rc;
}

/* Convert with the HTML rules; returns a static copy. */
static const char *html_utf8(const char *in, size_t len, const char *hdr)
{
    static char res[1024];
    char *out;
    size_t n;

    assert_int_equal(cd_charset_html_to_utf8(&out, &n, in, len, hdr, NULL),
                     0);
    assert_int_equal(strlen(out), n);
    snprintf(res, sizeof(res), "%s", out);
    free(out);
    return res;
}

/* ---- charsets --------------------------------------------------------- */

static void test_html__charset_labels(void **state)
{
    struct cd_error err = { 0, "" };
    char *out;
    size_t n;

    (void)state;
    /* latin1 is read as Windows-1252, whose 0x80 is the euro sign; the
     * five bytes Windows-1252 leaves undefined become C1 controls. */
    assert_int_equal(cd_charset_to_utf8(&out, &n, "\xE4\xDF\x80\x81", 4,
                                        " Latin1 ", &err), 0);
    assert_string_equal(out, "\xC3\xA4\xC3\x9F\xE2\x82\xAC\xC2\x81");
    free(out);
    assert_int_equal(cd_charset_to_utf8(&out, &n, "\x80", 1, "US-ASCII",
                                        &err), 0);
    assert_string_equal(out, "€");
    free(out);
    /* Other charsets go to iconv. */
    assert_int_equal(cd_charset_to_utf8(&out, &n, "\xA4", 1, "ISO-8859-15",
                                        &err), 0);
    assert_string_equal(out, "€");
    free(out);
    assert_int_equal(cd_charset_to_utf8(&out, &n, "a\0\xE4\0", 4,
                                        "utf-16le", &err), 0);
    assert_string_equal(out, "aä");
    free(out);
    /* Unknown labels and labels with odd characters are refused. */
    assert_int_equal(cd_charset_to_utf8(&out, &n, "x", 1, "klingon-8",
                                        &err), CD_EINVALID);
    assert_null(out);
    assert_string_equal(err.msg, "unknown charset 'klingon-8'");
    assert_int_equal(cd_charset_to_utf8(&out, &n, "x", 1, "utf-8//IGNORE",
                                        &err), CD_EINVALID);
}

static void test_html__charset_utf8_repaired(void **state)
{
    char *out;
    size_t n;

    (void)state;
    /* A stray latin1 byte, a truncated sequence, an overlong form and a
     * surrogate each become U+FFFD; valid text is kept. */
    assert_int_equal(cd_charset_to_utf8(&out, &n,
                                        "a\xE4 b\xE2\x82 c\xC0\xAF"
                                        " d\xED\xA0\x80 \xE2\x82\xAC", 19,
                                        NULL, NULL), 0);
    assert_string_equal(out, "a\xEF\xBF\xBD b\xEF\xBF\xBD c\xEF\xBF\xBD"
                             "\xEF\xBF\xBD d\xEF\xBF\xBD\xEF\xBF\xBD"
                             "\xEF\xBF\xBD €");
    free(out);
    assert_int_equal(cd_charset_to_utf8(&out, &n, "", 0, "utf-8", NULL), 0);
    assert_string_equal(out, "");
    assert_int_equal(n, 0);
    free(out);
}

/* Sniff a NUL-terminated string. */
#define SNIFF(cs, str) cd_charset_sniff_html((cs), sizeof(cs), (str), \
                                             strlen(str))

static void test_html__charset_sniff(void **state)
{
    static const char pad[] = "<!DOCTYPE html><html><head>";
    char cs[CD_CHARSET_NAME_MAX];
    char big[2048];

    (void)state;
    assert_int_equal(SNIFF(cs, "<meta charset=\"ISO-8859-1\">"), 1);
    assert_string_equal(cs, "ISO-8859-1");
    assert_int_equal(SNIFF(cs, "<META CHARSET=latin1>"), 1);
    assert_string_equal(cs, "latin1");
    assert_int_equal(SNIFF(cs, "<meta http-equiv='Content-Type' "
                           "content='text/html; charset=windows-1252'>"), 1);
    assert_string_equal(cs, "windows-1252");
    assert_int_equal(SNIFF(cs, "<meta content=\"text/html;charset = 'utf-8'\""
                           " http-equiv=\"content-type\" />"), 1);
    assert_string_equal(cs, "utf-8");
    /* Declared UTF-16 means UTF-8 (the bytes are ASCII-compatible). */
    assert_int_equal(SNIFF(cs, "<meta charset=utf-16le>"), 1);
    assert_string_equal(cs, "utf-8");
    /* Not in a comment, not a content without http-equiv, not a <metal>. */
    assert_int_equal(SNIFF(cs, "<!-- <meta charset=latin1> -->"
                           "<metal charset=x>"
                           "<meta content='text/html; charset=latin1'>"), 0);
    /* Only the first 1024 bytes count. */
    memset(big, ' ', sizeof(big));
    memcpy(big, pad, strlen(pad));
    memcpy(big + 1100, "<meta charset=latin1>", 21);
    assert_int_equal(cd_charset_sniff_html(cs, sizeof(cs), big,
                                           sizeof(big)), 0);
}

static void test_html__charset_html_order(void **state)
{
    static const char latin1_meta_utf8[] =
        "<meta charset=\"utf-8\"><p>Gr\xFC\xDF" "e</p>";
    static const char meta_1252[] =
        "<html><head><meta charset=\"windows-1252\"></head>"
        "<body><p>\x80 5</p></body></html>";
    const char *p;
    size_t len;

    (void)state;
    /* The header beats the <meta>. */
    p = html_utf8(latin1_meta_utf8, strlen(latin1_meta_utf8), "iso-8859-1");
    assert_non_null(strstr(p, "Grüße"));
    /* Without a header, the <meta> counts. */
    p = html_utf8(meta_1252, strlen(meta_1252), NULL);
    assert_non_null(strstr(p, "€ 5"));
    /* An unknown header label falls through to the <meta>. */
    p = html_utf8(meta_1252, strlen(meta_1252), "x-bogus");
    assert_non_null(strstr(p, "€ 5"));
    /* A UTF-8 BOM beats both, and is removed. */
    p = html_utf8("\xEF\xBB\xBF<p>\xC3\xA4</p>", 12, "iso-8859-1");
    assert_string_equal(p, "<p>ä</p>");
    /* Nothing declared: UTF-8. */
    p = html_utf8("<p>\xC3\xA4</p>", 9, NULL);
    assert_string_equal(p, "<p>ä</p>");
    p = "\xEF\xBB\xBFx";
    len = 4;
    assert_int_equal(cd_charset_strip_bom(&p, &len), 1);
    assert_string_equal(p, "x");
    assert_int_equal(cd_charset_strip_bom(&p, &len), 0);
}

static void test_html__iso_8859_1_page(void **state)
{
    static const char body[] =
        "<html><head><title>H\xE4ndler</title></head><body>"
        "<h1>B\xE4" "ckerei Gro\xDF</h1>"
        "<p class=street>Hauptstra\xDF" "e 1</p>"
        "<p class=price>Br\xF6tchen 0,50 \x80</p></body></html>";
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, NULL, "name", "css:h1::text", "street",
             "css:.street::text", "description", "css:.price", NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, body, strlen(body), "ISO-8859-1"), 0);
    assert_string_equal(cd_buf_str(&g.records),
                        "{\"name\":\"Bäckerei Groß\",\"street\":"
                        "\"Hauptstraße 1\",\"description\":"
                        "\"Brötchen 0,50 €\"}\n");
    got_dispose(&g);
    src_dispose(&src);
}

static void test_html__windows_1252_page_by_meta(void **state)
{
    static const char body[] =
        "<!DOCTYPE html><html><head>"
        "<meta http-equiv=\"Content-Type\" content=\"text/html; "
        "charset=windows-1252\"></head><body>"
        "<h1>Caf\xE9 \x84M\xFChle\x93</h1><p>\x96 Preise in \x80</p>"
        "</body></html>";
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, NULL, "name", "css:h1", "description", "css:p", NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, body, strlen(body), NULL), 0);
    assert_string_equal(cd_buf_str(&g.records),
                        "{\"name\":\"Café „Mühle“\","
                        "\"description\":\"– Preise in €\"}\n");
    got_dispose(&g);

    /* The header's charset beats the <meta>: as UTF-8, the bytes are
     * invalid and turn into U+FFFD. */
    got_init(&g);
    assert_int_equal(parse(&g, &src, body, strlen(body), "utf-8"), 0);
    assert_non_null(strstr(cd_buf_str(&g.records), "Caf\xEF\xBF\xBD"));
    got_dispose(&g);
    src_dispose(&src);
}

/* ---- records and links ------------------------------------------------ */

static const char list_page[] =
    "<html><body>\n"
    "<nav><a href=\"/list?page=2\" rel=\"next\">weiter</a>"
    "<a href=\"#top\">top</a></nav>\n"
    "<article class=\"haendler\">\n"
    "  <h2><a href=\"/h/1\">Bäckerei Schmitz</a></h2>\n"
    "  <p class=\"adresse\"><span class=\"strasse\">Hauptstr. 1</span>\n"
    "     <span class=\"ort\">42651 Solingen</span></p>\n"
    "  <ul><li class=\"kat\">Bäckerei</li><li class=\"kat\">Café</li></ul>\n"
    "  <a href=\"tel:+49 212 123\">anrufen</a>\n"
    "</article>\n"
    "<article class=\"haendler\">\n"
    "  <h2><a href=\"https://other.example/x\">Metzgerei Kurz</a></h2>\n"
    "  <p class=\"adresse\"><span class=\"ort\">42653 Solingen</span></p>\n"
    "</article>\n"
    "<article class=\"haendler\"><p>no name here</p></article>\n"
    "</body></html>\n";

static void test_html__items_make_records(void **state)
{
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, "css:article.haendler",
             "name", "css:h2::text",
             "street", "css:.adresse .strasse::text",
             "postcode", "css:.ort::text | regex:(\\d{5})",
             "city", "const:Solingen",
             "categories", "css:.kat::text",
             "phone", "xpath:.//a[starts-with(@href,'tel:')]/@href"
                      " | regex:tel:(.*)",
             "website", "css:h2 a::attr(href)",
             NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, list_page, strlen(list_page), NULL), 0);
    /* The third article has no name and is not emitted. */
    assert_int_equal(g.nrecords, 2);
    assert_string_equal(cd_buf_str(&g.records),
        "{\"name\":\"Bäckerei Schmitz\",\"street\":\"Hauptstr. 1\","
        "\"postcode\":\"42651\",\"city\":\"Solingen\","
        "\"phone\":\"+49 212 123\",\"website\":\"/h/1\","
        "\"categories\":[\"Bäckerei\",\"Café\"]}\n"
        "{\"name\":\"Metzgerei Kurz\",\"postcode\":\"42653\","
        "\"city\":\"Solingen\",\"website\":\"https://other.example/x\"}\n");
    assert_string_equal(cd_buf_str(&g.urls),
                        "https://shops.example/list?page=1\n"
                        "https://shops.example/list?page=1\n");
    assert_string_equal(cd_buf_str(&g.links), "");
    got_dispose(&g);
    src_dispose(&src);
}

static void test_html__follow_links(void **state)
{
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, "css:article",
             "name", "css:h2",
             "follow", "css:a[rel=next]::attr(href)",
             "follow", "css:article h2 a::attr(href)",
             "follow", "xpath://nav/a[2]/@href",
             NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, list_page, strlen(list_page), NULL), 0);
    /* Raw, as found, in selector order; resolving is the crawler's. */
    assert_string_equal(cd_buf_str(&g.links),
                        "/list?page=2\n/h/1\nhttps://other.example/x\n#top\n");
    assert_int_equal(g.nrecords, 2);
    got_dispose(&g);
    src_dispose(&src);
}

static void test_html__page_is_one_record(void **state)
{
    static const char body[] =
        "<html><head><title>Shop</title></head><body>"
        "<h1 itemprop=name>Blumen Berg</h1>"
        "<div class=hours>Mo-Fr<br>9-18 Uhr</div>"
        "<a href='mailto:info@blumen.example'>Mail</a>"
        "<a href='mailto:second@blumen.example'>Mail 2</a>"
        "</body></html>";
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, NULL,
             "name", "css:h1::text",
             "opening_hours", "css:.hours",
             "email", "css:a[href^='mailto:']::attr(href) | regex:mailto:(.+)",
             NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, body, strlen(body), NULL), 0);
    /* One record; a field that is not a list keeps the first value. */
    assert_string_equal(cd_buf_str(&g.records),
                        "{\"name\":\"Blumen Berg\",\"email\":"
                        "\"info@blumen.example\",\"opening_hours\":"
                        "\"Mo-Fr 9-18 Uhr\"}\n");
    assert_string_equal(cd_buf_str(&g.urls),
                        "https://shops.example/list?page=1\n");
    got_dispose(&g);

    /* A page without a name gives nothing, even with other fields. */
    got_init(&g);
    assert_int_equal(parse(&g, &src, "<p>x</p>", 8, NULL), 0);
    assert_int_equal(g.nrecords, 0);
    got_dispose(&g);
    src_dispose(&src);
}

static void test_html__malformed_markup(void **state)
{
    static const char body[] =
        "<html><body></div></div><div class=shop><h3>Eins<div class=shop>"
        "<h3>Zwei</h3></span></p><div class=shop><h3>Drei <b>fett</h3>"
        "<table><tr><td>cell<div class=shop><h3>Vier</td></table>"
        "<p>unclosed <p>paragraphs <li>item";
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, "css:div.shop", "name", "css:h3:first-of-type::text",
             NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, body, strlen(body), NULL), 0);
    /* gumbo repairs the tree as a browser would: the first div holds all
     * the others, so its h3 includes their text. */
    assert_int_equal(g.nrecords, 4);
    assert_non_null(strstr(cd_buf_str(&g.records), "{\"name\":\"Zwei\"}"));
    assert_non_null(strstr(cd_buf_str(&g.records),
                           "{\"name\":\"Drei fett\"}"));
    assert_non_null(strstr(cd_buf_str(&g.records), "{\"name\":\"Vier\"}"));
    got_dispose(&g);

    /* Not HTML at all, or nothing: no record, no error. */
    got_init(&g);
    assert_int_equal(parse(&g, &src, "\0\x01\xFF\xFE<<<>>>", 10, NULL), 0);
    assert_int_equal(parse(&g, &src, "", 0, NULL), 0);
    assert_int_equal(parse(&g, &src, NULL, 0, "utf-8"), 0);
    assert_int_equal(g.nrecords, 0);
    got_dispose(&g);
    src_dispose(&src);
}

static void test_html__deep_nesting(void **state)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_BODY);
    struct cd_source src;
    struct got g;
    int i;

    (void)state;
    for(i = 0; i < 20000; i++)
        assert_int_equal(cd_buf_puts(&b, "<div><span>"), 0);
    assert_int_equal(cd_buf_puts(&b, "<h1>deep</h1>"), 0);
    src_init(&src, NULL, "name", "css:h1", "description",
             "xpath:count(//div)", NULL);
    got_init(&g);
    assert_int_equal(parse(&g, &src, b.ptr, b.len, NULL), 0);
    /* Past CD_DOM_MAX_DEPTH elements become siblings: none is lost. */
    assert_string_equal(cd_buf_str(&g.records),
                        "{\"name\":\"deep\",\"description\":\"20000\"}\n");
    got_dispose(&g);
    src_dispose(&src);
    cd_buf_dispose(&b);
}

static void test_html__callback_stops(void **state)
{
    struct cd_source src;
    struct got g;

    (void)state;
    src_init(&src, "css:article", "name", "css:h2", NULL);
    got_init(&g);
    g.stop_after = 1;
    assert_int_equal(parse(&g, &src, list_page, strlen(list_page), NULL),
                     CD_EUSER);
    assert_int_equal(g.nrecords, 1);
    got_dispose(&g);
    src_dispose(&src);
}

/* ---- the descriptor and check ----------------------------------------- */

static void report(const char *msg, void *payload)
{
    struct cd_buf *b = payload;

    cd_buf_puts(b, msg);
    cd_buf_putc(b, '\n');
}

static void test_html__descriptor_and_check(void **state)
{
    struct cd_buf b = CD_BUF_INIT(4096);
    struct cd_source src;

    (void)state;
    assert_string_equal(cd_parser_html.name, "html");
    assert_int_equal(cd_parser_html.flags,
                     CD_PARSER_NEEDS_EXTRACT | CD_PARSER_FOLLOWS);
    assert_string_equal(cd_parser_html.selectors, "css xpath const");
    assert_ptr_equal(cd_parser_find("html"), &cd_parser_html);

    src_init(&src, "css:article", "name", "css:h1", "city", "const:X",
             "follow", "xpath://a/@href", NULL);
    assert_int_equal(cd_parser_html.check(&src, report, &b), 0);
    assert_string_equal(cd_buf_str(&b), "");
    src_dispose(&src);

    src_init(&src, "const:x", "street", "json:a.b", "postcode",
             "column:PLZ", "follow", "json:links.*", NULL);
    assert_int_equal(cd_parser_html.check(&src, report, &b), CD_EINVALID);
    assert_string_equal(cd_buf_str(&b),
        "test.ini: parser 'html' needs a 'name' selector in [extract]\n"
        "test.ini: 'item' must be a css: or xpath: selector, not "
        "'const:x'\n"
        "test.ini:11: parser 'html' takes css:, xpath: or const: selectors, "
        "not 'json:a.b' (for 'street')\n"
        "test.ini:13: parser 'html' takes css:, xpath: or const: selectors, "
        "not 'column:PLZ' (for 'postcode')\n"
        "test.ini: parser 'html' takes css:, xpath: or const: selectors, "
        "not 'json:links.*' (for 'follow')\n");
    src_dispose(&src);
    cd_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html__charset_labels),
        cmocka_unit_test(test_html__charset_utf8_repaired),
        cmocka_unit_test(test_html__charset_sniff),
        cmocka_unit_test(test_html__charset_html_order),
        cmocka_unit_test(test_html__iso_8859_1_page),
        cmocka_unit_test(test_html__windows_1252_page_by_meta),
        cmocka_unit_test(test_html__items_make_records),
        cmocka_unit_test(test_html__follow_links),
        cmocka_unit_test(test_html__page_is_one_record),
        cmocka_unit_test(test_html__malformed_markup),
        cmocka_unit_test(test_html__deep_nesting),
        cmocka_unit_test(test_html__callback_stops),
        cmocka_unit_test(test_html__descriptor_and_check),
    };

    return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
