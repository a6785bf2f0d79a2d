/* SPDX-License-Identifier: MIT */
/*
 * Fetched documents: what the last fetch of each URL of a source gave (HTTP
 * status, validators, content hash, size, time), kept across runs so that
 * a later run can send a conditional GET and skip what did not change.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/internal.h"

int cd_store_doc_put(struct cd_store *s, const char *source_id,
                     const struct cd_doc_info *d, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char at[32];
    int rc;

    rc = cd_store_stmt(&st, s, CD_ST_DOC_PUT, err);
    if(rc)
        return rc;
    cd_time_format(at, d->fetched_ms);
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, d->url);
    sqlite3_bind_int64(st, 3, d->status);
    cd_store_bind_text(st, 4, d->etag);
    cd_store_bind_text(st, 5, d->last_modified);
    cd_store_bind_text(st, 6, d->hash);
    sqlite3_bind_int64(st, 7, d->bytes);
    cd_store_bind_text(st, 8, at);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(s, err, "%s: remembering the fetch of %s",
                            source_id, d->url);
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_doc_get(struct cd_doc_stored *out, struct cd_store *s,
                     const char *source_id, const char *url,
                     struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = cd_store_stmt(&st, s, CD_ST_DOC_GET, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, source_id);
    cd_store_bind_text(st, 2, url);
    rc = sqlite3_step(st);
    if(rc == SQLITE_DONE) {
        rc = CD_ENOTFOUND;
        cd_error_set(err, rc, "%s: %s was never fetched", source_id, url);
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

void cd_store_doc_dispose(struct cd_doc_stored *d)
{
    if(!d)
        return;
    free(d->url);
    free(d->etag);
    free(d->last_modified);
    free(d->hash);
    memset(d, 0, sizeof(*d));
}
