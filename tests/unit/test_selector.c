/* SPDX-License-Identifier: MIT */
/*
 * Selectors: CSS compiled to XPath and run on a small page (each CSS
 * feature, ::text and ::attr), xpath: results of every type, regex
 * groups, whitespace normalisation, and the messages for bad selectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "parsers/dom.h"
#include "select/selector.h"

static const char page[] =
    "<!DOCTYPE html><html><head><title>T</title></head><body>\n"
    "<div id=\"main\" class=\"list  shops\">\n"
    "  <h1>  Shops&nbsp;in\n     Town </h1>\n"
    "  <ul>\n"
    "    <li class=\"shop a\" data-id=\"1\"><a href=\"/s/1\" rel=\"next\">"
    "One</a></li>\n"
    "    <li class=\"shop\" data-id=\"2\"><a href=\" https://x.example/s/2 "
    "\">Two</a></li>\n"
    "    <li class=\"closed shop-old\" data-id=\"3\"><a href=\"/s/3.html\">"
    "Three</a></li>\n"
    "    <li lang=\"de-DE\" title=\"it's &quot;4&quot;\">Vier</li>\n"
    "  </ul>\n"
    "  <p class=\"addr\">Hauptstr. 1<br>42651 Solingen</p>\n"
    "  <h2>A</h2><p>after-h2</p><p>second <b>bold</b>"
    "<script>var x = 1;</script></p>\n"
    "  <span></span>\n"
    "</div>\n"
    "<div class=\"item\"><h2>Item one</h2><span>1</span></div>\n"
    "<div class=\"item\"><h2>Item two</h2><span>2</span></div>\n"
    "</body></html>\n";

struct fixture {
    struct cd_arena *arena;
    xmlDocPtr doc;
    xmlXPathContextPtr xp;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    assert_int_equal(cd_arena_new(&f->arena), 0);
    assert_int_equal(cd_dom_parse_html(&f->doc, page, strlen(page),
                                       f->arena, NULL), 0);
    assert_int_equal(cd_selector_context_new(&f->xp, f->doc), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    xmlXPathFreeContext(f->xp);
    cd_arena_free(f->arena);
    free(f);
    return 0;
}

/* Values joined by '|'. */
static int join(const char *v, size_t n, void *payload)
{
    struct cd_buf *b = payload;

    if(b->len)
        cd_buf_putc(b, '|');
    cd_buf_put(b, v, n);
    return 0;
}

/* Evaluate sel on node ctx (NULL: the document); returns what it yields,
 * joined by '|', in a static buffer. */
static const char *eval_at(struct fixture *f, const char *sel,
                           xmlNodePtr ctx)
{
    static char res[4096];
    struct cd_buf b = CD_BUF_INIT(1 << 20);
    struct cd_selector *s = NULL;
    struct cd_error err = { 0, "" };
    int rc;

    rc = cd_selector_compile(&s, sel, &err);
    if(rc)
        fail_msg("compile '%s': %s", sel, err.msg);
    rc = cd_selector_eval_xml(s, f->xp, ctx ? ctx : (xmlNodePtr)f->doc,
                              join, &b, &err);
    if(rc)
        fail_msg("eval '%s': %s", sel, err.msg);
    snprintf(res, sizeof(res), "%s", cd_buf_str(&b));
    cd_buf_dispose(&b);
    cd_selector_free(s);
    return res;
}

/* Run sel's regex on v, as for json:, column: and const: values. */
static const char *finish(const char *sel, const char *v)
{
    static char res[4096];
    struct cd_buf b = CD_BUF_INIT(1 << 20);
    struct cd_selector *s = NULL;
    struct cd_error err = { 0, "" };

    if(cd_selector_compile(&s, sel, &err))
        fail_msg("compile '%s': %s", sel, err.msg);
    assert_int_equal(cd_selector_finish_value(s, v, strlen(v), join, &b),
                     0);
    snprintf(res, sizeof(res), "%s", cd_buf_str(&b));
    cd_buf_dispose(&b);
    cd_selector_free(s);
    return res;
}

static const char *eval(struct fixture *f, const char *sel)
{
    return eval_at(f, sel, NULL);
}

/* The message of compiling a bad selector. */
static const char *compile_error(const char *sel)
{
    static struct cd_error err;
    struct cd_selector *s = NULL;

    cd_error_clear(&err);
    assert_int_equal(cd_selector_compile(&s, sel, &err), CD_EINVALID);
    assert_null(s);
    return err.msg;
}

static void test_selector__type_and_star(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:h2"), "A|Item one|Item two");
    assert_string_equal(eval(f, "css:title"), "T");
    assert_string_equal(eval(f, "css:LI > A"), "One|Two|Three");
    assert_string_equal(eval(f, "css:ul > *"), "One|Two|Three|Vier");
}

static void test_selector__class_and_id(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:.shop"), "One|Two");
    assert_string_equal(eval(f, "css:li.shop.a"), "One");
    assert_string_equal(eval(f, "css:#main.shops > h1"), "Shops in Town");
    assert_string_equal(eval(f, "css:.list.shops h2"), "A");
    assert_string_equal(eval(f, "css:#nothere"), "");
}

static void test_selector__attributes(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:li[lang]"), "Vier");
    assert_string_equal(eval(f, "css:li[data-id=\"2\"]"), "Two");
    assert_string_equal(eval(f, "css:li[data-id='3']"), "Three");
    assert_string_equal(eval(f, "css:li[data-id=1]"), "One");
    assert_string_equal(eval(f, "css:a[href^=\"/s/\"]"), "One|Three");
    assert_string_equal(eval(f, "css:a[href$='.html']"), "Three");
    assert_string_equal(eval(f, "css:a[href*=example]"), "Two");
    assert_string_equal(eval(f, "css:li[class~=shop]"), "One|Two");
    assert_string_equal(eval(f, "css:li[lang|=de]"), "Vier");
    assert_string_equal(eval(f, "css:a[rel=NEXT i]"), "One");
    assert_string_equal(eval(f, "css:a[href^='']"), "");
    /* A value with both kinds of quote. */
    assert_string_equal(eval(f, "css:li[title=\"it's \\\"4\\\"\"]"),
                        "Vier");
}

static void test_selector__combinators(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:div a"), "One|Two|Three");
    assert_string_equal(eval(f, "css:div > a"), "");
    assert_string_equal(eval(f, "css:div>ul>li>a"), "One|Two|Three");
    assert_string_equal(eval(f, "css:h2 + p"), "after-h2");
    assert_string_equal(eval(f, "css:h2 ~ p"), "after-h2|second bold");
    assert_string_equal(eval(f, "css:h1 + p"), "");
}

static void test_selector__lists_in_document_order(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:h2, h1"), "Shops in Town|A|Item one|"
                        "Item two");
    assert_string_equal(eval(f, "css:h1::text, li a::attr(href)"),
                        "Shops in Town|/s/1|https://x.example/s/2|/s/3.html");
}

static void test_selector__structural(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:li:first-child"), "One");
    assert_string_equal(eval(f, "css:li:last-child"), "Vier");
    assert_string_equal(eval(f, "css:li:nth-child(2)"), "Two");
    assert_string_equal(eval(f, "css:li:nth-child(odd)"), "One|Three");
    assert_string_equal(eval(f, "css:li:nth-child(even)"), "Two|Vier");
    assert_string_equal(eval(f, "css:li:nth-child(2n+1)"), "One|Three");
    assert_string_equal(eval(f, "css:li:nth-child(-n+2)"), "One|Two");
    assert_string_equal(eval(f, "css:li:nth-child( n + 3 )"), "Three|Vier");
    assert_string_equal(eval(f, "css:li:nth-last-child(1)"), "Vier");
    assert_string_equal(eval(f, "css:#main > p:first-of-type"),
                        "Hauptstr. 1 42651 Solingen");
    assert_string_equal(eval(f, "css:#main > p:nth-of-type(2)"),
                        "after-h2");
    assert_string_equal(eval(f, "css:li:not(.shop)"), "Three|Vier");
    assert_string_equal(eval(f, "css:li:not([data-id])"), "Vier");
    assert_string_equal(eval(f, "css:li:contains('Thr')"), "Three");
    assert_string_equal(eval(f, "css:#main > span:empty::attr(x)"), "");
}

static void test_selector__text_is_normalised(void **state)
{
    struct fixture *f = *state;

    /* NBSP, newlines and runs of spaces collapse; ends are trimmed. */
    assert_string_equal(eval(f, "css:h1::text"), "Shops in Town");
    assert_string_equal(eval(f, "css:h1"), "Shops in Town");
    /* <br> separates words; <script> inside is not text. */
    assert_string_equal(eval(f, "css:p.addr::text"),
                        "Hauptstr. 1 42651 Solingen");
    assert_string_equal(eval(f, "css:h2 ~ p:last-child"), "");
    assert_string_equal(eval(f, "css:#main > p:nth-of-type(3)"),
                        "second bold");
    /* A selected script gives its own text. */
    assert_string_equal(eval(f, "css:p script"), "var x = 1;");
}

static void test_selector__normalize_ws(void **state)
{
    char *out;
    size_t n;

    (void)state;
    assert_int_equal(cd_selector_normalize_ws(
                         &out, &n, " \t a\xC2\xA0\xC2\xA0 b\n\xE2\x80\xAF"
                                   "c \xE3\x80\x80", 19), 0);
    assert_string_equal(out, "a b c");
    assert_int_equal(n, 5);
    free(out);
    assert_int_equal(cd_selector_normalize_ws(&out, &n, "   ", 3), 0);
    assert_string_equal(out, "");
    free(out);
}

static void test_selector__attr(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "css:a::attr(href)"),
                        "/s/1|https://x.example/s/2|/s/3.html");
    assert_string_equal(eval(f, "css:li::attr(data-id)"), "1|2|3");
    assert_string_equal(eval(f, "css:li::attr( DATA-ID )"), "1|2|3");
    assert_string_equal(eval(f, "css:a[rel]::attr(rel)"), "next");
}

static void test_selector__xpath(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(eval(f, "xpath://li[@data-id='2']/a/@href"),
                        "https://x.example/s/2");
    assert_string_equal(eval(f, "xpath:count(//li)"), "4");
    assert_string_equal(eval(f, "xpath:count(//li) div 8"), "0.5");
    assert_string_equal(eval(f, "xpath:boolean(//h1)"), "true");
    assert_string_equal(eval(f, "xpath:concat('a', ' ', 'b ')"), "a b");
    assert_string_equal(eval(f, "xpath://a[1]/text() | //h1"),
                        "Shops in Town|One|Two|Three");
}

static void test_selector__item_context(void **state)
{
    struct fixture *f = *state;
    struct cd_selector *item = NULL;
    xmlNodeSetPtr nodes = NULL;
    struct cd_error err = { 0, "" };

    assert_int_equal(cd_selector_compile(&item, "css:div.item", &err), 0);
    assert_int_equal(cd_selector_nodes(&nodes, item, f->xp,
                                       (xmlNodePtr)f->doc, &err), 0);
    assert_non_null(nodes);
    assert_int_equal(nodes->nodeNr, 2);
    /* css: and relative XPath look inside the item... */
    assert_string_equal(eval_at(f, "css:h2::text", nodes->nodeTab[1]),
                        "Item two");
    assert_string_equal(eval_at(f, "css:div.item span", nodes->nodeTab[1]),
                        "2");
    assert_string_equal(eval_at(f, "xpath:.//span", nodes->nodeTab[0]),
                        "1");
    assert_string_equal(eval_at(f, "xpath:h2", nodes->nodeTab[0]),
                        "Item one");
    /* ...an absolute XPath still searches the page. */
    assert_string_equal(eval_at(f, "xpath://title", nodes->nodeTab[0]),
                        "T");
    xmlXPathFreeNodeSet(nodes);
    cd_selector_free(item);

    /* A selector that gives no node set is no item. */
    assert_int_equal(cd_selector_compile(&item, "xpath:count(//a)", &err),
                     0);
    assert_int_equal(cd_selector_nodes(&nodes, item, f->xp,
                                       (xmlNodePtr)f->doc, &err),
                     CD_EINVALID);
    assert_non_null(strstr(err.msg, "not elements"));
    cd_selector_free(item);
}

static void test_selector__regex(void **state)
{
    struct fixture *f = *state;

    /* First group wins; without one the whole match; no match drops. */
    assert_string_equal(eval(f, "css:p.addr | regex:(\\d{5}) (\\w+)"),
                        "42651");
    assert_string_equal(eval(f, "css:p.addr | regex:\\d{5}\\s+\\w+"),
                        "42651 Solingen");
    assert_string_equal(eval(f, "css:li | regex:^T(.*)"), "wo|hree");
    /* The first group that took part. */
    assert_string_equal(eval(f, "css:li a | regex:^(O)ne|^T(w)o"), "O|w");
    /* Unicode: \w matches umlauts. */
    assert_string_equal(finish("const:x | regex:^(\\w+)",
                               "Bäckerei Müller"), "Bäckerei");
    /* A '|' inside an XPath string is not the regex bar. */
    assert_string_equal(eval(f, "xpath:concat('a|', 'regex:b') | regex:(b)"),
                        "b");
}

static int join_finish(const char *v, size_t n, void *payload)
{
    return join(v, n, payload);
}

static void test_selector__const_and_finish(void **state)
{
    struct cd_buf b = CD_BUF_INIT(1024);
    struct cd_selector *s = NULL;
    struct cd_error err = { 0, "" };

    (void)state;
    assert_int_equal(cd_selector_compile(&s, "  const: Solingen  ", &err),
                     0);
    assert_int_equal(cd_selector_kind(s), CD_SEL_CONST);
    assert_string_equal(cd_selector_expr(s), "Solingen");
    assert_string_equal(cd_selector_text(s), "const: Solingen");
    assert_null(cd_selector_xpath(s));
    assert_int_equal(cd_selector_eval_xml(s, NULL, NULL, join, &b, &err),
                     CD_EINVALID);
    cd_selector_free(s);

    assert_int_equal(cd_selector_compile(&s, "json:data.*.name | "
                                         "regex:^(\\S+)", &err), 0);
    assert_int_equal(cd_selector_kind(s), CD_SEL_JSON);
    assert_string_equal(cd_selector_expr(s), "data.*.name");
    assert_int_equal(cd_selector_finish_value(s, "  Foo\n Bar ", 11,
                                              join_finish, &b), 0);
    assert_string_equal(cd_buf_str(&b), "Foo");
    cd_selector_free(s);

    assert_int_equal(cd_selector_compile(&s, "column:Straße", &err), 0);
    assert_int_equal(cd_selector_kind(s), CD_SEL_COLUMN);
    assert_string_equal(cd_selector_expr(s), "Straße");
    cd_selector_free(s);
    cd_buf_dispose(&b);
}

static int stop_first(const char *v, size_t n, void *payload)
{
    (void)v;
    (void)n;
    ++*(int *)payload;
    return 1;
}

static void test_selector__callback_stops(void **state)
{
    struct fixture *f = *state;
    struct cd_selector *s = NULL;
    struct cd_error err = { 0, "" };
    int calls = 0;

    assert_int_equal(cd_selector_compile(&s, "css:li", &err), 0);
    assert_int_equal(cd_selector_eval_xml(s, f->xp, (xmlNodePtr)f->doc,
                                          stop_first, &calls, &err),
                     CD_EUSER);
    assert_int_equal(calls, 1);
    cd_selector_free(s);
}

static void test_selector__css_to_xpath(void **state)
{
    static const struct {
        const char *css, *xpath;
    } cases[] = {
        { "css:h1", "descendant-or-self::h1" },
        { "css:*", "descendant-or-self::*" },
        { "css:a > b", "descendant-or-self::a/b" },
        { "css:a b", "descendant-or-self::a/descendant::b" },
        { "css:a + b", "descendant-or-self::a/following-sibling::*[1]"
                       "/self::b" },
        { "css:a ~ b", "descendant-or-self::a/following-sibling::b" },
        { "css:#x", "descendant-or-self::*[@id = 'x']" },
        { "css:.c", "descendant-or-self::*[@class and contains(concat("
                    "' ', normalize-space(@class), ' '), ' c ')]" },
        { "css:[href]", "descendant-or-self::*[@href]" },
        { "css:a::attr(href)", "descendant-or-self::a/@href" },
        { "css:a::text", "descendant-or-self::a" },
        { "css:a, b", "descendant-or-self::a | descendant-or-self::b" },
        { "css:li:nth-child(3)", "descendant-or-self::li[(count("
                                 "preceding-sibling::*) + 1) = 3]" },
    };
    struct cd_selector *s;
    struct cd_error err;
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = NULL;
        if(cd_selector_compile(&s, cases[i].css, &err))
            fail_msg("%s: %s", cases[i].css, err.msg);
        assert_string_equal(cd_selector_xpath(s), cases[i].xpath);
        cd_selector_free(s);
    }
}

static void test_selector__errors(void **state)
{
    (void)state;
    assert_string_equal(compile_error("css:a[href"),
                        "bad CSS selector 'a[href': expected ']' at "
                        "offset 7");
    assert_string_equal(compile_error("css:a:hover"),
                        "bad CSS selector 'a:hover': unknown pseudo-class "
                        "':hover' at offset 2");
    assert_string_equal(compile_error("css:a::foo"),
                        "bad CSS selector 'a::foo': unknown pseudo-element "
                        "'::foo' at offset 2");
    assert_string_equal(compile_error("css:a,"),
                        "bad CSS selector 'a,': expected selector at "
                        "offset 3");
    assert_string_equal(compile_error("css:a[x='y]"),
                        "bad CSS selector 'a[x='y]': unterminated string at "
                        "offset 5");
    assert_string_equal(compile_error("css:li:nth-child(x)"),
                        "bad CSS selector 'li:nth-child(x)': bad argument of "
                        "':nth-child()', expected an+b at offset 14");
    assert_string_equal(compile_error("css:*:first-of-type"),
                        "bad CSS selector '*:first-of-type': "
                        "':first-of-type' needs an element type at offset 2");
    assert_string_equal(compile_error("css:a::text b"),
                        "bad CSS selector 'a::text b': expected ',' or the "
                        "end after a pseudo-element at offset 9");
    assert_string_equal(compile_error("css:"), "empty selector after 'css:'");
    assert_string_equal(compile_error("css:h1 | regex:(\\d"),
                        "bad regex '(\\d': missing closing parenthesis at "
                        "offset 4");
    assert_string_equal(compile_error("css:h1 | regex:"),
                        "empty regex in 'css:h1 | regex:'");
    assert_string_equal(compile_error("xpath://a[@href"),
                        "bad XPath '//a[@href': bad predicate at offset 10");
    assert_string_equal(compile_error("xpath:'abc"),
                        "bad XPath ''abc': unfinished string at offset 5");
    /* Found by a trial run at compile time, not only on a real page. */
    assert_string_equal(compile_error("xpath:nosuchfn(//a)"),
                        "bad XPath 'nosuchfn(//a)': unknown function");
    assert_string_equal(compile_error("xpath:$v"),
                        "bad XPath '$v': undefined variable");
    assert_string_equal(compile_error("sql:select 1"),
                        "unknown selector kind 'sql:' (expected css:, "
                        "xpath:, json:, column: or const:)");
    assert_non_null(strstr(compile_error("h1::text"), "has no kind"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selector__type_and_star),
        cmocka_unit_test(test_selector__class_and_id),
        cmocka_unit_test(test_selector__attributes),
        cmocka_unit_test(test_selector__combinators),
        cmocka_unit_test(test_selector__lists_in_document_order),
        cmocka_unit_test(test_selector__structural),
        cmocka_unit_test(test_selector__text_is_normalised),
        cmocka_unit_test(test_selector__normalize_ws),
        cmocka_unit_test(test_selector__attr),
        cmocka_unit_test(test_selector__xpath),
        cmocka_unit_test(test_selector__item_context),
        cmocka_unit_test(test_selector__regex),
        cmocka_unit_test(test_selector__const_and_finish),
        cmocka_unit_test(test_selector__callback_stops),
        cmocka_unit_test(test_selector__css_to_xpath),
        cmocka_unit_test(test_selector__errors),
    };

    return cmocka_run_group_tests_name("selector", tests, setup, teardown);
}
