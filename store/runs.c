/* SPDX-License-Identifier: MIT */
/*
 * Runs: beginning one, staging its records, and ending it by a commit
 * (the staged records replace the source's, places merge them, in one
 * transaction) or by abandoning it (nothing the export shows changes).
 * A run the sanity guard finds suspect is suspended instead: nothing is
 * committed, its staged records wait for a person to accept them. Also
 * the reports on runs: the last run of each source, how many records a
 * source has, and the profile of its last good run.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/internal.h"

static const char *const status_names[] = {
    [CD_RUN_RUNNING] = "running",
    [CD_RUN_OK] = "ok",
    [CD_RUN_FAILED] = "failed",
    [CD_RUN_INTERRUPTED] = "interrupted",
    [CD_RUN_SUSPECT] = "suspect",
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

/*
 * The removal policy, before the staged records are merged: the records
 * the run found again are dropped (merging adds them anew, with missing =
 * 0); every other record of the source missed one more successful run,
 * and those that missed remove_after runs in a row (the source's setting;
 * 0 counts as 1) are dropped. The places still referred to by a record,
 * of this source or another, stay as they are; cd_store_place_sweep()
 * removes the others. The staged records of the source's suspect runs go
 * too: once this run commits, they can no longer be accepted.
 */
static int records_retire(struct cd_store_commit *c, struct cd_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM records WHERE source_id = ?1 AND key IN"
        " (SELECT key FROM staged WHERE run_id = ?2)",
        "UPDATE records SET missing = missing + 1 WHERE source_id = ?1",
        "DELETE FROM records WHERE source_id = ?1"
        " AND missing >= max(1, coalesce((SELECT remove_after"
        "  FROM sources WHERE id = ?1), 1))",
        "DELETE FROM staged WHERE run_id IN (SELECT id FROM runs"
        " WHERE source_id = ?1 AND status = 'suspect' AND id != ?2)",
    };
    sqlite3_stmt *st = NULL;
    size_t i;
    int rc = 0;

    for(i = 0; !rc && i < CD_ARRAY_SIZE(sql); i++) {
        rc = cd_store_prepare(&st, c->s, sql[i], err);
        if(rc)
            break;
        cd_store_bind_text(st, 1, c->source_id);
        if(sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_int64(st, 2, c->run);
        if(sqlite3_step(st) != SQLITE_DONE)
            rc = cd_store_dberr(c->s, err, "run %lld: retiring old records",
                                (long long)c->run);
        sqlite3_finalize(st);
        st = NULL;
    }
    return rc;
}

/* Keep one staged record as a record of the source, with the notes of
 * its normalising (MAY be NULL). */
static int record_add(struct cd_store_commit *c, sqlite3_stmt *row,
                      const char *place_id, const char *notes,
                      struct cd_error *err)
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
    cd_store_bind_text(st, 7, notes);
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
    char id[17], *notes = NULL;
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
        rc = cd_store_place_merge(id, &notes, c, key, url, data, at, err);
        if(!rc)
            rc = record_add(c, st, id, notes, err);
        CD_FREE(notes);
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
    snprintf(c.run_text, sizeof(c.run_text), "%lld", (long long)run);
    rc = cd_store_version(&c.version, s, err);
    if(!rc)
        rc = cd_store_merge_begin(&c, err);
    if(!rc)
        rc = records_retire(&c, err);
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

/* Drop the frontier of a run, keeping its staged records. */
static int frontier_clear(struct cd_store *s, int64_t run,
                          struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, s, "DELETE FROM frontier WHERE run_id = ?1",
                          err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: clearing up", (long long)run);
    sqlite3_finalize(st);
    return rc;
}

/* Drop the staged records of the source's earlier suspect runs: only the
 * last one can be accepted. */
static int older_suspects_clear(struct cd_store *s, const char *sid,
                                int64_t run, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, s,
                          "DELETE FROM staged WHERE run_id IN (SELECT id"
                          " FROM runs WHERE source_id = ?1"
                          " AND status = 'suspect' AND id < ?2)", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, sid);
    sqlite3_bind_int64(st, 2, run);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "run %lld: dropping older suspect runs",
                            (long long)run);
    sqlite3_finalize(st);
    return rc;
}

int cd_store_run_suspend(struct cd_store *s, int64_t run, const char *why,
                         const struct cd_run_stats *stats,
                         struct cd_error *err)
{
    struct cd_run_stats st;
    char *sid = NULL;
    int rc;

    memset(&st, 0, sizeof(st));
    if(stats)
        st = *stats;
    st.added = st.changed = st.removed = 0;
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = run_check_running(&sid, s, run, err);
    if(!rc)
        rc = frontier_clear(s, run, err);
    if(!rc)
        rc = older_suspects_clear(s, sid, run, err);
    if(!rc)
        rc = run_finish(s, run, "suspect", why, &st, err);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
    if(rc)
        cd_store_rollback(s);
    free(sid);
    return rc;
}

/*
 * The run to accept for source `sid`: its last suspect run, with the
 * stats it was suspended with. CD_ENOTFOUND when there is none since the
 * source's last committed run (an older one would undo that commit).
 */
static int accept_find(int64_t *out, struct cd_run_stats *stats,
                       struct cd_store *s, const char *sid,
                       struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT id, pages_fetched, pages_failed,"
                          " pages_skipped, bytes, records"
                          " FROM runs r WHERE source_id = ?1"
                          " AND status = 'suspect' AND id > coalesce("
                          "  (SELECT max(o.id) FROM runs o"
                          "   WHERE o.source_id = ?1 AND o.status = 'ok'), 0)"
                          " ORDER BY id DESC LIMIT 1", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, sid);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        memset(stats, 0, sizeof(*stats));
        stats->pages_fetched = (long)sqlite3_column_int64(st, 1);
        stats->pages_failed = (long)sqlite3_column_int64(st, 2);
        stats->pages_skipped = (long)sqlite3_column_int64(st, 3);
        stats->bytes = (long)sqlite3_column_int64(st, 4);
        stats->records = (long)sqlite3_column_int64(st, 5);
        rc = 0;
    } else if(rc == SQLITE_DONE) {
        rc = cd_error_set(err, CD_ENOTFOUND,
                          "%s: source '%s' has no suspect run to accept "
                          "since its last committed run", s->path, sid);
    } else {
        rc = cd_store_dberr(s, err, "finding the suspect run of '%s'", sid);
    }
    sqlite3_finalize(st);
    return rc;
}

int cd_store_run_accept(int64_t *out_run, struct cd_store *s,
                        const char *source_id, struct cd_run_stats *stats,
                        struct cd_error *err)
{
    struct cd_run_stats st;
    sqlite3_stmt *up = NULL;
    int64_t run = 0;
    int rc;

    if(out_run)
        *out_run = 0;
    rc = cd_store_begin(s, err);
    if(rc)
        return rc;
    rc = accept_find(&run, &st, s, source_id, err);
    if(rc)
        goto out;
    /* back to running for the commit, inside this transaction only */
    rc = cd_store_prepare(&up, s,
                          "UPDATE runs SET status = 'running' WHERE id = ?1",
                          err);
    if(rc)
        goto out;
    sqlite3_bind_int64(up, 1, run);
    if(sqlite3_step(up) != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "run %lld: accepting it",
                            (long long)run);
        goto out;
    }
    rc = cd_store_run_commit(s, run, &st, err);
    if(!rc)
        rc = cd_store_commit_tx(s, err);
out:
    sqlite3_finalize(up);
    if(rc) {
        cd_store_rollback(s);
        return rc;
    }
    if(out_run)
        *out_run = run;
    if(stats)
        *stats = st;
    return 0;
}

int cd_store_run_profile_put(struct cd_store *s, int64_t run,
                             const struct cd_run_profile *p,
                             struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    json_t *o, *fields;
    char *text = NULL;
    int f, bad, rc;

    fields = json_object();
    o = json_pack("{s:I, s:I, s:O}", "records", (json_int_t)p->records,
                  "items", (json_int_t)p->items, "fields",
                  fields ? fields : json_null());
    bad = !o || !fields;
    for(f = 0; !bad && f < CD_F__COUNT; f++)
        bad = json_object_set_new(fields, cd_field_name((enum cd_field)f),
                                  json_integer(p->fields[f]));
    if(!bad)
        text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(fields);
    json_decref(o);
    if(!text)
        return cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                            (long long)run);
    rc = cd_store_prepare(&st, s, "UPDATE runs SET profile = ?2"
                          " WHERE id = ?1", err);
    if(!rc) {
        sqlite3_bind_int64(st, 1, run);
        cd_store_bind_text(st, 2, text);
        if(sqlite3_step(st) != SQLITE_DONE)
            rc = cd_store_dberr(s, err, "run %lld: keeping its profile",
                                (long long)run);
    }
    sqlite3_finalize(st);
    free(text);
    return rc;
}

/* Fill p from the JSON of cd_store_run_profile_put(); 0 or CD_EINVALID. */
static int profile_parse(struct cd_run_profile *p, const char *text)
{
    json_t *o = json_loads(text, 0, NULL), *fields, *v;
    const char *k;
    enum cd_field f;

    if(!json_is_object(o)) {
        json_decref(o);
        return CD_EINVALID;
    }
    p->records = (long)json_integer_value(json_object_get(o, "records"));
    p->items = (long)json_integer_value(json_object_get(o, "items"));
    fields = json_object_get(o, "fields");
    json_object_foreach(fields, k, v) {
        if(!cd_field_lookup(&f, k))
            p->fields[f] = (long)json_integer_value(v);
    }
    p->has_fields = json_is_object(fields);
    json_decref(o);
    return 0;
}

int cd_store_run_last_good(struct cd_run_profile *out, int *out_found,
                           struct cd_store *s, const char *source_id,
                           int64_t except, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *text;
    int rc;

    memset(out, 0, sizeof(*out));
    *out_found = 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT profile, records FROM runs"
                          " WHERE source_id = ?1 AND status = 'ok'"
                          " AND id != ?2 ORDER BY id DESC LIMIT 1", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    sqlite3_bind_int64(st, 2, except);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        rc = 0;
        *out_found = 1;
        text = (const char *)sqlite3_column_text(st, 0);
        /* a run from before profiles, or a profile we cannot read:
         * its record count is all we know */
        if(!text || profile_parse(out, text)) {
            memset(out, 0, sizeof(*out));
            out->records = (long)sqlite3_column_int64(st, 1);
            out->items = out->records;
        }
    } else if(rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = cd_store_dberr(s, err, "reading the last good run of '%s'",
                            source_id);
    }
    sqlite3_finalize(st);
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
                          " (SELECT count(DISTINCT pr.place_id)"
                          "  FROM place_records pr JOIN places p"
                          "  ON p.id = pr.place_id"
                          "  WHERE pr.source_id = r.source_id"
                          "  AND p.deleted = 0),"
                          " (SELECT count(*) FROM records m"
                          "  WHERE m.source_id = r.source_id"
                          "  AND m.missing > 0)"
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
        ri.missing = (long)sqlite3_column_int64(st, 15);
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
