/* SPDX-License-Identifier: MIT */
/*
 * Folding a shard's database into this one (`citydir merge`). A crawl can
 * shard by source (`crawl --shard K/N`) across the jobs of a scheduler;
 * each job writes its own database, and the sources of one shard are
 * committed here as if this store had crawled them: the shard's committed
 * records of each source become one run of that source here, which
 * replaces what the source had, merges into places and bumps the version
 * through the ordinary commit (store/runs.c). What a shard kept for
 * conditional GETs and resuming stays in the shard.
 */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/source.h"
#include "core/record.h"
#include "store/internal.h"
#include "store/store.h"

/* An RFC 3339 UTC time ("2026-11-27T13:46:22Z") as ms, 0 when unreadable. */
static int64_t time_ms(const char *t)
{
    struct tm tm;
    const char *end;

    if(!t)
        return 0;
    memset(&tm, 0, sizeof(tm));
    end = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm);
    if(!end)
        return 0;
    return (int64_t)timegm(&tm) * 1000;
}

/* A source of the shard as a definition the store can sync: what the
 * shard's sources table says of it. *out is freed with cd_source_free. */
static int source_from_row(struct cd_source **out, sqlite3_stmt *st)
{
    struct cd_source *src = NULL;
    int rc = cd_source_new(&src, NULL);

    if(rc)
        return rc;
    if(cd_store_column_dup(&src->id, st, 0) ||
       cd_store_column_dup(&src->title, st, 1) ||
       cd_store_column_dup(&src->city, st, 2) ||
       cd_store_column_dup(&src->license, st, 3) ||
       cd_store_column_dup(&src->attribution, st, 4) ||
       cd_store_column_dup(&src->url, st, 5)) {
        cd_source_free(src);
        return CD_ENOMEM;
    }
    src->priority = (unsigned long)sqlite3_column_int64(st, 6);
    src->remove_after = (unsigned long)sqlite3_column_int64(st, 7);
    *out = src;
    return 0;
}

/* Commit the shard's records of one source as a run of this store. */
static int fold_source(struct cd_store *s, struct cd_store *shard,
                       const struct cd_source *src,
                       struct cd_run_stats *stats, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_record rec;
    int64_t run = 0;
    int rc, begun = 0;

    rc = cd_store_source_sync(s, src, err);
    if(!rc)
        rc = cd_store_run_begin(&run, s, src->id, err);
    if(rc)
        return rc;
    begun = 1;
    rc = cd_store_prepare(&st, shard,
                          "SELECT key, url, data, fetched_at FROM records"
                          " WHERE source_id = ?1 AND missing = 0"
                          " ORDER BY key", err);
    if(rc)
        goto out;
    cd_store_bind_text(st, 1, src->id);
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        const char *url = (const char *)sqlite3_column_text(st, 1);
        const char *data = (const char *)sqlite3_column_text(st, 2);
        const char *at = (const char *)sqlite3_column_text(st, 3);

        if(!key || !data ||
           cd_record_from_json(&rec, data, url) != 0) {
            rc = cd_error_set(err, CD_EINVALID,
                              "%s: source %s: a record that is not a "
                              "record's JSON (key %s)", shard->path,
                              src->id, key ? key : "(none)");
            goto out;
        }
        rc = cd_store_run_stage(s, run, key, &rec, time_ms(at), err);
        cd_record_dispose(&rec);
        if(rc)
            goto out;
        stats->records++;
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(shard, err, "reading the records of %s",
                            src->id);
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = cd_store_run_commit(s, run, stats, err);
    begun = rc != 0;
out:
    sqlite3_finalize(st);
    if(rc && begun)
        cd_store_run_abandon(s, run, CD_RUN_FAILED, err ? err->msg : NULL,
                             stats, NULL);
    return rc;
}

int cd_store_fold_shard(struct cd_store *s, const char *shard_path,
                        cd_fold_fn *cb, void *payload, struct cd_error *err)
{
    struct cd_store *shard = NULL;
    struct cd_source *src = NULL;
    struct cd_run_stats stats;
    sqlite3_stmt *st = NULL;
    char *a, *b;
    int rc, same;

    rc = cd_store_open(&shard, shard_path, CD_STORE_READONLY, err);
    if(rc)
        return rc;
    a = realpath(shard_path, NULL);
    b = realpath(s->path, NULL);
    same = a && b && !strcmp(a, b);
    free(a);
    free(b);
    if(same) {
        rc = cd_error_set(err, CD_EINVALID, "%s: cannot merge a database "
                          "into itself", shard_path);
        goto out;
    }
    /* the sources whose last run there committed */
    rc = cd_store_prepare(&st, shard,
                          "SELECT id, title, city, license, attribution,"
                          " url, priority, remove_after FROM sources so"
                          " WHERE (SELECT status FROM runs r"
                          "  WHERE r.source_id = so.id AND r.status != "
                          "  'running' ORDER BY r.id DESC LIMIT 1) = 'ok'"
                          " ORDER BY id", err);
    if(rc)
        goto out;
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = source_from_row(&src, st);
        if(rc) {
            rc = cd_error_set(err, rc, "%s: out of memory", shard_path);
            goto out;
        }
        memset(&stats, 0, sizeof(stats));
        rc = fold_source(s, shard, src, &stats, err);
        if(!rc && cb && cb(src->id, &stats, payload))
            rc = cd_error_set(err, CD_EUSER, "%s: stopped", shard_path);
        cd_source_free(src);
        src = NULL;
        if(rc)
            goto out;
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(shard, err, "reading its sources");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    cd_store_close(shard);
    return rc;
}
