/* SPDX-License-Identifier: MIT */
/*
 * Resolving links and normalising URLs with libcurl's URL API, so that one
 * page has one spelling and the frontier's seen-set fetches it once per
 * run. The scheme of a link is checked before curl sees it, so that
 * mailto:, javascript: and friends are declined rather than "malformed".
 */
#include "crawler/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/util.h"

/* Longest URL accepted; longer links are junk or traps. */
#define URL_MAX 8192

/*
 * The scheme a link starts with, as a length into `s`, or 0 when the link
 * has none (it is relative). Follows RFC 3986: ALPHA *( ALPHA / DIGIT /
 * "+" / "-" / "." ) ":".
 */
static size_t scheme_len(const char *s, size_t n)
{
    size_t i;

    if(!n || !isalpha((unsigned char)s[0]))
        return 0;
    for(i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if(c == ':')
            return i;
        if(!isalnum(c) && c != '+' && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

static int is_http(const char *s, size_t n)
{
    return (n == 4 && !strncasecmp(s, "http", 4)) ||
           (n == 5 && !strncasecmp(s, "https", 5));
}

/* Lower-case a string in place (ASCII). */
static void lower(char *s)
{
    for(; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/*
 * Put a URL into its one form, in place on `u`: host lower-cased, default
 * port and fragment dropped (but a "citydir:" hint), empty path made "/".
 * Returns a CURLUcode.
 */
static CURLUcode normalise(CURLU *u)
{
    char *host = NULL, *path = NULL, *port = NULL, *frag = NULL;
    CURLUcode uc;

    uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    if(uc)
        goto out;
    lower(host);
    uc = curl_url_set(u, CURLUPART_HOST, host, 0);
    if(uc)
        goto out;
    /* With NO_DEFAULT_PORT, a port equal to the scheme's is reported as
     * absent, so such a port is dropped by setting it to nothing. */
    if(curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) ==
       CURLUE_NO_PORT) {
        uc = curl_url_set(u, CURLUPART_PORT, NULL, 0);
        if(uc)
            goto out;
    }
    /* A fragment names a part of a page, not a page: dropped, except
     * the hint a catalogue link carries (parsers/formats.h). */
    if(curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) != CURLUE_OK ||
       strncmp(frag, "citydir:", 8))
        uc = curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    if(uc)
        goto out;
    uc = curl_url_get(u, CURLUPART_PATH, &path, 0);
    if(uc)
        goto out;
    if(!*path)
        uc = curl_url_set(u, CURLUPART_PATH, "/", 0);
out:
    curl_free(host);
    curl_free(path);
    curl_free(port);
    curl_free(frag);
    return uc;
}

/* A copy of s without leading and trailing white space (HTML attributes
 * often carry some), or NULL when out of memory. */
static char *trimmed(const char *s)
{
    size_t n = strlen(s);

    while(n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while(n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

int cd_url_resolve(char **out, const char *base, const char *link,
                   struct cd_error *err)
{
    CURLU *u = NULL;
    CURLUcode uc;
    char *l = NULL, *scheme = NULL, *url = NULL;
    size_t sl;
    int rc = CD_ENOMEM;

    *out = NULL;
    l = trimmed(link ? link : "");
    if(!l)
        goto out;
    if(strlen(l) > URL_MAX) {
        rc = cd_error_set(err, CD_EINVALID, "%.80s...: URL longer than %d",
                          l, URL_MAX);
        goto out;
    }
    sl = scheme_len(l, strlen(l));
    if(sl && !is_http(l, sl)) {
        rc = cd_error_set(err, CD_EDECLINED, "%s: not an http(s) URL", l);
        goto out;
    }
    if(!base && !sl) {
        rc = cd_error_set(err, CD_EINVALID, "%s: relative URL without base",
                          l);
        goto out;
    }
    u = curl_url();
    if(!u)
        goto out;
    if(base) {
        uc = curl_url_set(u, CURLUPART_URL, base, 0);
        if(uc) {
            rc = cd_error_set(err, CD_EINVALID, "%s: bad base URL: %s", base,
                              curl_url_strerror(uc));
            goto out;
        }
        if(curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
           !is_http(scheme, strlen(scheme))) {
            rc = cd_error_set(err, CD_EDECLINED,
                              "%s: base is not an http(s) URL", base);
            goto out;
        }
    }
    /* A link may hold spaces, which we send %20-encoded. A link that is
     * empty or only a fragment names the base itself (curl 7.88 resolves
     * "#x" to the base's directory, so it is not asked). */
    if(base && (!*l || *l == '#'))
        uc = CURLUE_OK;
    else
        uc = curl_url_set(u, CURLUPART_URL, l, CURLU_ALLOW_SPACE);
    if(!uc)
        uc = normalise(u);
    if(!uc)
        uc = curl_url_get(u, CURLUPART_URL, &url, CURLU_URLENCODE);
    if(uc == CURLUE_OUT_OF_MEMORY)
        goto out;
    if(uc) {
        rc = cd_error_set(err, CD_EINVALID, "%s: bad URL: %s", l,
                          curl_url_strerror(uc));
        goto out;
    }
    *out = strdup(url);
    rc = *out ? 0 : CD_ENOMEM;
out:
    curl_free(url);
    curl_free(scheme);
    curl_url_cleanup(u);
    free(l);
    return rc;
}

int cd_url_host(char **out, const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    struct cd_buf b = CD_BUF_INIT(URL_MAX);
    int rc = CD_ENOMEM;

    *out = NULL;
    if(!u)
        return CD_ENOMEM;
    if(curl_url_set(u, CURLUPART_URL, url, CURLU_ALLOW_SPACE) ||
       curl_url_get(u, CURLUPART_HOST, &host, 0)) {
        rc = CD_EINVALID;
        goto out;
    }
    lower(host);
    rc = cd_buf_puts(&b, host);
    if(!rc && !curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT))
        rc = cd_buf_printf(&b, ":%s", port);
    if(rc)
        goto out;
    *out = cd_buf_detach(&b);
    rc = *out ? 0 : CD_ENOMEM;
out:
    cd_buf_dispose(&b);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}
