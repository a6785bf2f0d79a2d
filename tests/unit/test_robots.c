/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of politeness without a network: the robots.txt reader and
 * matcher (RFC 9309: groups, `*` and `$`, longest match, Crawl-delay,
 * Sitemap lines, allow-all and disallow-all), splitting URLs into origin
 * and path, the cache of a crawl, Retry-After in seconds and as an
 * HTTP-date, backoff with jitter, and holding a host back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawler/crawl.h"
#include "crawler/fetch.h"
#include "crawler/hosts.h"
#include "crawler/robots.h"

static struct cd_robots *parse(const char *text, const char *agent)
{
    struct cd_robots *r = NULL;

    assert_int_equal(cd_robots_parse(&r, text, strlen(text), agent), 0);
    assert_non_null(r);
    return r;
}

/* The example of RFC 9309 section 5.1, read as four different bots. */
static const char rfc_example[] =
    "User-Agent: *\n"
    "Disallow: *.gif$\n"
    "Disallow: /example/\n"
    "Allow: /publications/\n"
    "\n"
    "User-Agent: foobot\n"
    "Disallow:/\n"
    "Allow:/example/page.html\n"
    "Allow:/example/allowed.gif\n"
    "\n"
    "User-Agent: barbot\n"
    "User-Agent: bazbot\n"
    "Disallow: /example/page.html\n"
    "\n"
    "User-Agent: quxbot\n"
    "\n"
    "EOF\n";

static void test_robots__rfc_groups(void **state)
{
    struct cd_robots *r;

    (void)state;
    r = parse(rfc_example, "foobot");
    assert_true(cd_robots_allowed(r, "/example/page.html"));
    assert_true(cd_robots_allowed(r, "/example/allowed.gif"));
    assert_false(cd_robots_allowed(r, "/example/other.html"));
    assert_false(cd_robots_allowed(r, "/"));
    cd_robots_free(r);

    r = parse(rfc_example, "BazBot");  /* case does not matter */
    assert_false(cd_robots_allowed(r, "/example/page.html"));
    assert_true(cd_robots_allowed(r, "/example/other.html"));
    assert_true(cd_robots_allowed(r, "/a.gif"));  /* not the * group */
    cd_robots_free(r);

    r = parse(rfc_example, "quxbot");  /* a group without rules */
    assert_true(cd_robots_allowed(r, "/example/page.html"));
    cd_robots_free(r);

    r = parse(rfc_example, NULL);  /* citydir: the * group */
    assert_false(cd_robots_allowed(r, "/images/a.gif"));
    assert_true(cd_robots_allowed(r, "/images/a.gif?x=1"));
    assert_false(cd_robots_allowed(r, "/example/x"));
    assert_true(cd_robots_allowed(r, "/publications/x"));
    assert_true(cd_robots_allowed(r, "/other"));
    cd_robots_free(r);
}

static void test_robots__longest_match_wins(void **state)
{
    struct cd_robots *r;

    (void)state;
    r = parse("user-agent: citydir/0.1\n"
              "disallow: /haendler/\n"
              "allow: /haendler/laden-\n"
              "disallow: /haendler/laden-2\n"
              "allow: /same\n"
              "disallow: /same\n"
              "disallow: /*.php$\n"
              "disallow: /fish*\n"
              "\n"
              "user-agent: *\n"
              "disallow: /\n", NULL);
    assert_false(cd_robots_allowed(r, "/haendler/"));
    assert_false(cd_robots_allowed(r, "/haendler/liste-2.html"));
    assert_true(cd_robots_allowed(r, "/haendler/laden-1.html"));
    assert_false(cd_robots_allowed(r, "/haendler/laden-2.html"));
    assert_true(cd_robots_allowed(r, "/same"));  /* a tie: allow wins */
    assert_false(cd_robots_allowed(r, "/index.php"));
    assert_true(cd_robots_allowed(r, "/index.php?a=1"));
    assert_false(cd_robots_allowed(r, "/fish.html"));
    assert_false(cd_robots_allowed(r, "/fishheads/yummy.html"));
    assert_true(cd_robots_allowed(r, "/Fish.asp"));  /* case matters */
    assert_true(cd_robots_allowed(r, "/"));  /* our group, not * */
    assert_true(cd_robots_allowed(r, "/robots.txt"));
    cd_robots_free(r);
}

static void test_robots__details(void **state)
{
    struct cd_robots *r;
    const struct cd_strlist *sm;

    (void)state;
    /* a BOM, CRLF, comments, blanks, a misspelling, an empty Disallow,
     * a percent-encoded path, Crawl-delay in fractions of a second */
    r = parse("\xef\xbb\xbfSitemap: https://example.org/s1.xml\r\n"
              "# comment\r\n"
              "User-agent: other\r\n"
              "Crawl-delay: 30\r\n"
              "User-agent: citydir # us\r\n"
              "Crawl-delay: 2.5\r\n"
              "Dissallow: /intern/ # typo\r\n"
              "Disallow:\r\n"
              "Disallow: /stra\xc3\x9f" "e\r\n"
              "Disallow: /%7ehome\r\n"
              "sitemap: https://example.org/s2.xml.gz\r\n", NULL);
    assert_int_equal(cd_robots_delay_ms(r), 2500);
    assert_false(cd_robots_allowed(r, "/intern/x"));
    assert_true(cd_robots_allowed(r, "/x"));
    assert_false(cd_robots_allowed(r, "/stra%C3%9Fe"));
    assert_false(cd_robots_allowed(r, "/stra%c3%9fe/nr"));
    assert_false(cd_robots_allowed(r, "/%7Ehome"));
    assert_true(cd_robots_allowed(r, ""));
    sm = cd_robots_sitemaps(r);
    assert_int_equal(sm->n, 2);
    assert_string_equal(sm->v[0], "https://example.org/s1.xml");
    assert_string_equal(sm->v[1], "https://example.org/s2.xml.gz");
    assert_null(cd_robots_why(r));
    cd_robots_free(r);

    /* no group at all, and junk: everything allowed */
    r = parse("<html><body>Not found</body></html>\n", NULL);
    assert_true(cd_robots_allowed(r, "/anything"));
    assert_int_equal(cd_robots_delay_ms(r), -1);
    cd_robots_free(r);
    /* an absurd Crawl-delay is cut */
    r = parse("User-agent: *\nCrawl-delay: 99999999\n", NULL);
    assert_int_equal(cd_robots_delay_ms(r), CD_ROBOTS_MAX_DELAY_MS);
    cd_robots_free(r);
}

static void test_robots__allow_and_disallow_all(void **state)
{
    struct cd_robots *r = NULL;

    (void)state;
    assert_int_equal(cd_robots_new(&r, CD_ROBOTS_ALLOW_ALL, NULL), 0);
    assert_true(cd_robots_allowed(r, "/x"));
    assert_null(cd_robots_why(r));
    cd_robots_free(r);
    assert_int_equal(cd_robots_new(&r, CD_ROBOTS_DISALLOW_ALL, "HTTP 503"),
                     0);
    assert_false(cd_robots_allowed(r, "/x"));
    assert_true(cd_robots_allowed(r, "/robots.txt"));
    assert_string_equal(cd_robots_why(r), "HTTP 503");
    cd_robots_free(r);
    assert_true(cd_robots_allowed(NULL, "/x"));
}

static void test_robots__split_and_cache(void **state)
{
    struct cd_robots_cache *c = NULL;
    const struct cd_robots *got = NULL;
    struct cd_robots *r = NULL;
    char *o = NULL, *p = NULL;

    (void)state;
    assert_int_equal(cd_robots_split(&o, &p,
                                     "HTTP://User@Example.ORG:8080/a/b?c=d#e"),
                     0);
    assert_string_equal(o, "http://example.org:8080");
    assert_string_equal(p, "/a/b?c=d");
    free(o);
    free(p);
    assert_int_equal(cd_robots_split(&o, &p, "https://example.org"), 0);
    assert_string_equal(o, "https://example.org");
    assert_string_equal(p, "/");
    free(o);
    free(p);
    assert_int_equal(cd_robots_split(&o, &p, "https://example.org?q"), 0);
    assert_string_equal(p, "/?q");
    free(o);
    free(p);
    assert_int_equal(cd_robots_split(&o, &p, "ftp://example.org/"),
                     CD_EINVALID);
    assert_null(o);

    assert_int_equal(cd_robots_cache_new(&c), 0);
    assert_int_equal(cd_robots_cache_get(&got, c, "http://a"),
                     CD_ROBOTS_UNKNOWN);
    assert_int_equal(cd_robots_cache_pending(c, "http://a"), 0);
    assert_int_equal(cd_robots_cache_get(&got, c, "http://a"),
                     CD_ROBOTS_PENDING);
    cd_robots_cache_retry(c, "http://a");
    assert_int_equal(cd_robots_cache_get(&got, c, "http://a"),
                     CD_ROBOTS_UNKNOWN);
    assert_int_equal(cd_robots_cache_pending(c, "http://a"), 0);
    assert_int_equal(cd_robots_cache_tries(c, "http://a"), 2);
    assert_int_equal(cd_robots_new(&r, CD_ROBOTS_ALLOW_ALL, NULL), 0);
    assert_int_equal(cd_robots_cache_put(c, "http://a", r), 0);
    assert_int_equal(cd_robots_cache_get(&got, c, "http://a"),
                     CD_ROBOTS_READY);
    assert_ptr_equal(got, r);
    cd_robots_cache_free(c);
}

static void test_robots__retry_after(void **state)
{
    /* Wed, 21 Oct 2015 07:28:00 GMT */
    const int64_t t = 1445412480000LL;

    (void)state;
    assert_int_equal(cd_fetch_retry_after_ms("120", t), 120000);
    assert_int_equal(cd_fetch_retry_after_ms(" 0 ", t), 0);
    assert_int_equal(cd_fetch_retry_after_ms(
                         "Wed, 21 Oct 2015 07:28:00 GMT", t - 10000),
                     10000);
    assert_int_equal(cd_fetch_retry_after_ms(
                         "Wed, 21 Oct 2015 07:28:00 GMT", t + 5000), 0);
    assert_int_equal(cd_fetch_retry_after_ms("soon", t), -1);
    assert_int_equal(cd_fetch_retry_after_ms("12abc", t), -1);
    assert_int_equal(cd_fetch_retry_after_ms(NULL, t), -1);
}

static void test_robots__backoff_jitter(void **state)
{
    struct cd_crawl_opts o;
    int i;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.min_retry_ms = 1000;
    for(i = 0; i < 50; i++) {
        int64_t a = cd_fetch_backoff_ms(&o, 1);
        int64_t b = cd_fetch_backoff_ms(&o, 3);
        int64_t z = cd_fetch_backoff_ms(&o, 30);

        assert_true(a >= 500 && a <= 1000);
        assert_true(b >= 2000 && b <= 4000);
        assert_true(z >= 300000 && z <= 600000);
    }
}

static void test_robots__hosts_hold(void **state)
{
    struct cd_hosts *h = NULL;

    (void)state;
    assert_int_equal(cd_hosts_new(&h), 0);
    assert_int_equal(cd_hosts_hold(h, "a.example", 9000, 1000), 0);
    assert_int_equal(cd_hosts_wait(h, "a.example", 1, 1000), 8000);
    /* a start with a short delay does not shorten the hold */
    assert_int_equal(cd_hosts_start(h, "a.example", 10, 9000), 0);
    cd_hosts_end(h, "a.example", 9001);
    assert_int_equal(cd_hosts_wait(h, "a.example", 1, 9005), 5);
    assert_int_equal(cd_hosts_wait(h, "b.example", 1, 1000), 0);
    cd_hosts_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_robots__rfc_groups),
        cmocka_unit_test(test_robots__longest_match_wins),
        cmocka_unit_test(test_robots__details),
        cmocka_unit_test(test_robots__allow_and_disallow_all),
        cmocka_unit_test(test_robots__split_and_cache),
        cmocka_unit_test(test_robots__retry_after),
        cmocka_unit_test(test_robots__backoff_jitter),
        cmocka_unit_test(test_robots__hosts_hold),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
