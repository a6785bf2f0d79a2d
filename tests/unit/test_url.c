/* SPDX-License-Identifier: MIT */
/*
 * Tests of crawler/url.c: resolving links against a base and bringing URLs
 * into one form, as a table of cases; and the host helper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawler/url.h"

struct url_case {
    const char *base;    /* MAY be NULL */
    const char *link;
    int rc;              /* expected return */
    const char *want;    /* expected URL when rc is 0 */
};

static const char B[] = "http://example.org/a/b/page.html?x=1#top";

static const struct url_case cases[] = {
    /* relative paths */
    { B, "other.html", 0, "http://example.org/a/b/other.html" },
    { B, "./other.html", 0, "http://example.org/a/b/other.html" },
    { B, "../up.html", 0, "http://example.org/a/up.html" },
    { B, "../../../../top.html", 0, "http://example.org/top.html" },
    { B, "/root.html", 0, "http://example.org/root.html" },
    { B, "sub/dir/", 0, "http://example.org/a/b/sub/dir/" },
    { B, "/x/./y/../z", 0, "http://example.org/x/z" },
    { B, "//other.example/p", 0, "http://other.example/p" },
    /* query kept as is, fragment dropped */
    { B, "?page=2", 0, "http://example.org/a/b/page.html?page=2" },
    { B, "list?b=2&a=1", 0, "http://example.org/a/b/list?b=2&a=1" },
    { B, "#section", 0, "http://example.org/a/b/page.html?x=1" },
    { B, "detail.html#foo", 0, "http://example.org/a/b/detail.html" },
    { B, "", 0, "http://example.org/a/b/page.html?x=1" },
    { B, "  spaced.html \n", 0, "http://example.org/a/b/spaced.html" },
    /* case, default ports, empty path */
    { B, "HTTP://EXAMPLE.ORG/Path", 0, "http://example.org/Path" },
    { NULL, "https://WWW.Example.COM", 0, "https://www.example.com/" },
    { NULL, "http://example.org:80/x", 0, "http://example.org/x" },
    { NULL, "https://example.org:443/x", 0, "https://example.org/x" },
    { NULL, "http://example.org:8080/x", 0, "http://example.org:8080/x" },
    { NULL, "https://example.org:80/x", 0, "https://example.org:80/x" },
    { NULL, "http://example.org?q", 0, "http://example.org/?q" },
    { B, "https://secure.example.org", 0, "https://secure.example.org/" },
    /* other schemes are declined */
    { B, "mailto:info@example.org", CD_EDECLINED, NULL },
    { B, "javascript:void(0)", CD_EDECLINED, NULL },
    { B, "JavaScript:alert(1)", CD_EDECLINED, NULL },
    { B, "tel:+492121234", CD_EDECLINED, NULL },
    { B, "ftp://example.org/file", CD_EDECLINED, NULL },
    { B, "data:text/html,hi", CD_EDECLINED, NULL },
    { "ftp://example.org/", "x.html", CD_EDECLINED, NULL },
    /* garbage is invalid */
    { NULL, "http://", CD_EINVALID, NULL },
    { NULL, "http://exa mple.org/", CD_EINVALID, NULL },
    { NULL, "relative/only", CD_EINVALID, NULL },
    { NULL, "http://example.org:99999/", CD_EINVALID, NULL },
    { "not a url", "x.html", CD_EINVALID, NULL },
};

static void test_url__resolve_table(void **state)
{
    size_t i;

    (void)state;
    for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct url_case *c = &cases[i];
        struct cd_error err = { 0, "" };
        char *got = NULL;
        int rc = cd_url_resolve(&got, c->base, c->link, &err);

        if(rc != c->rc || (c->want && (!got || strcmp(got, c->want))))
            fail_msg("case %zu: base=%s link='%s': rc %d (want %d), "
                     "got '%s' (want '%s'), err '%s'",
                     i, c->base ? c->base : "(null)", c->link, rc, c->rc,
                     got ? got : "(null)", c->want ? c->want : "(null)",
                     err.msg);
        if(rc) {
            assert_null(got);
            assert_int_equal(err.code, rc);
            assert_true(err.msg[0] != '\0');
        }
        free(got);
    }
}

static void test_url__spaces_encoded(void **state)
{
    char *got = NULL;

    (void)state;
    assert_int_equal(cd_url_resolve(&got, "http://example.org/",
                                     "a b.html", NULL), 0);
    assert_string_equal(got, "http://example.org/a%20b.html");
    free(got);
}

static void test_url__idempotent(void **state)
{
    size_t i;

    (void)state;
    /* A normalised URL resolves to itself. */
    for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *again = NULL;

        if(!cases[i].want)
            continue;
        assert_int_equal(cd_url_resolve(&again, NULL, cases[i].want, NULL),
                         0);
        assert_string_equal(again, cases[i].want);
        free(again);
    }
}

static void test_url__host(void **state)
{
    char *h = NULL;

    (void)state;
    assert_int_equal(cd_url_host(&h, "http://WWW.Example.org/x"), 0);
    assert_string_equal(h, "www.example.org");
    free(h);
    assert_int_equal(cd_url_host(&h, "https://example.org:443/"), 0);
    assert_string_equal(h, "example.org");
    free(h);
    assert_int_equal(cd_url_host(&h, "http://127.0.0.1:8080/a"), 0);
    assert_string_equal(h, "127.0.0.1:8080");
    free(h);
    assert_int_equal(cd_url_host(&h, "no url"), CD_EINVALID);
    assert_null(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url__resolve_table),
        cmocka_unit_test(test_url__spaces_encoded),
        cmocka_unit_test(test_url__idempotent),
        cmocka_unit_test(test_url__host),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
