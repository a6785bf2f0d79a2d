/* SPDX-License-Identifier: MIT */
/*
 * A place's history, read from the change feed (table changes): every
 * version the place took, what kind of change it was, which source's run
 * made it and when, and for a change the fields it changed with their old
 * and new values, as the commit recorded them (store/places.c).
 * `citydir history` prints it.
 */
#include <string.h>

#include "store/internal.h"

/* Whether place `id` exists (live or removed). */
static int place_exists(int *out, struct cd_store *s, const char *id,
                        struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = 0;
    rc = cd_store_prepare(&st, s, "SELECT 1 FROM places WHERE id = ?1",
                          err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        *out = 1;
        rc = 0;
    } else if(rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = cd_store_dberr(s, err, "looking up place %s", id);
    }
    sqlite3_finalize(st);
    return rc;
}

int cd_store_place_history(int *out_found, struct cd_store *s,
                           const char *place_id, cd_change_fn *cb,
                           void *payload, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_change_info ci;
    int rc;

    rc = place_exists(out_found, s, place_id, err);
    if(rc || !*out_found)
        return rc;
    rc = cd_store_prepare(&st, s,
                          "SELECT version, kind, source_id, run_id, at,"
                          " fields FROM changes WHERE place_id = ?1"
                          " ORDER BY version", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, place_id);
    for(;;) {
        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        memset(&ci, 0, sizeof(ci));
        ci.version = sqlite3_column_int64(st, 0);
        ci.kind = (const char *)sqlite3_column_text(st, 1);
        ci.source_id = (const char *)sqlite3_column_text(st, 2);
        ci.run = sqlite3_column_int64(st, 3);
        ci.at = (const char *)sqlite3_column_text(st, 4);
        ci.fields = (const char *)sqlite3_column_text(st, 5);
        if(cb(&ci, payload)) {
            rc = CD_EUSER;
            if(err && !err->code)
                cd_error_set(err, CD_EUSER, "stopped by the callback");
            goto out;
        }
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "reading the history of place %s",
                            place_id);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}
