/* SPDX-License-Identifier: MIT */
/*
 * Places: their ids and canonical data, what a change changed, and
 * reading places back for the export. Merging records into places is
 * store/merge.c.
 *
 * A place's id is the first 16 hex digits of the hash of (source id, NUL,
 * record key) of the record that founded it, so it is stable across runs,
 * and a place that disappears and comes back gets its old id again.
 * Whether a place changed is decided by a hash of its data fields and its
 * sources' ids (not their URLs, timestamps or the version). Each addition,
 * change and removal takes the next store version and writes a row of the
 * change feed (table changes); a removed place stays as a row with
 * deleted = 1, so that a delta export can list it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "normalize/normalize.h"
#include "store/internal.h"

/* ---- writing ------------------------------------------------------------ */

int cd_store_place_id(char out[17], const char *source_id, const char *key)
{
    size_t ns = strlen(source_id), nk = strlen(key);
    char small[512], hex[33];
    char *buf = small;

    out[0] = '\0';
    if(ns + 1 + nk > sizeof(small)) {
        buf = malloc(ns + 1 + nk);
        if(!buf)
            return CD_ENOMEM;
    }
    memcpy(buf, source_id, ns);
    buf[ns] = '\0';
    memcpy(buf + ns + 1, key, nk);
    cd_hash_hex(hex, buf, ns + 1 + nk);
    if(buf != small)
        free(buf);
    memcpy(out, hex, 16);
    out[16] = '\0';
    return 0;
}

/* Set o[k] to a string, or leave it out when s is NULL. 0 or -1. */
static int obj_str(json_t *o, const char *k, const char *s)
{
    if(!s)
        return 0;
    return json_object_set_new(o, k, json_string(s));
}

/* Set o[k] to a tri-state, or leave it out when unknown. */
static int obj_tri(json_t *o, const char *k, int v)
{
    if(v == CD_TRI_NULL)
        return 0;
    return json_object_set_new(o, k, json_boolean(v == CD_TRI_YES));
}

/* A list of strings as a JSON array. NULL when memory is out. */
static json_t *strlist_array(const struct cd_strlist *l)
{
    json_t *a = json_array();
    size_t i;

    for(i = 0; a && i < l->n; i++) {
        if(json_array_append_new(a, json_string(l->v[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Dump a JSON value compactly, in insertion order; takes ownership of v. */
static char *dump(json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

    json_decref(v);
    return s;
}

/*
 * The data fields of a place as canonical JSON (fixed key order), the text
 * whose hash tells whether a place changed. The caller frees the result;
 * NULL when memory is out.
 */
static char *place_data_json(const struct cd_place *p)
{
    json_t *o = json_object();
    int bad = !o;

    bad = bad || obj_str(o, "name", p->name);
    bad = bad || json_object_set_new(o, "categories",
                                     strlist_array(&p->categories));
    bad = bad || json_object_set_new(o, "source_categories",
                                     strlist_array(&p->source_categories));
    bad = bad || obj_str(o, "street", p->street);
    bad = bad || obj_str(o, "housenumber", p->housenumber);
    bad = bad || obj_str(o, "postcode", p->postcode);
    bad = bad || obj_str(o, "city", p->city);
    if(p->has_coords) {
        bad = bad || json_object_set_new(o, "lat", json_real(p->lat));
        bad = bad || json_object_set_new(o, "lon", json_real(p->lon));
    }
    bad = bad || obj_str(o, "phone", p->phone);
    bad = bad || obj_str(o, "email", p->email);
    bad = bad || obj_str(o, "website", p->website);
    bad = bad || obj_str(o, "opening_hours", p->opening_hours);
    bad = bad || obj_str(o, "opening_hours_text", p->opening_hours_text);
    bad = bad || obj_tri(o, "delivery", p->delivery);
    bad = bad || obj_tri(o, "pickup", p->pickup);
    bad = bad || obj_tri(o, "online_shop", p->online_shop);
    bad = bad || obj_str(o, "wheelchair", p->wheelchair);
    bad = bad || obj_str(o, "description", p->description);
    if(bad) {
        json_decref(o);
        return NULL;
    }
    return dump(o);
}

/* See store/internal.h. */
char *cd_store_place_data_json(const struct cd_place *p)
{
    return place_data_json(p);
}

/* ---- reading ------------------------------------------------------------ */

/* Fill a string list from a JSON array of strings. */
static int strlist_from_json(struct cd_strlist *out, const char *text)
{
    json_t *a, *v;
    size_t i;
    int rc = 0;

    if(!text)
        return 0;
    a = json_loads(text, 0, NULL);
    if(!json_is_array(a)) {
        json_decref(a);
        return CD_EINVALID;
    }
    json_array_foreach(a, i, v) {
        if(!json_is_string(v))
            continue;
        rc = cd_strlist_add(out, json_string_value(v),
                            json_string_length(v));
        if(rc)
            break;
    }
    json_decref(a);
    return rc;
}

/* Fill a place's sources from the JSON array the store keeps. */
static int sources_from_json(struct cd_place *p, const char *text)
{
    json_t *a, *v;
    size_t i;
    int rc = 0;

    if(!text)
        return 0;
    a = json_loads(text, 0, NULL);
    if(!json_is_array(a)) {
        json_decref(a);
        return CD_EINVALID;
    }
    json_array_foreach(a, i, v) {
        rc = cd_place_add_source_license(
            p, json_string_value(json_object_get(v, "source")),
            json_string_value(json_object_get(v, "url")),
            json_string_value(json_object_get(v, "fetched_at")),
            json_string_value(json_object_get(v, "license")));
        if(rc)
            break;
    }
    json_decref(a);
    return rc;
}

/* Columns of the place reading query, in this order. */
#define PLACE_COLUMNS                                                       \
    "p.id, p.name, p.street, p.housenumber, p.postcode, p.city, p.lat,"     \
    " p.lon, p.phone, p.email, p.website, p.opening_hours,"                 \
    " p.opening_hours_text, p.delivery, p.pickup, p.online_shop,"           \
    " p.wheelchair, p.description, p.categories, p.source_categories,"      \
    " p.sources, p.first_seen, p.updated_at, p.version"

/* A tri-state column. */
static int column_tri(sqlite3_stmt *st, int col)
{
    if(sqlite3_column_type(st, col) == SQLITE_NULL)
        return CD_TRI_NULL;
    return sqlite3_column_int(st, col) ? CD_TRI_YES : CD_TRI_NO;
}

/* Build p (empty on entry) from a row of PLACE_COLUMNS. */
static int place_from_row(struct cd_place *p, sqlite3_stmt *st)
{
    static const int str_cols[] = { 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 16,
                                    17, 21, 22 };
    char **const str_dst[] = {
        &p->id, &p->name, &p->street, &p->housenumber, &p->postcode,
        &p->city, &p->phone, &p->email, &p->website, &p->opening_hours,
        &p->opening_hours_text, &p->wheelchair, &p->description,
        &p->first_seen, &p->updated_at,
    };
    size_t i;
    int rc = 0;

    for(i = 0; !rc && i < CD_ARRAY_SIZE(str_cols); i++)
        rc = cd_store_column_dup(str_dst[i], st, str_cols[i]);
    if(rc)
        return rc;
    if(sqlite3_column_type(st, 6) != SQLITE_NULL &&
       sqlite3_column_type(st, 7) != SQLITE_NULL) {
        p->has_coords = 1;
        p->lat = sqlite3_column_double(st, 6);
        p->lon = sqlite3_column_double(st, 7);
    }
    p->delivery = column_tri(st, 13);
    p->pickup = column_tri(st, 14);
    p->online_shop = column_tri(st, 15);
    p->version = sqlite3_column_int64(st, 23);
    rc = strlist_from_json(&p->categories,
                           (const char *)sqlite3_column_text(st, 18));
    if(!rc)
        rc = strlist_from_json(&p->source_categories,
                               (const char *)sqlite3_column_text(st, 19));
    if(!rc)
        rc = sources_from_json(p, (const char *)sqlite3_column_text(st, 20));
    return rc;
}

/* ---- what a change changed --------------------------------------------- */

/* Set d[k] = [old or null, new or null]. 0 or -1. */
static int diff_set(json_t *d, const char *k, json_t *old, json_t *new)
{
    json_t *pair = json_pack("[OO]", old ? old : json_null(),
                             new ? new : json_null());

    return json_object_set_new(d, k, pair);
}

/*
 * What a change of place `id` changes, as {"field": [old, new], ...} over
 * the data fields of place_data_json() (the stored place is the old, the
 * canonical JSON `new_json` the new), in the order of those fields, the
 * fields that disappeared last. *out is malloc'd; NULL when nothing
 * differs or the place cannot be read back (the change is then logged
 * without its fields).
 */
int cd_store_change_fields(char **out, struct cd_store_commit *c,
                           const char *id, const char *new_json,
                           struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_place old;
    json_t *jo = NULL, *jn = NULL, *d = NULL, *v;
    const char *k;
    char *old_json = NULL;
    int rc, bad = 0;

    *out = NULL;
    cd_place_init(&old);
    rc = cd_store_prepare(&st, c->s,
                          "SELECT " PLACE_COLUMNS " FROM places p"
                          " WHERE p.id = ?1", err);
    if(rc)
        goto out;
    cd_store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if(rc != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? 0
                               : cd_store_dberr(c->s, err,
                                                "run %lld: reading place %s",
                                                (long long)c->run, id);
        goto out;
    }
    rc = 0;
    if(place_from_row(&old, st))
        goto out;  /* unreadable lists: log the change without fields */
    old_json = place_data_json(&old);
    jo = old_json ? json_loads(old_json, 0, NULL) : NULL;
    jn = json_loads(new_json, 0, NULL);
    d = json_object();
    if(!jo || !jn || !d)
        goto out;
    json_object_foreach(jn, k, v) {
        json_t *o = json_object_get(jo, k);

        if(!o || !json_equal(o, v))
            bad = bad || diff_set(d, k, o, v);
    }
    json_object_foreach(jo, k, v) {
        if(!json_object_get(jn, k))
            bad = bad || diff_set(d, k, v, NULL);
    }
    if(!bad && json_object_size(d))
        *out = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    json_decref(d);
    json_decref(jo);
    json_decref(jn);
    free(old_json);
    cd_place_dispose(&old);
    sqlite3_finalize(st);
    return rc;
}

/* See store/internal.h. */
int cd_store_place_read(struct cd_place *p, int *out_deleted,
                        struct cd_store *s, const char *id,
                        struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out_deleted = 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT " PLACE_COLUMNS ", p.deleted FROM places p"
                          " WHERE p.id = ?1", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        *out_deleted = sqlite3_column_int(st, 24);
        rc = place_from_row(p, st);
        if(rc)
            cd_error_set(err, rc, "%s: place %s: %s", s->path, id,
                         rc == CD_EINVALID ? "bad JSON in a list column"
                                           : "out of memory");
    }
    else if(rc == SQLITE_DONE)
        rc = cd_error_set(err, CD_ENOTFOUND, "%s: no place %s", s->path, id);
    else
        rc = cd_store_dberr(s, err, "reading place %s", id);
    sqlite3_finalize(st);
    return rc;
}

/* The caller stopped a walk: say so unless it left its own message. */
static int stopped(struct cd_error *err)
{
    if(err && !err->code)
        cd_error_set(err, CD_EUSER, "stopped by the callback");
    return CD_EUSER;
}

/* Bind ?1 since and ?2 city of a query. */
static void bind_query(sqlite3_stmt *st, const struct cd_place_query *q)
{
    sqlite3_bind_int64(st, 1, q ? q->since : -1);
    cd_store_bind_text(st, 2, q ? q->city : NULL);
}

int cd_store_places_foreach(struct cd_store *s, const struct cd_place_query *q,
                            cd_place_fn *cb, void *payload,
                            struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_place p;
    int rc;

    cd_place_init(&p);
    rc = cd_store_prepare(&st, s,
                          "SELECT " PLACE_COLUMNS " FROM places p"
                          " JOIN sources s ON s.id = p.source_id"
                          " WHERE p.deleted = 0 AND p.version > ?1"
                          " AND (?2 IS NULL OR s.city = ?2 COLLATE NOCASE)"
                          " ORDER BY p.id", err);
    if(rc)
        return rc;
    bind_query(st, q);
    for(;;) {
        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        rc = place_from_row(&p, st);
        if(rc) {
            cd_error_set(err, rc, "%s: place %s: %s", s->path,
                         p.id ? p.id : "?",
                         rc == CD_EINVALID ? "bad JSON in a list column"
                                           : "out of memory");
            goto out;
        }
        if(cb(&p, payload)) {
            rc = stopped(err);
            goto out;
        }
        cd_place_dispose(&p);
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "reading places");
        goto out;
    }
    rc = 0;
out:
    cd_place_dispose(&p);
    sqlite3_finalize(st);
    return rc;
}

int cd_store_deleted_foreach(struct cd_store *s,
                             const struct cd_place_query *q, cd_id_fn *cb,
                             void *payload, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    /* a full export lists no deletions */
    if(!q || q->since < 0)
        return 0;
    rc = cd_store_prepare(&st, s,
                          "SELECT p.id FROM places p"
                          " JOIN sources s ON s.id = p.source_id"
                          " WHERE p.deleted = 1 AND p.version > ?1"
                          " AND (?2 IS NULL OR s.city = ?2 COLLATE NOCASE)"
                          " ORDER BY p.id", err);
    if(rc)
        return rc;
    bind_query(st, q);
    for(;;) {
        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        if(cb((const char *)sqlite3_column_text(st, 0), payload)) {
            rc = stopped(err);
            goto out;
        }
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "reading removed places");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

int cd_store_sources_foreach(struct cd_store *s,
                             const struct cd_place_query *q,
                             cd_source_info_fn *cb, void *payload,
                             struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_source_info si;
    int rc;

    rc = cd_store_prepare(&st, s,
                          "SELECT s.id, s.title, s.city, s.license,"
                          " s.attribution, s.url FROM sources s"
                          " WHERE EXISTS (SELECT 1 FROM place_records pr"
                          "  JOIN places p ON p.id = pr.place_id"
                          "  WHERE pr.source_id = s.id AND p.deleted = 0)"
                          " AND (?1 IS NULL OR s.city = ?1 COLLATE NOCASE)"
                          " ORDER BY s.id", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, q ? q->city : NULL);
    for(;;) {
        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        si.id = (const char *)sqlite3_column_text(st, 0);
        si.title = (const char *)sqlite3_column_text(st, 1);
        si.city = (const char *)sqlite3_column_text(st, 2);
        si.license = (const char *)sqlite3_column_text(st, 3);
        si.attribution = (const char *)sqlite3_column_text(st, 4);
        si.url = (const char *)sqlite3_column_text(st, 5);
        if(cb(&si, payload)) {
            rc = stopped(err);
            goto out;
        }
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(s, err, "reading sources");
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}
