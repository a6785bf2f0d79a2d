/* SPDX-License-Identifier: MIT */
/*
 * The store's front door: opening a database (checking that it is SQLite
 * and citydir's, then migrating it), closing it, the table of cached
 * statements and the helpers every file of store/ uses for errors and
 * transactions, the store-wide version counter, and the sources table.
 *
 * A database is SQLite in WAL mode with synchronous=NORMAL (a crash loses
 * at most the last commits, never consistency), foreign keys on, and a busy
 * timeout so that two processes on one file wait instead of failing.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/source.h"
#include "core/util.h"
#include "store/internal.h"

/* The SQL of the cached statements, by enum cd_store_st. */
static const char *const stmt_sql[CD_ST__COUNT] = {
    [CD_ST_STAGE] =
        "INSERT OR REPLACE INTO staged(run_id, key, url, data, fetched_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [CD_ST_FRONTIER_ADD] =
        "INSERT OR IGNORE INTO frontier(run_id, url, host, depth)"
        " VALUES (?1, ?2, ?3, ?4)",
    [CD_ST_FRONTIER_SELECT] =
        "SELECT rowid, url, depth, attempts FROM frontier"
        " WHERE run_id = ?1 AND state = 'queued' AND not_before <= ?2"
        " ORDER BY rowid LIMIT ?3",
    [CD_ST_FRONTIER_ACTIVE] =
        "UPDATE frontier SET state = 'active' WHERE rowid = ?1",
    [CD_ST_FRONTIER_DONE] =
        "UPDATE frontier SET state = 'done' WHERE run_id = ?1 AND url = ?2",
    [CD_ST_FRONTIER_RETRY] =
        "UPDATE frontier SET state = 'queued', attempts = attempts + 1,"
        " not_before = ?3 WHERE run_id = ?1 AND url = ?2",
    [CD_ST_FRONTIER_PENDING] =
        "SELECT count(*) FROM frontier WHERE run_id = ?1"
        " AND state = 'queued'",
    [CD_ST_FRONTIER_NEXT] =
        "SELECT min(not_before) FROM frontier WHERE run_id = ?1"
        " AND state = 'queued'",
    [CD_ST_DOC_PUT] =
        "INSERT INTO documents(source_id, url, status, etag, last_modified,"
        " content_hash, bytes, fetched_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT(source_id, url) DO UPDATE SET"
        " status = excluded.status, etag = excluded.etag,"
        " last_modified = excluded.last_modified,"
        " content_hash = excluded.content_hash, bytes = excluded.bytes,"
        " fetched_at = excluded.fetched_at",
    [CD_ST_DOC_GET] =
        "SELECT url, status, etag, last_modified, content_hash, bytes,"
        " CAST(strftime('%s', fetched_at) AS INTEGER) FROM documents"
        " WHERE source_id = ?1 AND url = ?2",
    [CD_ST_PLACE_STATE] =
        "SELECT hash, deleted FROM places WHERE id = ?1",
    [CD_ST_PLACE_UPSERT] =
        "INSERT INTO places(id, source_id, key, name, street, housenumber,"
        " postcode, city, lat, lon, phone, email, website, opening_hours,"
        " opening_hours_text, delivery, pickup, online_shop, wheelchair,"
        " description, categories, source_categories, sources, first_seen,"
        " updated_at, version, deleted, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24, ?25,"
        " 0, ?26)"
        " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
        " street = excluded.street, housenumber = excluded.housenumber,"
        " postcode = excluded.postcode, city = excluded.city,"
        " lat = excluded.lat, lon = excluded.lon, phone = excluded.phone,"
        " email = excluded.email, website = excluded.website,"
        " opening_hours = excluded.opening_hours,"
        " opening_hours_text = excluded.opening_hours_text,"
        " delivery = excluded.delivery, pickup = excluded.pickup,"
        " online_shop = excluded.online_shop,"
        " wheelchair = excluded.wheelchair,"
        " description = excluded.description,"
        " categories = excluded.categories,"
        " source_categories = excluded.source_categories,"
        " sources = excluded.sources, updated_at = excluded.updated_at,"
        " version = excluded.version, deleted = 0, hash = excluded.hash",
    [CD_ST_PLACE_SOURCES] =
        "UPDATE places SET sources = ?2 WHERE id = ?1",
    [CD_ST_PLACE_REMOVE] =
        "UPDATE places SET deleted = 1, version = ?2, updated_at = ?3"
        " WHERE id = ?1",
    [CD_ST_CHANGE_ADD] =
        "INSERT INTO changes(version, place_id, kind, source_id, run_id, at,"
        " fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [CD_ST_RECORD_ADD] =
        "INSERT INTO records(source_id, key, url, data, fetched_at,"
        " place_id, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [CD_ST_OUTPUT_ADD] =
        "INSERT OR REPLACE INTO doc_outputs(source_id, url, seq, kind, key,"
        " rec_url, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [CD_ST_OUTPUTS_DROP] =
        "DELETE FROM doc_outputs WHERE source_id = ?1 AND url = ?2",
    [CD_ST_OUTPUTS_OF] =
        "UPDATE documents SET outputs_of = ?3"
        " WHERE source_id = ?1 AND url = ?2",
    [CD_ST_DOC_REUSABLE] =
        "SELECT url, status, etag, last_modified, content_hash, bytes,"
        " CAST(strftime('%s', fetched_at) AS INTEGER) FROM documents"
        " WHERE source_id = ?1 AND url = ?2 AND outputs_of = ?3",
};

int cd_store_dberr(struct cd_store *s, struct cd_error *err, const char *fmt,
                   ...)
{
    char what[256];
    va_list ap;
    int code, rc = sqlite3_errcode(s->db);

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if(rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        code = CD_EBUSY;
    else if(rc == SQLITE_NOMEM)
        code = CD_ENOMEM;
    else
        code = CD_EIO;
    return cd_error_set(err, code, "%s: %s: %s", s->path, what,
                        sqlite3_errmsg(s->db));
}

int cd_store_stmt(sqlite3_stmt **out, struct cd_store *s, enum cd_store_st id,
                  struct cd_error *err)
{
    sqlite3_stmt *st = s->st[id];
    int rc;

    *out = NULL;
    if(!st) {
        rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
                                SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if(rc != SQLITE_OK)
            return cd_store_dberr(s, err, "preparing statement %d", (int)id);
        s->st[id] = st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    *out = st;
    return 0;
}

void cd_store_stmt_done(sqlite3_stmt *st)
{
    if(!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int cd_store_prepare(sqlite3_stmt **out, struct cd_store *s, const char *sql,
                     struct cd_error *err)
{
    *out = NULL;
    if(cd_store_cache_prepare(out, s->db, sql) != SQLITE_OK)
        return cd_store_dberr(s, err, "preparing \"%.60s\"", sql);
    return 0;
}

int cd_store_bind_text(sqlite3_stmt *st, int i, const char *str)
{
    if(!str)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, str, -1, SQLITE_STATIC);
}

int cd_store_exec(struct cd_store *s, const char *sql, struct cd_error *err)
{
    if(sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return cd_store_dberr(s, err, "\"%.60s\"", sql);
    return 0;
}

/*
 * Transactions nest: the outermost is BEGIN IMMEDIATE (the write lock is
 * taken at once, so a commit never fails halfway for want of it), inner
 * ones are savepoints named after their depth. A batch of the caller
 * (cd_store_batch_begin()) is simply an outer level.
 */
int cd_store_begin(struct cd_store *s, struct cd_error *err)
{
    char sql[48];
    int rc;

    if(s->depth == 0)
        rc = cd_store_exec(s, "BEGIN IMMEDIATE", err);
    else {
        snprintf(sql, sizeof(sql), "SAVEPOINT cd_%d", s->depth);
        rc = cd_store_exec(s, sql, err);
    }
    if(!rc)
        s->depth++;
    return rc;
}

int cd_store_commit_tx(struct cd_store *s, struct cd_error *err)
{
    char sql[48];
    int rc;

    assert(s->depth > 0);
    if(s->depth == 1)
        rc = cd_store_exec(s, "COMMIT", err);
    else {
        snprintf(sql, sizeof(sql), "RELEASE cd_%d", s->depth - 1);
        rc = cd_store_exec(s, sql, err);
    }
    /* a failed COMMIT leaves the transaction open, for a rollback */
    if(!rc)
        s->depth--;
    return rc;
}

void cd_store_rollback(struct cd_store *s)
{
    char sql[80];

    if(s->depth == 0)
        return;
    s->depth--;
    if(sqlite3_get_autocommit(s->db)) {
        /* SQLite rolled everything back itself (after a full disk, ...) */
        s->depth = 0;
        return;
    }
    if(s->depth == 0) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return;
    }
    snprintf(sql, sizeof(sql), "ROLLBACK TO cd_%d; RELEASE cd_%d", s->depth,
             s->depth);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

int cd_store_batch_begin(struct cd_store *s, struct cd_error *err)
{
    return cd_store_begin(s, err);
}

int cd_store_batch_commit(struct cd_store *s, struct cd_error *err)
{
    if(s->depth == 0)
        return cd_error_set(err, CD_EINVALID, "%s: no batch to commit",
                            s->path);
    return cd_store_commit_tx(s, err);
}

void cd_store_batch_rollback(struct cd_store *s)
{
    cd_store_rollback(s);
}

int cd_store_snapshot_begin(struct cd_store *s, struct cd_error *err)
{
    int64_t v;
    int rc;

    if(s->depth)
        return cd_error_set(err, CD_EINVALID,
                            "%s: snapshot inside a transaction", s->path);
    rc = cd_store_exec(s, "BEGIN DEFERRED", err);
    if(rc)
        return rc;
    s->depth = 1;
    /* The first read fixes the snapshot (WAL) for the transaction. */
    rc = cd_store_version(&v, s, err);
    if(rc)
        cd_store_snapshot_end(s);
    return rc;
}

void cd_store_snapshot_end(struct cd_store *s)
{
    if(s->depth != 1)
        return;
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    s->depth = 0;
}

void cd_store_now(char out[32])
{
    cd_time_format(out, cd_clock.now_ms());
}

int cd_store_column_dup(char **out, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    *out = NULL;
    if(!t)
        return sqlite3_column_type(st, col) == SQLITE_NULL ? 0 : CD_ENOMEM;
    *out = strdup((const char *)t);
    return *out ? 0 : CD_ENOMEM;
}

/* One integer from a pragma or query without parameters. */
static int query_int(int64_t *out, struct cd_store *s, const char *sql,
                     struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = 0;
    rc = cd_store_prepare(&st, s, sql, err);
    if(rc)
        goto out;
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if(rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = cd_store_dberr(s, err, "\"%s\"", sql);
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/*
 * Tell a file that is not a database, or another program's database, from
 * one of ours (or a new, empty one). Sets s->schema_version.
 */
static int check_identity(struct cd_store *s, struct cd_error *err)
{
    int64_t app_id, uv, nobj;
    int rc;

    rc = query_int(&app_id, s, "PRAGMA application_id", err);
    if(rc) {
        if(sqlite3_errcode(s->db) == SQLITE_NOTADB)
            rc = cd_error_set(err, CD_EINVALID,
                              "%s: not an SQLite database", s->path);
        return rc;
    }
    rc = query_int(&uv, s, "PRAGMA user_version", err);
    if(!rc)
        rc = query_int(&nobj, s, "SELECT count(*) FROM sqlite_schema", err);
    if(rc)
        return rc;
    if(app_id != 0 && app_id != CD_STORE_APP_ID)
        return cd_error_set(err, CD_EINVALID,
                            "%s: not a citydir database (application_id "
                            "0x%08llx)", s->path, (unsigned long long)app_id);
    if(app_id == 0 && (uv != 0 || nobj != 0))
        return cd_error_set(err, CD_EINVALID,
                            "%s: not a citydir database (an SQLite database "
                            "of another program)", s->path);
    s->schema_version = (int)uv;
    return 0;
}

int cd_store_open(struct cd_store **out, const char *path, unsigned flags,
                  struct cd_error *err)
{
    struct cd_store *s;
    int oflags, rc;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if(!s)
        return cd_error_set(err, CD_ENOMEM, "%s: out of memory", path);
    s->flags = flags;
    s->path = strdup(path);
    if(!s->path) {
        rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    if(flags & CD_STORE_READONLY)
        oflags = SQLITE_OPEN_READONLY;
    else
        oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if(sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
        if(!s->db) {
            rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory", path);
            goto out;
        }
        rc = cd_error_set(err, CD_EIO, "%s: cannot open: %s", path,
                          sqlite3_errmsg(s->db));
        goto out;
    }
    sqlite3_busy_timeout(s->db, CD_STORE_BUSY_MS);
    rc = check_identity(s, err);
    if(rc)
        goto out;
    if(!(flags & CD_STORE_READONLY)) {
        rc = cd_store_exec(s, "PRAGMA journal_mode = WAL", err);
        if(rc)
            goto out;
    }
    rc = cd_store_exec(s, "PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON", err);
    if(rc)
        goto out;
    rc = cd_store_migrate(s, err);
out:
    if(rc) {
        cd_store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void cd_store_close(struct cd_store *s)
{
    int i;

    if(!s)
        return;
    for(i = 0; i < CD_ST__COUNT; i++)
        sqlite3_finalize(s->st[i]);
    cd_store_cache_drop(s->db);
    /* close_v2: a statement someone forgot would keep the file open
     * rather than leak it silently; there should be none. */
    sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

int cd_store_schema_version(const struct cd_store *s)
{
    return s->schema_version;
}

int cd_store_version(int64_t *out, struct cd_store *s, struct cd_error *err)
{
    return query_int(out, s, "SELECT value FROM meta WHERE key = 'version'",
                     err);
}

int cd_store_version_time(int64_t *out_ms, struct cd_store *s, int64_t v,
                          struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out_ms = 0;
    if(v <= 0)
        return 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT CAST(strftime('%s', at) AS INTEGER)"
                          " FROM changes WHERE version = ?1", err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, v);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        *out_ms = sqlite3_column_int64(st, 0) * 1000;
        rc = 0;
    } else if(rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = cd_store_dberr(s, err, "reading the time of version %lld",
                            (long long)v);
    }
    sqlite3_finalize(st);
    return rc;
}

int cd_store_source_sync(struct cd_store *s, const struct cd_source *src,
                         struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    int rc;

    rc = cd_store_prepare(&st, s,
                          "INSERT INTO sources(id, title, city, license,"
                          " attribution, url, priority, updated_at,"
                          " remove_after)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                          " ON CONFLICT(id) DO UPDATE SET"
                          " title = excluded.title, city = excluded.city,"
                          " license = excluded.license,"
                          " attribution = excluded.attribution,"
                          " url = excluded.url,"
                          " priority = excluded.priority,"
                          " updated_at = excluded.updated_at,"
                          " remove_after = excluded.remove_after", err);
    if(rc)
        return rc;
    cd_store_now(now);
    cd_store_bind_text(st, 1, src->id);
    cd_store_bind_text(st, 2, src->title);
    cd_store_bind_text(st, 3, src->city);
    cd_store_bind_text(st, 4, src->license);
    cd_store_bind_text(st, 5, src->attribution);
    cd_store_bind_text(st, 6, src->url);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)src->priority);
    cd_store_bind_text(st, 8, now);
    /* kept for commits without the definition (cd_store_run_accept()) */
    sqlite3_bind_int64(st, 9, (sqlite3_int64)src->remove_after);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "recording source '%s'",
                            src->id ? src->id : "");
    sqlite3_finalize(st);
    return rc;
}
