/* SPDX-License-Identifier: MIT */
/*
 * What documents gave, for incremental crawls (store.h, "what documents
 * gave"). Each parse of a document keeps its records (key, URL, JSON) and
 * the links it added to the frontier in doc_outputs, and tags the
 * document with the fingerprint of the definition that parsed it. When a
 * later run learns that the document did not change (a 304, the same
 * content hash, a sitemap lastmod), it stages the kept records again and
 * follows the kept links, without parsing. The copy of the records is
 * deliberate: the committed records table only holds what the last
 * committed run staged, and a run that failed after fetching a page would
 * otherwise leave its validators pointing at records nobody kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/internal.h"

/* Run one cached statement bound with (source_id, url[, text3]); with
 * `must`, CD_ENOTFOUND when it changed no row. */
static int exec_doc(struct cd_store *s, enum cd_store_st id,
                    const char *source_id, const char *url, const char *t3,
                    int must, const char *what, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, s, id, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, url);
    if(id == CD_ST_OUTPUTS_OF)
        cd_store_bind_text(st, 3, t3);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "%s: %s %s", source_id, what, url);
    else if(must && !sqlite3_changes(s->db))
        rc = cd_error_set(err, CD_ENOTFOUND, "%s: %s was never fetched",
                          source_id, url);
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_outputs_clear(struct cd_store *s, const char *source_id,
                           const char *url, struct cd_error *err)
{
    int rc;

    rc = exec_doc(s, CD_ST_OUTPUTS_DROP, source_id, url, NULL, 0,
                  "forgetting what was kept of", err);
    if(!rc)
        rc = exec_doc(s, CD_ST_OUTPUTS_OF, source_id, url, NULL, 0,
                      "forgetting what was kept of", err);
    return rc;
}

/* Insert one row of doc_outputs. */
static int output_add(struct cd_store *s, const char *source_id,
                      const char *url, int seq, const char *kind,
                      const char *key, const char *rec_url,
                      const char *data, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, s, CD_ST_OUTPUT_ADD, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, url);
    sqlite3_bind_int(st, 3, seq);
    cd_store_bind_text(st, 4, kind);
    cd_store_bind_text(st, 5, key);
    cd_store_bind_text(st, 6, rec_url);
    cd_store_bind_text(st, 7, data);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "%s: keeping a %s of %s", source_id,
                            kind, url);
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_output_record(struct cd_store *s, const char *source_id,
                           const char *url, int seq, const char *key,
                           const struct cd_record *rec,
                           struct cd_error *err)
{
    char *json = NULL;
    int rc;

    rc = cd_record_to_json(&json, rec);
    if(rc)
        return cd_error_set(err, rc, "%s: %s: out of memory", source_id,
                            url);
    rc = output_add(s, source_id, url, seq, "record", key, rec->url, json,
                    err);
    free(json);
    return rc;
}

int cd_store_output_link(struct cd_store *s, const char *source_id,
                         const char *url, int seq, const char *link,
                         struct cd_error *err)
{
    return output_add(s, source_id, url, seq, "link", NULL, NULL, link,
                      err);
}

int cd_store_outputs_seal(struct cd_store *s, const char *source_id,
                          const char *url, const char *fingerprint,
                          struct cd_error *err)
{
    return exec_doc(s, CD_ST_OUTPUTS_OF, source_id, url, fingerprint, 1,
                    "sealing what was kept of", err);
}

int cd_store_doc_reusable(struct cd_doc_stored *out, struct cd_store *s,
                          const char *source_id, const char *url,
                          const char *fingerprint, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = cd_store_stmt(&st, s, CD_ST_DOC_REUSABLE, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, url);
    cd_store_bind_text(st, 3, fingerprint);
    rc = sqlite3_step(st);
    if(rc == SQLITE_DONE) {
        rc = CD_ENOTFOUND;
        goto out;
    }
    if(rc != SQLITE_ROW) {
        rc = cd_store_dberr(s, err, "%s: reading the fetch of %s",
                            source_id, url);
        goto out;
    }
    out->status = (long)sqlite3_column_int64(st, 1);
    out->bytes = (long)sqlite3_column_int64(st, 5);
    out->fetched_ms = sqlite3_column_int64(st, 6) * 1000;
    rc = cd_store_column_dup(&out->url, st, 0);
    if(!rc)
        rc = cd_store_column_dup(&out->etag, st, 2);
    if(!rc)
        rc = cd_store_column_dup(&out->last_modified, st, 3);
    if(!rc)
        rc = cd_store_column_dup(&out->hash, st, 4);
    if(rc) {
        cd_error_set(err, rc, "%s: %s: out of memory", source_id, url);
        cd_store_doc_dispose(out);
    }
out:
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_doc_touch(struct cd_store *s, const char *source_id,
                       const char *url, int64_t fetched_ms,
                       struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char at[32];
    int rc;

    cd_time_format(at, fetched_ms);
    rc = cd_store_prepare(&st, s,
                          "UPDATE documents SET fetched_at = ?3"
                          " WHERE source_id = ?1 AND url = ?2", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, url);
    cd_store_bind_text(st, 3, at);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "%s: noting the fetch of %s", source_id,
                            url);
    sqlite3_finalize(st);
    return rc;
}

/* Rows read into memory, so that callbacks run with no statement open
 * and may write to the store. */
struct rows {
    struct cd_strlist key, rec_url, json, link;  /* "" stands for NULL */
};

static void rows_dispose(struct rows *r)
{
    cd_strlist_dispose(&r->key);
    cd_strlist_dispose(&r->rec_url);
    cd_strlist_dispose(&r->json);
    cd_strlist_dispose(&r->link);
}

static int add_col(struct cd_strlist *l, sqlite3_stmt *st, int col)
{
    const char *v = (const char *)sqlite3_column_text(st, col);

    return cd_strlist_add(l, v ? v : "", v ? strlen(v) : 0);
}

/* Read every row of st (key, rec_url, json, link) into r. */
static int rows_read(struct rows *r, struct cd_store *s, sqlite3_stmt *st,
                     const char *what, struct cd_error *err)
{
    int rc;

    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if(add_col(&r->key, st, 0) || add_col(&r->rec_url, st, 1) ||
           add_col(&r->json, st, 2) || add_col(&r->link, st, 3))
            return cd_error_set(err, CD_ENOMEM, "%s: out of memory", what);
    }
    if(rc != SQLITE_DONE)
        return cd_store_dberr(s, err, "reading %s", what);
    return 0;
}

/* Give every row to cb; "" back to NULL. */
static int rows_give(const struct rows *r, cd_output_fn *cb, void *payload,
                     struct cd_error *err)
{
    size_t i;

    for(i = 0; i < r->key.n; i++) {
        const char *k = r->key.v[i], *u = r->rec_url.v[i];
        const char *j = r->json.v[i], *l = r->link.v[i];

        if(cb(*k ? k : NULL, *u ? u : NULL, *j ? j : NULL, *l ? l : NULL,
              payload)) {
            if(err && !err->code)
                cd_error_set(err, CD_EUSER, "stopped by the callback");
            return CD_EUSER;
        }
    }
    return 0;
}

int cd_store_outputs_replay(struct cd_store *s, const char *source_id,
                            const char *url, cd_output_fn *cb,
                            void *payload, struct cd_error *err)
{
    struct rows r;
    sqlite3_stmt *st = NULL;
    int rc;

    memset(&r, 0, sizeof(r));
    rc = cd_store_prepare(&st, s,
                          "SELECT key, rec_url,"
                          " CASE kind WHEN 'record' THEN data END,"
                          " CASE kind WHEN 'link' THEN data END"
                          " FROM doc_outputs WHERE source_id = ?1"
                          " AND url = ?2 ORDER BY seq", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, url);
    rc = rows_read(&r, s, st, url, err);
    sqlite3_finalize(st);
    if(!rc)
        rc = rows_give(&r, cb, payload, err);
    rows_dispose(&r);
    return rc;
}

int cd_store_staged_foreach(struct cd_store *s, int64_t run,
                            cd_output_fn *cb, void *payload,
                            struct cd_error *err)
{
    struct rows r;
    sqlite3_stmt *st = NULL;
    char what[48];
    int rc;

    memset(&r, 0, sizeof(r));
    snprintf(what, sizeof(what), "the records of run %lld", (long long)run);
    rc = cd_store_prepare(&st, s,
                          "SELECT key, url, data, NULL FROM staged"
                          " WHERE run_id = ?1 ORDER BY key", err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    rc = rows_read(&r, s, st, what, err);
    sqlite3_finalize(st);
    if(!rc)
        rc = rows_give(&r, cb, payload, err);
    rows_dispose(&r);
    return rc;
}
