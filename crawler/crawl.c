/* SPDX-License-Identifier: MIT */
/*
 * Runs of sources: the crawl loop. Every source gets a run in the store and
 * its start URLs in the run's frontier; then one loop over one libcurl
 * multi handle serves all runs. Each run holds a small window of URLs taken
 * from its frontier (memory stays flat: the queue and the seen-set are in
 * SQLite); a URL starts when its host allows (crawler/hosts.c). A finished
 * transfer is recorded, its body parsed, records staged and links added to
 * the frontier; a transfer that should be tried again goes back to the
 * frontier with a not-before time.
 *
 * When a run has nothing left, it is judged. It fails, and nothing it
 * staged is kept, when a start URL failed, when a parser failed on a page,
 * when a page failed for server or network trouble (5xx, timeout, closed
 * connection, truncated body) after all its tries, or when more than half
 * of its pages failed. The rule on server trouble is stricter than "half
 * the pages": a site that dies half-way would otherwise commit half its
 * places and remove the rest. A run that passes is judged by the sanity
 * guard (crawler/guard.h) on what it found: a suspect run commits nothing
 * and keeps its staged records for `citydir crawl --accept`. Else the run
 * is committed.
 *
 * Divisions: runs, the window, transfers, parsing, judging, the loop.
 */
#include "crawler/crawl.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "conf/source.h"
#include "core/arena.h"
#include "core/util.h"
#include "crawler/fetch.h"
#include "crawler/guard.h"
#include "crawler/hosts.h"
#include "crawler/robots.h"
#include "crawler/sitemap.h"
#include "crawler/url.h"
#include "crawler/workers.h"
#include "parsers/formats.h"
#include "parsers/parser.h"

#define WINDOW_MAX   64    /* URLs a run holds in memory at most */
#define POLL_MAX_MS  200   /* longest wait, so a stop is seen soon */
#define PROGRESS_MS  200   /* at most one progress line this often */
/* An unfinished run older than this starts over instead of resuming. */
#define RESUME_MAX_AGE_MS (7LL * 24 * 3600 * 1000)

struct run;

/* What an item fetches. */
enum item_kind {
    ITEM_PAGE,            /* a page for the parser */
    ITEM_SITEMAP,         /* a sitemap: url has CD_SITEMAP_PREFIX */
    ITEM_ROBOTS,          /* a robots.txt; not in any frontier */
};

/* A URL taken from a run's frontier: waiting for its host, or in flight. */
struct item {
    char *url;            /* as in the frontier */
    char *host;           /* cd_url_host() of url */
    enum item_kind kind;
    char *origin;         /* ITEM_ROBOTS: whose robots.txt it is */
    int depth;            /* 0 for start URLs */
    int attempts;         /* tries made before this one */
    struct run *run;
    struct cd_xfer *x;    /* while in flight */
    struct item *prev, *next;  /* in the crawl's list of those in flight */
};

struct run {
    struct cd_source *src;          /* borrowed */
    struct cd_source_report *rep;   /* in the caller's report */
    int64_t id;                     /* run id in the store */
    int active;                     /* begun, not yet ended */
    struct item **win;              /* waiting for a host slot */
    size_t nwin, winmax;
    unsigned inflight;
    unsigned long started;          /* distinct pages tried */
    int64_t t0;                     /* mono ms at begin */
    char first_fail[CD_ERROR_MSG_MAX];  /* first page that failed */
    char hard[CD_ERROR_MSG_MAX];    /* why the run must fail; "" if not */
    int64_t deadline;               /* mono ms when max_duration is over;
                                       0: no limit */
    char fp[33];                    /* fingerprint of the definition, for
                                       reusing what a document gave */
    struct cd_strlist named;        /* hosts of the start URLs: the
                                       definition's delay and concurrency
                                       are for them */
    struct cd_strlist robots_seen;  /* origins whose Sitemap: lines were
                                       queued (robots_sitemaps) */
    struct cd_run_profile profile;  /* what it found, for the guard */
};

struct crawl {
    struct cd_store *store;
    const struct cd_crawl_opts *opts;
    CURLM *multi;
    struct cd_hosts *hosts;
    struct run *runs;
    size_t nruns;
    unsigned inflight;
    struct item *flying;            /* items in flight */
    struct cd_robots_cache *robots; /* robots.txt rules, by origin */
    struct cd_workers *workers;     /* parsing ahead; MAY be NULL */
    int64_t progress_ms;            /* mono ms of the last line */
    int progress_open;              /* a line without newline is shown */
    struct cd_error *err;           /* where a fatal error goes */
};

static void item_free(struct item *it)
{
    if(!it)
        return;
    free(it->url);
    free(it->host);
    free(it->origin);
    free(it);
}

/* The URL an item fetches: its frontier URL without a sitemap prefix. */
static const char *item_fetch_url(const struct item *it)
{
    if(it->kind == ITEM_SITEMAP)
        return it->url + strlen(CD_SITEMAP_PREFIX);
    return it->url;
}

static int stopping(const struct crawl *c)
{
    return c->opts && c->opts->stop && *c->opts->stop;
}

/* ---- progress ---------------------------------------------------------- */

static void progress(struct crawl *c, const struct run *r, int final)
{
    const struct cd_run_stats *st = &r->rep->stats;
    int64_t now = cd_clock.mono_ms();

    if(!c->opts || !c->opts->progress)
        return;
    if(!final && now - c->progress_ms < PROGRESS_MS)
        return;
    c->progress_ms = now;
    fprintf(stderr, "\r%s: %ld pages, %ld records, %ld failed\033[K%s",
            r->src->id, st->pages_fetched, st->records, st->pages_failed,
            final ? "\n" : "");
    c->progress_open = !final;
}

/* ---- runs -------------------------------------------------------------- */

/* Note a page failure of a run: `hard` ones make the run fail. */
static void page_failed(struct run *r, const char *url, int hard,
                        const char *what)
{
    char msg[CD_ERROR_MSG_MAX];

    snprintf(msg, sizeof(msg), "%.300s: %.200s", url, what);
    if(!r->first_fail[0])
        snprintf(r->first_fail, sizeof(r->first_fail), "%s", msg);
    if(hard && !r->hard[0])
        snprintf(r->hard, sizeof(r->hard), "%s", msg);
}

/* Count a record for the guard (defined with the parsing below). */
static void profile_count(struct run *r, const struct cd_emit *e);

/* Whether the run has used up its max_duration for this crawl. */
static int run_over_time(const struct run *r)
{
    return r->deadline && cd_clock.mono_ms() >= r->deadline;
}

/* The fingerprint of a definition: what a parse of a document depends
 * on (this citydir's version, the source, its parser, the bytes of its
 * file). Reused outputs must come from the same one. */
static void fingerprint(char out[33], const struct cd_source *src)
{
    struct cd_buf b = CD_BUF_INIT(CD_MAX_LINE);
    FILE *f = src->path ? fopen(src->path, "rb") : NULL;
    char chunk[4096];
    size_t n;
    int rc;

    rc = cd_buf_printf(&b, "citydir %s\n%s\n%s\n", CD_VERSION,
                       src->id ? src->id : "",
                       src->parser_name ? src->parser_name : "");
    while(!rc && f && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = cd_buf_put(&b, chunk, n);
    if(f)
        fclose(f);
    if(rc) {
        /* unreadable or huge: a fingerprint nothing stored can match */
        snprintf(out, 33, "x%015llx%016llx",
                 (unsigned long long)cd_clock.now_ms(),
                 (unsigned long long)(uintptr_t)src);
        return;
    }
    cd_hash_hex(out, cd_buf_str(&b), b.len);
    cd_buf_dispose(&b);
}

/* Note the host of a start URL: the definition's politeness is for it. */
static int name_host(struct run *r, const char *url)
{
    char *h = NULL;
    size_t i;
    int rc = cd_url_host(&h, url);

    if(rc == CD_ENOMEM)
        return rc;
    if(!h)
        return 0;
    for(i = 0; i < r->named.n; i++)
        if(!strcmp(r->named.v[i], h))
            break;
    rc = i == r->named.n ? cd_strlist_add(&r->named, h, strlen(h)) : 0;
    free(h);
    return rc;
}

/* Add a page, or a sitemap (with its prefix), to the run's frontier. */
static int frontier_add_kind(int *out_added, struct crawl *c, struct run *r,
                             const char *url, int sitemap, int depth)
{
    size_t n = strlen(CD_SITEMAP_PREFIX) + strlen(url) + 1;
    char *u;
    int rc;

    if(!sitemap)
        return cd_store_frontier_add(out_added, c->store, r->id, url, depth,
                                     c->err);
    u = malloc(n);
    if(!u)
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory", url);
    snprintf(u, n, "%s%s", CD_SITEMAP_PREFIX, url);
    rc = cd_store_frontier_add(out_added, c->store, r->id, u, depth, c->err);
    free(u);
    return rc;
}

/* A record a resumed run staged before: count it for the guard. */
static int on_staged(const char *key, const char *rec_url, const char *json,
                     const char *link, void *payload)
{
    struct run *r = payload;
    struct cd_record rec;
    struct cd_emit e;

    (void)key;
    (void)link;
    if(!json || cd_record_from_json(&rec, json, rec_url))
        return 0;
    memset(&e, 0, sizeof(e));
    e.kind = CD_EMIT_RECORD;
    e.record = &rec;
    profile_count(r, &e);
    cd_record_dispose(&rec);
    return 0;
}

/*
 * Open the run of r->src: go on with its unfinished run when there is
 * one (a crawl that was killed, stopped, or ran out of max_duration), or
 * begin a new one. A resumed run keeps its frontier (what is done stays
 * done), its staged records and its counters.
 */
static int run_open(struct crawl *c, struct run *r)
{
    struct cd_source *src = r->src;
    struct cd_run_stats st;
    int64_t run = 0;
    int rc;

    fingerprint(r->fp, src);
    if(src->max_duration)
        r->deadline = r->t0 + (int64_t)src->max_duration * 1000;
    rc = cd_store_run_resume(&run, &st, c->store, src->id, RESUME_MAX_AGE_MS,
                             r->fp, c->err);
    if(rc)
        return rc;
    if(run && c->opts && c->opts->restart) {
        rc = cd_store_run_abandon(c->store, run, CD_RUN_FAILED,
                                  "abandoned: crawl --restart", NULL,
                                  c->err);
        if(rc)
            return rc;
        run = 0;
    }
    if(!run) {
        rc = cd_store_run_begin(&r->id, c->store, src->id, c->err);
        if(!rc)
            rc = cd_store_run_fingerprint(c->store, r->id, r->fp, c->err);
        return rc;
    }
    r->id = run;
    r->rep->resumed = 1;
    r->rep->stats = st;
    r->started = (unsigned long)(st.pages_fetched + st.pages_failed);
    return cd_store_staged_foreach(c->store, run, on_staged, r, c->err);
}

/* Begin the run of r->src: sync the source, begin, queue start URLs. */
static int run_begin(struct crawl *c, struct run *r)
{
    struct cd_source *src = r->src;
    unsigned long conc = src->concurrency ? src->concurrency : 1;
    size_t i;
    int rc;

    r->t0 = cd_clock.mono_ms();
    r->winmax = conc * 2 + 2 < WINDOW_MAX ? conc * 2 + 2 : WINDOW_MAX;
    r->win = calloc(r->winmax, sizeof(*r->win));
    if(!r->win)
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory",
                            src->id);
    rc = cd_store_source_sync(c->store, src, c->err);
    if(!rc)
        rc = run_open(c, r);
    if(rc)
        return rc;
    r->active = 1;
    if(!src->parser || !src->parser->parse)
        snprintf(r->hard, sizeof(r->hard), "%s: no parser '%s'", src->id,
                 src->parser_name ? src->parser_name : "");
    if(!src->start.n)
        snprintf(r->hard, sizeof(r->hard), "%s: no start URL", src->id);
    for(i = 0; i < src->start.n && !r->hard[0]; i++) {
        struct cd_error e = { 0, "" };
        const char *start = src->start.v[i];
        char *u = NULL;
        int added, sitemap = !strncmp(start, CD_SITEMAP_PREFIX,
                                      strlen(CD_SITEMAP_PREFIX));

        if(sitemap)
            start += strlen(CD_SITEMAP_PREFIX);
        if(cd_url_resolve(&u, NULL, start, &e)) {
            snprintf(r->hard, sizeof(r->hard), "start URL %.480s", e.msg);
            continue;
        }
        rc = name_host(r, u);
        if(!rc)
            rc = frontier_add_kind(&added, c, r, u, sitemap, 0);
        free(u);
        if(rc)
            return rc;
    }
    return 0;
}

/* ---- the window -------------------------------------------------------- */

static int on_take(const struct cd_frontier_url *u, void *payload)
{
    struct run *r = payload;
    struct item *it = calloc(1, sizeof(*it));

    if(!it || r->nwin == r->winmax)
        goto fail;
    it->url = strdup(u->url);
    if(!it->url)
        goto fail;
    if(!strncmp(u->url, CD_SITEMAP_PREFIX, strlen(CD_SITEMAP_PREFIX)))
        it->kind = ITEM_SITEMAP;
    if(cd_url_host(&it->host, item_fetch_url(it)) == CD_ENOMEM)
        goto fail;
    it->depth = u->depth;
    it->attempts = u->attempts;
    it->run = r;
    r->win[r->nwin++] = it;
    return 0;
fail:
    item_free(it);
    return 1;
}

/* Remove window slot i, keeping the order of the others. */
static void win_remove(struct run *r, size_t i)
{
    memmove(&r->win[i], &r->win[i + 1],
            (r->nwin - i - 1) * sizeof(*r->win));
    r->nwin--;
}

/* Fill a run's window from its frontier. URLs beyond max_pages and URLs
 * without a host are done at once, as skipped. */
static int fill(struct crawl *c, struct run *r)
{
    unsigned long max_pages = r->src->max_pages;
    size_t n, i, first = r->nwin;
    int rc;

    if(r->nwin == r->winmax || run_over_time(r))
        return 0;
    rc = cd_store_frontier_take(&n, c->store, r->id, r->winmax - r->nwin,
                                cd_clock.now_ms(), on_take, r, c->err);
    if(rc == CD_EUSER)
        rc = cd_error_set(c->err, CD_ENOMEM, "%s: out of memory",
                          r->src->id);
    if(rc)
        return rc;
    i = first;
    while(i < r->nwin) {
        struct item *it = r->win[i];
        int skip = 0;

        if(!it->host) {
            page_failed(r, it->url, it->depth == 0, "bad URL");
            r->rep->stats.pages_failed++;
            skip = 1;
        } else if(!it->attempts && it->kind == ITEM_PAGE) {
            if(max_pages && r->started >= max_pages) {
                r->rep->stats.pages_skipped++;
                r->rep->stats.skipped_max_pages++;
                skip = 1;
            } else {
                r->started++;
            }
        }
        if(!skip) {
            i++;
            continue;
        }
        rc = cd_store_frontier_done(c->store, r->id, it->url, c->err);
        item_free(it);
        win_remove(r, i);
        if(rc)
            return rc;
    }
    return 0;
}

/* ---- politeness and robots.txt ----------------------------------------- */

/* What robots_gate() decided for an item. */
enum gate {
    GATE_GO,    /* fetch it when its host allows */
    GATE_WAIT,  /* its robots.txt is not known yet */
    GATE_SKIP,  /* robots.txt forbids it: done, out of the window */
};

/*
 * The delay and concurrency for `host`: the definition's for the hosts of
 * its start URLs, the safe defaults (one request at a time, a second
 * apart) for any other host it wanders onto; a robots.txt Crawl-delay
 * makes the delay longer, never shorter. rules MAY be NULL.
 */
static void host_limits(unsigned long *delay, unsigned long *conc,
                        const struct run *r, const char *host,
                        const struct cd_robots *rules)
{
    int64_t cd = cd_robots_delay_ms(rules);
    size_t i;

    *delay = CD_DEFAULT_DELAY_MS;
    *conc = CD_DEFAULT_CONCURRENCY;
    for(i = 0; host && i < r->named.n; i++) {
        if(!strcmp(r->named.v[i], host)) {
            *delay = r->src->delay_ms;
            *conc = r->src->concurrency ? r->src->concurrency : 1;
            break;
        }
    }
    if(cd > 0 && (unsigned long)cd > *delay)
        *delay = (unsigned long)cd;
}

/* Put an item in the crawl's list of transfers in flight. */
static void fly(struct crawl *c, struct run *r, struct item *it,
                struct cd_xfer *x)
{
    it->x = x;
    it->prev = NULL;
    it->next = c->flying;
    if(c->flying)
        c->flying->prev = it;
    c->flying = it;
    r->inflight++;
    c->inflight++;
}

/* Start fetching the robots.txt of `origin` for the item `it` of r, when
 * its host allows a request now. */
static int robots_start(struct crawl *c, struct run *r, const struct item *it,
                        const char *origin, int64_t *wait_ms)
{
    int64_t now = cd_clock.mono_ms();
    int64_t w = cd_hosts_wait(c->hosts, it->host, 1, now);
    unsigned long delay, conc;
    struct cd_xfer *x = NULL;
    struct item *ri;
    size_t n = strlen(origin) + sizeof("/robots.txt");
    int rc;

    if(w) {
        if(w > 0 && w < *wait_ms)
            *wait_ms = w;
        return 0;
    }
    ri = calloc(1, sizeof(*ri));
    if(!ri || !(ri->url = malloc(n)) || !(ri->host = strdup(it->host)) ||
       !(ri->origin = strdup(origin))) {
        item_free(ri);
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory", origin);
    }
    snprintf(ri->url, n, "%s/robots.txt", origin);
    ri->kind = ITEM_ROBOTS;
    ri->run = r;
    rc = cd_xfer_new(&x, ri->url, r->src, c->opts, c->err);
    if(rc) {
        item_free(ri);
        return rc;
    }
    x->payload = ri;
    host_limits(&delay, &conc, r, ri->host, NULL);
    if(curl_multi_add_handle(c->multi, x->easy)) {
        cd_xfer_free(x);
        item_free(ri);
        return cd_error_set(c->err, CD_ENET, "%s: cannot start transfer",
                            origin);
    }
    rc = cd_hosts_start(c->hosts, ri->host, delay, now);
    if(!rc)
        rc = cd_robots_cache_pending(c->robots, origin);
    if(rc) {
        curl_multi_remove_handle(c->multi, x->easy);
        cd_xfer_free(x);
        item_free(ri);
        return cd_error_set(c->err, rc, "%s: out of memory", origin);
    }
    fly(c, r, ri, x);
    *wait_ms = 0;
    return 0;
}

/* Queue the Sitemap: lines of origin's robots.txt once per run, when the
 * definition asks for them and names the host. */
static int robots_sitemaps(struct crawl *c, struct run *r, const char *host,
                           const char *origin, const struct cd_robots *rules)
{
    const struct cd_strlist *sm = cd_robots_sitemaps(rules);
    size_t i;
    int rc = 0, added;

    if(!r->src->robots_sitemaps)
        return 0;
    for(i = 0; i < r->named.n; i++)
        if(!strcmp(r->named.v[i], host))
            break;
    if(i == r->named.n)
        return 0;
    for(i = 0; i < r->robots_seen.n; i++)
        if(!strcmp(r->robots_seen.v[i], origin))
            return 0;
    if(cd_strlist_add(&r->robots_seen, origin, strlen(origin)))
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory", origin);
    for(i = 0; !rc && i < sm->n; i++) {
        char *u = NULL;

        if(cd_url_resolve(&u, origin, sm->v[i], NULL))
            continue;
        /* depth 1: a sitemap robots.txt names is no start URL */
        rc = frontier_add_kind(&added, c, r, u, 1, 1);
        free(u);
    }
    return rc;
}

/*
 * Whether window item i of r may be fetched as far as robots.txt is
 * concerned: starts the fetch of its origin's robots.txt when unknown,
 * and takes a forbidden item out of the window (counted, and a start URL
 * fails the run). *rules is the origin's rules when known.
 */
static int robots_gate(enum gate *out, const struct cd_robots **rules,
                       struct crawl *c, struct run *r, size_t i,
                       int64_t *wait_ms)
{
    struct item *it = r->win[i];
    char *origin = NULL, *path = NULL;
    char what[CD_ERROR_MSG_MAX];
    int rc;

    *out = GATE_GO;
    *rules = NULL;
    rc = cd_robots_split(&origin, &path, item_fetch_url(it));
    if(rc == CD_ENOMEM)
        return cd_error_set(c->err, rc, "%s: out of memory", it->url);
    if(rc)
        return 0;  /* no http(s) URL: the fetch itself says what is wrong */
    switch(cd_robots_cache_get(rules, c->robots, origin)) {
    case CD_ROBOTS_UNKNOWN:
        *out = GATE_WAIT;
        rc = robots_start(c, r, it, origin, wait_ms);
        break;
    case CD_ROBOTS_PENDING:
        *out = GATE_WAIT;
        break;
    case CD_ROBOTS_READY:
        rc = robots_sitemaps(c, r, it->host, origin, *rules);
        if(rc || cd_robots_allowed(*rules, path))
            break;
        *out = GATE_SKIP;
        r->rep->stats.pages_skipped++;
        r->rep->stats.skipped_robots++;
        if(it->depth == 0) {
            snprintf(what, sizeof(what), "%.400s",
                     cd_robots_why(*rules) ? cd_robots_why(*rules)
                                           : "disallowed by robots.txt");
            page_failed(r, it->url, 1, what);
        }
        rc = cd_store_frontier_done(c->store, r->id, it->url, c->err);
        item_free(it);
        win_remove(r, i);
        break;
    }
    free(origin);
    free(path);
    return rc;
}

/* A robots.txt transfer ended: keep its rules, or try again later. */
static int robots_done(struct crawl *c, struct item *it, struct cd_xfer *x,
                       const struct cd_xfer_result *res)
{
    struct cd_robots *rules = NULL;
    struct run *r = it->run;
    unsigned tries = cd_robots_cache_tries(c->robots, it->origin);
    char why[CD_ERROR_MSG_MAX];
    int64_t wait;
    int rc;

    switch(res->outcome) {
    case CD_XFER_OK:
        rc = cd_robots_parse(&rules, cd_buf_str(&x->body), x->body.len,
                             NULL);
        break;
    case CD_XFER_RETRY:
        if(tries < cd_fetch_max_tries(r->src)) {
            wait = res->retry_after_ms >= 0 &&
                   res->retry_after_ms <= CD_FETCH_MAX_RETRY_AFTER_MS
                       ? res->retry_after_ms
                       : cd_fetch_backoff_ms(c->opts, (int)tries);
            cd_robots_cache_retry(c->robots, it->origin);
            if(cd_hosts_hold(c->hosts, it->host, cd_clock.mono_ms() + wait,
                             cd_clock.mono_ms()))
                return cd_error_set(c->err, CD_ENOMEM, "out of memory");
            return 0;
        }
        /* fall through - unreachable, as far as this crawl goes */
    case CD_XFER_TOOBIG:
    case CD_XFER_FAILED:
    case CD_XFER_NOT_MODIFIED:
    default:
        if(res->outcome == CD_XFER_FAILED && res->status >= 400 &&
           res->status < 500) {
            /* RFC 9309 2.3.1.3: unavailable, anything goes */
            rc = cd_robots_new(&rules, CD_ROBOTS_ALLOW_ALL, NULL);
            break;
        }
        /* RFC 9309 2.3.1.4: unreachable, nothing this crawl */
        snprintf(why, sizeof(why),
                 "%.250s: %.180s; the host is not crawled this time",
                 it->url, res->why[0] ? res->why : "no answer");
        rc = cd_robots_new(&rules, CD_ROBOTS_DISALLOW_ALL, why);
        break;
    }
    if(rc)
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory",
                            it->url);
    rc = cd_robots_cache_put(c->robots, it->origin, rules);
    if(rc)
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory",
                            it->url);
    return 0;
}

/*
 * How long to wait before trying `it` again after server trouble: the
 * Retry-After of a 429 or 503, else the backoff. After a 429 or 503 (the
 * server asks for less) the whole host is held back that long, for every
 * source; after other trouble (a 500, a timeout) only the URL waits, so
 * a broken page does not stall the site. Returns 0 (do not try again)
 * when Retry-After asks for more than CD_FETCH_MAX_RETRY_AFTER_MS.
 */
static int retry_wait(int64_t *out, struct crawl *c, struct run *r,
                      const struct item *it, struct cd_xfer_result *res)
{
    int64_t now = cd_clock.mono_ms();
    size_t n;

    (void)r;
    if(res->retry_after_ms > CD_FETCH_MAX_RETRY_AFTER_MS) {
        n = strlen(res->why);
        snprintf(res->why + n, sizeof(res->why) - n,
                 ", Retry-After %lld s is too long",
                 (long long)(res->retry_after_ms / 1000));
        return 0;
    }
    *out = res->retry_after_ms >= 0
               ? res->retry_after_ms
               : cd_fetch_backoff_ms(c->opts, it->attempts + 1);
    /* without memory for the hold, the retry itself still waits */
    if(res->status == 429 || res->status == 503)
        cd_hosts_hold(c->hosts, it->host, now + *out, now);
    return 1;
}

/* Make the fetch of a page conditional when what it gave last time is
 * kept for this definition. */
static int conditional(struct crawl *c, struct run *r, struct cd_xfer *x,
                       const char *url)
{
    struct cd_doc_stored d;
    int rc;

    rc = cd_store_doc_reusable(&d, c->store, r->src->id, url, r->fp,
                               c->err);
    if(rc == CD_ENOTFOUND)
        return 0;
    if(rc)
        return rc;
    if(d.status >= 200 && d.status < 300 &&
       cd_xfer_validators(x, d.etag, d.last_modified))
        rc = cd_error_set(c->err, CD_ENOMEM, "%s: out of memory", url);
    cd_store_doc_dispose(&d);
    return rc;
}

/* ---- transfers --------------------------------------------------------- */

/* Start what the hosts allow from a run's window; *wait_ms is lowered to
 * when the next may start. */
static int schedule(struct crawl *c, struct run *r, int64_t *wait_ms)
{
    const struct cd_source *src = r->src;
    size_t i = 0;
    int rc;

    while(i < r->nwin) {
        struct item *it = r->win[i];
        const struct cd_robots *rules = NULL;
        int64_t now = cd_clock.mono_ms(), w;
        unsigned long delay, conc;
        struct cd_xfer *x = NULL;
        enum gate gate;

        rc = robots_gate(&gate, &rules, c, r, i, wait_ms);
        if(rc)
            return rc;
        if(gate == GATE_SKIP)
            continue;  /* done and out of the window */
        if(gate == GATE_WAIT) {
            i++;
            continue;
        }
        host_limits(&delay, &conc, r, it->host, rules);
        w = cd_hosts_wait(c->hosts, it->host, conc, now);
        if(w) {
            if(w > 0 && w < *wait_ms)
                *wait_ms = w;
            i++;
            continue;
        }
        rc = cd_xfer_new(&x, item_fetch_url(it), src, c->opts, c->err);
        if(rc)
            return rc;
        if(it->kind == ITEM_PAGE) {
            rc = conditional(c, r, x, it->url);
            if(rc) {
                cd_xfer_free(x);
                return rc;
            }
        }
        x->payload = it;
        if(curl_multi_add_handle(c->multi, x->easy)) {
            cd_xfer_free(x);
            return cd_error_set(c->err, CD_ENET, "%s: cannot start transfer",
                                it->url);
        }
        rc = cd_hosts_start(c->hosts, it->host, delay, now);
        if(rc) {
            curl_multi_remove_handle(c->multi, x->easy);
            cd_xfer_free(x);
            return cd_error_set(c->err, rc, "%s: out of memory", it->url);
        }
        win_remove(r, i);
        it->x = x;
        it->next = c->flying;
        if(c->flying)
            c->flying->prev = it;
        c->flying = it;
        r->inflight++;
        c->inflight++;
    }
    return 0;
}

/* ---- parsing ----------------------------------------------------------- */

struct emit_ctx {
    struct crawl *c;
    struct run *r;
    const struct item *it;
    const struct cd_source *src;  /* the definition parsing: r->src, or
                                     its [extract.PARSER] for a
                                     catalogue's resource */
    const char *base;       /* the document's final URL */
    int64_t fetched_ms;
    int fatal;              /* a store error, in c->err */
    int replay;             /* outputs kept from an earlier parse are
                               being replayed: do not keep them again */
    int seq;                /* outputs kept so far for it->url */
};

/* Count an item for the guard: a record, or an item dropped for want of
 * a name (a page without `item` only when it held some value: a listing
 * page is no item). */
static void profile_count(struct run *r, const struct cd_emit *e)
{
    struct cd_run_profile *p = &r->profile;
    int f;

    if(!e->record)
        return;
    if(e->kind == CD_EMIT_DROPPED && !r->src->item &&
       cd_record_is_empty(e->record))
        return;
    p->has_fields = 1;
    p->items++;
    if(e->kind == CD_EMIT_RECORD)
        p->records++;
    for(f = 0; f < CD_F__COUNT; f++)
        if(cd_record_get(e->record, (enum cd_field)f))
            p->fields[f]++;
}

static int on_emit(const struct cd_emit *e, void *payload)
{
    struct emit_ctx *x = payload;
    struct run *r = x->r;
    struct cd_run_stats *st = &r->rep->stats;
    char *s = NULL;
    int rc = 0, added;

    if(e->kind == CD_EMIT_RECORD || e->kind == CD_EMIT_DROPPED)
        profile_count(r, e);
    if(e->kind == CD_EMIT_RECORD) {
        rc = cd_record_key(&s, e->record,
                           x->src->item != NULL ||
                               (x->src->parser->flags & CD_PARSER_MANY));
        if(rc)
            rc = cd_error_set(x->c->err, rc, "%s: out of memory", x->base);
        else
            rc = cd_store_run_stage(x->c->store, r->id, s, e->record,
                                    x->fetched_ms, x->c->err);
        if(!rc && !x->replay)
            rc = cd_store_output_record(x->c->store, r->src->id,
                                        x->it->url, x->seq++, s, e->record,
                                        x->c->err);
        if(!rc)
            st->records++;
    } else if(e->kind == CD_EMIT_WARNING && e->message) {
        if(!st->warnings++)
            snprintf(r->rep->warning, sizeof(r->rep->warning), "%s",
                     e->message);
    } else if(e->kind == CD_EMIT_LINK && e->link) {
        rc = cd_url_resolve(&s, x->base, e->link, NULL);
        if(rc == CD_ENOMEM) {
            rc = cd_error_set(x->c->err, rc, "%s: out of memory", x->base);
        } else if(rc || !cd_source_url_allowed(r->src, s)) {
            st->pages_skipped++;  /* another scheme, junk, or filtered */
            st->skipped_filtered++;
            rc = 0;
        } else {
            rc = cd_store_frontier_add(&added, x->c->store, r->id, s,
                                       x->it->depth + 1, x->c->err);
            if(!rc && !x->replay)
                rc = cd_store_output_link(x->c->store, r->src->id,
                                          x->it->url, x->seq++, s,
                                          x->c->err);
        }
    }
    free(s);
    if(rc)
        x->fatal = 1;
    return rc ? 1 : 0;
}

/* Parse a fetched page. Returns 0 when the crawl can go on (a parse error
 * only fails the run), or a fatal error. */
static int parse_page(struct crawl *c, struct run *r, const struct item *it,
                      const struct cd_xfer_result *res, struct cd_xfer *x,
                      int64_t fetched_ms)
{
    const struct cd_parser *p = r->src->parser;
    const struct cd_source *src = r->src;
    struct cd_parse_stats ps = { 0, 0 };
    struct cd_error perr = { 0, "" };
    struct emit_ctx ctx;
    struct cd_doc doc;
    struct cd_arena *a = NULL;
    struct cd_ahead *ahead;
    char *hparser = NULL, *hlicense = NULL;
    int rc;

    if(!p || !p->parse) {
        r->rep->stats.pages_failed++;
        return 0;  /* run_begin already noted why */
    }
    /* a catalogue's link says how to read it (parsers/formats.h) */
    if(cd_hint_read(&hparser, &hlicense, it->url))
        return cd_error_set(c->err, CD_ENOMEM, "%s: out of memory",
                            it->url);
    if(hparser)
        src = cd_source_sub(r->src, hparser);
    if(!src) {
        r->rep->stats.pages_failed++;
        snprintf(perr.msg, sizeof(perr.msg), "no [extract.%.64s] in the "
                 "definition", hparser);
        page_failed(r, it->url, 1, perr.msg);
        free(hparser);
        free(hlicense);
        return 0;
    }
    rc = cd_arena_new(&a);
    if(rc) {
        free(hparser);
        free(hlicense);
        return cd_error_set(c->err, rc, "%s: out of memory", it->url);
    }
    memset(&doc, 0, sizeof(doc));
    doc.url = res->final_url ? res->final_url : it->url;
    doc.content_type = res->content_type;
    doc.charset = res->charset;
    doc.body = cd_buf_str(&x->body);
    doc.len = x->body.len;
    doc.arena = a;
    memset(&ctx, 0, sizeof(ctx));
    ctx.c = c;
    ctx.r = r;
    ctx.it = it;
    ctx.src = src;
    ctx.base = doc.url;
    ctx.fetched_ms = fetched_ms;
    /* parsed ahead on a worker thread (drain()), or now */
    ahead = hparser ? NULL : cd_workers_take(c->workers, x);
    if(ahead)
        rc = cd_workers_replay(ahead, on_emit, &ctx, &ps, &perr);
    else
        rc = cd_parse(&doc, src, hlicense, on_emit, &ctx, &ps, &perr);
    cd_arena_free(a);
    free(hparser);
    free(hlicense);
    r->rep->stats.outside_bbox += ps.outside_bbox;
    r->rep->stats.bad_coords += ps.bad_coords;
    if(ctx.fatal)
        return c->err ? (c->err->code ? c->err->code : CD_ERROR) : CD_ERROR;
    if(rc) {
        char what[CD_ERROR_MSG_MAX];

        r->rep->stats.pages_failed++;
        snprintf(what, sizeof(what), "parse error: %.480s",
                 perr.msg[0] ? perr.msg : cd_strerror(rc));
        page_failed(r, it->url, 1, what);
        return 0;
    }
    /* what it gave is kept complete: a 304 next time can reuse it */
    rc = cd_store_outputs_seal(c->store, r->src->id, it->url, r->fp,
                               c->err);
    if(rc)
        return rc;
    r->rep->stats.pages_fetched++;
    return 0;
}

/* ---- incremental: reuse and sitemaps ----------------------------------- */

/* One output kept from an earlier parse, replayed: a record is staged
 * under its kept key, a link goes through on_emit like a parsed one. */
static int on_output(const char *key, const char *rec_url, const char *json,
                     const char *link, void *payload)
{
    struct emit_ctx *x = payload;
    struct run *r = x->r;
    struct cd_record rec;
    struct cd_emit e;
    int rc;

    memset(&e, 0, sizeof(e));
    if(link) {
        e.kind = CD_EMIT_LINK;
        e.link = link;
        return on_emit(&e, x);
    }
    if(!key || !json)
        return 0;
    rc = cd_record_from_json(&rec, json, rec_url);
    if(rc) {
        cd_error_set(x->c->err, rc, "%s: a kept record of %s is unreadable",
                     r->src->id, x->it->url);
        x->fatal = 1;
        return 1;
    }
    e.kind = CD_EMIT_RECORD;
    e.record = &rec;
    profile_count(r, &e);
    rc = cd_store_run_stage(x->c->store, r->id, key, &rec, x->fetched_ms,
                            x->c->err);
    cd_record_dispose(&rec);
    if(rc) {
        x->fatal = 1;
        return 1;
    }
    r->rep->stats.records++;
    return 0;
}

/* Stage again what `it` gave last time and follow its links, without
 * fetching or parsing; `counter` says why (not modified, unchanged). */
static int replay(struct crawl *c, struct run *r, const struct item *it,
                  int64_t fetched_ms, long *counter)
{
    struct emit_ctx ctx;
    int rc;

    memset(&ctx, 0, sizeof(ctx));
    ctx.c = c;
    ctx.r = r;
    ctx.it = it;
    ctx.src = r->src;
    ctx.base = it->url;
    ctx.fetched_ms = fetched_ms;
    ctx.replay = 1;
    rc = cd_store_outputs_replay(c->store, r->src->id, it->url, on_output,
                                 &ctx, c->err);
    if(ctx.fatal || rc)
        return c->err && c->err->code ? c->err->code : rc ? rc : CD_ERROR;
    r->rep->stats.pages_fetched++;
    (*counter)++;
    return 0;
}

/*
 * A page answered 304, or 2xx with the content hash of last time: reuse
 * what it gave (*out_reused = 1). Else *out_reused = 0 and the caller
 * stores and parses the page.
 */
static int incremental(int *out_reused, struct crawl *c, struct run *r,
                       const struct item *it, struct cd_xfer *x,
                       const struct cd_xfer_result *res, int64_t now)
{
    struct cd_doc_stored d;
    struct cd_doc_info di;
    char hash[33];
    int rc;

    *out_reused = 0;
    if(it->kind != ITEM_PAGE)
        return 0;
    if(res->outcome == CD_XFER_NOT_MODIFIED) {
        rc = cd_store_doc_touch(c->store, r->src->id, it->url, now, c->err);
        if(!rc)
            rc = replay(c, r, it, now, &r->rep->stats.not_modified);
        *out_reused = 1;
        return rc;
    }
    rc = cd_store_doc_reusable(&d, c->store, r->src->id, it->url, r->fp,
                               c->err);
    if(rc == CD_ENOTFOUND)
        return 0;
    if(rc)
        return rc;
    cd_hash_hex(hash, cd_buf_str(&x->body), x->body.len);
    if(d.hash && !strcmp(d.hash, hash)) {
        /* the same bytes: new validators, if any, and the kept outputs */
        memset(&di, 0, sizeof(di));
        di.url = it->url;
        di.status = res->status;
        di.etag = res->etag;
        di.last_modified = res->last_modified;
        di.hash = hash;
        di.bytes = (long)x->body.len;
        di.fetched_ms = now;
        r->rep->stats.bytes += (long)x->body.len;
        rc = cd_store_doc_put(c->store, r->src->id, &di, c->err);
        if(!rc)
            rc = replay(c, r, it, now, &r->rep->stats.unchanged);
        *out_reused = 1;
    }
    cd_store_doc_dispose(&d);
    return rc;
}

struct sitemap_ctx {
    struct crawl *c;
    struct run *r;
    const struct item *it;  /* the sitemap */
    int64_t now;
    int fatal;              /* a store error, in c->err */
};

/* Whether the page `url` is unchanged since it was fetched, by its
 * sitemap lastmod, and what it gave is kept for this definition. */
static int lastmod_unchanged(int *out, struct sitemap_ctx *sc,
                             const char *url, int64_t lastmod)
{
    struct cd_doc_stored d;
    int rc;

    *out = 0;
    if(lastmod < 0)
        return 0;
    rc = cd_store_doc_reusable(&d, sc->c->store, sc->r->src->id, url,
                               sc->r->fp, sc->c->err);
    if(rc == CD_ENOTFOUND)
        return 0;
    if(rc)
        return rc;
    *out = d.status >= 200 && d.status < 300 && d.fetched_ms >= lastmod;
    cd_store_doc_dispose(&d);
    return 0;
}

/* One entry of a sitemap: another sitemap to read, or a page to fetch
 * (or to reuse, when its lastmod says it did not change). */
static int on_sitemap_entry(const struct cd_sitemap_entry *e, void *payload)
{
    struct sitemap_ctx *sc = payload;
    struct run *r = sc->r;
    struct cd_run_stats *st = &r->rep->stats;
    struct item page;
    char *u = NULL;
    int rc, added = 0, same = 0;

    rc = cd_url_resolve(&u, item_fetch_url(sc->it), e->loc, NULL);
    if(rc == CD_ENOMEM) {
        cd_error_set(sc->c->err, rc, "%s: out of memory", sc->it->url);
        sc->fatal = 1;
        return 1;
    }
    if(rc || (!e->is_sitemap && !cd_source_url_allowed(r->src, u))) {
        st->pages_skipped++;
        st->skipped_filtered++;
        free(u);
        return 0;
    }
    if(!e->is_sitemap)
        rc = lastmod_unchanged(&same, sc, u, e->lastmod_ms);
    if(!rc)
        rc = frontier_add_kind(&added, sc->c, r, u, e->is_sitemap,
                               sc->it->depth + 1);
    if(!rc && added && same) {
        /* not fetched at all: what it gave last time stands */
        rc = cd_store_frontier_done(sc->c->store, r->id, u, sc->c->err);
        memset(&page, 0, sizeof(page));
        page.url = u;
        page.depth = sc->it->depth + 1;
        page.run = r;
        if(!rc)
            rc = replay(sc->c, r, &page, sc->now, &st->unchanged);
    }
    free(u);
    if(rc) {
        sc->fatal = 1;
        return 1;
    }
    return 0;
}

/* Read a fetched sitemap: its entries go to the frontier. A sitemap that
 * cannot be read fails the run, as a page that cannot be parsed does. */
static int sitemap_read(struct crawl *c, struct run *r, const struct item *it,
                        struct cd_xfer *x, int64_t now)
{
    struct sitemap_ctx sc;
    struct cd_error perr = { 0, "" };
    char what[CD_ERROR_MSG_MAX];
    int rc;

    memset(&sc, 0, sizeof(sc));
    sc.c = c;
    sc.r = r;
    sc.it = it;
    sc.now = now;
    rc = cd_sitemap_parse(cd_buf_str(&x->body), x->body.len,
                          item_fetch_url(it), on_sitemap_entry, &sc, &perr);
    if(sc.fatal)
        return c->err && c->err->code ? c->err->code : CD_ERROR;
    if(rc) {
        r->rep->stats.pages_failed++;
        snprintf(what, sizeof(what), "sitemap: %.480s",
                 perr.msg[0] ? perr.msg : cd_strerror(rc));
        page_failed(r, it->url, 1, what);
        return 0;
    }
    r->rep->stats.sitemaps++;
    return 0;
}

/* A transfer ended with libcurl's result `cc`. */
static int complete(struct crawl *c, struct cd_xfer *x, CURLcode cc)
{
    struct item *it = x->payload;
    struct run *r = it->run;
    struct cd_run_stats *st = &r->rep->stats;
    struct cd_xfer_result res;
    struct cd_doc_info di;
    unsigned tries = (unsigned)it->attempts + 1;
    int64_t now = cd_clock.now_ms(), wait = 0;
    char hash[33];
    char what[320];
    int rc = 0, done = 1, reuse = 0;

    curl_multi_remove_handle(c->multi, x->easy);
    if(it->prev)
        it->prev->next = it->next;
    else
        c->flying = it->next;
    if(it->next)
        it->next->prev = it->prev;
    cd_hosts_end(c->hosts, it->host, cd_clock.mono_ms());
    r->inflight--;
    c->inflight--;
    cd_xfer_result(&res, x, cc);
    if(it->kind == ITEM_ROBOTS) {
        rc = robots_done(c, it, x, &res);
        cd_xfer_result_dispose(&res);
        cd_xfer_free(x);
        item_free(it);
        return rc;
    }

    if(res.outcome == CD_XFER_RETRY && tries < cd_fetch_max_tries(r->src) &&
       retry_wait(&wait, c, r, it, &res)) {
        rc = cd_store_frontier_retry(c->store, r->id, it->url, now + wait,
                                     c->err);
        done = 0;
        goto out;
    }
    if(res.outcome == CD_XFER_OK || res.outcome == CD_XFER_NOT_MODIFIED) {
        rc = incremental(&reuse, c, r, it, x, &res, now);
        if(rc || reuse)
            goto out;
    }
    memset(&di, 0, sizeof(di));
    di.url = it->url;
    di.status = res.status;
    di.etag = res.etag;
    di.last_modified = res.last_modified;
    di.bytes = (long)x->body.len;
    di.fetched_ms = now;
    if(res.outcome == CD_XFER_OK) {
        cd_hash_hex(hash, cd_buf_str(&x->body), x->body.len);
        di.hash = hash;
    }
    rc = cd_store_doc_put(c->store, r->src->id, &di, c->err);
    if(!rc && res.outcome == CD_XFER_OK)
        rc = cd_store_outputs_clear(c->store, r->src->id, it->url, c->err);
    if(rc)
        goto out;
    switch(res.outcome) {
    case CD_XFER_OK:
        st->bytes += (long)x->body.len;
        if(it->kind == ITEM_SITEMAP)
            rc = sitemap_read(c, r, it, x, now);
        else
            rc = parse_page(c, r, it, &res, x, now);
        break;
    case CD_XFER_NOT_MODIFIED:
        break;  /* handled by incremental() */
    case CD_XFER_RETRY:
        st->pages_failed++;
        snprintf(what, sizeof(what), "%s after %u tries", res.why, tries);
        page_failed(r, it->url, 1, what);
        break;
    case CD_XFER_FAILED:
        st->pages_failed++;
        page_failed(r, it->url, it->depth == 0, res.why);
        break;
    case CD_XFER_TOOBIG:
        st->pages_skipped++;
        st->skipped_too_big++;
        if(it->depth == 0)
            page_failed(r, it->url, 1, res.why);
        break;
    }
out:
    if(!rc && done)
        rc = cd_store_frontier_done(c->store, r->id, it->url, c->err);
    cd_xfer_result_dispose(&res);
    cd_xfer_free(x);
    item_free(it);
    progress(c, r, 0);
    return rc;
}

/* Save the counters of every open run (inside the batch of a drain). */
static int save_progress(struct crawl *c)
{
    size_t i;
    int rc = 0;

    for(i = 0; !rc && i < c->nruns; i++)
        if(c->runs[i].active)
            rc = cd_store_run_progress(c->store, c->runs[i].id,
                                       &c->runs[i].rep->stats, c->err);
    return rc;
}

/*
 * Hand the page of a transfer that ended to the workers, to be parsed
 * while the loop goes on (crawler/workers.h): 1 if it went, 0 if the
 * transfer is to be handled now. Only plain pages that complete() will
 * parse go: a 2xx page of a source whose parser may run on threads, no
 * catalogue hint, and not the same bytes as last time (those reuse what
 * they gave).
 */
static int parse_ahead(struct crawl *c, struct cd_xfer *x, CURLcode cc)
{
    struct item *it = x->payload;
    struct run *r = it->run;
    struct cd_xfer_result res;
    struct cd_doc_stored d;
    struct cd_doc doc;
    char *hparser = NULL, *hlicense = NULL;
    char hash[33];
    int same = 0, sent = 0;

    if(cc != CURLE_OK || it->kind != ITEM_PAGE ||
       !cd_workers_can(c->workers, r->src) ||
       cd_hint_read(&hparser, &hlicense, it->url) || hparser)
        goto out;
    if(!cd_store_doc_reusable(&d, c->store, r->src->id, it->url, r->fp,
                              NULL)) {
        cd_hash_hex(hash, cd_buf_str(&x->body), x->body.len);
        same = d.hash && !strcmp(d.hash, hash);
        cd_store_doc_dispose(&d);
    }
    cd_xfer_result(&res, x, cc);
    if(!same && res.outcome == CD_XFER_OK) {
        memset(&doc, 0, sizeof(doc));
        doc.url = res.final_url ? res.final_url : it->url;
        doc.content_type = res.content_type;
        doc.charset = res.charset;
        doc.body = cd_buf_str(&x->body);
        doc.len = x->body.len;
        sent = !cd_workers_submit(c->workers, x, (int)cc, r->src, hlicense,
                                  &doc);
    }
    cd_xfer_result_dispose(&res);
out:
    free(hparser);
    free(hlicense);
    return sent;
}

/* Transfers handled in one drain at most. */
#define DRAIN_MAX 256

/*
 * Handle every transfer that ended, and every page the workers parsed;
 * *n counts them. A page to parse goes to the workers first and is
 * handled when they are done with it.
 */
static int drain(struct crawl *c, int *n)
{
    struct cd_xfer *xs[DRAIN_MAX];
    int cc[DRAIN_MAX];
    CURLMsg *m;
    size_t nx = 0, i;
    int left, rc = 0, batch = 0;

    while(nx < DRAIN_MAX &&
          (m = curl_multi_info_read(c->multi, &left)) != NULL) {
        struct cd_xfer *x = NULL;

        if(m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if(parse_ahead(c, x, m->data.result))
            continue;
        xs[nx] = x;
        cc[nx++] = (int)m->data.result;
    }
    nx += cd_workers_reap(c->workers, (void **)&xs[nx], &cc[nx],
                          DRAIN_MAX - nx);
    for(i = 0; !rc && i < nx; i++) {
        /* One transaction for all the writes of the pages that ended
         * together (document, records, links, frontier): a few fsyncs
         * fewer per page, and a page's effects land whole or not at all. */
        if(!batch) {
            rc = cd_store_batch_begin(c->store, c->err);
            if(rc)
                break;
            batch = 1;
        }
        rc = complete(c, xs[i], (CURLcode)cc[i]);
        (*n)++;
    }
    /* the counters go with the pages, so a killed run resumes them */
    if(batch && !rc)
        rc = save_progress(c);
    if(batch && !rc)
        rc = cd_store_batch_commit(c->store, c->err);
    if(batch && rc)
        cd_store_batch_rollback(c->store);
    return rc;
}

/* ---- judging ----------------------------------------------------------- */

/* Keep the run's profile and ask the guard: *out is CD_RUN_OK, or
 * CD_RUN_SUSPECT with why in msg. */
static int guard(enum cd_run_status *out, struct crawl *c, struct run *r,
                 char *msg, size_t n)
{
    struct cd_run_profile last;
    struct cd_guard_opts o;
    int found = 0, f, rc;

    *out = CD_RUN_OK;
    memset(&o, 0, sizeof(o));
    o.min_ratio = r->src->min_ratio;
    o.has_item = r->src->item != NULL;
    for(f = 0; f < CD_F__COUNT; f++)
        o.selector[f] = r->src->extract[f] != NULL;
    rc = cd_store_run_profile_put(c->store, r->id, &r->profile, c->err);
    if(!rc)
        rc = cd_store_run_last_good(&last, &found, c->store, r->src->id,
                                    r->id, c->err);
    if(!rc && cd_guard_judge(msg, n, &r->profile, found ? &last : NULL, &o))
        *out = CD_RUN_SUSPECT;
    return rc;
}

/* End a run that has nothing left: commit it or say why not. `status` is
 * CD_RUN_OK to judge, or CD_RUN_INTERRUPTED / CD_RUN_FAILED to abandon. */
static int run_end(struct crawl *c, struct run *r, enum cd_run_status status,
                   const char *why)
{
    struct cd_source_report *rep = r->rep;
    struct cd_run_stats *st = &rep->stats;
    struct cd_error e = { 0, "" };
    char msg[CD_ERROR_MSG_MAX];
    long pending = 0, tried;
    int rc;

    r->active = 0;
    while(r->nwin)
        item_free(r->win[--r->nwin]);
    msg[0] = '\0';
    if(why)
        snprintf(msg, sizeof(msg), "%s", why);
    if(status == CD_RUN_OK) {
        /* What is left queued was cut off by max_pages. */
        rc = cd_store_frontier_pending(&pending, c->store, r->id, c->err);
        if(rc)
            return rc;
        st->pages_skipped += pending;
        tried = st->pages_fetched + st->pages_failed;
        status = CD_RUN_FAILED;
        if(r->hard[0])
            snprintf(msg, sizeof(msg), "%s", r->hard);
        else if(st->pages_failed * 2 > tried)
            snprintf(msg, sizeof(msg),
                     "%ld of %ld pages failed; first: %.400s",
                     st->pages_failed, tried, r->first_fail);
        else if(!st->pages_fetched)
            snprintf(msg, sizeof(msg), "no page fetched");
        else {
            rc = guard(&status, c, r, msg, sizeof(msg));
            if(rc)
                return rc;
        }
    }
    rep->duration_ms = cd_clock.mono_ms() - r->t0;
    if(status == CD_RUN_SUSPECT) {
        /* nothing committed; the staged records wait for --accept */
        rep->status = status;
        snprintf(rep->error, sizeof(rep->error), "%s", msg);
        progress(c, r, 1);
        return cd_store_run_suspend(c->store, r->id, msg, st, c->err);
    }
    if(status == CD_RUN_OK) {
        rc = cd_store_run_commit(c->store, r->id, st, &e);
        if(!rc) {
            rep->status = CD_RUN_OK;
            rep->error[0] = '\0';
            /* for the report only: a failure loses the list, not data */
            cd_store_run_unmapped(&rep->unmapped, c->store, r->id, NULL);
            progress(c, r, 1);
            return 0;
        }
        /* The store rolled back: the run failed, the crawl goes on. */
        status = CD_RUN_FAILED;
        snprintf(msg, sizeof(msg), "commit: %.480s", e.msg);
    }
    rep->status = status;
    snprintf(rep->error, sizeof(rep->error), "%s", msg);
    progress(c, r, 1);
    /* an interrupted run keeps its frontier: the next crawl resumes it */
    if(status == CD_RUN_INTERRUPTED)
        return cd_store_run_pause(c->store, r->id, msg, st, c->err);
    return cd_store_run_abandon(c->store, r->id, status, msg, st, c->err);
}

/* Whether a run with nothing in memory has anything left in its frontier;
 * lowers *wait_ms to when a queued retry is due. */
static int run_idle_check(int *out_left, struct crawl *c, struct run *r,
                          int64_t *wait_ms)
{
    long pending = 0;
    int64_t next = -1, now;
    int rc;

    *out_left = 0;
    rc = cd_store_frontier_pending(&pending, c->store, r->id, c->err);
    if(rc || !pending)
        return rc;
    /* URLs queued but not taken: either past max_pages (taken and skipped
     * by fill) or retries waiting for their time. */
    rc = cd_store_frontier_next_time(&next, c->store, r->id, c->err);
    if(rc)
        return rc;
    now = cd_clock.now_ms();
    *out_left = 1;
    if(next > now && next - now < *wait_ms)
        *wait_ms = next - now;
    else if(next <= now)
        *wait_ms = 0;
    return 0;
}

/* ---- the loop ---------------------------------------------------------- */

/* One round: fill windows, start transfers, end runs that are through.
 * *out_active is how many runs are still going. */
static int round_robin(int *out_active, struct crawl *c, int64_t *wait_ms)
{
    size_t i;
    int rc = 0, stop = stopping(c);

    *out_active = 0;
    for(i = 0; !rc && i < c->nruns; i++) {
        struct run *r = &c->runs[i];
        int left = 0, over;

        if(!r->active)
            continue;
        over = run_over_time(r);
        if(!stop && !over) {
            rc = fill(c, r);
            if(!rc)
                rc = schedule(c, r, wait_ms);
            if(rc)
                break;
        }
        if(r->inflight)
            goto going;
        if(stop) {
            rc = run_end(c, r, CD_RUN_INTERRUPTED, "interrupted");
            continue;
        }
        if(over) {
            char why[128];

            snprintf(why, sizeof(why), "max_duration (%lu s) reached; the "
                     "next crawl resumes the run", r->src->max_duration);
            rc = run_end(c, r, CD_RUN_INTERRUPTED, why);
            continue;
        }
        if(r->nwin)
            goto going;
        rc = run_idle_check(&left, c, r, wait_ms);
        if(rc || left)
            goto going;
        rc = run_end(c, r, CD_RUN_OK, NULL);
        continue;
going:
        (*out_active)++;
    }
    return rc;
}

static int loop(struct crawl *c)
{
    int rc = 0, active, running, n;

    for(;;) {
        int64_t wait = POLL_MAX_MS;

        rc = round_robin(&active, c, &wait);
        if(rc || !active)
            break;
        if(!c->inflight) {
            if(wait > 0)
                cd_clock.sleep_ms(wait);
            continue;
        }
        if(curl_multi_perform(c->multi, &running))
            return cd_error_set(c->err, CD_ENET, "libcurl multi failed");
        n = 0;
        rc = drain(c, &n);
        if(rc)
            break;
        /* nothing ended: parse a page the workers have not begun */
        if(!n && cd_workers_help(c->workers))
            continue;
        if(!n && c->inflight &&
           curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL))
            return cd_error_set(c->err, CD_ENET, "libcurl poll failed");
    }
    return rc;
}

/* A worker parsed a page: end the loop's wait (crawler/workers.h). */
static void wake_loop(void *payload)
{
    curl_multi_wakeup(payload);
}

/* After a fatal error: stop every transfer, abandon every open run. */
static void teardown(struct crawl *c)
{
    size_t i;

    cd_workers_clear(c->workers);  /* no parse reads a body we free */
    while(c->flying) {
        struct item *it = c->flying;

        c->flying = it->next;
        curl_multi_remove_handle(c->multi, it->x->easy);
        cd_xfer_free(it->x);
        item_free(it);
    }
    for(i = 0; i < c->nruns; i++) {
        struct run *r = &c->runs[i];

        if(r->active) {
            r->active = 0;
            r->rep->status = CD_RUN_FAILED;
            snprintf(r->rep->error, sizeof(r->rep->error), "%s",
                     c->err && c->err->msg[0] ? c->err->msg
                                              : "crawl stopped");
            cd_store_run_abandon(c->store, r->id, CD_RUN_FAILED,
                                 r->rep->error, &r->rep->stats, NULL);
        }
        while(r->nwin)
            item_free(r->win[--r->nwin]);
    }
}

int cd_crawl_run(struct cd_crawl_report *out, struct cd_store *store,
                 struct cd_source *const *srcs, size_t n,
                 const struct cd_crawl_opts *opts, struct cd_error *err)
{
    struct cd_error local = { 0, "" };
    struct crawl c;
    size_t i;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    out->started_ms = cd_clock.now_ms();
    c.store = store;
    c.opts = opts;
    c.err = err ? err : &local;
    if(curl_global_init(CURL_GLOBAL_DEFAULT))
        return cd_error_set(err, CD_ENET, "cannot start libcurl");
    out->v = calloc(n ? n : 1, sizeof(*out->v));
    c.runs = calloc(n ? n : 1, sizeof(*c.runs));
    c.multi = curl_multi_init();
    /* without helper threads the pages are simply parsed one by one */
    if(c.multi && cd_workers_new(&c.workers, 0, wake_loop, c.multi))
        c.workers = NULL;
    if(!out->v || !c.runs || !c.multi || cd_hosts_new(&c.hosts) ||
       cd_robots_cache_new(&c.robots)) {
        rc = cd_error_set(c.err, CD_ENOMEM, "out of memory");
        goto out;
    }
    out->n = n;
    c.nruns = n;
    for(i = 0; i < n; i++) {
        out->v[i].source_id = strdup(srcs[i]->id ? srcs[i]->id : "");
        out->v[i].status = CD_RUN_RUNNING;
        c.runs[i].src = srcs[i];
        c.runs[i].rep = &out->v[i];
        if(!out->v[i].source_id) {
            rc = cd_error_set(c.err, CD_ENOMEM, "out of memory");
            goto out;
        }
    }
    for(i = 0; i < n && !rc; i++)
        rc = run_begin(&c, &c.runs[i]);
    if(!rc)
        rc = loop(&c);
out:
    if(rc && c.runs && c.multi)
        teardown(&c);
    if(c.progress_open)
        fputc('\n', stderr);
    if(c.runs)
        for(i = 0; i < n; i++) {
            free(c.runs[i].win);
            cd_strlist_dispose(&c.runs[i].named);
            cd_strlist_dispose(&c.runs[i].robots_seen);
        }
    free(c.runs);
    cd_hosts_free(c.hosts);
    cd_workers_free(c.workers);
    cd_robots_cache_free(c.robots);
    if(c.multi)
        curl_multi_cleanup(c.multi);
    curl_global_cleanup();
    out->finished_ms = cd_clock.now_ms();
    return rc;
}

void cd_crawl_report_dispose(struct cd_crawl_report *r)
{
    size_t i;

    if(!r)
        return;
    for(i = 0; i < r->n; i++) {
        free(r->v[i].source_id);
        cd_strlist_dispose(&r->v[i].unmapped);
    }
    CD_FREE(r->v);
    r->n = 0;
}
