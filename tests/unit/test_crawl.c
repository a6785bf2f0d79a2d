/* SPDX-License-Identifier: MIT */
/*
 * Tests of the crawler against the loopback test server and the small site
 * in tests/fixtures/site/ (a listing of three pages and six shop pages):
 * following links and extracting records, fetching each URL once, allow and
 * deny, per-host concurrency, retries, final 4xx, redirect loops, truncated
 * bodies, the size cap, a stop, a site that dies half-way through a second
 * crawl (the store's places stay as after the first), the report, and
 * cd_fetch_one(). Most tests use a tiny parser defined here, so they test
 * the crawler and not the HTML parser; one runs the real `html` parser with
 * a definition file. Run from the top of the tree (tests/run.sh does).
 * Delays and backoff are a millisecond or none; nothing asserts timings.
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

#include "conf/pattern.h"
#include "conf/source.h"
#include "core/buf.h"
#include "core/place.h"
#include "core/util.h"
#include "crawler/crawl.h"
#include "crawler/hosts.h"
#include "parsers/parser.h"
#include "store/store.h"
#include "tests/server/testserver.h"
#include "tests/unit/scan.h"

#define SITE "tests/fixtures/site"

struct fx {
    char dir[64];                  /* temporary folder */
    char db[128];
    struct cd_store *store;
    struct cd_testserver *ts;
    char base[64];                 /* "http://127.0.0.1:PORT" */
    struct cd_crawl_opts opts;
    struct cd_crawl_report rep;
};

/* ---- a tiny parser for the fixture site -------------------------------- */

/* When set, the scan parser sets it on the first page: a stop that comes
 * while a crawl is running. */
static volatile sig_atomic_t *stop_on_parse;

/*
 * Every href="..." is a link; a page with <article class="haendler"> is a
 * record (name, street, postcode). A page saying PARSE-ERROR fails.
 */
static int scan_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    (void)src;
    if(stop_on_parse)
        *stop_on_parse = 1;
    if(strstr(doc->body, "PARSE-ERROR"))
        return cd_error_set(err, CD_EINVALID, "%s: no good", doc->url);
    return cd_test_scan(doc, 1, emit, payload);
}

static const struct cd_parser scan_parser = {
    "scan", "test parser: hrefs and <h1>", CD_PARSER_FOLLOWS, "", NULL,
    scan_parse,
};

/* ---- fixtures ---------------------------------------------------------- */

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct cd_error err = { 0, "" };

    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cd-crawl-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/citydir.db", f->dir);
    if(cd_store_open(&f->store, f->db, 0, &err))
        fail_msg("store: %s", err.msg);
    assert_int_equal(cd_testserver_start(&f->ts, SITE, NULL, 0, 0), 0);
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

    cd_crawl_report_dispose(&f->rep);
    cd_testserver_stop(f->ts);
    cd_store_close(f->store);
    snprintf(path, sizeof(path), "%s/citydir.db-wal", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/citydir.db-shm", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/report.json", f->dir);
    unlink(path);
    unlink(f->db);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* A source of the fixture site read by the scan parser: starts at `path`,
 * no delay, concurrency 2, two retries, follows /haendler/ but not
 * /intern/. */
static struct cd_source *make_source(const struct fx *f, const char *id,
                                     const char *path)
{
    char url[160];

    snprintf(url, sizeof(url), "%s%s", f->base, path);
    return cd_test_scan_source(id, url, &scan_parser);
}

/* Crawl one source; returns its report (owned by f). */
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

static unsigned long hits(struct fx *f, const char *path)
{
    return cd_testserver_hits(f->ts, path);
}

static int add_place(const struct cd_place *p, void *payload)
{
    struct cd_buf *b = payload;

    return cd_buf_printf(b, "%s|%s|%s\n", p->id, p->name ? p->name : "",
                         p->street ? p->street : "");
}

/* Every place in the store, one "id|name|street" line each, in id order.
 * The caller frees the result. */
static char *places(struct fx *f)
{
    struct cd_place_query q = { NULL, -1 };
    struct cd_buf b = CD_BUF_INIT(CD_MAX_BODY);
    struct cd_error err = { 0, "" };

    if(cd_store_places_foreach(f->store, &q, add_place, &b, &err))
        fail_msg("places: %s", err.msg);
    return cd_buf_detach(&b);
}

static int count_lines(const char *s)
{
    int n = 0;

    for(; *s; s++)
        n += *s == '\n';
    return n;
}

/* ---- tests ------------------------------------------------------------- */

static void test_crawl__follows_and_extracts(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "solingen-liefert", "/haendler/");
    const struct cd_source_report *r = crawl1(f, s);
    char *pl;
    int i;

    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_string_equal(r->source_id, "solingen-liefert");
    assert_string_equal(r->error, "");
    assert_int_equal(r->stats.pages_fetched, 9);
    assert_int_equal(r->stats.pages_failed, 0);
    assert_int_equal(r->stats.records, 6);
    assert_true(r->stats.pages_skipped > 0);   /* mailto:, extern, intern */
    assert_true(r->stats.bytes > 0);
    assert_int_equal(r->stats.added, 6);
    /* each URL once, though linked from several pages */
    assert_int_equal(hits(f, "/haendler/"), 1);
    assert_int_equal(hits(f, "/haendler/liste-2.html"), 1);
    assert_int_equal(hits(f, "/haendler/liste-3.html"), 1);
    for(i = 1; i <= 6; i++) {
        char p[64];

        snprintf(p, sizeof(p), "/haendler/laden-%d.html", i);
        assert_int_equal(hits(f, p), 1);
    }
    /* deny and allow: never asked for */
    assert_int_equal(hits(f, "/haendler/intern/admin.html"), 0);
    /* nine pages and the site's robots.txt, once */
    assert_int_equal(hits(f, "/robots.txt"), 1);
    assert_int_equal(cd_testserver_total_hits(f->ts), 10);
    pl = places(f);
    assert_int_equal(count_lines(pl), 6);
    assert_non_null(strstr(pl, "Bäckerei Müller"));
    free(pl);
    cd_source_free(s);
}

static void test_crawl__second_run_same_urls(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "solingen-liefert", "/haendler/");
    const struct cd_source_report *r;

    /* Each run has its own seen-set: a second run fetches everything once
     * more, and changes nothing. */
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(r->stats.added, 0);
    assert_int_equal(r->stats.removed, 0);
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 2);
    cd_source_free(s);
}

static void test_crawl__concurrency_per_host(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[6];
    struct cd_source *s;
    const struct cd_source_report *r;
    char paths[6][64];
    unsigned long conc;
    int i;

    /* Slow shop pages make the transfers overlap. */
    memset(routes, 0, sizeof(routes));
    for(i = 0; i < 6; i++) {
        snprintf(paths[i], sizeof(paths[i]), "/haendler/laden-%d.html",
                 i + 1);
        routes[i].path = paths[i];
        routes[i].delay_ms = 40;
    }
    cd_testserver_set_routes(f->ts, routes, 6);
    for(conc = 1; conc <= 3; conc++) {
        char id[32];

        snprintf(id, sizeof(id), "conc-%lu", conc);
        s = make_source(f, id, "/haendler/");
        s->concurrency = conc;
        cd_testserver_reset_counts(f->ts);
        r = crawl1(f, s);
        assert_int_equal(r->status, CD_RUN_OK);
        assert_int_equal(r->stats.records, 6);
        assert_true(cd_testserver_max_concurrent(f->ts) <= conc);
        assert_true(cd_testserver_max_concurrent(f->ts) >= 1);
        cd_source_free(s);
    }
}

static void test_crawl__500_then_recovers(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[] = {
        { .path = "/haendler/liste-2.html", .status = 500, .times = 2 },
        { .path = "/haendler/laden-1.html", .fault = CD_FAULT_CLOSE,
          .times = 1 },
    };
    struct cd_source *s = make_source(f, "retry", "/haendler/");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 2);
    r = crawl1(f, s);
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(r->stats.records, 6);
    assert_int_equal(r->stats.pages_failed, 0);
    assert_int_equal(hits(f, "/haendler/liste-2.html"), 3);
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 2);
    cd_source_free(s);
}

static void test_crawl__404_is_final(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[] = {
        { .path = "/haendler/laden-3.html", .status = 404 },
    };
    struct cd_source *s = make_source(f, "gone", "/haendler/");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 1);
    r = crawl1(f, s);
    /* one broken link of nine pages does not fail a run */
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(hits(f, "/haendler/laden-3.html"), 1);
    assert_int_equal(r->stats.pages_failed, 1);
    assert_int_equal(r->stats.pages_fetched, 8);
    assert_int_equal(r->stats.records, 5);
    cd_source_free(s);

    /* a start URL that is gone fails the run, and says which and why */
    s = make_source(f, "gone-start", "/haendler/nothere.html");
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_int_equal(hits(f, "/haendler/nothere.html"), 1);
    assert_non_null(strstr(r->error, "/haendler/nothere.html"));
    assert_non_null(strstr(r->error, "HTTP 404"));
    cd_source_free(s);
}

static void test_crawl__redirect_loop(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[] = {
        { .path = "/haendler/a", .fault = CD_FAULT_LOOP,
          .location = "/haendler/b" },
        { .path = "/haendler/b", .fault = CD_FAULT_LOOP,
          .location = "/haendler/a" },
    };
    struct cd_source *s = make_source(f, "loop", "/haendler/a");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 2);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_non_null(strstr(r->error, "/haendler/a"));
    assert_non_null(strstr(r->error, "too many redirects"));
    /* bounded by max_redirects (5): six requests, not retried */
    assert_true(hits(f, "/haendler/a") + hits(f, "/haendler/b") <= 7);
    cd_source_free(s);
}

static void test_crawl__truncated_body_fails(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[] = {
        { .path = "/haendler/liste-2.html", .fault = CD_FAULT_TRUNCATE },
    };
    struct cd_source *s = make_source(f, "truncated", "/haendler/");
    const struct cd_source_report *r;
    char *pl;

    cd_testserver_set_routes(f->ts, routes, 1);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_int_equal(hits(f, "/haendler/liste-2.html"), 3);  /* 1 + 2 */
    assert_non_null(strstr(r->error, "/haendler/liste-2.html"));
    assert_non_null(strstr(r->error, "after 3 tries"));
    assert_int_equal(r->stats.pages_failed, 1);
    pl = places(f);
    assert_string_equal(pl, "");  /* nothing committed */
    free(pl);
    cd_source_free(s);
}

static void test_crawl__size_cap(void **state)
{
    struct fx *f = *state;
    static char big[6001];
    struct cd_route routes[] = {
        { .path = "/haendler/laden-4.html", .body = big },
        { .path = "/big.html", .body = big },
    };
    struct cd_source *s = make_source(f, "capped", "/haendler/");
    const struct cd_source_report *r;

    memset(big, 'x', sizeof(big) - 1);
    cd_testserver_set_routes(f->ts, routes, 2);
    f->opts.max_body = 4000;  /* the fixture pages are smaller */
    r = crawl1(f, s);
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(r->stats.records, 5);
    assert_int_equal(r->stats.pages_fetched, 8);
    assert_int_equal(hits(f, "/haendler/laden-4.html"), 1);  /* no retry */
    cd_source_free(s);

    s = make_source(f, "capped-start", "/big.html");
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_non_null(strstr(r->error, "larger than 4000 bytes"));
    cd_source_free(s);
}

static void test_crawl__parse_error_fails_run(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[] = {
        { .path = "/haendler/laden-2.html",
          .body = "<html><body>PARSE-ERROR</body></html>" },
    };
    struct cd_source *s = make_source(f, "parse", "/haendler/");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 1);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_non_null(strstr(r->error, "laden-2.html"));
    assert_non_null(strstr(r->error, "parse error"));
    assert_int_equal(r->stats.pages_failed, 1);
    cd_source_free(s);
}

static void check_dies(struct fx *f, int how, const char *want)
{
    struct cd_source *s = make_source(f, "solingen-liefert", "/haendler/");
    const struct cd_source_report *r;
    char *before, *after, *text = NULL;
    size_t tlen = 0;
    FILE *mem;

    r = crawl1(f, s);
    if(r->status != CD_RUN_OK)
        fail_msg("first run: %s", r->error);
    before = places(f);
    assert_int_equal(count_lines(before), 6);

    /* the second crawl: the site dies after its robots.txt and four
     * pages */
    cd_testserver_fault_after(f->ts, 5, how);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_true(r->stats.pages_fetched >= 4);
    assert_true(r->stats.pages_failed >= 1);
    assert_non_null(strstr(r->error, f->base));
    assert_non_null(strstr(r->error, want));
    after = places(f);
    assert_string_equal(after, before);

    /* the report names the source and the reason */
    mem = open_memstream(&text, &tlen);
    assert_non_null(mem);
    cd_crawl_report_print(&f->rep, mem);
    fclose(mem);
    assert_non_null(strstr(text, "solingen-liefert: failed"));
    assert_non_null(strstr(text, want));
    free(text);
    free(before);
    free(after);
    cd_testserver_set_fault_all(f->ts, 0);
    cd_source_free(s);
}

static void test_crawl__server_dies_500(void **state)
{
    check_dies(*state, 500, "HTTP 500 after 3 tries");
}

static void test_crawl__server_dies_closed(void **state)
{
    check_dies(*state, -1, "after 3 tries");
}

static void test_crawl__stop(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "stopped", "/haendler/");
    volatile sig_atomic_t stop = 1;
    const struct cd_source_report *r;
    char *pl;

    f->opts.stop = &stop;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_INTERRUPTED);
    assert_int_equal(cd_testserver_total_hits(f->ts), 0);
    pl = places(f);
    assert_string_equal(pl, "");
    free(pl);
    cd_source_free(s);
}

static void test_crawl__stop_while_running(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "stopped", "/haendler/");
    struct cd_source *s0 = make_source(f, "other", "/haendler/");
    volatile sig_atomic_t stop = 0;
    const struct cd_source_report *r;
    char *before, *after;

    /* another source, so that the stopped one parses its first page (an
     * unchanged page of its own would be reused without parsing) */
    r = crawl1(f, s0);
    assert_int_equal(r->status, CD_RUN_OK);
    cd_source_free(s0);
    before = places(f);
    cd_testserver_reset_counts(f->ts);
    f->opts.stop = &stop;
    stop_on_parse = &stop;
    r = crawl1(f, s);
    stop_on_parse = NULL;
    assert_int_equal(r->status, CD_RUN_INTERRUPTED);
    assert_string_equal(r->error, "interrupted");
    /* the first page was parsed, its links were never started */
    assert_int_equal(r->stats.pages_fetched, 1);
    assert_int_equal(cd_testserver_total_hits(f->ts) -
                     hits(f, "/robots.txt"), 1);
    after = places(f);
    assert_string_equal(after, before);
    free(before);
    free(after);
    cd_source_free(s);
}

static void test_crawl__two_sources_report_json(void **state)
{
    struct fx *f = *state;
    struct cd_source *s[2];
    struct cd_error err = { 0, "" };
    json_t *doc, *srcs, *a, *b;
    char path[160];

    s[0] = make_source(f, "good", "/haendler/");
    s[1] = make_source(f, "bad", "/nothere/");
    if(cd_crawl_run(&f->rep, f->store, s, 2, &f->opts, &err))
        fail_msg("crawl: %s", err.msg);
    assert_int_equal(f->rep.n, 2);
    assert_int_equal(f->rep.v[0].status, CD_RUN_OK);
    assert_int_equal(f->rep.v[1].status, CD_RUN_FAILED);
    assert_true(f->rep.finished_ms >= f->rep.started_ms);

    snprintf(path, sizeof(path), "%s/report.json", f->dir);
    assert_int_equal(cd_crawl_report_write_json(&f->rep, path, &err), 0);
    doc = json_load_file(path, 0, NULL);
    assert_non_null(doc);
    assert_true(json_is_string(json_object_get(doc, "started_at")));
    assert_true(json_is_string(json_object_get(doc, "finished_at")));
    srcs = json_object_get(doc, "sources");
    assert_int_equal(json_array_size(srcs), 2);
    a = json_array_get(srcs, 0);
    b = json_array_get(srcs, 1);
    assert_string_equal(json_string_value(json_object_get(a, "id")), "good");
    assert_string_equal(json_string_value(json_object_get(a, "status")),
                        "ok");
    assert_int_equal(json_integer_value(json_object_get(a, "records")), 6);
    assert_int_equal(json_integer_value(json_object_get(a, "added")), 6);
    assert_true(json_is_null(json_object_get(a, "error")));
    assert_string_equal(json_string_value(json_object_get(b, "status")),
                        "failed");
    assert_non_null(strstr(json_string_value(json_object_get(b, "error")),
                           "HTTP 404"));
    json_decref(doc);
    cd_source_free(s[0]);
    cd_source_free(s[1]);
}

static void load_report(const char *msg, void *payload)
{
    (void)payload;
    fprintf(stderr, "definition: %s\n", msg);
}

static void test_crawl__html_parser_definition(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = NULL;
    const struct cd_source_report *r;
    char path[160];
    FILE *ini;
    char *pl;

    /* The whole path: a definition file, the html parser, selectors. */
    snprintf(path, sizeof(path), "%s/site.ini", f->dir);
    ini = fopen(path, "w");
    assert_non_null(ini);
    fprintf(ini,
            "[source]\n"
            "id = test-site\n"
            "title = Solingen liefert (test)\n"
            "city = Solingen\n"
            "parser = html\n"
            "start = %s/haendler/\n"
            "[crawl]\n"
            "follow = css:a[rel=next]::attr(href)\n"
            "follow = css:ul.haendler a::attr(href)\n"
            "follow = css:a::attr(href)\n"
            "allow = ^http://127\\.0\\.0\\.1:\\d+/haendler/\n"
            "deny = /intern/\n"
            "delay_ms = 0\n"
            "concurrency = 2\n"
            "retries = 1\n"
            "[extract]\n"
            "item = css:article.haendler\n"
            "name = css:h1::text\n"
            "street = css:.adresse .strasse::text\n"
            "postcode = css:.adresse .ort::text | regex:(\\d{5})\n"
            "phone = xpath:.//a[starts-with(@href,'tel:')]/@href\n"
            "categories = css:.kategorie::text\n",
            f->base);
    assert_int_equal(fclose(ini), 0);
    assert_int_equal(cd_source_load(&s, path, load_report, NULL), 0);
    r = crawl1(f, s);
    if(r->status != CD_RUN_OK)
        fail_msg("run: %s", r->error);
    assert_int_equal(r->stats.pages_fetched, 9);
    assert_int_equal(r->stats.records, 6);
    assert_int_equal(hits(f, "/haendler/intern/admin.html"), 0);
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 1);
    assert_int_equal(cd_testserver_total_hits(f->ts), 10);  /* robots.txt */
    pl = places(f);
    assert_int_equal(count_lines(pl), 6);
    assert_non_null(strstr(pl, "Klingenschmiede Stahl"));
    free(pl);
    cd_source_free(s);
    snprintf(path, sizeof(path), "%s/site.ini", f->dir);
    unlink(path);
}

static void test_crawl__hosts_politeness(void **state)
{
    struct cd_hosts *h = NULL;

    (void)state;
    assert_int_equal(cd_hosts_new(&h), 0);
    /* an unknown host may start at once */
    assert_int_equal(cd_hosts_wait(h, "a.example", 2, 1000), 0);
    assert_int_equal(cd_hosts_start(h, "a.example", 500, 1000), 0);
    /* the delay runs from the last start */
    assert_int_equal(cd_hosts_wait(h, "a.example", 2, 1100), 400);
    assert_int_equal(cd_hosts_wait(h, "a.example", 2, 1500), 0);
    assert_int_equal(cd_hosts_start(h, "a.example", 500, 1500), 0);
    /* two in flight: busy whatever the time */
    assert_int_equal(cd_hosts_inflight(h, "a.example"), 2);
    assert_int_equal(cd_hosts_wait(h, "a.example", 2, 9000), -1);
    /* other hosts are not held back */
    assert_int_equal(cd_hosts_wait(h, "b.example", 1, 1500), 0);
    cd_hosts_end(h, "a.example", 1600);
    assert_int_equal(cd_hosts_wait(h, "a.example", 2, 1600), 400);
    assert_int_equal(cd_hosts_wait(h, "a.example", 2, 2000), 0);
    /* concurrency 0 counts as 1 */
    assert_int_equal(cd_hosts_wait(h, "a.example", 0, 2000), -1);
    cd_hosts_end(h, "a.example", 2000);
    assert_int_equal(cd_hosts_inflight(h, "a.example"), 0);
    assert_int_equal(cd_hosts_wait(h, "a.example", 1, 2000), 0);
    cd_hosts_free(h);
}

static void test_crawl__fetch_one(void **state)
{
    struct fx *f = *state;
    struct cd_route routes[] = {
        { .path = "/latin1.html", .body = "<p>Gr\xfc\xdf" "e</p>",
          .charset = "ISO-8859-1",
          .headers = "ETag: \"v1\"\nLast-Modified: Tue, 01 Dec 2026 "
                     "10:00:00 GMT\n" },
        { .path = "/loop", .fault = CD_FAULT_LOOP },
        { .path = "/moved", .status = 301, .location = "/haendler/" },
    };
    struct cd_fetched d;
    struct cd_error err = { 0, "" };
    char url[160];

    cd_testserver_set_routes(f->ts, routes, 3);
    snprintf(url, sizeof(url), "%s/moved", f->base);
    assert_int_equal(cd_fetch_one(&d, url, NULL, &f->opts, &err), 0);
    assert_int_equal(d.status, 200);
    assert_string_equal(d.content_type, "text/html");
    assert_string_equal(d.charset, "utf-8");
    assert_non_null(strstr(d.url, "/haendler/"));
    assert_non_null(strstr(d.body, "liste-2.html"));
    assert_int_equal(d.len, strlen(d.body));
    cd_fetched_dispose(&d);

    /* a wrong charset is reported as declared, the bytes left alone */
    snprintf(url, sizeof(url), "%s/latin1.html", f->base);
    assert_int_equal(cd_fetch_one(&d, url, NULL, &f->opts, &err), 0);
    assert_string_equal(d.charset, "iso-8859-1");
    assert_string_equal(d.etag, "\"v1\"");
    assert_non_null(d.last_modified);
    assert_int_equal(d.len, 12);
    cd_fetched_dispose(&d);

    snprintf(url, sizeof(url), "%s/nothere", f->base);
    assert_int_equal(cd_fetch_one(&d, url, NULL, &f->opts, &err), 0);
    assert_int_equal(d.status, 404);
    cd_fetched_dispose(&d);

    snprintf(url, sizeof(url), "%s/loop", f->base);
    assert_int_equal(cd_fetch_one(&d, url, NULL, &f->opts, &err), CD_ENET);
    assert_non_null(strstr(err.msg, "too many redirects"));
    assert_null(d.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_crawl__follows_and_extracts),
        T(test_crawl__second_run_same_urls),
        T(test_crawl__concurrency_per_host),
        T(test_crawl__500_then_recovers),
        T(test_crawl__404_is_final),
        T(test_crawl__redirect_loop),
        T(test_crawl__truncated_body_fails),
        T(test_crawl__size_cap),
        T(test_crawl__parse_error_fails_run),
        T(test_crawl__server_dies_500),
        T(test_crawl__server_dies_closed),
        T(test_crawl__stop),
        T(test_crawl__stop_while_running),
        T(test_crawl__two_sources_report_json),
        T(test_crawl__fetch_one),
        T(test_crawl__hosts_politeness),
        T(test_crawl__html_parser_definition),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
