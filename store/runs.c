/* SPDX-License-Identifier: MIT */
/*
 * Runs: beginning one, staging its records, and ending it by a commit
 * (the staged records replace the source's, places merge them, in one
 * transaction) or by abandoning it (nothing the export shows changes).
 * Also the reports on runs: the last run of each source, and how many
 * records a source has.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/internal.h"

static const char *const status_names[] = {
    [CD_RUN_RUNNING] = "running",
    [CD_RUN_OK] = "ok",
    [CD_RUN_FAILED] = "failed",
    [CD_RUN_INTERRUPTED] = "interrupted",
};

const char *cd_run_status_name(enum cd_run_status st)
{
    if((int)st < 0 || (size_t)st >= CD_ARRAY_SIZE(status_names))
        return "unknown";
    return status_names[st];
}

int cd_store_run_begin(int64_t *out, struct cd_store *s,
                       const char *source_id, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc;

    *out = 0;
    cd_store_now(now);
    rc = cd_store_prepare(&st, s,
                          "INSERT OR IGNORE INTO sources(id, updated_at)"
                          " VALUES (?1, ?2)", err);
    if(rc)
        goto out;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, now);
    if(sqlite3_step(st) != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "recording source '%s'", source_id);
        goto out;
    }
    sqlite3_finalize(st);
    rc = cd_store_prepare(&st, s,
                          "INSERT INTO runs(source_id, status, started_at)"
                          " VALUES (?1, 'running', ?2)", err);
    if(rc)
        goto out;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, now);
    if(sqlite3_step(st) != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "beginning a run of '%s'", source_id);
        goto out;
    }
    *out = sqlite3_last_insert_rowid(s->db);
out:
    sqlite3_finalize(st);
    return rc;
}

int cd_store_run_stage(struct cd_store *s, int64_t run, const char *key,
                       const struct cd_record *rec, int64_t fetched_ms,
                       struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char *json = NULL;
    char at[32];
    int rc;

    rc = cd_record_to_json(&json, rec);
    if(rc) {
        cd_error_set(err, rc, "run %lld: record '%s': out of memory",
                     (long long)run, key);
        goto out;
    }
    cd_time_format(at, fetched_ms);
    rc = cd_store_stmt(&st, s, CD_ST_STAGE, err);
    if(rc)
        goto out;
    sqlite3_bind_int64(st, 1, run);
    cd_store_bind_text(st, 2, key);
    cd_store_bind_text(st, 3, rec->url);
    cd_store_bind_text(st, 4, json);
    cd_store_bind_text(st, 5, at);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: staging record '%s'",
                            (long long)run, key);
out:
    cd_store_stmt_done(st);
    free(json);
    return rc;
}

/*
 * The run's source id and status, both malloc'd for the caller.
 * CD_ENOTFOUND when there is no such run.
 */
static int run_lookup(char **sid, char **status, struct cd_store *s,
                      int64_t run, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *sid = NULL;
    *status = NULL;
    rc = cd_store_prepare(&st, s,
                          "SELECT source_id, status FROM runs WHERE id = ?1",
                          err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        rc = cd_store_column_dup(sid, st, 0);
        if(!rc)
            rc = cd_store_column_dup(status, st, 1);
        if(rc)
            cd_error_set(err, rc, "run %lld: out of memory", (long long)run);
    } else if(rc == SQLITE_DONE) {
        rc = cd_error_set(err, CD_ENOTFOUND, "%s: no run %lld", s->path,
                          (long long)run);
    } else {
        rc = cd_store_dberr(s, err, "looking up run %lld", (long long)run);
    }
    sqlite3_finalize(st);
    if(rc) {
        CD_FREE(*sid);
        CD_FREE(*status);
    }
    return rc;
}

/* Look the run up and insist it is running. */
static int run_check_running(char **sid, struct cd_store *s, int64_t run,
                             struct cd_error *err)
{
    char *status = NULL;
    int rc;

    rc = run_lookup(sid, &status, s, run, err);
    if(rc)
        return rc;
    if(strcmp(status, "running")) {
        rc = cd_error_set(err, CD_EINVALID, "%s: run %lld is %s, not running",
                          s->path, (long long)run, status);
        CD_FREE(*sid);
    }
    free(status);
    return rc;
}

/* Delete what a run leaves behind: its staged records and its frontier. */
static int run_clear(struct cd_store *s, int64_t run, struct cd_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM staged WHERE run_id = ?1",
        "DELETE FROM frontier WHERE run_id = ?1",
    };
    sqlite3_stmt *st = NULL;
    size_t i;
    int rc = 0;

    for(i = 0; !rc && i < CD_ARRAY_SIZE(sql); i++) {
        rc = cd_store_prepare(&st, s, sql[i], err);
        if(rc)
            break;
        sqlite3_bind_int64(st, 1, run);
        if(sqlite3_step(st) != SQLITE_DONE)
            rc = cd_store_dberr(s, err, "run %lld: clearing up",
                                (long long)run);
        sqlite3_finalize(st);
        st = NULL;
    }
    return rc;
}

/* Mark a run finished with a status, an error text and stats. */
static int run_finish(struct cd_store *s, int64_t run, const char *status,
                      const char *why, const struct cd_run_stats *stats,
                      struct cd_error *err)
{
    static const struct cd_run_stats zero;
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc;

    if(!stats)
        stats = &zero;
    rc = cd_store_prepare(&st, s,
                          "UPDATE runs SET status = ?2, finished_at = ?3,"
                          " error = ?4, pages_fetched = ?5,"
                          " pages_failed = ?6, pages_skipped = ?7,"
                          " bytes = ?8, records = ?9, added = ?10,"
                          " changed = ?11, removed = ?12 WHERE id = ?1",
                          err);
    if(rc)
        return rc;
    cd_store_now(now);
    sqlite3_bind_int64(st, 1, run);
    cd_store_bind_text(st, 2, status);
    cd_store_bind_text(st, 3, now);
    cd_store_bind_text(st, 4, why);
    sqlite3_bind_int64(st, 5, stats->pages_fetched);
    sqlite3_bind_int64(st, 6, stats->pages_failed);
    sqlite3_bind_int64(st, 7, stats->pages_skipped);
    sqlite3_bind_int64(st, 8, stats->bytes);
    sqlite3_bind_int64(st, 9, stats->records);
    sqlite3_bind_int64(st, 10, stats->added);
    sqlite3_bind_int64(st, 11, stats->changed);
    sqlite3_bind_int64(st, 12, stats->removed);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: marking it %s",
                            (long long)run, status);
    sqlite3_finalize(st);
    return rc;
}

/* The source's records are replaced: drop the old ones. */
static int records_clear(struct cd_store_commit *c, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "DELETE FROM records WHERE source_id = ?1", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, c->source_id);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: dropping old records",
                            (long long)c->run);
    sqlite3_finalize(st);
    return rc;
}

/* Keep one staged record as a record of the source. */
static int record_add(struct cd_store_commit *c, sqlite3_stmt *row,
                      const char *place_id, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, c->s, CD_ST_RECORD_ADD, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, c->source_id);
    sqlite3_bind_value(st, 2, sqlite3_column_value(row, 0));
    sqlite3_bind_value(st, 3, sqlite3_column_value(row, 1));
    sqlite3_bind_value(st, 4, sqlite3_column_value(row, 2));
    sqlite3_bind_value(st, 5, sqlite3_column_value(row, 3));
    cd_store_bind_text(st, 6, place_id);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: keeping record '%s'",
                            (long long)c->run,
                            (const char *)sqlite3_column_text(row, 0));
    cd_store_stmt_done(st);
    return rc;
}

/* Merge every staged record of the run, in key order. */
static int merge_staged(struct cd_store_commit *c, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char id[17];
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "SELECT key, url, data, fetched_at FROM staged"
                          " WHERE run_id = ?1 ORDER BY key", err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->run);
    for(;;) {
        const char *key, *url, *data, *at;

        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        key = (const char *)sqlite3_column_text(st, 0);
        url = (const char *)sqlite3_column_text(st, 1);
        data = (const char *)sqlite3_column_text(st, 2);
        at = (const char *)sqlite3_column_text(st, 3);
        if(!key || !data) {
            rc = cd_error_set(err, CD_EINVALID,
                              "%s: run %lld: a staged record has no key "
                              "or no data", c->s->path, (long long)c->run);
            goto out;
        }
        rc = cd_store_place_merge(id, c, key, url, data, at, err);
        if(!rc)
            rc = record_add(c, st, id, err);
        if(rc)
            goto out;
        c->stats->records++;
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(c->s, err, "run %lld: reading staged records",
                            (long long)c->run);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

/* Write the version counter back. */
static int version_store(struct cd_store_commit *c, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "UPDATE meta SET value = ?1 WHERE key = 'version'",
                          err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->version);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: storing version %lld",
                            (long long)c->run, (long long)c->version);
    sqlite3_finalize(st);
    return rc;
}

int cd_store_run_commit(struct cd_store *s, int64_t run,
                        struct cd_run_stats *stats, struct cd_error *err)
{
    struct cd_store_commit c;
    struct cd_run_stats mine, local;
    char *sid = NULL;
    int rc;

    /* counts go to a copy, so a failed commit leaves *stats as it was */
    memset(&mine, 0, sizeof(mine));
    local = stats ? *stats : mine;
    local.added = local.changed = local.removed = local.records = 0;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.run = run;
    c.stats = &local;
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = run_check_running(&sid, s, run, err);
    if(rc)
        goto out;
    c.source_id = sid;
    cd_store_now(c.now);
    rc = cd_store_version(&c.version, s, err);
    if(!rc)
        rc = records_clear(&c, err);
    if(!rc)
        rc = merge_staged(&c, err);
    if(!rc)
        rc = cd_store_place_sweep(&c, err);
    if(!rc)
        rc = version_store(&c, err);
    if(!rc)
        rc = run_clear(s, run, err);
    if(!rc)
        rc = run_finish(s, run, "ok", NULL, &local, err);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
out:
    if(rc)
        cd_store_rollback(s);
    else if(stats)
        *stats = local;
    free(sid);
    return rc;
}

int cd_store_run_abandon(struct cd_store *s, int64_t run,
                         enum cd_run_status status, const char *why,
                         const struct cd_run_stats *stats,
                         struct cd_error *err)
{
    struct cd_run_stats st;
    char *sid = NULL;
    int rc;

    if(status != CD_RUN_FAILED && status != CD_RUN_INTERRUPTED)
        return cd_error_set(err, CD_EINVALID,
                            "run %lld: abandoning with status %s",
                            (long long)run, cd_run_status_name(status));
    /* nothing was merged: a run that is abandoned added nothing */
    memset(&st, 0, sizeof(st));
    if(stats)
        st = *stats;
    st.added = st.changed = st.removed = 0;
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = run_check_running(&sid, s, run, err);
    if(!rc)
        rc = run_clear(s, run, err);
    if(!rc)
        rc = run_finish(s, run, cd_run_status_name(status), why, &st, err);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
    if(rc)
        cd_store_rollback(s);
    free(sid);
    return rc;
}

int cd_store_source_records(long *out, struct cd_store *s,
                            const char *source_id, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT count(*) FROM records WHERE source_id = ?1",
                          err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    if(sqlite3_step(st) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    else
        rc = cd_store_dberr(s, err, "counting records of '%s'", source_id);
    sqlite3_finalize(st);
    return rc;
}

int cd_store_last_runs(struct cd_store *s, cd_run_info_fn *cb, void *payload,
                       struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_run_info ri;
    int rc;

    rc = cd_store_prepare(&st, s,
                          "SELECT r.source_id, r.id, r.status, r.started_at,"
                          " r.finished_at, r.error, r.pages_fetched,"
                          " r.pages_failed, r.pages_skipped, r.bytes,"
                          " r.records, r.added, r.changed, r.removed,"
                          " (SELECT count(*) FROM places p"
                          "  WHERE p.source_id = r.source_id"
                          "  AND p.deleted = 0)"
                          " FROM runs r WHERE r.id ="
                          " (SELECT max(id) FROM runs WHERE"
                          "  source_id = r.source_id)"
                          " ORDER BY r.source_id", err);
    if(rc)
        return rc;
    for(;;) {
        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        memset(&ri, 0, sizeof(ri));
        ri.source_id = (const char *)sqlite3_column_text(st, 0);
        ri.run = sqlite3_column_int64(st, 1);
        ri.status = (const char *)sqlite3_column_text(st, 2);
        ri.started_at = (const char *)sqlite3_column_text(st, 3);
        ri.finished_at = (const char *)sqlite3_column_text(st, 4);
        ri.error = (const char *)sqlite3_column_text(st, 5);
        ri.stats.pages_fetched = (long)sqlite3_column_int64(st, 6);
        ri.stats.pages_failed = (long)sqlite3_column_int64(st, 7);
        ri.stats.pages_skipped = (long)sqlite3_column_int64(st, 8);
        ri.stats.bytes = (long)sqlite3_column_int64(st, 9);
        ri.stats.records = (long)sqlite3_column_int64(st, 10);
        ri.stats.added = (long)sqlite3_column_int64(st, 11);
        ri.stats.changed = (long)sqlite3_column_int64(st, 12);
        ri.stats.removed = (long)sqlite3_column_int64(st, 13);
        ri.places = (long)sqlite3_column_int64(st, 14);
        if(cb(&ri, payload)) {
            rc = CD_EUSER;
            if(err && !err->code)
                cd_error_set(err, CD_EUSER, "stopped by the callback");
            goto out;
        }
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "reading the last runs");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}
