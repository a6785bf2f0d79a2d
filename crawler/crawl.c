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
 * connection, truncated body) after all its tries, when more than half of
 * its pages failed, or when it found less than half the records the
 * source has now. The rule on server trouble is stricter than "half the
 * pages": a site that dies half-way would otherwise commit half its places
 * and remove the rest. Else the run is committed.
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
#include "crawler/hosts.h"
#include "crawler/url.h"
#include "parsers/parser.h"

#define WINDOW_MAX   64    /* URLs a run holds in memory at most */
#define POLL_MAX_MS  200   /* longest wait, so a stop is seen soon */
#define PROGRESS_MS  200   /* at most one progress line this often */

struct run;

/* A URL taken from a run's frontier: waiting for its host, or in flight. */
struct item {
    char *url;            /* as in the frontier */
    char *host;           /* cd_url_host() of url */
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
    free(it);
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
        rc = cd_store_run_begin(&r->id, c->store, src->id, c->err);
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
        char *u = NULL;
        int added;

        if(cd_url_resolve(&u, NULL, src->start.v[i], &e)) {
            snprintf(r->hard, sizeof(r->hard), "start URL %.480s", e.msg);
            continue;
        }
        rc = cd_store_frontier_add(&added, c->store, r->id, u, 0, c->err);
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
    if(cd_url_host(&it->host, u->url) == CD_ENOMEM)
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

    if(r->nwin == r->winmax)
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
        } else if(!it->attempts) {
            if(max_pages && r->started >= max_pages) {
                r->rep->stats.pages_skipped++;
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
        int64_t now = cd_clock.mono_ms();
        int64_t w = cd_hosts_wait(c->hosts, it->host, src->concurrency, now);
        struct cd_xfer *x = NULL;

        if(w) {
            if(w > 0 && w < *wait_ms)
                *wait_ms = w;
            i++;
            continue;
        }
        rc = cd_xfer_new(&x, it->url, src, c->opts, c->err);
        if(rc)
            return rc;
        x->payload = it;
        if(curl_multi_add_handle(c->multi, x->easy)) {
            cd_xfer_free(x);
            return cd_error_set(c->err, CD_ENET, "%s: cannot start transfer",
                                it->url);
        }
        rc = cd_hosts_start(c->hosts, it->host, src->delay_ms, now);
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
    const char *base;       /* the document's final URL */
    int64_t fetched_ms;
    int fatal;              /* a store error, in c->err */
};

static int on_emit(const struct cd_emit *e, void *payload)
{
    struct emit_ctx *x = payload;
    struct run *r = x->r;
    struct cd_run_stats *st = &r->rep->stats;
    char *s = NULL;
    int rc = 0, added;

    if(e->kind == CD_EMIT_RECORD) {
        rc = cd_record_key(&s, e->record, r->src->item != NULL);
        if(rc)
            rc = cd_error_set(x->c->err, rc, "%s: out of memory", x->base);
        else
            rc = cd_store_run_stage(x->c->store, r->id, s, e->record,
                                    x->fetched_ms, x->c->err);
        if(!rc)
            st->records++;
    } else if(e->kind == CD_EMIT_LINK && e->link) {
        rc = cd_url_resolve(&s, x->base, e->link, NULL);
        if(rc == CD_ENOMEM) {
            rc = cd_error_set(x->c->err, rc, "%s: out of memory", x->base);
        } else if(rc || !cd_source_url_allowed(r->src, s)) {
            st->pages_skipped++;  /* another scheme, junk, or filtered */
            rc = 0;
        } else {
            rc = cd_store_frontier_add(&added, x->c->store, r->id, s,
                                       x->it->depth + 1, x->c->err);
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
    struct cd_error perr = { 0, "" };
    struct emit_ctx ctx;
    struct cd_doc doc;
    struct cd_arena *a = NULL;
    int rc;

    if(!p || !p->parse) {
        r->rep->stats.pages_failed++;
        return 0;  /* run_begin already noted why */
    }
    rc = cd_arena_new(&a);
    if(rc)
        return cd_error_set(c->err, rc, "%s: out of memory", it->url);
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
    ctx.base = doc.url;
    ctx.fetched_ms = fetched_ms;
    rc = p->parse(&doc, r->src, on_emit, &ctx, &perr);
    cd_arena_free(a);
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
    r->rep->stats.pages_fetched++;
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
    int64_t now = cd_clock.now_ms();
    char hash[33];
    char what[320];
    int rc = 0, done = 1;

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

    if(res.outcome == CD_XFER_RETRY && tries < cd_fetch_max_tries(r->src)) {
        rc = cd_store_frontier_retry(c->store, r->id, it->url,
                                     now + cd_fetch_backoff_ms(c->opts,
                                                               (int)tries),
                                     c->err);
        done = 0;
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
    if(rc)
        goto out;
    switch(res.outcome) {
    case CD_XFER_OK:
        st->bytes += (long)x->body.len;
        rc = parse_page(c, r, it, &res, x, now);
        break;
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

/* Handle every transfer that ended; *n counts them. */
static int drain(struct crawl *c, int *n)
{
    CURLMsg *m;
    int left, rc = 0, batch = 0;

    while(!rc && (m = curl_multi_info_read(c->multi, &left)) != NULL) {
        struct cd_xfer *x = NULL;

        if(m->msg != CURLMSG_DONE)
            continue;
        /* One transaction for all the writes of the pages that ended
         * together (document, records, links, frontier): a few fsyncs
         * fewer per page, and a page's effects land whole or not at all. */
        if(!batch) {
            rc = cd_store_batch_begin(c->store, c->err);
            if(rc)
                break;
            batch = 1;
        }
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        rc = complete(c, x, m->data.result);
        (*n)++;
    }
    if(batch && !rc)
        rc = cd_store_batch_commit(c->store, c->err);
    if(batch && rc)
        cd_store_batch_rollback(c->store);
    return rc;
}

/* ---- judging ----------------------------------------------------------- */

/* End a run that has nothing left: commit it or say why not. `status` is
 * CD_RUN_OK to judge, or CD_RUN_INTERRUPTED / CD_RUN_FAILED to abandon. */
static int run_end(struct crawl *c, struct run *r, enum cd_run_status status,
                   const char *why)
{
    struct cd_source_report *rep = r->rep;
    struct cd_run_stats *st = &rep->stats;
    struct cd_error e = { 0, "" };
    char msg[CD_ERROR_MSG_MAX];
    long pending = 0, prev = 0, tried;
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
        rc = cd_store_source_records(&prev, c->store, r->src->id, c->err);
        if(rc)
            return rc;
        status = CD_RUN_FAILED;
        if(r->hard[0])
            snprintf(msg, sizeof(msg), "%s", r->hard);
        else if(st->pages_failed * 2 > tried)
            snprintf(msg, sizeof(msg),
                     "%ld of %ld pages failed; first: %.400s",
                     st->pages_failed, tried, r->first_fail);
        else if(!st->pages_fetched)
            snprintf(msg, sizeof(msg), "no page fetched");
        else if(st->records * 2 < prev)
            snprintf(msg, sizeof(msg),
                     "suspect run: %ld records, the source has %ld now",
                     st->records, prev);
        else
            status = CD_RUN_OK;
    }
    rep->duration_ms = cd_clock.mono_ms() - r->t0;
    if(status == CD_RUN_OK) {
        rc = cd_store_run_commit(c->store, r->id, st, &e);
        if(!rc) {
            rep->status = CD_RUN_OK;
            rep->error[0] = '\0';
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
        int left = 0;

        if(!r->active)
            continue;
        if(!stop) {
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
        if(!n && c->inflight &&
           curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL))
            return cd_error_set(c->err, CD_ENET, "libcurl poll failed");
    }
    return rc;
}

/* After a fatal error: stop every transfer, abandon every open run. */
static void teardown(struct crawl *c)
{
    size_t i;

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
    if(!out->v || !c.runs || !c.multi || cd_hosts_new(&c.hosts)) {
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
        for(i = 0; i < n; i++)
            free(c.runs[i].win);
    free(c.runs);
    cd_hosts_free(c.hosts);
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
    for(i = 0; i < r->n; i++)
        free(r->v[i].source_id);
    CD_FREE(r->v);
    r->n = 0;
}
