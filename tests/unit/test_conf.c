/* SPDX-License-Identifier: MIT */
/*
 * Tests of source definitions (conf/): the key table, loading good
 * definitions into struct cd_source, and the exact "file:line: message" of
 * every kind of error, from the fixtures in tests/fixtures/conf/ (one file
 * per kind of error in bad/, valid ones in good/, a duplicate id in dup/).
 * Run from the top of the source tree, as `make test` does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/keys.h"
#include "conf/pattern.h"
#include "conf/source.h"
#include "parsers/parser.h"
#include "select/selector.h"

#define FIX "tests/fixtures/conf/"
#define MAX_MSGS 64

/* The messages reported while loading. */
struct msgs {
    char *v[MAX_MSGS];
    size_t n;
};

static void collect_msg(const char *msg, void *payload)
{
    struct msgs *m = payload;

    if(m->n < MAX_MSGS)
        m->v[m->n++] = strdup(msg);
}

static void msgs_dispose(struct msgs *m)
{
    size_t i;

    for(i = 0; i < m->n; i++)
        free(m->v[i]);
    m->n = 0;
}

/* Whether got matches want: exactly, or by prefix when want ends in '*'. */
static int msg_matches(const char *got, const char *want)
{
    size_t n = strlen(want);

    if(n && want[n - 1] == '*')
        return !strncmp(got, want, n - 1);
    return !strcmp(got, want);
}

/* Load one bad file and check it reports exactly `want`, in order. */
static void expect_errors(const char *file, const char *const *want,
                          size_t nwant)
{
    struct msgs m = { { NULL }, 0 };
    struct cd_source *src = (struct cd_source *)1;
    size_t i;
    int rc, ok;

    rc = cd_source_load(&src, file, collect_msg, &m);
    ok = m.n == nwant;
    for(i = 0; ok && i < nwant; i++)
        ok = msg_matches(m.v[i], want[i]);
    if(!ok) {
        for(i = 0; i < m.n; i++)
            print_message("  got:  %s\n", m.v[i]);
        for(i = 0; i < nwant; i++)
            print_message("  want: %s\n", want[i]);
        msgs_dispose(&m);
        fail_msg("%s: the errors differ", file);
    }
    assert_int_equal(rc, CD_EINVALID);
    assert_null(src);
    msgs_dispose(&m);
}

#define EXPECT(file, ...) do { \
    static const char *const want_[] = { __VA_ARGS__ }; \
    expect_errors(FIX file, want_, sizeof(want_) / sizeof(want_[0])); \
} while(0)

/* ---- the key table ---------------------------------------------------- */

static void test_conf__table_sorted(void **state)
{
    const struct cd_conf_key *k;
    size_t n, i;

    k = cd_conf_keys_list(&n);
    assert_true(n > 20);
    for(i = 1; i < n; i++) {
        if(k[i - 1].section > k[i].section)
            fail_msg("'%s' after '%s': sections out of order", k[i].name,
                     k[i - 1].name);
        if(k[i - 1].section == k[i].section &&
           strcmp(k[i - 1].name, k[i].name) >= 0)
            fail_msg("'%s' not after '%s'", k[i].name, k[i - 1].name);
    }
    for(i = 0; i < n; i++) {
        assert_non_null(k[i].set);
        assert_non_null(k[i].help);
        assert_true(strlen(k[i].help) > 5);
        if(k[i].set == cd_conf_set_uint) {
            assert_true(k[i].min <= k[i].max);
            assert_non_null(k[i].def);
        }
        if(k[i].set == cd_conf_set_selector_list ||
           k[i].set == cd_conf_set_pattern_list ||
           k[i].set == cd_conf_set_url_list ||
           k[i].set == cd_conf_set_str_list)
            assert_true(k[i].flags & CD_CONF_LIST);
        else
            assert_false(k[i].flags & CD_CONF_LIST);
    }
}

/* [extract] has exactly the fields of core/record.h, plus item. */
static void test_conf__extract_keys_are_fields(void **state)
{
    const struct cd_conf_key *k;
    enum cd_field f;
    unsigned i;
    size_t n, j, nextract = 0;

    for(i = 0; i < CD_F__COUNT; i++) {
        k = cd_conf_key_find(CD_SEC_EXTRACT, cd_field_name(i));
        assert_non_null(k);
        assert_ptr_equal(k->set, cd_conf_set_field);
        assert_int_equal(k->offset, offsetof(struct cd_source, extract) +
                         i * sizeof(struct cd_selector *));
    }
    k = cd_conf_keys_list(&n);
    for(j = 0; j < n; j++) {
        if(k[j].section != CD_SEC_EXTRACT)
            continue;
        nextract++;
        if(strcmp(k[j].name, "item"))
            assert_int_equal(cd_field_lookup(&f, k[j].name), 0);
    }
    assert_int_equal(nextract, CD_F__COUNT + 1);
}

/* The documented defaults are the ones cd_source_new() applies. */
static void test_conf__defaults_match_table(void **state)
{
    const struct cd_conf_key *k;
    struct cd_source *src;
    unsigned long def;
    size_t n, i, checked = 0;

    assert_int_equal(cd_source_new(&src, "x.ini"), 0);
    assert_string_equal(src->path, "x.ini");
    k = cd_conf_keys_list(&n);
    for(i = 0; i < n; i++) {
        if(k[i].set != cd_conf_set_uint)
            continue;
        assert_int_equal(cd_parse_uint(&def, k[i].def, 100000000), 0);
        assert_true(def >= k[i].min && def <= k[i].max);
        assert_int_equal(*(unsigned long *)(void *)((char *)src +
                                                    k[i].offset), def);
        checked++;
    }
    assert_int_equal(checked, 10);
    assert_true(src->min_ratio == CD_DEFAULT_MIN_RATIO);
    assert_int_equal(src->delay_ms, CD_DEFAULT_DELAY_MS);
    assert_int_equal(src->concurrency, CD_DEFAULT_CONCURRENCY);
    assert_null(src->id);
    cd_source_free(src);
    cd_source_free(NULL);
}

/* docs/sources.md names every key, as `key`. */
static void test_conf__docs_cover_keys(void **state)
{
    const struct cd_conf_key *k;
    char *doc, needle[80];
    size_t n, i, len;
    FILE *f = fopen("docs/sources.md", "rb");

    assert_non_null(f);
    doc = calloc(1, 256 * 1024);
    assert_non_null(doc);
    len = fread(doc, 1, 256 * 1024 - 1, f);
    fclose(f);
    assert_true(len > 1000);
    k = cd_conf_keys_list(&n);
    for(i = 0; i < n; i++) {
        snprintf(needle, sizeof(needle), "`%s`", k[i].name);
        if(!strstr(doc, needle))
            fail_msg("docs/sources.md does not name %s", needle);
        if(k[i].def) {
            snprintf(needle, sizeof(needle), "| `%s` | %s |", k[i].name,
                     k[i].def);
            if(!strstr(doc, needle))
                fail_msg("docs/sources.md lacks the row \"%s\"", needle);
        }
    }
    free(doc);
}

static void test_conf__suggest(void **state)
{
    const struct cd_conf_key *k;

    assert_int_equal(cd_conf_distance("delay_ms", "delay_ms"), 0);
    assert_int_equal(cd_conf_distance("dealy_ms", "delay_ms"), 1);
    assert_int_equal(cd_conf_distance("delay", "delay_ms"), 3);
    assert_int_equal(cd_conf_distance("delay", "deny"), 2);
    assert_int_equal(cd_conf_distance("", "abc"), 3);
    k = cd_conf_key_suggest(CD_SEC_CRAWL, "delay");
    assert_non_null(k);
    assert_string_equal(k->name, "delay_ms");
    k = cd_conf_key_suggest(CD_SEC_SOURCE, "titel");
    assert_non_null(k);
    assert_string_equal(k->name, "title");
    /* another section's key is found when nothing here is close */
    k = cd_conf_key_suggest(CD_SEC_SOURCE, "concurency");
    assert_non_null(k);
    assert_string_equal(k->name, "concurrency");
    assert_int_equal(k->section, CD_SEC_CRAWL);
    assert_null(cd_conf_key_suggest(CD_SEC_CRAWL, "foo"));
    assert_null(cd_conf_key_suggest(CD_SEC_EXTRACT, "x"));
}

static void test_conf__pattern(void **state)
{
    struct cd_pattern *p;
    struct cd_error err = { 0, "" };

    assert_int_equal(cd_pattern_compile(&p, "^https://a\\.example/x", &err),
                     0);
    assert_string_equal(cd_pattern_text(p), "^https://a\\.example/x");
    assert_int_equal(cd_pattern_match(p, "https://a.example/x/1", 21), 1);
    assert_int_equal(cd_pattern_match(p, "https://aXexample/x", 19), 0);
    /* n bytes only, not up to a NUL */
    assert_int_equal(cd_pattern_match(p, "https://a.example/x", 10), 0);
    cd_pattern_free(p);
    assert_int_equal(cd_pattern_compile(&p, "a(b", &err), CD_EINVALID);
    assert_null(p);
    assert_string_equal(err.msg, "missing closing parenthesis at offset 3");
    cd_pattern_free(NULL);
}

/* ---- good definitions ------------------------------------------------- */

static void test_conf__load_good_folder(void **state)
{
    char p0[] = FIX "good";
    char *paths[] = { p0 };
    struct cd_sources s = { NULL, 0 };
    struct msgs m = { { NULL }, 0 };
    const struct cd_source *src;
    int rc;

    rc = cd_sources_load(&s, paths, 1, collect_msg, &m);
    if(m.n)
        fail_msg("unexpected: %s", m.v[0]);
    assert_int_equal(rc, 0);
    /* name order, recursively; notes.txt and .hidden.ini are skipped */
    assert_int_equal(s.n, 3);
    assert_string_equal(s.v[0]->id, "long-lines");
    assert_string_equal(s.v[0]->path, FIX "good/long.ini");
    assert_string_equal(s.v[1]->id, "solingen-liefert");
    assert_string_equal(s.v[2]->id, "wolfsburg.markt_2");
    assert_string_equal(s.v[2]->path, FIX "good/sub/wolfsburg.ini");

    src = cd_sources_find(&s, "solingen-liefert");
    assert_ptr_equal(src, s.v[1]);
    assert_null(cd_sources_find(&s, "nope"));
    assert_int_equal(src->id_line, 3);
    assert_string_equal(src->title, "Solingen liefert");
    assert_string_equal(src->city, "Solingen");
    assert_string_equal(src->parser_name, "html");
    assert_ptr_equal(src->parser, cd_parser_find("html"));
    assert_int_equal(src->parser_line, 6);
    assert_int_equal(src->start.n, 2);
    assert_string_equal(src->start.v[0],
                        "https://www.solingen-liefert.de/haendler");
    assert_string_equal(src->start.v[1],
                        "https://www.solingen-liefert.de/haendler?seite=2");
    assert_string_equal(src->license, "dl-de/by-2-0");
    /* ';' without a blank before it is not a comment */
    assert_string_equal(src->attribution, "Stadt Solingen;Team Digital");
    assert_null(src->url);
    assert_int_equal(src->priority, 60);

    /* [crawl], with indented keys */
    assert_int_equal(src->nfollow, 2);
    assert_string_equal(cd_selector_text(src->follow[0]),
                        "css:a[rel=next]::attr(href)");
    assert_string_equal(cd_selector_text(src->follow[1]),
                        "css:.haendler a::attr(href)");
    assert_int_equal(src->nallow, 1);
    assert_string_equal(cd_pattern_text(src->allow[0]),
                        "^https://www\\.solingen-liefert\\.de/haendler");
    assert_int_equal(src->ndeny, 1);
    assert_int_equal(src->delay_ms, 500);
    assert_int_equal(src->concurrency, 2);
    assert_int_equal(src->max_pages, CD_DEFAULT_MAX_PAGES);
    assert_int_equal(src->timeout_ms, CD_DEFAULT_TIMEOUT_MS);
    assert_int_equal(src->connect_timeout_ms, CD_DEFAULT_CONNECT_MS);
    assert_int_equal(src->retries, CD_DEFAULT_RETRIES);
    assert_int_equal(src->max_redirects, CD_DEFAULT_MAX_REDIRECTS);

    /* [extract] */
    assert_non_null(src->item);
    assert_string_equal(cd_selector_text(src->item), "css:article.haendler");
    assert_string_equal(cd_selector_text(src->extract[CD_F_NAME]),
                        "css:h1::text");
    assert_int_equal(src->extract_line[CD_F_NAME], 24);
    assert_string_equal(cd_selector_text(src->extract[CD_F_POSTCODE]),
                        "css:.adresse .ort::text | regex:(\\d{5})");
    assert_int_equal(cd_selector_kind(src->extract[CD_F_PHONE]),
                     CD_SEL_XPATH);
    assert_string_equal(cd_selector_text(src->extract[CD_F_PHONE]),
                        "xpath://a[starts-with(@href,'tel:')]/@href");
    assert_non_null(src->extract[CD_F_STREET]);
    assert_non_null(src->extract[CD_F_CATEGORIES]);
    assert_null(src->extract[CD_F_EMAIL]);
    assert_int_equal(src->extract_line[CD_F_EMAIL], 0);

    /* defaults where nothing was given */
    src = s.v[2];
    assert_int_equal(src->delay_ms, CD_DEFAULT_DELAY_MS);
    assert_int_equal(src->priority, CD_DEFAULT_PRIORITY);
    assert_int_equal(src->nfollow, 0);
    assert_null(src->item);
    assert_null(src->title);

    cd_sources_dispose(&s);
    assert_int_equal(s.n, 0);
    cd_sources_dispose(NULL);
    msgs_dispose(&m);
}

static void test_conf__url_allowed(void **state)
{
    struct cd_source *src;
    struct msgs m = { { NULL }, 0 };

    assert_int_equal(cd_source_load(&src, FIX "good/solingen.ini",
                                    collect_msg, &m), 0);
    assert_int_equal(m.n, 0);
    assert_true(cd_source_url_allowed(src,
                "https://www.solingen-liefert.de/haendler/42"));
    assert_false(cd_source_url_allowed(src,
                 "https://www.solingen-liefert.de/haendler/liste.pdf"));
    assert_false(cd_source_url_allowed(src, "https://example.org/haendler"));
    assert_false(cd_source_url_allowed(src,
                 "http://www.solingen-liefert.de/haendler"));
    cd_source_free(src);

    /* no allow pattern: everything not denied */
    assert_int_equal(cd_source_load(&src, FIX "good/sub/wolfsburg.ini",
                                    collect_msg, &m), 0);
    assert_true(cd_source_url_allowed(src, "https://anything.example/"));
    cd_source_free(src);
}

/* A 2000-character line loads (inih's own default limit is 200). */
static void test_conf__long_line_2000(void **state)
{
    struct cd_source *src;
    struct msgs m = { { NULL }, 0 };

    assert_int_equal(cd_source_load(&src, FIX "good/long.ini", collect_msg,
                                    &m), 0);
    assert_int_equal(m.n, 0);
    assert_int_equal(src->start.n, 1);
    assert_int_equal(strlen(src->start.v[0]), 2000);
    assert_int_equal(strlen(src->title), 2000);
    assert_int_equal(src->title[1999], 'T');
    cd_source_free(src);
}

/* Write `text` to a new file in a fresh temporary folder. */
static char *temp_file(char dir[64], const char *text, size_t len)
{
    char *path = malloc(96);
    FILE *f;

    snprintf(dir, 64, "/tmp/cd_test_conf_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, 96, "%s/long.ini", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

static void remove_temp(char dir[64], char *path)
{
    unlink(path);
    rmdir(dir);
    free(path);
}

/* A line of exactly CD_CONF_MAX_LINE characters loads, even with CRLF; a
 * longer one is an error naming file and line, and the lines after it keep
 * their numbers. */
static void test_conf__long_line_limit(void **state)
{
    static const char head[] =
        "[source]\r\nid = limit\r\nparser = html\r\n"
        "start = https://example.org/\r\n";
    static const char tail[] = "\r\n[extract]\r\nname = css:h1::text\r\n";
    size_t vlen = CD_CONF_MAX_LINE - strlen("title = ");
    size_t len = strlen(head) + CD_CONF_MAX_LINE + strlen(tail) + 64;
    char *text = malloc(len), *p, *path, dir[64], want[256];
    struct cd_source *src;
    struct msgs m = { { NULL }, 0 };

    /* exactly at the limit */
    p = text;
    memcpy(p, head, strlen(head));
    p += strlen(head);
    memcpy(p, "title = ", 8);
    p += 8;
    memset(p, 'x', vlen);
    p += vlen;
    memcpy(p, tail, strlen(tail));
    p += strlen(tail);
    path = temp_file(dir, text, (size_t)(p - text));
    assert_int_equal(cd_source_load(&src, path, collect_msg, &m), 0);
    assert_int_equal(m.n, 0);
    assert_int_equal(strlen(src->title), vlen);
    assert_string_equal(cd_selector_text(src->extract[CD_F_NAME]),
                        "css:h1::text");
    cd_source_free(src);
    remove_temp(dir, path);

    /* one more: line 5 is too long; line 7 still has its number */
    p = text;
    memcpy(p, head, strlen(head));
    p += strlen(head);
    memcpy(p, "title = ", 8);
    p += 8;
    memset(p, 'x', vlen + 1);
    p += vlen + 1;
    memcpy(p, "\r\n[extract]\r\nnmae = css:h1::text\r\n", 34);
    p += 34;
    path = temp_file(dir, text, (size_t)(p - text));
    assert_int_equal(cd_source_load(&src, path, collect_msg, &m),
                     CD_EINVALID);
    assert_null(src);
    assert_int_equal(m.n, 3);
    snprintf(want, sizeof(want), "%s:5: line too long (%u characters, at "
             "most %u)", path, CD_CONF_MAX_LINE + 1, CD_CONF_MAX_LINE);
    assert_string_equal(m.v[0], want);
    snprintf(want, sizeof(want), "%s:7: unknown key 'nmae' in [extract]; "
             "did you mean 'name'?", path);
    assert_string_equal(m.v[1], want);
    snprintf(want, sizeof(want), "%s:3: parser 'html' needs a 'name' "
             "selector in [extract]", path);
    assert_string_equal(m.v[2], want);
    msgs_dispose(&m);
    remove_temp(dir, path);
    free(text);
}

/* ---- one kind of error per file --------------------------------------- */

static void test_conf__unknown_section(void **state)
{
    EXPECT("bad/unknown_section.ini",
           FIX "bad/unknown_section.ini:6: unknown section [bogus] "
               "(known: [source], [crawl], [extract], [catalog], "
               "[namespaces], [extract.PARSER])",
           FIX "bad/unknown_section.ini:8: unknown section [headers] "
               "(known: [source], [crawl], [extract], [catalog], "
               "[namespaces], [extract.PARSER])");
}

static void test_conf__unknown_key(void **state)
{
    EXPECT("bad/unknown_key.ini",
           FIX "bad/unknown_key.ini:3: unknown key 'titel' in [source]; "
               "did you mean 'title'?",
           FIX "bad/unknown_key.ini:6: key 'delay_ms' belongs in [crawl], "
               "not [source]",
           FIX "bad/unknown_key.ini:9: unknown key 'delay' in [crawl]; "
               "did you mean 'delay_ms'?",
           FIX "bad/unknown_key.ini:10: unknown key 'foo' in [crawl]",
           FIX "bad/unknown_key.ini:11: unknown key 'dealy_ms' in [crawl]; "
               "did you mean 'delay_ms'?",
           FIX "bad/unknown_key.ini:14: unknown key 'nmae' in [extract]; "
               "did you mean 'name'?",
           FIX "bad/unknown_key.ini:4: parser 'html' needs a 'name' "
               "selector in [extract]");
}

static void test_conf__missing_id(void **state)
{
    EXPECT("bad/missing_id.ini",
           FIX "bad/missing_id.ini:2: missing 'id' in [source]");
}

static void test_conf__bad_id(void **state)
{
    EXPECT("bad/bad_id.ini",
           FIX "bad/bad_id.ini:2: id 'Solingen_Liefert' is not valid: use "
               "lowercase letters, digits, '.', '_' and '-', starting with "
               "a letter or digit");
}

static void test_conf__unknown_parser(void **state)
{
    EXPECT("bad/unknown_parser.ini",
           FIX "bad/unknown_parser.ini:3: unknown parser 'htm' (known: "
               "html*");
}

static void test_conf__missing_start(void **state)
{
    EXPECT("bad/missing_start.ini",
           FIX "bad/missing_start.ini:1: missing 'start' in [source]");
}

static void test_conf__bad_selector(void **state)
{
    EXPECT("bad/bad_selector.ini",
           FIX "bad/bad_selector.ini:7: bad selector for 'follow': *",
           FIX "bad/bad_selector.ini:10: bad selector for 'name': *");
}

static void test_conf__bad_regex(void **state)
{
    EXPECT("bad/bad_regex.ini",
           FIX "bad/bad_regex.ini:7: bad regex for 'allow': missing "
               "closing parenthesis at offset 17",
           FIX "bad/bad_regex.ini:8: bad regex for 'deny': range out of "
               "order in character class at offset 3");
}

static void test_conf__bad_uint(void **state)
{
    EXPECT("bad/bad_uint.ini",
           FIX "bad/bad_uint.ini:5: 'priority' must be a whole number from "
               "0 to 100, not '101'",
           FIX "bad/bad_uint.ini:8: 'delay_ms' must be a whole number from "
               "0 to 3600000, not 'abc'",
           FIX "bad/bad_uint.ini:9: 'concurrency' must be a whole number "
               "from 1 to 64, not '100'",
           FIX "bad/bad_uint.ini:10: 'retries' must be a whole number from "
               "0 to 10, not '-1'",
           FIX "bad/bad_uint.ini:11: 'max_pages' must be a whole number "
               "from 1 to 10000000, not '99999999999999999999999'");
}

static void test_conf__repeated_key(void **state)
{
    EXPECT("bad/repeated_key.ini",
           FIX "bad/repeated_key.ini:6: key 'title' given twice (first at "
               "line 3)",
           FIX "bad/repeated_key.ini:10: key 'name' given twice (first at "
               "line 9)");
}

static void test_conf__bad_start(void **state)
{
    EXPECT("bad/bad_start.ini",
           FIX "bad/bad_start.ini:4: start 'ftp://example.org/list' is not "
               "an http:// or https:// URL",
           FIX "bad/bad_start.ini:5: start '/srv/data/list.html' is not an "
               "http:// or https:// URL",
           FIX "bad/bad_start.ini:7: url 'example.org' is not an http:// "
               "or https:// URL");
}

static void test_conf__needs_name(void **state)
{
    EXPECT("bad/needs_name.ini",
           FIX "bad/needs_name.ini:3: parser 'html' needs a 'name' "
               "selector in [extract]");
}

/* Selector kinds the parser does not take; const: is always taken. */
static void test_conf__selector_kind(void **state)
{
    EXPECT("bad/selector_kind.ini",
           FIX "bad/selector_kind.ini:10: parser 'html' does not take json: "
               "selectors (for 'name'; it takes: css xpath const)",
           FIX "bad/selector_kind.ini:7: parser 'html' does not take json: "
               "selectors (for 'follow'; it takes: css xpath const)");
}

static void test_conf__syntax(void **state)
{
    EXPECT("bad/syntax.ini",
           FIX "bad/syntax.ini:1: key 'title' before any section; start "
               "the file with [source]",
           FIX "bad/syntax.ini:6: expected 'key = value', a [section] or a "
               "comment",
           FIX "bad/syntax.ini:7: missing ']' after the section name");
}

static void test_conf__empty_value(void **state)
{
    EXPECT("bad/empty_value.ini",
           FIX "bad/empty_value.ini:3: key 'title' has no value",
           FIX "bad/empty_value.ini:8: key 'name' has no value");
}

static void test_conf__no_source(void **state)
{
    EXPECT("bad/no_source.ini",
           FIX "bad/no_source.ini: missing [source] section");
}

/* Every error of a file is reported, not only the first. */
static void test_conf__many_errors(void **state)
{
    EXPECT("bad/many.ini",
           FIX "bad/many.ini:3: id 'Many' is not valid: use lowercase "
               "letters, digits, '.', '_' and '-', starting with a letter "
               "or digit",
           FIX "bad/many.ini:5: start 'mailto:x@example.org' is not an "
               "http:// or https:// URL",
           FIX "bad/many.ini:6: 'priority' must be a whole number from 0 "
               "to 100, not 'high'",
           FIX "bad/many.ini:9: bad regex for 'allow': missing closing "
               "parenthesis at offset 1",
           FIX "bad/many.ini:11: key 'delay_ms' given twice (first at line "
               "10)",
           FIX "bad/many.ini:15: unknown key 'colour' in [extract]");
}

/* Every error of every file of a folder is reported; nothing loads. */
static void test_conf__bad_folder(void **state)
{
    char p0[] = FIX "bad";
    char *paths[] = { p0 };
    struct cd_sources s = { NULL, 0 };
    struct msgs m = { { NULL }, 0 };

    assert_int_equal(cd_sources_load(&s, paths, 1, collect_msg, &m),
                     CD_EINVALID);
    assert_int_equal(s.n, 0);
    assert_int_equal(m.n, 42);
    /* files in name order: bad_id.ini first, unknown_section.ini last */
    assert_true(msg_matches(m.v[0], FIX "bad/bad_id.ini:2: *"));
    assert_true(msg_matches(m.v[m.n - 1],
                            FIX "bad/unknown_section.ini:8: *"));
    msgs_dispose(&m);
    cd_sources_dispose(&s);
}

static void test_conf__duplicate_id(void **state)
{
    char p0[] = FIX "dup";
    char *paths[] = { p0 };
    struct cd_sources s = { NULL, 0 };
    struct msgs m = { { NULL }, 0 };

    assert_int_equal(cd_sources_load(&s, paths, 1, collect_msg, &m),
                     CD_EINVALID);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], FIX "dup/b.ini:4: id 'same-id' already "
                        "used by " FIX "dup/a.ini:2");
    /* the first one still loaded */
    assert_int_equal(s.n, 1);
    assert_string_equal(s.v[0]->path, FIX "dup/a.ini");
    msgs_dispose(&m);
    cd_sources_dispose(&s);
}

/* A file given twice (itself, and in its folder) is loaded once. */
static void test_conf__same_file_twice(void **state)
{
    char p0[] = FIX "good/sub/wolfsburg.ini", p1[] = FIX "good/sub/";
    char *paths[] = { p0, p1 };
    struct cd_sources s = { NULL, 0 };
    struct msgs m = { { NULL }, 0 };

    assert_int_equal(cd_sources_load(&s, paths, 2, collect_msg, &m), 0);
    assert_int_equal(m.n, 0);
    assert_int_equal(s.n, 1);
    cd_sources_dispose(&s);
}

static void test_conf__missing_path(void **state)
{
    char p0[] = FIX "nope", p1[] = FIX "good/sub";
    char *paths[] = { p0, p1 };
    struct cd_sources s = { NULL, 0 };
    struct msgs m = { { NULL }, 0 };
    struct cd_source *src = (struct cd_source *)1;

    assert_int_equal(cd_sources_load(&s, paths, 2, collect_msg, &m),
                     CD_EINVALID);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], FIX "nope: No such file or directory");
    assert_int_equal(s.n, 1);  /* the others still load */
    cd_sources_dispose(&s);
    msgs_dispose(&m);

    assert_int_equal(cd_source_load(&src, FIX "nope.ini", collect_msg, &m),
                     CD_EIO);
    assert_null(src);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], FIX "nope.ini: cannot open: No such file "
                        "or directory");
    msgs_dispose(&m);

    assert_int_equal(cd_source_load(&src, FIX "good", collect_msg, &m),
                     CD_EIO);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0], FIX "good: not a regular file");
    msgs_dispose(&m);
}

/* Every bundled definition (sources/: the partner cities and the demo)
 * loads without an error, and each city has its folder. */
static void test_conf__bundled_sources(void **state)
{
    char p0[] = "sources";
    char *paths[] = { p0 };
    struct cd_sources s = { NULL, 0 };
    struct msgs m = { { NULL }, 0 };
    size_t i;

    (void)state;
    assert_int_equal(cd_sources_load(&s, paths, 1, collect_msg, &m), 0);
    assert_int_equal(m.n, 0);
    assert_non_null(cd_sources_find(&s, "solingen-osm-shops"));
    assert_non_null(cd_sources_find(&s, "remscheid-osm-shops"));
    assert_non_null(cd_sources_find(&s, "wolfsburg-osm-shops"));
    for(i = 0; i < s.n; i++)
        assert_non_null(s.v[i]->city);
    cd_sources_dispose(&s);
    msgs_dispose(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conf__table_sorted),
        cmocka_unit_test(test_conf__extract_keys_are_fields),
        cmocka_unit_test(test_conf__defaults_match_table),
        cmocka_unit_test(test_conf__docs_cover_keys),
        cmocka_unit_test(test_conf__suggest),
        cmocka_unit_test(test_conf__pattern),
        cmocka_unit_test(test_conf__load_good_folder),
        cmocka_unit_test(test_conf__url_allowed),
        cmocka_unit_test(test_conf__long_line_2000),
        cmocka_unit_test(test_conf__long_line_limit),
        cmocka_unit_test(test_conf__unknown_section),
        cmocka_unit_test(test_conf__unknown_key),
        cmocka_unit_test(test_conf__missing_id),
        cmocka_unit_test(test_conf__bad_id),
        cmocka_unit_test(test_conf__unknown_parser),
        cmocka_unit_test(test_conf__missing_start),
        cmocka_unit_test(test_conf__bad_selector),
        cmocka_unit_test(test_conf__bad_regex),
        cmocka_unit_test(test_conf__bad_uint),
        cmocka_unit_test(test_conf__repeated_key),
        cmocka_unit_test(test_conf__bad_start),
        cmocka_unit_test(test_conf__needs_name),
        cmocka_unit_test(test_conf__selector_kind),
        cmocka_unit_test(test_conf__syntax),
        cmocka_unit_test(test_conf__empty_value),
        cmocka_unit_test(test_conf__no_source),
        cmocka_unit_test(test_conf__many_errors),
        cmocka_unit_test(test_conf__bad_folder),
        cmocka_unit_test(test_conf__duplicate_id),
        cmocka_unit_test(test_conf__same_file_twice),
        cmocka_unit_test(test_conf__missing_path),
        cmocka_unit_test(test_conf__bundled_sources),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
