/* SPDX-License-Identifier: MIT */
/*
 * E-mail and web addresses.
 *
 * An e-mail address loses "mailto:" and any "?subject=..." after it, and
 * the usual spam guards are read ("info(at)example.de", "info [at]
 * example [dot] de"); it must then have one "@", a local part, and a
 * domain with a dot, which is lower-cased. A web address goes through
 * libcurl's URL parser: "https://" is added when there is no scheme, only
 * http and https are taken, user names are refused, the host is
 * lower-cased and must have a dot, and the tracking parameters utm_*,
 * fbclid, gclid and msclkid are dropped from the query. Otherwise the URL
 * stays as curl writes it (so "https://example.de" becomes
 * "https://example.de/").
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "normalize/internal.h"
#include "normalize/normalize.h"

/* ---------------------------------------------------------------------- */
/* E-mail */

/* The spam guards read as "@" and ".", lower-case, longest first. */
static const struct {
    const char *guard;
    char c;
} guards[] = {
    {" (at) ", '@'}, {" [at] ", '@'}, {" {at} ", '@'}, {"(at)", '@'},
    {"[at]", '@'},   {"{at}", '@'},   {" (dot) ", '.'}, {" [dot] ", '.'},
    {"(dot)", '.'},  {"[dot]", '.'},  {" at ", '@'},
};

/* Whether s starts with the lower-case ASCII text w, in any case. */
static int starts_ci(const char *s, const char *w)
{
    for(; *w; s++, w++) {
        if(cd_norm_ascii_lower((unsigned char)*s) != *w)
            return 0;
    }
    return 1;
}

/* Whether c may stand in the local part (RFC 5322 atext, dots, UTF-8). */
static int local_char(unsigned char c)
{
    return c >= 0x80 || (c > ' ' && c < 0x7f && !strchr("\"(),:;<>@[\\]", c));
}

/* Whether c may stand in a domain (LDH, dots, UTF-8 of an IDN). */
static int domain_char(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/*
 * Normalise an e-mail address. 0 and a malloc'd address, CD_EINVALID, or
 * CD_ENOMEM.
 */
int cd_norm_email(char **out, const char *s)
{
    char *t = NULL, *r = NULL, *at, *q;
    const char *p;
    size_t n = 0, i, k;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    p = t;
    if(starts_ci(p, "mailto:"))
        p += 7;
    while(*p == ' ' || *p == '<')
        p++;
    r = malloc(strlen(p) + 1);
    if(!r) {
        rc = CD_ENOMEM;
        goto out;
    }
    while(*p && *p != '?' && *p != '>') {
        for(i = 0; i < CD_ARRAY_SIZE(guards); i++) {
            k = strlen(guards[i].guard);
            if(starts_ci(p, guards[i].guard))
                break;
        }
        if(i < CD_ARRAY_SIZE(guards)) {
            r[n++] = guards[i].c;
            p += k;
        }
        else
            r[n++] = *p++;
    }
    while(n > 0 && r[n - 1] == ' ')
        n--;
    r[n] = '\0';
    at = strchr(r, '@');
    if(!at || at == r || strchr(at + 1, '@')) {
        rc = CD_EINVALID;
        goto out;
    }
    for(q = r; q < at; q++) {
        if(!local_char((unsigned char)*q)) {
            rc = CD_EINVALID;
            goto out;
        }
    }
    q = strrchr(at, '.');
    if(!q || at[1] == '.' || at[1] == '-' || q[1] == '\0' || q[2] == '\0' ||
       strstr(at, "..")) {
        rc = CD_EINVALID;                 /* a TLD of two letters or more */
        goto out;
    }
    for(q = at + 1; *q; q++) {
        if(!domain_char((unsigned char)*q)) {
            rc = CD_EINVALID;
            goto out;
        }
        *q = (char)cd_norm_ascii_lower((unsigned char)*q);
    }
    *out = r;
    r = NULL;
out:
    free(r);
    free(t);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Web addresses */

/* Whether a query parameter (name=value, n bytes) is a tracking one. */
static int is_tracking(const char *p, size_t n)
{
    static const char *const names[] = {"fbclid", "gclid", "msclkid", NULL};
    size_t k = 0;

    while(k < n && p[k] != '=')
        k++;
    if(k >= 4 && !memcmp(p, "utm_", 4))
        return 1;
    return cd_norm_word_index(p, k, names) >= 0;
}

/* The query without tracking parameters, into b ("" when none are left). */
static int filter_query(struct cd_buf *b, const char *q)
{
    const char *e;
    size_t n;
    int rc;

    for(; *q; q = *e ? e + 1 : e) {
        e = strchr(q, '&');
        if(!e)
            e = q + strlen(q);
        n = (size_t)(e - q);
        if(!n || is_tracking(q, n))
            continue;
        rc = b->len ? cd_buf_putc(b, '&') : 0;
        if(!rc)
            rc = cd_buf_put(b, q, n);
        if(rc)
            return rc;
    }
    return 0;
}

/* CD_ENOMEM for curl's out-of-memory code, else CD_EINVALID. */
static int url_err(CURLUcode uc)
{
    return uc == CURLUE_OUT_OF_MEMORY ? CD_ENOMEM : CD_EINVALID;
}

/*
 * Normalise a web address. 0 and a malloc'd URL, CD_EINVALID when s is no
 * http(s) URL with a host name, or CD_ENOMEM.
 */
int cd_norm_website(char **out, const char *s)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_FIELD);
    CURLU *h = NULL;
    CURLUcode uc;
    char *t = NULL, *part = NULL, *url = NULL, *host = NULL;
    int rc;

    *out = NULL;
    rc = cd_norm_text(&t, s);
    if(rc)
        return rc;
    if(strchr(t, ' ')) {
        rc = CD_EINVALID;
        goto out;
    }
    h = curl_url();
    if(!h) {
        rc = CD_ENOMEM;
        goto out;
    }
    if(!strncmp(t, "//", 2)) {
        rc = cd_buf_puts(&b, "https:");
        if(rc)
            goto out;
    }
    rc = cd_buf_puts(&b, t);
    if(rc)
        goto out;
    uc = curl_url_set(h, CURLUPART_URL, cd_buf_str(&b),
                      CURLU_DEFAULT_SCHEME | CURLU_DISALLOW_USER);
    cd_buf_reset(&b);
    if(uc) {
        rc = url_err(uc);
        goto out;
    }
    uc = curl_url_get(h, CURLUPART_SCHEME, &part, 0);
    if(uc || (strcmp(part, "http") && strcmp(part, "https"))) {
        rc = uc ? url_err(uc) : CD_EINVALID;
        goto out;
    }
    curl_free(part);
    part = NULL;
    uc = curl_url_get(h, CURLUPART_HOST, &part, 0);
    if(uc) {
        rc = url_err(uc);
        goto out;
    }
    host = cd_norm_lower(part);               /* ASCII and "Ä" -> "ä" */
    if(!host) {
        rc = CD_ENOMEM;
        goto out;
    }
    if(!strchr(host, '.') || host[0] == '.') {
        rc = CD_EINVALID;
        goto out;
    }
    uc = curl_url_set(h, CURLUPART_HOST, host, 0);
    if(uc) {
        rc = url_err(uc);
        goto out;
    }
    curl_free(part);
    part = NULL;
    uc = curl_url_get(h, CURLUPART_QUERY, &part, 0);
    if(!uc) {
        rc = filter_query(&b, part);
        if(rc)
            goto out;
        uc = curl_url_set(h, CURLUPART_QUERY, b.len ? cd_buf_str(&b) : NULL,
                          0);
        if(uc) {
            rc = url_err(uc);
            goto out;
        }
    }
    else if(uc != CURLUE_NO_QUERY) {
        rc = url_err(uc);
        goto out;
    }
    uc = curl_url_get(h, CURLUPART_URL, &url, 0);
    if(uc) {
        rc = url_err(uc);
        goto out;
    }
    *out = strdup(url);
    if(!*out)
        rc = CD_ENOMEM;
out:
    curl_free(url);
    curl_free(part);
    free(host);
    curl_url_cleanup(h);
    cd_buf_dispose(&b);
    free(t);
    return rc;
}
