/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the sitemap reader: a urlset with lastmod in the forms
 * W3C allows, a sitemap index, the same gzip-compressed (one member and
 * two), extension elements in other namespaces, a text sitemap, the
 * errors (not XML, the wrong root, broken gzip, too many entries), and
 * a callback that stops. The gzip data is made here with zlib.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "core/buf.h"
#include "crawler/sitemap.h"

/* What the reader gave, one line per entry: "S|loc|lastmod" or
 * "U|loc|lastmod". */
static int collect(const struct cd_sitemap_entry *e, void *payload)
{
    return cd_buf_printf(payload, "%c|%s|%lld\n", e->is_sitemap ? 'S' : 'U',
                         e->loc, (long long)e->lastmod_ms) ? 1 : 0;
}

static int read_all(char **out, const char *body, size_t len,
                    struct cd_error *err)
{
    struct cd_buf b = CD_BUF_INIT(1u << 20);
    int rc = cd_sitemap_parse(body, len, "http://t/sitemap.xml", collect, &b,
                              err);

    *out = cd_buf_detach(&b);
    return rc;
}

/* body gzip-compressed into a malloc'd buffer of *n bytes. */
static char *gz(const char *body, size_t len, size_t *n)
{
    z_stream z;
    size_t cap = len + 128;
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

static const char urlset[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
    "        xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">"
    "\n"
    "  <url><loc> http://t/a.html </loc><lastmod>2024-05-01</lastmod>\n"
    "    <image:image><image:loc>http://t/a.jpg</image:loc></image:image>\n"
    "  </url>\n"
    "  <url><loc>http://t/b.html?x=1&amp;y=2</loc>\n"
    "       <lastmod>2024-05-01T10:20:30+02:00</lastmod></url>\n"
    "  <url><loc>http://t/c.html</loc><lastmod>soon</lastmod></url>\n"
    "  <url><lastmod>2024-05-01</lastmod></url>\n"
    "  <url><loc>http://t/d.html</loc><changefreq>daily</changefreq></url>\n"
    "</urlset>\n";

static const char want_urlset[] =
    "U|http://t/a.html|1714521600000\n"
    "U|http://t/b.html?x=1&y=2|1714551630000\n"
    "U|http://t/c.html|-1\n"
    "U|http://t/d.html|-1\n";

static void test_sitemap__urlset(void **state)
{
    struct cd_error err = { 0, "" };
    char *got;

    (void)state;
    assert_int_equal(read_all(&got, urlset, strlen(urlset), &err), 0);
    assert_string_equal(got, want_urlset);
    free(got);
}

static void test_sitemap__index_gzipped(void **state)
{
    static const char index[] =
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        "<sitemap><loc>http://t/s1.xml.gz</loc>"
        "<lastmod>2004-10-01T18:23:17+00:00</lastmod></sitemap>"
        "<sitemap><loc>http://t/s2.xml</loc></sitemap>"
        "</sitemapindex>";
    struct cd_error err = { 0, "" };
    char *z, *z2, *two, *got;
    size_t n, n2;

    (void)state;
    z = gz(index, sizeof(index) - 1, &n);
    assert_int_equal(read_all(&got, z, n, &err), 0);
    assert_non_null(strstr(got, "S|http://t/s1.xml.gz|1096654997000\n"));
    assert_non_null(strstr(got, "S|http://t/s2.xml|-1\n"));
    free(got);
    free(z);

    /* two gzip members, one after the other, make one document */
    z = gz(urlset, 200, &n);
    z2 = gz(urlset + 200, strlen(urlset) - 200, &n2);
    two = malloc(n + n2);
    assert_non_null(two);
    memcpy(two, z, n);
    memcpy(two + n, z2, n2);
    assert_int_equal(read_all(&got, two, n + n2, &err), 0);
    assert_string_equal(got, want_urlset);
    free(got);
    free(two);
    free(z2);

    /* cut short */
    assert_int_equal(read_all(&got, z, n / 2, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "http://t/sitemap.xml"));
    free(got);
    free(z);
}

static void test_sitemap__text(void **state)
{
    static const char text[] =
        "http://t/a.html\r\n\r\n  http://t/b.html  \nhttp://t/c.html";
    struct cd_error err = { 0, "" };
    char *got;

    (void)state;
    assert_int_equal(read_all(&got, text, sizeof(text) - 1, &err), 0);
    assert_string_equal(got, "U|http://t/a.html|-1\nU|http://t/b.html|-1\n"
                        "U|http://t/c.html|-1\n");
    free(got);
}

static void test_sitemap__errors(void **state)
{
    static const char html[] = "<html><body>oops</body></html>";
    static const char broken[] =
        "<urlset><url><loc>http://t/a.html</loc></url><url>";
    struct cd_error err = { 0, "" };
    char *got;

    (void)state;
    assert_int_equal(read_all(&got, html, sizeof(html) - 1, &err),
                     CD_EINVALID);
    assert_non_null(strstr(err.msg, "<html>"));
    free(got);
    err.code = 0;
    err.msg[0] = '\0';
    /* what came before the error was given */
    assert_int_equal(read_all(&got, broken, sizeof(broken) - 1, &err),
                     CD_EINVALID);
    assert_string_equal(got, "U|http://t/a.html|-1\n");
    free(got);
    err.code = 0;
    assert_int_equal(read_all(&got, "\x1f\x8bjunk", 6, &err), CD_EINVALID);
    assert_non_null(strstr(err.msg, "gzip"));
    free(got);
}

static int stop_at_second(const struct cd_sitemap_entry *e, void *payload)
{
    int *n = payload;

    (void)e;
    return ++*n == 2;
}

static void test_sitemap__stop_and_limit(void **state)
{
    struct cd_error err = { 0, "" };
    struct cd_buf b = CD_BUF_INIT(64u << 20);
    int n = 0;
    long i;

    (void)state;
    assert_int_equal(cd_sitemap_parse(urlset, strlen(urlset), "u",
                                      stop_at_second, &n, &err), CD_EUSER);
    assert_int_equal(n, 2);
    for(i = 0; i <= CD_SITEMAP_MAX_ENTRIES; i++)
        assert_int_equal(cd_buf_printf(&b, "http://t/%ld\n", i), 0);
    n = 0;
    err.code = 0;
    assert_int_equal(cd_sitemap_parse(cd_buf_str(&b), b.len, "u",
                                      stop_at_second, &n, &err), CD_EUSER);
    n = -1000000000;
    assert_int_equal(cd_sitemap_parse(cd_buf_str(&b), b.len, "u",
                                      stop_at_second, &n, &err),
                     CD_ETOOBIG);
    cd_buf_dispose(&b);
}

static void test_sitemap__lastmod(void **state)
{
    int64_t t;

    (void)state;
    assert_int_equal(cd_sitemap_lastmod(&t, "1970-01-02"), 0);
    assert_int_equal(t, 86400000);
    assert_int_equal(cd_sitemap_lastmod(&t, "2024"), 0);
    assert_int_equal(t, 1704067200000LL);
    assert_int_equal(cd_sitemap_lastmod(&t, "2024-02"), 0);
    assert_int_equal(t, 1706745600000LL);
    assert_int_equal(cd_sitemap_lastmod(&t, "2024-05-01T00:00Z"), 0);
    assert_int_equal(t, 1714521600000LL);
    assert_int_equal(cd_sitemap_lastmod(&t, "2024-05-01T02:00:00.25+02:00"),
                     0);
    assert_int_equal(t, 1714521600000LL);
    assert_int_equal(cd_sitemap_lastmod(&t, "2024-05-01T10:00"),
                     CD_EINVALID);
    assert_int_equal(cd_sitemap_lastmod(&t, "2024-13-01"), CD_EINVALID);
    assert_int_equal(cd_sitemap_lastmod(&t, "yesterday"), CD_EINVALID);
    assert_int_equal(t, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sitemap__urlset),
        cmocka_unit_test(test_sitemap__index_gzipped),
        cmocka_unit_test(test_sitemap__text),
        cmocka_unit_test(test_sitemap__errors),
        cmocka_unit_test(test_sitemap__stop_and_limit),
        cmocka_unit_test(test_sitemap__lastmod),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
