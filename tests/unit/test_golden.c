/* SPDX-License-Identifier: MIT */
/*
 * Golden tests of the parsers, one driver for all (after jq's jq.test and
 * curl's tests/data): every tests/fixtures/<parser>/<case>.ini is loaded
 * with cd_source_load(), the document <case>.<ext> next to it (any
 * extension but .ini and .expected.json) is parsed by
 * the definition's parser, and the records it emits, as a JSON array of
 * cd_record_to_json() objects, must equal <case>.expected.json (compared
 * as JSON values, so key order and spacing do not matter). Each case is
 * one cmocka test, test_golden__<parser>_<case>. Every parser of the
 * registry has a folder <parser>/ (a missing one is skipped).
 *
 * The fixtures folder is tests/fixtures, or $CITYDIR_TEST_FIXTURES.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/record.h"
#include "parsers/parser.h"


#define MAX_CASES 256

struct golden {
    char name[128];  /* test name */
    char base[512];  /* fixtures/<parser>/<case>, without extension */
    char doc[700];   /* the document next to it */
};

static void report(const char *msg, void *payload)
{
    (void)payload;
    print_error("%s\n", msg);
}

/* The whole file at path into *out (NUL-terminated). 0 or -1. */
static int slurp(char **out, size_t *len, const char *path)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_BODY);
    char chunk[8192];
    FILE *f = fopen(path, "rb");
    size_t n;

    *out = NULL;
    if(!f)
        return -1;
    while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if(cd_buf_put(&b, chunk, n))
            break;
    fclose(f);
    *len = b.len;
    *out = cd_buf_detach(&b);
    return *out ? 0 : -1;
}

static int collect(const struct cd_emit *e, void *payload)
{
    json_t *arr = payload, *rec;
    char *js;

    if(e->kind != CD_EMIT_RECORD)
        return 0;
    assert_int_equal(cd_record_to_json(&js, e->record), 0);
    rec = json_loads(js, 0, NULL);
    free(js);
    assert_non_null(rec);
    assert_int_equal(json_array_append_new(arr, rec), 0);
    return 0;
}

static void run_case(void **state)
{
    const struct golden *g = *state;
    struct cd_source *src = NULL;
    struct cd_arena *arena = NULL;
    struct cd_error err = { 0, "" };
    struct cd_doc doc;
    char path[800], *body = NULL, *a, *b;
    json_t *got, *want;
    json_error_t jerr;
    size_t len = 0;

    snprintf(path, sizeof(path), "%s.ini", g->base);
    if(cd_source_load(&src, path, report, NULL))
        fail_msg("%s: the definition does not load", path);
    assert_non_null(src->parser);
    snprintf(path, sizeof(path), "%s", g->doc);
    if(!g->doc[0] || slurp(&body, &len, path))
        fail_msg("%s: no document next to the definition", g->base);
    assert_int_equal(cd_arena_new(&arena), 0);
    memset(&doc, 0, sizeof(doc));
    doc.url = path;
    doc.body = body;
    doc.len = len;
    doc.arena = arena;
    got = json_array();
    assert_non_null(got);
    /* as the crawler does: CRS to WGS 84, bbox (parsers/emit.c) */
    if(cd_parse(&doc, src, NULL, collect, got, NULL, &err))
        fail_msg("%s: %s", path, err.msg);

    snprintf(path, sizeof(path), "%s.expected.json", g->base);
    want = json_load_file(path, 0, &jerr);
    if(!want)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    if(!json_equal(got, want)) {
        a = json_dumps(got, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        b = json_dumps(want, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        print_error("got:\n%s\nexpected (%s):\n%s\n", a, path, b);
        free(a);
        free(b);
        fail_msg("%s: records differ", g->name);
    }
    json_decref(got);
    json_decref(want);
    cd_arena_free(arena);
    free(body);
    cd_source_free(src);
}

static int by_name(const void *x, const void *y)
{
    return strcmp(((const struct golden *)x)->base,
                  ((const struct golden *)y)->base);
}

/* The document of case `stem` in folder sub: <stem>.<ext> for any ext
 * but "ini" and "expected.json". */
static void find_doc(struct golden *g, const char *sub, const char *stem,
                     size_t stemlen)
{
    struct dirent *e;
    const char *ext;
    DIR *d = opendir(sub);

    g->doc[0] = '\0';
    while(d && (e = readdir(d))) {
        if(strncmp(e->d_name, stem, stemlen) || e->d_name[stemlen] != '.')
            continue;
        ext = e->d_name + stemlen + 1;
        if(!strcmp(ext, "ini") || !strcmp(ext, "expected.json"))
            continue;
        snprintf(g->doc, sizeof(g->doc), "%.400s/%.255s", sub, e->d_name);
        break;
    }
    if(d)
        closedir(d);
}

/* Every <case>.ini under dir/<parser>/ into cases; returns the count. */
static size_t find_cases(struct golden *cases, const char *dir)
{
    const struct cd_parser *const *parsers;
    size_t n = 0, p, l, np;
    struct dirent *e;
    char sub[400];
    DIR *d;

    parsers = cd_parser_list(&np);
    for(p = 0; p < np; p++) {
        snprintf(sub, sizeof(sub), "%s/%s", dir, parsers[p]->name);
        d = opendir(sub);
        if(!d)
            continue;
        while((e = readdir(d)) && n < MAX_CASES) {
            l = strlen(e->d_name);
            if(l < 5 || strcmp(e->d_name + l - 4, ".ini") || l > 100)
                continue;
            snprintf(cases[n].base, sizeof(cases[n].base), "%s/%.*s", sub,
                     (int)(l - 4), e->d_name);
            snprintf(cases[n].name, sizeof(cases[n].name),
                     "test_golden__%s_%.*s", parsers[p]->name,
                     (int)(l - 4), e->d_name);
            find_doc(&cases[n], sub, e->d_name, l - 4);
            n++;
        }
        closedir(d);
    }
    qsort(cases, n, sizeof(*cases), by_name);
    return n;
}

static void no_cases(void **state)
{
    fail_msg("no golden cases found under %s", (const char *)*state);
}

int main(void)
{
    static struct golden cases[MAX_CASES];
    static struct CMUnitTest tests[MAX_CASES];
    const char *dir = getenv("CITYDIR_TEST_FIXTURES");
    size_t n, i;

    if(!dir || !*dir)
        dir = "tests/fixtures";
    n = find_cases(cases, dir);
    if(!n) {
        tests[0].name = "test_golden__cases_exist";
        tests[0].test_func = no_cases;
        tests[0].initial_state = (void *)dir;
        return _cmocka_run_group_tests("golden", tests, 1, NULL, NULL);
    }
    for(i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    return _cmocka_run_group_tests("golden", tests, n, NULL, NULL);
}
