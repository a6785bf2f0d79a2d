/* SPDX-License-Identifier: MIT */
/*
 * Where a place came from, for `citydir explain`: the place, the source
 * of each of its fields (places.provenance, written by store/merge.c) and
 * the records that form it, best first; and what normalising a run's
 * records could not read, for the crawl report.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Copy the place's provenance text into *out (NULL when none). */
static int provenance_get(char **out, struct cd_store *s, const char *id,
                          struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = NULL;
    rc = cd_store_prepare(&st, s,
                          "SELECT provenance FROM places WHERE id = ?1",
                          err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    if(sqlite3_step(st) == SQLITE_ROW &&
       cd_store_column_dup(out, st, 0))
        rc = cd_error_set(err, CD_ENOMEM, "place %s: out of memory", id);
    sqlite3_finalize(st);
    return rc;
}

int cd_store_place_explain(struct cd_place *out, char **provenance,
                           int *out_deleted, struct cd_store *s,
                           const char *id, cd_place_record_fn *cb,
                           void *payload, struct cd_error *err)
{
    struct cd_place_record r;
    sqlite3_stmt *st = NULL;
    int rc;

    cd_place_init(out);
    *provenance = NULL;
    rc = cd_store_place_read(out, out_deleted, s, id, err);
    if(!rc)
        rc = provenance_get(provenance, s, id, err);
    if(!rc)
        rc = cd_store_prepare(&st, s,
                              "SELECT r.source_id, r.key, r.url, r.data,"
                              " r.fetched_at, pr.linked_at,"
                              " coalesce(s.priority, 50), r.missing"
                              " FROM place_records pr"
                              " JOIN records r ON r.source_id = pr.source_id"
                              "  AND r.key = pr.key"
                              " LEFT JOIN sources s ON s.id = r.source_id"
                              " WHERE pr.place_id = ?1"
                              " ORDER BY coalesce(s.priority, 50) DESC,"
                              " r.fetched_at DESC, r.source_id, r.key", err);
    if(rc)
        goto out;
    cd_store_bind_text(st, 1, id);
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r.source_id = (const char *)sqlite3_column_text(st, 0);
        r.key = (const char *)sqlite3_column_text(st, 1);
        r.url = (const char *)sqlite3_column_text(st, 2);
        r.data = (const char *)sqlite3_column_text(st, 3);
        r.fetched_at = (const char *)sqlite3_column_text(st, 4);
        r.linked_at = (const char *)sqlite3_column_text(st, 5);
        r.priority = (long)sqlite3_column_int64(st, 6);
        r.missing = sqlite3_column_int(st, 7);
        if(cb && cb(&r, payload)) {
            rc = CD_EUSER;
            if(err && !err->code)
                cd_error_set(err, CD_EUSER, "stopped by the callback");
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0
                           : cd_store_dberr(s, err, "reading the records of "
                                            "place %s", id);
out:
    sqlite3_finalize(st);
    if(rc) {
        cd_place_dispose(out);
        CD_FREE(*provenance);
    }
    return rc;
}

int cd_store_run_unmapped(struct cd_strlist *out, struct cd_store *s,
                          int64_t run, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    json_t *a = NULL, *v;
    size_t i;
    int rc;

    rc = cd_store_prepare(&st, s, "SELECT unmapped FROM runs WHERE id = ?1",
                          err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if(sqlite3_step(st) == SQLITE_ROW &&
       sqlite3_column_type(st, 0) == SQLITE_TEXT)
        a = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
    json_array_foreach(a, i, v) {
        if(json_is_string(v) &&
           cd_strlist_add(out, json_string_value(v), json_string_length(v))) {
            rc = cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                              (long long)run);
            break;
        }
    }
    json_decref(a);
    sqlite3_finalize(st);
    return rc;
}
