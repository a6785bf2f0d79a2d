/* SPDX-License-Identifier: MIT */
/*
 * Transfers with libcurl: setting up an easy handle with a source's limits
 * (protocols, redirects, timeouts, compression, the size cap), collecting
 * the body, and sorting the end of a transfer into ok, retry, failed or too
 * big. Also cd_fetch_one(), the blocking single fetch of `citydir try`.
 *
 * Divisions: setup, the body, outcomes, the single fetch.
 */
#include "crawler/fetch.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conf/source.h"
#include "core/util.h"
#include "crawler/crawl.h"

/* ---- setup ------------------------------------------------------------- */

static unsigned long or_default(unsigned long v, unsigned long def)
{
    return v ? v : def;
}

unsigned cd_fetch_max_tries(const struct cd_source *src)
{
    unsigned long r = src ? src->retries : CD_DEFAULT_RETRIES;

    if(r > CD_FETCH_MAX_RETRIES)
        r = CD_FETCH_MAX_RETRIES;
    return (unsigned)r + 1;
}

/* A small random number for jitter (xorshift64, seeded once from the
 * clock and the address of a local); not for anything secret. */
static uint64_t jitter_random(void)
{
    static uint64_t state;
    uint64_t x;

    if(!state) {
        uintptr_t here = (uintptr_t)&x;

        state = (uint64_t)cd_clock.mono_ms() * 0x9e3779b97f4a7c15ull ^
                (uint64_t)here;
        if(!state)
            state = 0x2545f4914f6cdd1dull;
    }
    x = state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    state = x;
    return x;
}

int64_t cd_fetch_backoff_ms(const struct cd_crawl_opts *o, int tries)
{
    int64_t ms = o && o->min_retry_ms ? (int64_t)o->min_retry_ms
                                      : CD_FETCH_DEFAULT_RETRY_MS;
    int64_t half;
    int i;

    for(i = 1; i < tries && ms < 600000; i++)
        ms *= 2;
    if(ms > 600000)
        ms = 600000;
    /* "equal jitter": half fixed, half random */
    half = ms / 2;
    return ms - half + (half ? (int64_t)(jitter_random() %
                                         (uint64_t)(half + 1)) : 0);
}

int64_t cd_fetch_retry_after_ms(const char *value, int64_t now_ms)
{
    const char *p = value;
    unsigned long secs;
    time_t t;

    if(!value)
        return -1;
    while(*p == ' ' || *p == '\t')
        p++;
    if(*p >= '0' && *p <= '9') {
        char num[24];
        size_t n = strspn(p, "0123456789");

        if(n >= sizeof(num) || p[n + strspn(p + n, " \t\r\n")])
            return -1;
        memcpy(num, p, n);
        num[n] = '\0';
        if(cd_parse_uint(&secs, num, 100000000ul))
            secs = 100000000ul;  /* years: longer than any cap */
        return (int64_t)secs * 1000;
    }
    t = curl_getdate(p, NULL);
    if(t == (time_t)-1)
        return -1;
    if((int64_t)t * 1000 <= now_ms)
        return 0;
    return (int64_t)t * 1000 - now_ms;
}

static size_t on_body(char *p, size_t size, size_t n, void *payload);

int cd_xfer_new(struct cd_xfer **out, const char *url,
                const struct cd_source *src, const struct cd_crawl_opts *o,
                struct cd_error *err)
{
    struct cd_xfer *x = calloc(1, sizeof(*x));
    const char *ua = o && o->user_agent ? o->user_agent : CD_USER_AGENT;
    unsigned long timeout, connect, redirs;
    CURLcode c = CURLE_OK;
    CURL *e;

    *out = NULL;
    if(!x)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory", url);
    x->max_body = o && o->max_body ? o->max_body : CD_MAX_BODY;
    cd_buf_init(&x->body, x->max_body);
    x->url = strdup(url);
    x->easy = e = curl_easy_init();
    if(!x->url || !e)
        goto nomem;
    timeout = or_default(src ? src->timeout_ms : 0, CD_DEFAULT_TIMEOUT_MS);
    connect = or_default(src ? src->connect_timeout_ms : 0,
                         CD_DEFAULT_CONNECT_MS);
    redirs = src ? src->max_redirects : CD_DEFAULT_MAX_REDIRECTS;
    if(redirs > CD_FETCH_MAX_REDIRECTS)
        redirs = CD_FETCH_MAX_REDIRECTS;
    x->max_redirects = (long)redirs;

    /* Each setopt can only fail for lack of memory or an old libcurl;
     * the first failure is kept. */
#define SET(opt, v) do { if(!c) c = curl_easy_setopt(e, opt, v); } while(0)
    SET(CURLOPT_URL, x->url);
    SET(CURLOPT_PRIVATE, (void *)x);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, x->max_redirects);
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)connect);
    SET(CURLOPT_TIMEOUT_MS, (long)timeout);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_USERAGENT, ua);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_body);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)x);
    SET(CURLOPT_NOSIGNAL, 1L);
#undef SET
    if(c) {
        cd_error_set(err, c == CURLE_OUT_OF_MEMORY ? CD_ENOMEM : CD_ENET,
                     "%s: cannot set up transfer: %s", url,
                     curl_easy_strerror(c));
        cd_xfer_free(x);
        return err ? err->code : CD_ENET;
    }
    *out = x;
    return 0;
nomem:
    cd_xfer_free(x);
    return cd_error_set(err, CD_ENOMEM, "%s: out of memory", url);
}

int cd_xfer_validators(struct cd_xfer *x, const char *etag,
                       const char *last_modified)
{
    struct curl_slist *l = x->headers, *t;
    char line[1024];

    if(etag && *etag && strlen(etag) < sizeof(line) - 32) {
        snprintf(line, sizeof(line), "If-None-Match: %s", etag);
        t = curl_slist_append(l, line);
        if(!t)
            goto nomem;
        l = t;
    }
    if(last_modified && *last_modified &&
       strlen(last_modified) < sizeof(line) - 32) {
        snprintf(line, sizeof(line), "If-Modified-Since: %s", last_modified);
        t = curl_slist_append(l, line);
        if(!t)
            goto nomem;
        l = t;
    }
    x->headers = l;
    if(!l)
        return 0;
    x->conditional = 1;
    if(curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, l))
        return CD_ENOMEM;
    return 0;
nomem:
    x->headers = l;
    if(l)
        curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, l);
    return CD_ENOMEM;
}

void cd_xfer_free(struct cd_xfer *x)
{
    if(!x)
        return;
    if(x->easy)
        curl_easy_cleanup(x->easy);
    curl_slist_free_all(x->headers);
    cd_buf_dispose(&x->body);
    free(x->url);
    free(x);
}

/* ---- the body ---------------------------------------------------------- */

/* Collect the body; returning less than given makes libcurl stop with
 * CURLE_WRITE_ERROR. */
static size_t on_body(char *p, size_t size, size_t n, void *payload)
{
    struct cd_xfer *x = payload;
    size_t len = size * n;
    int rc;

    if(!x->body.len) {
        curl_off_t cl = -1;

        /* A declared length over the cap ends it before any data. */
        if(!curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
                              &cl) &&
           cl > (curl_off_t)x->max_body) {
            x->too_big = 1;
            return 0;
        }
    }
    rc = cd_buf_put(&x->body, p, len);
    if(rc == CD_ETOOBIG)
        x->too_big = 1;
    else if(rc)
        x->nomem = 1;
    return rc ? 0 : len;
}

/* ---- outcomes ---------------------------------------------------------- */

/* A lower-case copy of n bytes of s with spaces and quotes trimmed. */
static char *token(const char *s, size_t n)
{
    char *t;
    size_t i;

    while(n && (isspace((unsigned char)*s) || *s == '"')) {
        s++;
        n--;
    }
    while(n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '"'))
        n--;
    if(!n)
        return NULL;
    t = strndup(s, n);
    for(i = 0; t && t[i]; i++)
        t[i] = (char)tolower((unsigned char)t[i]);
    return t;
}

/* Split "text/html; charset=UTF-8" into media type and charset. */
static void split_type(struct cd_xfer_result *r, const char *ct)
{
    const char *semi, *p;

    if(!ct)
        return;
    semi = strchr(ct, ';');
    r->content_type = token(ct, semi ? (size_t)(semi - ct) : strlen(ct));
    for(p = semi; p; p = strchr(p + 1, ';')) {
        const char *v = p + 1, *end;

        while(isspace((unsigned char)*v))
            v++;
        if(strncasecmp(v, "charset=", 8))
            continue;
        v += 8;
        end = strchr(v, ';');
        r->charset = token(v, end ? (size_t)(end - v) : strlen(v));
        break;
    }
}

/* A copy of the last response's header `name`, or NULL. */
static char *header(CURL *e, const char *name)
{
    struct curl_header *h = NULL;

    if(curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
        return NULL;
    return h && h->value && *h->value ? strdup(h->value) : NULL;
}

/* Whether a libcurl result means "the server or network had trouble, try
 * again later". */
static int retryable(CURLcode rc)
{
    switch(rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

void cd_xfer_result(struct cd_xfer_result *out, struct cd_xfer *x,
                    CURLcode rc)
{
    char *s = NULL;
    long st = 0;

    memset(out, 0, sizeof(*out));
    out->retry_after_ms = -1;
    out->code = rc;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &st);
    out->status = st;
    if(!curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &s) && s)
        out->final_url = strdup(s);
    else
        out->final_url = strdup(x->url);
    s = NULL;
    if(!curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &s))
        split_type(out, s);
    out->etag = header(x->easy, "ETag");
    out->last_modified = header(x->easy, "Last-Modified");

    if(x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        out->outcome = CD_XFER_TOOBIG;
        snprintf(out->why, sizeof(out->why), "larger than %lu bytes",
                 x->max_body);
    } else if(x->nomem) {
        out->outcome = CD_XFER_FAILED;
        snprintf(out->why, sizeof(out->why), "out of memory");
    } else if(rc == CURLE_TOO_MANY_REDIRECTS) {
        out->outcome = CD_XFER_FAILED;
        snprintf(out->why, sizeof(out->why),
                 "too many redirects (more than %ld; a redirect loop?)",
                 x->max_redirects);
    } else if(rc != CURLE_OK) {
        out->outcome = retryable(rc) ? CD_XFER_RETRY : CD_XFER_FAILED;
        snprintf(out->why, sizeof(out->why), "%s",
                 x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
    } else if(st >= 200 && st < 300) {
        out->outcome = CD_XFER_OK;
    } else if(st == 304 && x->conditional) {
        out->outcome = CD_XFER_NOT_MODIFIED;
    } else {
        /* 408 and 429 say "later", like the 5xx. */
        out->outcome = st >= 500 || st == 408 || st == 429 ? CD_XFER_RETRY
                                                           : CD_XFER_FAILED;
        snprintf(out->why, sizeof(out->why), "HTTP %ld", st);
        if(st == 429 || st == 503) {
            s = header(x->easy, "Retry-After");
            out->retry_after_ms = cd_fetch_retry_after_ms(s,
                                                          cd_clock.now_ms());
            free(s);
        }
    }
}

void cd_xfer_result_dispose(struct cd_xfer_result *r)
{
    CD_FREE(r->final_url);
    CD_FREE(r->content_type);
    CD_FREE(r->charset);
    CD_FREE(r->etag);
    CD_FREE(r->last_modified);
}

/* ---- the single fetch -------------------------------------------------- */

int cd_fetch_one(struct cd_fetched *out, const char *url,
                 const struct cd_source *src, const struct cd_crawl_opts *o,
                 struct cd_error *err)
{
    struct cd_xfer_result r;
    struct cd_xfer *x = NULL;
    unsigned tries = 0, max = cd_fetch_max_tries(src);
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&r, 0, sizeof(r));
    if(curl_global_init(CURL_GLOBAL_DEFAULT))
        return cd_error_set(err, CD_ENET, "%s: cannot start libcurl", url);
    for(;;) {
        rc = cd_xfer_new(&x, url, src, o, err);
        if(rc)
            goto out;
        r.outcome = CD_XFER_FAILED;
        cd_xfer_result(&r, x, curl_easy_perform(x->easy));
        tries++;
        if(r.outcome != CD_XFER_RETRY || tries >= max ||
           (o && o->stop && *o->stop))
            break;
        cd_xfer_result_dispose(&r);
        cd_xfer_free(x);
        x = NULL;
        cd_clock.sleep_ms(cd_fetch_backoff_ms(o, (int)tries));
    }
    if(r.outcome == CD_XFER_TOOBIG) {
        rc = cd_error_set(err, CD_ETOOBIG, "%s: %s", url, r.why);
        goto out;
    }
    if(r.code != CURLE_OK) {
        /* No usable HTTP answer: the network, a loop, a bad scheme. */
        rc = cd_error_set(err, CD_ENET, "%s: %s after %u %s", url, r.why,
                          tries, tries == 1 ? "try" : "tries");
        goto out;
    }
    out->status = r.status;
    out->url = r.final_url;
    out->content_type = r.content_type;
    out->charset = r.charset;
    out->etag = r.etag;
    out->last_modified = r.last_modified;
    memset(&r, 0, sizeof(r));
    out->len = x->body.len;
    out->body = cd_buf_detach(&x->body);
    rc = out->body && out->url ? 0 : CD_ENOMEM;
    if(rc) {
        cd_fetched_dispose(out);
        cd_error_set(err, rc, "%s: out of memory", url);
    }
out:
    cd_xfer_result_dispose(&r);
    cd_xfer_free(x);
    curl_global_cleanup();
    return rc;
}

void cd_fetched_dispose(struct cd_fetched *f)
{
    CD_FREE(f->url);
    CD_FREE(f->content_type);
    CD_FREE(f->charset);
    CD_FREE(f->etag);
    CD_FREE(f->last_modified);
    CD_FREE(f->body);
    f->len = 0;
    f->status = 0;
}
