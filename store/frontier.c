/* SPDX-License-Identifier: MIT */
/*
 * The frontier of a run: every URL the run has seen (the seen-set), and
 * the state of each (queued, active = in flight, done). It lives in SQLite,
 * so memory stays flat however large a site is. Queue order is insertion
 * order (rowid); a retry waits until its not_before time (ms since the
 * epoch). A run's rows are deleted when it commits or is abandoned.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/internal.h"

/* Longest host[:port] kept; longer ones are cut (DNS allows 253). */
#define HOST_MAX 300

/*
 * The lower-cased host[:port] of an absolute URL into out, or "" when the
 * URL has no "//" authority.
 */
static void url_host(char out[HOST_MAX], const char *url)
{
    const char *p = strstr(url, "://"), *end, *at;
    size_t n, i;

    out[0] = '\0';
    if(!p)
        return;
    p += 3;
    end = p + strcspn(p, "/?#");
    at = memchr(p, '@', (size_t)(end - p));
    if(at)
        p = at + 1;
    n = (size_t)(end - p);
    if(n >= HOST_MAX)
        n = HOST_MAX - 1;
    for(i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)p[i]);
    out[n] = '\0';
}

int cd_store_frontier_add(int *out_added, struct cd_store *s, int64_t run,
                          const char *url, int depth, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char host[HOST_MAX];
    int rc;

    *out_added = 0;
    url_host(host, url);
    rc = cd_store_stmt(&st, s, CD_ST_FRONTIER_ADD, err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    cd_store_bind_text(st, 2, url);
    cd_store_bind_text(st, 3, host[0] ? host : NULL);
    sqlite3_bind_int(st, 4, depth);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: adding %s to the frontier",
                            (long long)run, url);
    else
        *out_added = sqlite3_changes(s->db) > 0;
    cd_store_stmt_done(st);
    return rc;
}

/* URLs taken in one call, held until the callbacks have run. */
struct taken {
    struct cd_strlist urls;
    int64_t *rowid;
    int *depth;
    int *attempts;
};

static void taken_dispose(struct taken *t)
{
    cd_strlist_dispose(&t->urls);
    CD_FREE(t->rowid);
    CD_FREE(t->depth);
    CD_FREE(t->attempts);
}

/* Select up to max ready URLs into t. */
static int select_ready(struct taken *t, struct cd_store *s, int64_t run,
                        size_t max, int64_t now_ms, struct cd_error *err)
{
    sqlite3_stmt *sel = NULL;
    size_t i;
    int rc;

    t->rowid = calloc(max, sizeof(*t->rowid));
    t->depth = calloc(max, sizeof(*t->depth));
    t->attempts = calloc(max, sizeof(*t->attempts));
    if(!t->rowid || !t->depth || !t->attempts)
        return cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                            (long long)run);
    rc = cd_store_stmt(&sel, s, CD_ST_FRONTIER_SELECT, err);
    if(rc)
        return rc;
    sqlite3_bind_int64(sel, 1, run);
    sqlite3_bind_int64(sel, 2, now_ms);
    sqlite3_bind_int64(sel, 3, (sqlite3_int64)max);
    for(;;) {
        const char *url;

        rc = sqlite3_step(sel);
        if(rc != SQLITE_ROW || t->urls.n == max)
            break;
        url = (const char *)sqlite3_column_text(sel, 1);
        if(!url || cd_strlist_add(&t->urls, url, strlen(url))) {
            rc = cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                              (long long)run);
            goto out;
        }
        i = t->urls.n - 1;
        t->rowid[i] = sqlite3_column_int64(sel, 0);
        t->depth[i] = sqlite3_column_int(sel, 2);
        t->attempts[i] = sqlite3_column_int(sel, 3);
    }
    if(rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = cd_store_dberr(s, err, "run %lld: reading the frontier",
                            (long long)run);
        goto out;
    }
    rc = 0;
out:
    cd_store_stmt_done(sel);
    return rc;
}

/*
 * Select up to max ready URLs and mark them active, inside the caller's
 * transaction; their details go to t. The rows are updated after the
 * select has finished, never while it walks them.
 */
static int take_rows(struct taken *t, struct cd_store *s, int64_t run,
                     size_t max, int64_t now_ms, struct cd_error *err)
{
    sqlite3_stmt *upd = NULL;
    size_t i;
    int rc;

    rc = select_ready(t, s, run, max, now_ms, err);
    if(!rc)
        rc = cd_store_stmt(&upd, s, CD_ST_FRONTIER_ACTIVE, err);
    for(i = 0; !rc && i < t->urls.n; i++) {
        sqlite3_reset(upd);
        sqlite3_bind_int64(upd, 1, t->rowid[i]);
        if(sqlite3_step(upd) != SQLITE_DONE)
            rc = cd_store_dberr(s, err, "run %lld: marking %s in flight",
                                (long long)run, t->urls.v[i]);
    }
    cd_store_stmt_done(upd);
    return rc;
}

int cd_store_frontier_take(size_t *out_n, struct cd_store *s, int64_t run,
                           size_t max, int64_t now_ms, cd_frontier_fn *cb,
                           void *payload, struct cd_error *err)
{
    struct taken t;
    struct cd_frontier_url u;
    size_t i;
    int rc;

    *out_n = 0;
    memset(&t, 0, sizeof(t));
    if(!max)
        return 0;
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = take_rows(&t, s, run, max, now_ms, err);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
    if(rc) {
        cd_store_rollback(s);
        goto out;
    }
    /* the callbacks run with no statement open, so they may use the store */
    *out_n = t.urls.n;
    for(i = 0; i < t.urls.n; i++) {
        u.url = t.urls.v[i];
        u.depth = t.depth[i];
        u.attempts = t.attempts[i];
        if(cb && cb(&u, payload)) {
            rc = CD_EUSER;
            if(err && !err->code)
                cd_error_set(err, CD_EUSER, "stopped by the callback");
            break;
        }
    }
out:
    taken_dispose(&t);
    return rc;
}

/* Run one of the cached updates keyed by (run, url). */
static int update_url(struct cd_store *s, enum cd_store_st id, int64_t run,
                      const char *url, int64_t when, const char *what,
                      struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, s, id, err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    cd_store_bind_text(st, 2, url);
    if(id == CD_ST_FRONTIER_RETRY)
        sqlite3_bind_int64(st, 3, when);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: %s %s", (long long)run, what,
                            url);
    else if(sqlite3_changes(s->db) == 0)
        rc = cd_error_set(err, CD_ENOTFOUND,
                          "run %lld: %s not in the frontier", (long long)run,
                          url);
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_frontier_done(struct cd_store *s, int64_t run, const char *url,
                           struct cd_error *err)
{
    return update_url(s, CD_ST_FRONTIER_DONE, run, url, 0, "marking done",
                      err);
}

int cd_store_frontier_retry(struct cd_store *s, int64_t run, const char *url,
                            int64_t not_before_ms, struct cd_error *err)
{
    return update_url(s, CD_ST_FRONTIER_RETRY, run, url, not_before_ms,
                      "queueing again", err);
}

/* One number from a cached query of a run's frontier; NULL gives dflt. */
static int frontier_number(int64_t *out, struct cd_store *s,
                           enum cd_store_st id, int64_t run, int64_t dflt,
                           struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = dflt;
    rc = cd_store_stmt(&st, s, id, err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if(sqlite3_step(st) != SQLITE_ROW)
        rc = cd_store_dberr(s, err, "run %lld: reading the frontier",
                            (long long)run);
    else if(sqlite3_column_type(st, 0) != SQLITE_NULL)
        *out = sqlite3_column_int64(st, 0);
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_frontier_pending(long *out, struct cd_store *s, int64_t run,
                              struct cd_error *err)
{
    int64_t n;
    int rc;

    rc = frontier_number(&n, s, CD_ST_FRONTIER_PENDING, run, 0, err);
    *out = (long)n;
    return rc;
}

int cd_store_frontier_next_time(int64_t *out, struct cd_store *s, int64_t run,
                                struct cd_error *err)
{
    return frontier_number(out, s, CD_ST_FRONTIER_NEXT, run, -1, err);
}

int cd_store_frontier_reset_active(long *out_n, struct cd_store *s,
                                   int64_t run, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if(out_n)
        *out_n = 0;
    rc = cd_store_prepare(&st, s,
                          "UPDATE frontier SET state = 'queued'"
                          " WHERE run_id = ?1 AND state = 'active'", err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: queueing in-flight URLs again",
                            (long long)run);
    else if(out_n)
        *out_n = sqlite3_changes(s->db);
    sqlite3_finalize(st);
    return rc;
}
