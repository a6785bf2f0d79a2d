/* SPDX-License-Identifier: MIT */
/*
 * Nightly crawling against the loopback test server and the small site of
 * tests/fixtures/site/: a robots.txt that forbids a path, one that sets a
 * Crawl-delay, a 429 and a 503 with Retry-After (both checked on a fake
 * clock, so nothing really waits), a second crawl that gets only 304s and
 * transfers no page body, a third that gets the same bytes (unchanged,
 * nothing parsed), a sitemap index with a gzipped sitemap whose lastmod
 * spares the second crawl every page, robots.txt Sitemap lines, a crawl
 * stopped by a signal that the next crawl resumes, and, with the real
 * ./citydir binary, a crawl killed with SIGKILL half-way that resumes to
 * the export an uninterrupted crawl gives, and two crawls started on one
 * database. Timing is never asserted; only the fake clock is measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <zlib.h>

#include "conf/pattern.h"
#include "conf/source.h"
#include "core/buf.h"
#include "core/place.h"
#include "core/util.h"
#include "crawler/crawl.h"
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

/* ---- a fake clock ------------------------------------------------------ */

static struct cd_clock_ops real_clock;
static int64_t fake_ms;            /* ms since the fake clock started */
static int64_t fake_base;          /* its wall-clock start */

static int64_t fake_now(void)
{
    return fake_base + fake_ms;
}

static int64_t fake_mono(void)
{
    return fake_ms;
}

/* Waiting takes no time: the clock jumps. */
static void fake_sleep(int64_t ms)
{
    if(ms > 0)
        fake_ms += ms;
}

static void use_fake_clock(void)
{
    fake_base = real_clock.now_ms();
    fake_ms = 1000;
    cd_clock.now_ms = fake_now;
    cd_clock.mono_ms = fake_mono;
    cd_clock.sleep_ms = fake_sleep;
}

/* ---- a tiny parser ----------------------------------------------------- */

static int parses;                 /* pages parsed */
static int64_t parsed_at[16];      /* fake ms when laden-N was parsed */
static int64_t index_parsed_at;    /* ... and /haendler/ */
static volatile sig_atomic_t *stop_on_parse;

/* Every href="..." is a link; a page with <article class="haendler"> is a
 * record (name, street). Notes when each page was parsed. */
static int scan_parse(const struct cd_doc *doc, const struct cd_source *src,
                      cd_emit_fn *emit, void *payload, struct cd_error *err)
{
    const char *l;

    (void)src;
    (void)err;
    parses++;
    l = strstr(doc->url, "/laden-");
    if(l && l[7] >= '1' && l[7] <= '9')
        parsed_at[l[7] - '0'] = cd_clock.mono_ms();
    if(strstr(doc->url, "/haendler/") && !l)
        index_parsed_at = index_parsed_at ? index_parsed_at
                                          : cd_clock.mono_ms();
    if(stop_on_parse && parses == 2)
        *stop_on_parse = 1;
    return cd_test_scan(doc, 0, emit, payload);
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
    real_clock = cd_clock;
    parses = 0;
    index_parsed_at = 0;
    memset(parsed_at, 0, sizeof(parsed_at));
    snprintf(f->dir, sizeof(f->dir), "/tmp/cd-nightly-XXXXXX");
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
    char cmd[160];

    cd_clock = real_clock;
    cd_crawl_report_dispose(&f->rep);
    cd_testserver_stop(f->ts);
    cd_store_close(f->store);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    if(system(cmd))
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* A source of the fixture site read by the scan parser, starting at
 * `start` (a path, or "sitemap:" and a path), no delay, concurrency 2,
 * following /haendler/ but not /intern/. */
static struct cd_source *make_source(const struct fx *f, const char *id,
                                     const char *start)
{
    char url[200];
    int sm = !strncmp(start, "sitemap:", 8);

    snprintf(url, sizeof(url), "%s%s%s", sm ? "sitemap:" : "", f->base,
             start + (sm ? 8 : 0));
    return cd_test_scan_source(id, url, &scan_parser);
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

static unsigned long hits(struct fx *f, const char *path)
{
    return cd_testserver_hits(f->ts, path);
}

static int add_place(const struct cd_place *p, void *payload)
{
    return cd_buf_printf(payload, "%s|%s|%s\n", p->id, p->name ? p->name : "",
                         p->street ? p->street : "");
}

/* Every place, "id|name|street" a line, in id order; caller frees. */
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

static int64_t version(struct fx *f)
{
    struct cd_error err = { 0, "" };
    int64_t v = -1;

    assert_int_equal(cd_store_version(&v, f->store, &err), 0);
    return v;
}

/* ---- robots.txt -------------------------------------------------------- */

static void test_nightly__robots_forbids_path(void **state)
{
    struct fx *f = *state;
    const struct cd_route routes[] = {
        { .path = "/robots.txt",
          .body = "User-agent: *\nDisallow: /\n\n"
                  "User-agent: citydir\n"
                  "Disallow: /haendler/laden-2\n"
                  "Allow: /haendler/\n" },
    };
    struct cd_source *v[2];
    struct cd_error err = { 0, "" };

    (void)state;
    cd_testserver_set_routes(f->ts, routes, 1);
    v[0] = make_source(f, "one", "/haendler/");
    v[1] = make_source(f, "two", "/haendler/");
    if(cd_crawl_run(&f->rep, f->store, v, 2, &f->opts, &err))
        fail_msg("crawl: %s", err.msg);
    assert_int_equal(f->rep.v[0].status, CD_RUN_OK);
    assert_int_equal(f->rep.v[1].status, CD_RUN_OK);
    /* fetched once for the crawl, whatever the number of sources */
    assert_int_equal(hits(f, "/robots.txt"), 1);
    assert_int_equal(hits(f, "/haendler/laden-2.html"), 0);
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 2);
    assert_int_equal(f->rep.v[0].stats.records, 5);
    assert_int_equal(f->rep.v[0].stats.skipped_robots, 1);
    assert_true(f->rep.v[0].stats.pages_skipped >= 1);
    cd_source_free(v[0]);
    cd_source_free(v[1]);
}

static void test_nightly__robots_unreachable_fails_run(void **state)
{
    struct fx *f = *state;
    const struct cd_route routes[] = {
        { .path = "/robots.txt", .status = 503 },
    };
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 1);
    r = crawl1(f, s);
    /* a 5xx robots.txt: nothing of the host this time, and the run
     * fails, so what the source had stays */
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_non_null(strstr(r->error, "robots.txt"));
    assert_int_equal(hits(f, "/robots.txt"), 3);  /* tries: retries + 1 */
    assert_int_equal(hits(f, "/haendler/"), 0);
    assert_int_equal(r->stats.skipped_robots, 1);
    cd_source_free(s);
}

static void test_nightly__crawl_delay(void **state)
{
    struct fx *f = *state;
    const struct cd_route routes[] = {
        { .path = "/robots.txt",
          .body = "User-agent: citydir\nCrawl-delay: 3\n" },
    };
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;
    int64_t t0;

    cd_testserver_set_routes(f->ts, routes, 1);
    use_fake_clock();
    t0 = cd_clock.mono_ms();
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(r->stats.pages_fetched, 9);
    /* nine pages, three seconds apart at least (the definition says no
     * delay), one at a time even though it allows two */
    assert_true(cd_clock.mono_ms() - t0 >= 8 * 3000);
    assert_int_equal(cd_testserver_max_concurrent(f->ts), 1);
    cd_source_free(s);
}

/* ---- Retry-After ------------------------------------------------------- */

static void test_nightly__429_retry_after(void **state)
{
    struct fx *f = *state;
    const struct cd_route routes[] = {
        { .path = "/haendler/laden-1.html", .status = 429, .times = 1,
          .headers = "Retry-After: 7\n" },
    };
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 1);
    use_fake_clock();
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 2);
    assert_int_equal(r->stats.records, 6);
    /* the index was parsed, then laden-1 said 429; it came back at
     * least 7 s later (not after the 1 ms backoff of these tests) */
    assert_true(index_parsed_at > 0);
    assert_true(parsed_at[1] - index_parsed_at >= 7000);
    cd_source_free(s);
}

static void test_nightly__503_retry_after_date(void **state)
{
    struct fx *f = *state;
    static char headers[128];
    struct cd_route routes[] = {
        { .path = "/haendler/laden-3.html", .status = 503, .times = 1,
          .headers = headers },
    };
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;
    time_t at;

    use_fake_clock();
    at = (time_t)((fake_now() + 60000) / 1000);
    strftime(headers, sizeof(headers),
             "Retry-After: %a, %d %b %Y %H:%M:%S GMT\n", gmtime(&at));
    cd_testserver_set_routes(f->ts, routes, 1);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(hits(f, "/haendler/laden-3.html"), 2);
    assert_true(parsed_at[3] - index_parsed_at >= 55000);
    cd_source_free(s);
}

static void test_nightly__retry_after_too_long(void **state)
{
    struct fx *f = *state;
    const struct cd_route routes[] = {
        { .path = "/haendler/laden-1.html", .status = 429,
          .headers = "Retry-After: 86400\n" },
    };
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;

    cd_testserver_set_routes(f->ts, routes, 1);
    r = crawl1(f, s);
    /* not retried for a day: the page fails, and with it the run */
    assert_int_equal(r->status, CD_RUN_FAILED);
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 1);
    assert_non_null(strstr(r->error, "Retry-After 86400 s is too long"));
    cd_source_free(s);
}

/* ---- incremental ------------------------------------------------------- */

static void test_nightly__second_crawl_304(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;
    static const struct cd_route changed[] = {
        { .path = "/haendler/laden-1.html",
          .body = "<article class=\"haendler\"><h1>Neue B\xc3\xa4"
                  "ckerei</h1><span class=\"strasse\">Hauptstra\xc3\x9f"
                  "e 12</span></article>" },
    };
    char *first, *again;
    int64_t v;

    cd_testserver_set_validators(f->ts, 1);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(r->stats.not_modified, 0);
    first = places(f);
    assert_int_equal(count_lines(first), 6);
    v = version(f);

    /* the second crawl: conditional GETs, 304s, no page body */
    cd_testserver_reset_counts(f->ts);
    parses = 0;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(r->stats.pages_fetched, 9);
    assert_int_equal(r->stats.not_modified, 9);
    assert_int_equal(r->stats.unchanged, 0);
    assert_int_equal(r->stats.bytes, 0);
    assert_int_equal(r->stats.records, 6);
    assert_int_equal(cd_testserver_not_modified(f->ts), 9);
    assert_int_equal(cd_testserver_body_bytes(f->ts), 0);
    assert_int_equal(parses, 0);
    again = places(f);
    assert_string_equal(again, first);
    assert_int_equal(version(f), v);  /* the export did not change */
    free(again);

    /* the third: a server that forgets validators sends the same bytes;
     * they are not parsed either */
    cd_testserver_set_validators(f->ts, 0);
    cd_testserver_reset_counts(f->ts);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(r->stats.unchanged, 9);
    assert_int_equal(r->stats.not_modified, 0);
    assert_true(cd_testserver_body_bytes(f->ts) > 0);
    assert_int_equal(parses, 0);
    again = places(f);
    assert_string_equal(again, first);
    assert_int_equal(version(f), v);
    free(again);

    /* the fourth: one page changed; it alone is parsed */
    cd_testserver_set_validators(f->ts, 1);
    cd_testserver_set_routes(f->ts, changed, 1);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(parses, 1);
    assert_int_equal(r->stats.records, 6);
    assert_int_equal(r->stats.changed, 1);
    again = places(f);
    assert_non_null(strstr(again, "Neue B\xc3\xa4" "ckerei"));
    free(again);
    free(first);
    cd_source_free(s);
}

/* body gzip-compressed into a malloc'd buffer of *n bytes. */
static char *gz(const char *body, size_t *n)
{
    z_stream z;
    size_t len = strlen(body), cap = len + 128;
    char *out = malloc(cap);

    assert_non_null(out);
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)body;
    z.avail_in = (unsigned)len;
    z.next_out = (unsigned char *)out;
    z.avail_out = (unsigned)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *n = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static void test_nightly__sitemap_index_gzipped(void **state)
{
    struct fx *f = *state;
    char index[512], shops[1024], *zshops;
    size_t nz;
    struct cd_route routes[2];
    struct cd_source *s = make_source(f, "solingen",
                                      "sitemap:/sitemap_index.xml");
    const struct cd_source_report *r;
    char *first, *again;
    int i;

    snprintf(index, sizeof(index),
             "<?xml version=\"1.0\"?>\n<sitemapindex xmlns="
             "\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
             "<sitemap><loc>%s/sitemaps/shops.xml.gz</loc></sitemap>\n"
             "</sitemapindex>\n", f->base);
    snprintf(shops, sizeof(shops),
             "<?xml version=\"1.0\"?>\n<urlset xmlns="
             "\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
             "<url><loc>%s/haendler/laden-1.html</loc>"
             "<lastmod>2020-01-01</lastmod></url>\n"
             "<url><loc>%s/haendler/laden-2.html</loc>"
             "<lastmod>2020-01-01T10:00:00+01:00</lastmod></url>\n"
             "<url><loc>/haendler/laden-3.html</loc></url>\n"
             "<url><loc>%s/haendler/intern/admin.html</loc></url>\n"
             "</urlset>\n", f->base, f->base, f->base);
    zshops = gz(shops, &nz);
    memset(routes, 0, sizeof(routes));
    routes[0].path = "/sitemap_index.xml";
    routes[0].body = index;
    routes[1].path = "/sitemaps/shops.xml.gz";
    routes[1].body = zshops;
    routes[1].body_len = nz;
    routes[1].content_type = "application/gzip";
    cd_testserver_set_routes(f->ts, routes, 2);
    /* only the shops the sitemap names */
    cd_pattern_free(s->allow[0]);
    assert_int_equal(cd_pattern_compile(&s->allow[0],
                                        "/haendler/laden-[1-3]\\.html$",
                                        NULL), 0);

    r = crawl1(f, s);
    if(r->status != CD_RUN_OK)
        fail_msg("first crawl: %s", r->error);
    assert_int_equal(r->stats.sitemaps, 2);
    assert_int_equal(r->stats.pages_fetched, 3);
    assert_int_equal(r->stats.records, 3);
    assert_int_equal(r->stats.skipped_filtered >= 1, 1);  /* intern */
    assert_int_equal(hits(f, "/haendler/intern/admin.html"), 0);
    first = places(f);
    assert_int_equal(count_lines(first), 3);

    /* the second crawl: the two pages whose lastmod is older than their
     * last fetch are not asked for at all; the third is */
    cd_testserver_reset_counts(f->ts);
    parses = 0;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(r->stats.unchanged, 3);  /* two lastmod, one hash */
    assert_int_equal(hits(f, "/haendler/laden-1.html"), 0);
    assert_int_equal(hits(f, "/haendler/laden-2.html"), 0);
    assert_int_equal(hits(f, "/haendler/laden-3.html"), 1);
    assert_int_equal(parses, 0);
    assert_int_equal(r->stats.records, 3);
    again = places(f);
    assert_string_equal(again, first);
    for(i = 0; i < 2; i++)
        free(i ? again : first);
    free(zshops);
    cd_source_free(s);
}

static void test_nightly__robots_sitemaps(void **state)
{
    struct fx *f = *state;
    char robots[256], map[512];
    struct cd_route routes[2];
    struct cd_source *s = make_source(f, "solingen",
                                      "/haendler/laden-4.html");
    const struct cd_source_report *r;

    snprintf(robots, sizeof(robots),
             "Sitemap: %s/sitemap.xml\nUser-agent: *\nDisallow:\n", f->base);
    snprintf(map, sizeof(map),
             "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
             "<url><loc>%s/haendler/laden-5.html</loc></url>"
             "<url><loc>%s/haendler/laden-6.html</loc></url></urlset>",
             f->base, f->base);
    memset(routes, 0, sizeof(routes));
    routes[0].path = "/robots.txt";
    routes[0].body = robots;
    routes[1].path = "/sitemap.xml";
    routes[1].body = map;
    cd_testserver_set_routes(f->ts, routes, 2);
    cd_pattern_free(s->allow[0]);
    assert_int_equal(cd_pattern_compile(&s->allow[0],
                                        "/haendler/laden-[4-6]\\.html$",
                                        NULL), 0);
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(hits(f, "/sitemap.xml"), 0);  /* not asked for */
    assert_int_equal(r->stats.records, 1);

    s->robots_sitemaps = 1;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_int_equal(hits(f, "/sitemap.xml"), 1);
    assert_int_equal(r->stats.sitemaps, 1);
    assert_int_equal(r->stats.records, 3);
    cd_source_free(s);
}

/* ---- stopping and resuming in one process ------------------------------ */

static void test_nightly__stop_then_resume(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    volatile sig_atomic_t stop = 0;
    const struct cd_source_report *r;
    unsigned long before[7];
    char p[64], *pl;
    int i;

    s->concurrency = 1;
    f->opts.stop = &stop;
    stop_on_parse = &stop;
    r = crawl1(f, s);
    stop_on_parse = NULL;
    assert_int_equal(r->status, CD_RUN_INTERRUPTED);
    assert_int_equal(r->stats.pages_fetched, 2);
    pl = places(f);
    assert_int_equal(count_lines(pl), 0);  /* nothing half-done kept */
    free(pl);
    for(i = 1; i <= 6; i++) {
        snprintf(p, sizeof(p), "/haendler/laden-%d.html", i);
        before[i] = hits(f, p);
    }

    stop = 0;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_true(f->rep.v[0].resumed);
    assert_int_equal(r->stats.pages_fetched, 9);  /* counted on */
    assert_int_equal(r->stats.records, 6);
    assert_int_equal(hits(f, "/haendler/"), 1);  /* not fetched again */
    for(i = 1; i <= 6; i++) {
        snprintf(p, sizeof(p), "/haendler/laden-%d.html", i);
        assert_int_equal(hits(f, p), before[i] ? before[i] : 1);
    }
    pl = places(f);
    assert_int_equal(count_lines(pl), 6);
    free(pl);

    /* --restart: the next unfinished run would start over */
    stop = 1;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_INTERRUPTED);
    stop = 0;
    f->opts.restart = 1;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_false(f->rep.v[0].resumed);

    /* a run of another definition is not resumed either */
    f->opts.restart = 0;
    stop = 1;
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_INTERRUPTED);
    stop = 0;
    free(s->parser_name);
    s->parser_name = strdup("scan-v2");
    r = crawl1(f, s);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_false(f->rep.v[0].resumed);
    cd_source_free(s);
}

static void test_nightly__max_duration_pauses(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    const struct cd_source_report *r;
    int rounds = 0;

    /* one page a second by the fake clock, two seconds a night */
    s->concurrency = 1;
    s->delay_ms = 1000;
    s->max_duration = 2;
    use_fake_clock();
    do {
        r = crawl1(f, s);
        rounds++;
        if(r->status == CD_RUN_INTERRUPTED)
            assert_non_null(strstr(r->error, "max_duration"));
    } while(r->status == CD_RUN_INTERRUPTED && rounds < 20);
    assert_int_equal(r->status, CD_RUN_OK);
    assert_true(rounds >= 3);
    assert_int_equal(r->stats.records, 6);
    assert_int_equal(hits(f, "/haendler/laden-6.html"), 1);
    cd_source_free(s);
}

/* ---- the real binary: SIGKILL and the lock ----------------------------- */

static char citydir_bin[256];

/* Start `citydir ARGS...` with stdout and stderr to `out` (MAY be NULL:
 * /dev/null); returns its pid. */
static pid_t spawn(const char *out, const char *const argv[])
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if(!pid) {
        int fd = open(out ? out : "/dev/null",
                      O_WRONLY | O_CREAT | O_TRUNC, 0644);

        if(fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(citydir_bin, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Wait for pid; its exit status, or -1 when it did not exit normally. */
static int reap(pid_t pid)
{
    int st = 0;

    while(waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

    while(nanosleep(&t, &t) && errno == EINTR)
        ;
}

/* Wait (at most 20 s) until the server has seen `path` n times. */
static void await_hits(struct fx *f, const char *path, unsigned long n)
{
    int i;

    for(i = 0; i < 2000 && hits(f, path) < n; i++)
        sleep_ms(10);
    assert_true(hits(f, path) >= n);
}

/* Write the definition of the fixture site for the html parser. */
static void write_definition(struct fx *f, const char *path)
{
    FILE *ini = fopen(path, "w");

    assert_non_null(ini);
    fprintf(ini,
            "[source]\n"
            "id = test-site\n"
            "title = Solingen liefert (test)\n"
            "city = Solingen\n"
            "parser = html\n"
            "start = %s/haendler/\n"
            "[crawl]\n"
            "follow = css:a::attr(href)\n"
            "allow = ^http://127\\.0\\.0\\.1:\\d+/haendler/\n"
            "deny = /intern/\n"
            "delay_ms = 0\n"
            "concurrency = 1\n"
            "retries = 1\n"
            "[extract]\n"
            "item = css:article.haendler\n"
            "name = css:h1::text\n"
            "street = css:.adresse .strasse::text\n"
            "postcode = css:.adresse .ort::text | regex:(\\d{5})\n",
            f->base);
    assert_int_equal(fclose(ini), 0);
}

/* The places of a JSON export, without what depends on when they were
 * fetched or committed; the caller frees the result. */
static char *export_places(const char *db, const char *dir)
{
    char out[200];
    const char *const argv[] = { citydir_bin, "export", "--db", db,
                           "--format", "json", "-o", out, NULL };
    json_t *doc, *pl, *p, *src;
    json_error_t je;
    size_t i, j;
    char *s;

    snprintf(out, sizeof(out), "%s/export.json", dir);
    assert_int_equal(reap(spawn(NULL, argv)), 0);
    doc = json_load_file(out, 0, &je);
    assert_non_null(doc);
    pl = json_object_get(doc, "places");
    json_array_foreach(pl, i, p) {
        json_object_del(p, "first_seen");
        json_object_del(p, "updated_at");
        json_array_foreach(json_object_get(p, "sources"), j, src)
            json_object_del(src, "fetched_at");
    }
    s = json_dumps(pl, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(doc);
    unlink(out);
    return s;
}

static void test_nightly__sigkill_resumes(void **state)
{
    struct fx *f = *state;
    static const struct cd_route changed[] = {
        { .path = "/haendler/laden-1.html",
          .body = "<html><body><article class=\"haendler\"><h1>Neu</h1>"
                  "</article></body></html>" },
    };
    static const struct cd_route changed_slow[] = {
        { .path = "/haendler/laden-1.html",
          .body = "<html><body><article class=\"haendler\"><h1>Neu</h1>"
                  "</article></body></html>" },
        { .path = "/haendler/laden-4.html", .delay_ms = 2000 },
    };
    char def[160], ref[160], rep[160];
    const char *const crawl_a[] = { citydir_bin, "crawl", "--no-progress",
                                    "-q", "--db", f->db, def, NULL };
    const char *const crawl_b[] = { citydir_bin, "crawl", "--no-progress",
                                    "-q", "--db", f->db, "--report", rep,
                                    def, NULL };
    const char *const crawl_ref[] = { citydir_bin, "crawl",
                                      "--no-progress", "-q", "--db", ref,
                                      def, NULL };
    char *committed, *after_kill, *resumed, *want;
    unsigned long before_kill[7];
    char p[64];
    pid_t pid;
    int i;

    snprintf(def, sizeof(def), "%s/site.ini", f->dir);
    snprintf(ref, sizeof(ref), "%s/ref.db", f->dir);
    snprintf(rep, sizeof(rep), "%s/report.json", f->dir);
    write_definition(f, def);
    cd_store_close(f->store);  /* the binary has the database */
    f->store = NULL;

    /* night 1 commits (in the reference database too); night 2 sees a
     * changed page and is killed while it waits for a slow one */
    assert_int_equal(reap(spawn(NULL, crawl_a)), 0);
    assert_int_equal(reap(spawn(NULL, crawl_ref)), 0);
    committed = export_places(f->db, f->dir);
    cd_testserver_set_routes(f->ts, changed_slow, 2);
    cd_testserver_reset_counts(f->ts);
    pid = spawn(NULL, crawl_a);
    await_hits(f, "/haendler/laden-4.html", 1);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(reap(pid), -1);
    for(i = 1; i <= 6; i++) {
        snprintf(p, sizeof(p), "/haendler/laden-%d.html", i);
        before_kill[i] = hits(f, p);
    }
    assert_int_equal(before_kill[1], 1);  /* the change was fetched */
    after_kill = export_places(f->db, f->dir);
    assert_string_equal(after_kill, committed);  /* nothing half-done */

    /* night 3 resumes: what was done is not fetched again */
    cd_testserver_set_routes(f->ts, changed, 1);
    cd_testserver_reset_counts(f->ts);
    assert_int_equal(reap(spawn(NULL, crawl_b)), 0);
    assert_int_equal(hits(f, "/haendler/"), 0);
    for(i = 1; i <= 6; i++) {
        snprintf(p, sizeof(p), "/haendler/laden-%d.html", i);
        if(before_kill[i] && i != 4)
            assert_int_equal(hits(f, p), 0);
        else
            assert_int_equal(hits(f, p), 1);
    }
    {
        json_t *j = json_load_file(rep, 0, NULL);
        json_t *src = json_array_get(json_object_get(j, "sources"), 0);

        assert_non_null(src);
        assert_true(json_is_true(json_object_get(src, "resumed")));
        assert_string_equal(json_string_value(json_object_get(src,
                                                              "status")),
                            "ok");
        json_decref(j);
    }
    resumed = export_places(f->db, f->dir);
    assert_non_null(strstr(resumed, "Neu"));

    /* the same as an uninterrupted night 2 */
    assert_int_equal(reap(spawn(NULL, crawl_ref)), 0);
    want = export_places(ref, f->dir);
    assert_string_equal(resumed, want);
    free(committed);
    free(after_kill);
    free(resumed);
    free(want);
}

static void test_nightly__sigterm_pauses(void **state)
{
    struct fx *f = *state;
    static const struct cd_route slow[] = {
        { .path = "/haendler/laden-4.html", .delay_ms = 1000 },
    };
    char def[160], rep[160];
    const char *const crawl[] = { citydir_bin, "crawl", "--no-progress",
                                  "-q", "--db", f->db, "--report", rep,
                                  def, NULL };
    json_t *j, *src;
    pid_t pid;

    snprintf(def, sizeof(def), "%s/site.ini", f->dir);
    snprintf(rep, sizeof(rep), "%s/report.json", f->dir);
    write_definition(f, def);
    cd_store_close(f->store);
    f->store = NULL;
    cd_testserver_set_routes(f->ts, slow, 1);
    pid = spawn(NULL, crawl);
    await_hits(f, "/haendler/laden-4.html", 1);
    assert_int_equal(kill(pid, SIGTERM), 0);
    /* the transfer in flight ends, the run pauses, the report says so */
    assert_int_equal(reap(pid), 1);
    j = json_load_file(rep, 0, NULL);
    src = json_array_get(json_object_get(j, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(src, "status")),
                        "interrupted");
    json_decref(j);
    assert_int_equal(cd_store_open(&f->store, f->db, 0, NULL), 0);
    {
        char *pl = places(f);

        assert_int_equal(count_lines(pl), 0);
        free(pl);
    }
    cd_store_close(f->store);
    f->store = NULL;
    /* the next crawl resumes: laden-4 was fetched whole before the
     * stop, so it is not asked for again */
    assert_int_equal(reap(spawn(NULL, crawl)), 0);
    assert_int_equal(hits(f, "/haendler/laden-4.html"), 1);
    assert_int_equal(hits(f, "/haendler/"), 1);
    j = json_load_file(rep, 0, NULL);
    src = json_array_get(json_object_get(j, "sources"), 0);
    assert_true(json_is_true(json_object_get(src, "resumed")));
    assert_int_equal(json_integer_value(json_object_get(src, "records")),
                     6);
    json_decref(j);
}

static void test_nightly__one_crawl_at_a_time(void **state)
{
    struct fx *f = *state;
    static const struct cd_route slow[] = {
        { .path = "/haendler/laden-4.html", .delay_ms = 1500 },
    };
    char def[160], err2[160], *text;
    const char *const crawl[] = { citydir_bin, "crawl", "--no-progress", "-q",
                            "--db", f->db, def, NULL };
    const char *const crawl_wait[] = { citydir_bin, "crawl", "--no-progress",
                                 "-q", "--wait", "--db", f->db, def, NULL };
    unsigned long total;
    pid_t a, c;
    FILE *e;
    int st;

    snprintf(def, sizeof(def), "%s/site.ini", f->dir);
    snprintf(err2, sizeof(err2), "%s/second.err", f->dir);
    write_definition(f, def);
    cd_store_close(f->store);
    f->store = NULL;
    cd_testserver_set_routes(f->ts, slow, 1);

    a = spawn(NULL, crawl);
    await_hits(f, "/haendler/laden-4.html", 1);
    /* a second crawl exits at once, status 2, and says why */
    assert_int_equal(reap(spawn(err2, crawl)), 2);
    e = fopen(err2, "r");
    assert_non_null(e);
    text = calloc(1, 1024);
    assert_non_null(text);
    assert_true(fread(text, 1, 1023, e) > 0);
    fclose(e);
    assert_non_null(strstr(text, "another citydir crawl is running"));
    assert_non_null(strstr(text, "--wait"));
    free(text);

    /* with --wait it waits, asking nothing of the site meanwhile */
    total = cd_testserver_total_hits(f->ts);
    c = spawn(NULL, crawl_wait);
    sleep_ms(300);
    assert_int_equal(waitpid(c, &st, WNOHANG), 0);
    if(hits(f, "/haendler/laden-4.html") == 1)
        assert_int_equal(cd_testserver_total_hits(f->ts), total);
    assert_int_equal(reap(a), 0);
    assert_int_equal(reap(c), 0);
    assert_int_equal(hits(f, "/haendler/laden-4.html"), 2);
}

static void test_nightly__backup(void **state)
{
    struct fx *f = *state;
    struct cd_source *s = make_source(f, "solingen", "/haendler/");
    char copy[160], *a, *b;
    const char *const argv[] = { citydir_bin, "backup", "--db", f->db, copy,
                           NULL };
    struct cd_store *st = NULL;
    struct cd_error err = { 0, "" };
    struct cd_place_query q = { NULL, -1 };
    struct cd_buf buf = CD_BUF_INIT(CD_MAX_BODY);

    snprintf(copy, sizeof(copy), "%s/backup.db", f->dir);
    assert_int_equal(crawl1(f, s)->status, CD_RUN_OK);
    a = places(f);
    /* made while this process holds the database open */
    assert_int_equal(reap(spawn(NULL, argv)), 0);
    if(cd_store_open(&st, copy, CD_STORE_READONLY, &err))
        fail_msg("backup: %s", err.msg);
    assert_int_equal(cd_store_places_foreach(st, &q, add_place, &buf, &err),
                     0);
    b = cd_buf_detach(&buf);
    assert_string_equal(a, b);
    cd_store_close(st);
    free(a);
    free(b);
    cd_source_free(s);
}

int main(void)
{
    const char *build = getenv("CITYDIR_TEST_BUILD");
    const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
        T(test_nightly__robots_forbids_path),
        T(test_nightly__robots_unreachable_fails_run),
        T(test_nightly__crawl_delay),
        T(test_nightly__429_retry_after),
        T(test_nightly__503_retry_after_date),
        T(test_nightly__retry_after_too_long),
        T(test_nightly__second_crawl_304),
        T(test_nightly__sitemap_index_gzipped),
        T(test_nightly__robots_sitemaps),
        T(test_nightly__stop_then_resume),
        T(test_nightly__max_duration_pauses),
        T(test_nightly__sigkill_resumes),
        T(test_nightly__sigterm_pauses),
        T(test_nightly__one_crawl_at_a_time),
        T(test_nightly__backup),
#undef T
    };

    snprintf(citydir_bin, sizeof(citydir_bin), "%s/citydir",
             build ? build : "build");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
