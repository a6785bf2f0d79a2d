/* SPDX-License-Identifier: MIT */
/*
 * Places: merging a committed run's records into places, and reading
 * places back for the export.
 *
 * A place is made from one record of one source: its id is the first 16
 * hex digits of the hash of (source id, NUL, record key), so the same
 * record of the same source keeps its id across runs, and a place that
 * disappears and comes back gets its old id again. Whether a place changed
 * is decided by a hash of its data fields (not its sources, timestamps or
 * version). Each addition, change and removal takes the next store version
 * and writes a row of the change feed (table changes); a removed place
 * stays as a row with deleted = 1, so that a delta export can list it.
 *
 * Merging the records of several sources that describe one shop is not
 * done yet: each source's record is its own place.
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

/* The sources entry of a place made from one record. */
static char *sources_json(const char *source_id, const char *url,
                          const char *fetched_at)
{
    json_t *a = json_array(), *o = json_object();
    int bad = !a || !o;

    bad = bad || obj_str(o, "source", source_id);
    bad = bad || obj_str(o, "url", url);
    bad = bad || obj_str(o, "fetched_at", fetched_at);
    if(bad || json_array_append_new(a, o)) {
        if(!bad)
            o = NULL;
        json_decref(o);
        json_decref(a);
        return NULL;
    }
    return dump(a);
}

/* Bind a tri-state: NULL when unknown. */
static void bind_tri(sqlite3_stmt *st, int i, int v)
{
    if(v == CD_TRI_NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, v == CD_TRI_YES);
}

/* The JSON texts a place is written with. */
struct place_texts {
    char *hash_src;    /* canonical data JSON */
    char *cats;        /* categories array */
    char *scats;       /* source_categories array */
    char *sources;     /* sources array */
    char hash[33];
};

static void place_texts_dispose(struct place_texts *t)
{
    free(t->hash_src);
    free(t->cats);
    free(t->scats);
    free(t->sources);
}

/* Write all of a place (insert, or update keeping first_seen). */
static int place_upsert(struct cd_store_commit *c, const char *id,
                        const char *key, const struct cd_place *p,
                        const struct place_texts *t, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, c->s, CD_ST_PLACE_UPSERT, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    cd_store_bind_text(st, 2, c->source_id);
    cd_store_bind_text(st, 3, key);
    cd_store_bind_text(st, 4, p->name);
    cd_store_bind_text(st, 5, p->street);
    cd_store_bind_text(st, 6, p->housenumber);
    cd_store_bind_text(st, 7, p->postcode);
    cd_store_bind_text(st, 8, p->city);
    if(p->has_coords) {
        sqlite3_bind_double(st, 9, p->lat);
        sqlite3_bind_double(st, 10, p->lon);
    }
    cd_store_bind_text(st, 11, p->phone);
    cd_store_bind_text(st, 12, p->email);
    cd_store_bind_text(st, 13, p->website);
    cd_store_bind_text(st, 14, p->opening_hours);
    cd_store_bind_text(st, 15, p->opening_hours_text);
    bind_tri(st, 16, p->delivery);
    bind_tri(st, 17, p->pickup);
    bind_tri(st, 18, p->online_shop);
    cd_store_bind_text(st, 19, p->wheelchair);
    cd_store_bind_text(st, 20, p->description);
    cd_store_bind_text(st, 21, t->cats);
    cd_store_bind_text(st, 22, t->scats);
    cd_store_bind_text(st, 23, t->sources);
    cd_store_bind_text(st, 24, c->now);
    sqlite3_bind_int64(st, 25, c->version);
    cd_store_bind_text(st, 26, t->hash);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: writing place %s ('%s')",
                            (long long)c->run, id, key);
    cd_store_stmt_done(st);
    return rc;
}

/* Take the next version for a change of place `id` and log it. */
static int change_add(struct cd_store_commit *c, const char *id,
                      const char *kind, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, c->s, CD_ST_CHANGE_ADD, err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->version);
    cd_store_bind_text(st, 2, id);
    cd_store_bind_text(st, 3, kind);
    cd_store_bind_text(st, 4, c->source_id);
    sqlite3_bind_int64(st, 5, c->run);
    cd_store_bind_text(st, 6, c->now);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: logging change %lld",
                            (long long)c->run, (long long)c->version);
    cd_store_stmt_done(st);
    return rc;
}

/*
 * How the stored place `id` compares with hash: *out_kind is "added" (no
 * such place, or a deleted one), "changed", or NULL (unchanged).
 */
static int place_compare(const char **out_kind, struct cd_store_commit *c,
                         const char *id, const char *hash,
                         struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *old;
    int rc;

    *out_kind = "added";
    rc = cd_store_stmt(&st, c->s, CD_ST_PLACE_STATE, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        old = (const char *)sqlite3_column_text(st, 0);
        if(sqlite3_column_int(st, 1))
            *out_kind = "added";
        else if(old && !strcmp(old, hash))
            *out_kind = NULL;
        else
            *out_kind = "changed";
        rc = 0;
    } else if(rc == SQLITE_DONE) {
        rc = 0;
    } else {
        rc = cd_store_dberr(c->s, err, "run %lld: reading place %s",
                            (long long)c->run, id);
    }
    cd_store_stmt_done(st);
    return rc;
}

/* Refresh where an unchanged place was seen, without a new version. */
static int place_touch(struct cd_store_commit *c, const char *id,
                       const char *sources, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_stmt(&st, c->s, CD_ST_PLACE_SOURCES, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    cd_store_bind_text(st, 2, sources);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: updating place %s",
                            (long long)c->run, id);
    cd_store_stmt_done(st);
    return rc;
}

int cd_store_place_merge(char out_id[17], struct cd_store_commit *c,
                         const char *key, const char *url, const char *data,
                         const char *fetched_at, struct cd_error *err)
{
    struct cd_record rec;
    struct cd_place p;
    struct place_texts t;
    const char *kind;
    int rc;

    memset(&t, 0, sizeof(t));
    cd_place_init(&p);
    if(cd_store_place_id(out_id, c->source_id, key))
        return cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                            (long long)c->run);
    rc = cd_record_from_json(&rec, data, url);
    if(rc) {
        /* safe after any failure, and cd_record_from_json() may leave
         * the url it copied behind */
        cd_record_dispose(&rec);
        if(rc == CD_EINVALID)
            return cd_error_set(err, rc,
                                "%s: run %lld: staged record '%s' is not a "
                                "record's JSON", c->s->path,
                                (long long)c->run, key);
        return cd_error_set(err, rc, "run %lld: out of memory",
                            (long long)c->run);
    }
    rc = cd_normalize_place(&p, &rec);
    if(rc) {
        cd_error_set(err, rc, "run %lld: normalising record '%s': %s",
                     (long long)c->run, key, cd_strerror(rc));
        goto out;
    }
    t.hash_src = place_data_json(&p);
    t.cats = dump(strlist_array(&p.categories));
    t.scats = dump(strlist_array(&p.source_categories));
    t.sources = sources_json(c->source_id, url, fetched_at);
    if(!t.hash_src || !t.cats || !t.scats || !t.sources) {
        rc = cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                          (long long)c->run);
        goto out;
    }
    cd_hash_hex(t.hash, t.hash_src, strlen(t.hash_src));
    rc = place_compare(&kind, c, out_id, t.hash, err);
    if(rc)
        goto out;
    if(!kind) {
        rc = place_touch(c, out_id, t.sources, err);
        goto out;
    }
    c->version++;
    rc = place_upsert(c, out_id, key, &p, &t, err);
    if(!rc)
        rc = change_add(c, out_id, kind, err);
    if(rc)
        goto out;
    if(!strcmp(kind, "added"))
        c->stats->added++;
    else
        c->stats->changed++;
out:
    place_texts_dispose(&t);
    cd_place_dispose(&p);
    cd_record_dispose(&rec);
    return rc;
}

/* The live places of the source whose key the run did not stage. */
static int gone_ids(struct cd_strlist *out, struct cd_store_commit *c,
                    struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *id;
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "SELECT id FROM places p WHERE source_id = ?1"
                          " AND deleted = 0 AND NOT EXISTS"
                          " (SELECT 1 FROM staged s WHERE s.run_id = ?2"
                          "  AND s.key = p.key) ORDER BY id", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, c->source_id);
    sqlite3_bind_int64(st, 2, c->run);
    for(;;) {
        rc = sqlite3_step(st);
        if(rc != SQLITE_ROW)
            break;
        id = (const char *)sqlite3_column_text(st, 0);
        if(!id || cd_strlist_add(out, id, strlen(id))) {
            rc = cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                              (long long)c->run);
            goto out;
        }
    }
    if(rc != SQLITE_DONE) {
        rc = cd_store_dberr(c->s, err, "run %lld: finding removed places",
                            (long long)c->run);
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

int cd_store_place_sweep(struct cd_store_commit *c, struct cd_error *err)
{
    struct cd_strlist ids = { NULL, 0 };
    sqlite3_stmt *st = NULL;
    size_t i;
    int rc;

    /* collected first: the places are changed after the select is done */
    rc = gone_ids(&ids, c, err);
    if(!rc)
        rc = cd_store_stmt(&st, c->s, CD_ST_PLACE_REMOVE, err);
    for(i = 0; !rc && i < ids.n; i++) {
        c->version++;
        sqlite3_reset(st);
        cd_store_bind_text(st, 1, ids.v[i]);
        sqlite3_bind_int64(st, 2, c->version);
        cd_store_bind_text(st, 3, c->now);
        if(sqlite3_step(st) != SQLITE_DONE) {
            rc = cd_store_dberr(c->s, err, "run %lld: removing place %s",
                                (long long)c->run, ids.v[i]);
            break;
        }
        rc = change_add(c, ids.v[i], "removed", err);
        if(!rc)
            c->stats->removed++;
    }
    cd_store_stmt_done(st);
    cd_strlist_dispose(&ids);
    return rc;
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
        rc = cd_place_add_source(
            p, json_string_value(json_object_get(v, "source")),
            json_string_value(json_object_get(v, "url")),
            json_string_value(json_object_get(v, "fetched_at")));
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
                          " WHERE EXISTS (SELECT 1 FROM places p"
                          "  WHERE p.source_id = s.id AND p.deleted = 0)"
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
