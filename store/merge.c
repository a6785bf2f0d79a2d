/* SPDX-License-Identifier: MIT */
/*
 * Merging: the records of all sources into places, inside the commit of a
 * run (store/runs.c drives it: cd_store_place_merge() for each staged
 * record, then cd_store_place_sweep()).
 *
 * Links. Table place_records maps a record, (source id, key), to its
 * place, and keeps that link for as long as the record exists (records
 * that a run missed but the removal policy keeps included). A record seen
 * before goes back to its place, whatever it now says; a new record looks
 * for a place to join: the candidates share a key with it in place_keys (a
 * distinctive name token, the phone, the web site, the e-mail, the
 * address, or a cell of about 200 m around its coordinates), hold no
 * record of the same source (a source lists a shop once), and are scored
 * against each of their records with cd_match_score(); the best at or
 * above CD_MATCH_THRESHOLD wins. Else the record founds a place of its own.
 *
 * Ids. A place's id is the id of its founding record, cd_store_place_id()
 * of (source, key), and the place keeps it while records join and leave,
 * including the founder (places.source_id and key keep naming it). A
 * record that comes back after its place was removed gets the old id
 * again.
 *
 * Fields. After the records are linked, every place that gained, kept or
 * lost a record is assembled again from all its records: each field comes
 * from the record of the source with the highest priority that has it,
 * then the freshest (fetched_at), then by source id and key. The address
 * (street, number, postcode, city), the coordinates and the opening hours
 * (the OSM form with the text it was read from) each come as a whole from
 * one record, so that parts of two addresses are never mixed; readable
 * opening hours win over text that could not be read. places.provenance
 * keeps, for each field, the source that gave it. A place's hash covers its
 * data fields and the ids of its sources: a change of either takes a new
 * store version and a row in the change feed; a place left with no record
 * is removed.
 *
 * Also here: what normalising could not read (opening hours, category
 * words) is counted for the run's report.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "normalize/match.h"
#include "normalize/normalize.h"
#include "store/internal.h"

#define MAX_CANDIDATES 64    /* places scored for one new record */
#define MAX_RECORDS 32       /* records of one place assembled */
#define CELL_LAT 500.0       /* coordinate cells: 1/500 degree latitude */
#define CELL_LON 300.0       /* and 1/300 degree longitude, ~220 m here */

/* ---- small helpers ------------------------------------------------------ */

/* Prepare sql, bind ?1.. to the NULL-ended texts, step to the end. */
static int exec_texts(struct cd_store *s, struct cd_error *err,
                      const char *sql, const char *const *args)
{
    sqlite3_stmt *st = NULL;
    int rc, i;

    rc = cd_store_prepare(&st, s, sql, err);
    if(rc)
        return rc;
    for(i = 0; args && args[i]; i++)
        cd_store_bind_text(st, i + 1, args[i]);
    rc = sqlite3_step(st);
    if(rc == SQLITE_DONE || rc == SQLITE_ROW)
        rc = 0;
    else
        rc = cd_store_dberr(s, err, "merging places");
    sqlite3_finalize(st);
    return rc;
}

/*
 * The temporary tables of one commit: the places to assemble again, the
 * category words no line maps, and the keys whose record came back
 * unchanged, emptied at the end of the commit.
 * Foreign keys are checked at the end of the transaction (SQLite resets
 * the pragma there): a record refers to its place before the place is
 * written in cd_store_place_sweep().
 */
static int temp_setup(struct cd_store *s, struct cd_error *err)
{
    return cd_store_exec(s,
                         "PRAGMA defer_foreign_keys = ON;"
                         "CREATE TEMP TABLE IF NOT EXISTS merge_touched"
                         " (id TEXT PRIMARY KEY);"
                         "CREATE TEMP TABLE IF NOT EXISTS merge_unmapped"
                         " (word TEXT PRIMARY KEY);"
                         "CREATE TEMP TABLE IF NOT EXISTS merge_same"
                         " (key TEXT PRIMARY KEY, notes TEXT);", err);
}

static int oom(struct cd_store_commit *c, struct cd_error *err)
{
    return cd_error_set(err, CD_ENOMEM, "run %lld: out of memory",
                        (long long)c->run);
}

int cd_store_merge_begin(struct cd_store_commit *c, struct cd_error *err)
{
    const char *fp = cd_norm_fingerprint();
    char key[300];
    sqlite3_stmt *st = NULL;
    int rc = 0, same_norm;

    if(!c->temp_ready) {
        rc = temp_setup(c->s, err);
        if(rc)
            return rc;
        c->temp_ready = 1;
    }
    /* Normalised with other tables or another citydir last time: every
     * record is merged again, as if it had changed. */
    snprintf(key, sizeof(key), "normalized:%s", c->source_id);
    rc = cd_store_prepare(&st, c->s,
                          "SELECT value = ?2 FROM meta WHERE key = ?1", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, key);
    cd_store_bind_text(st, 2, fp);
    same_norm = sqlite3_step(st) == SQLITE_ROW &&
                sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    rc = exec_texts(c->s, err,
                    "INSERT INTO meta(key, value) VALUES (?1, ?2)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (const char *[]){ key, fp, NULL });
    if(rc || !same_norm)
        return rc;
    return exec_texts(c->s, err,
                      "INSERT OR IGNORE INTO temp.merge_same(key, notes)"
                      " SELECT s.key, r.notes FROM staged s JOIN records r"
                      " ON r.source_id = ?1 AND r.key = s.key"
                      " WHERE s.run_id = ?2 AND r.missing = 0"
                      " AND r.data = s.data AND r.url IS s.url",
                      (const char *[]){ c->source_id, c->run_text, NULL });
}

/* Whether the record under key came back as it was (cd_store_merge_begin):
 * 1, with *notes the notes kept with it (malloc'd, NULL when none), or 0;
 * or an error. */
static int record_same(char **notes, struct cd_store_commit *c,
                       const char *key, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *t;
    int rc;

    *notes = NULL;
    rc = cd_store_prepare(&st, c->s,
                          "SELECT notes FROM temp.merge_same WHERE key = ?1",
                          err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        t = (const char *)sqlite3_column_text(st, 0);
        rc = 1;
        if(t) {
            *notes = strdup(t);
            if(!*notes)
                rc = oom(c, err);
        }
    }
    else if(rc == SQLITE_DONE)
        rc = 0;
    else
        rc = cd_store_dberr(c->s, err, "run %lld: reading unchanged keys",
                            (long long)c->run);
    sqlite3_finalize(st);
    return rc;
}

/* Normalise a stored record's JSON into p (initialised here). */
static int record_norm(struct cd_place *p, struct cd_norm_notes *notes,
                       const char *data, const char *url)
{
    struct cd_record rec;
    int rc;

    cd_place_init(p);
    rc = cd_record_from_json(&rec, data, url);
    if(!rc)
        rc = cd_normalize_place_notes(p, notes, &rec);
    cd_record_dispose(&rec);
    return rc;
}

/* ---- keys: how candidates are found ------------------------------------ */

/* A web address as a key: no scheme, no "www.", no trailing "/". */
static int web_key(struct cd_strlist *out, const char *u)
{
    const char *p = strstr(u, "://");
    char buf[600];
    size_t n;

    p = p ? p + 3 : u;
    if(!strncmp(p, "www.", 4))
        p += 4;
    n = strlen(p);
    while(n > 0 && p[n - 1] == '/')
        n--;
    snprintf(buf, sizeof(buf), "w:%.*s", (int)(n < 500 ? n : 500), p);
    return cd_strlist_add(out, buf, strlen(buf));
}

/* Add "k:" + v to out. */
static int key_add(struct cd_strlist *out, const char *k, const char *v)
{
    char buf[600];

    snprintf(buf, sizeof(buf), "%s:%.500s", k, v);
    return cd_strlist_add(out, buf, strlen(buf));
}

/* The cell key of a point, shifted by (di, dj) cells. */
static int cell_key(struct cd_strlist *out, double lat, double lon, int di,
                    int dj)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "g:%ld:%ld",
             (long)floor(lat * CELL_LAT) + di,
             (long)floor(lon * CELL_LON) + dj);
    return cd_strlist_add(out, buf, strlen(buf));
}

/*
 * The keys of a normalised record. With `around`, the coordinate cells
 * around its own too (for looking up; a place is stored under its own
 * cell only). 0 or CD_ENOMEM.
 */
static int keys_of(struct cd_strlist *out, const struct cd_place *p,
                   int around)
{
    struct cd_strlist names = { NULL, 0 };
    char *street = NULL, buf[600];
    size_t i;
    int rc = 0, di, dj;

    if(p->name)
        rc = cd_match_name_keys(&names, p->name);
    for(i = 0; !rc && i < names.n; i++)
        rc = key_add(out, "n", names.v[i]);
    cd_strlist_dispose(&names);
    if(!rc && p->phone)
        rc = key_add(out, "p", p->phone);
    if(!rc && p->email)
        rc = key_add(out, "e", p->email);
    if(!rc && p->website)
        rc = web_key(out, p->website);
    if(!rc && p->street && p->housenumber && p->postcode) {
        rc = cd_match_fold(&street, p->street);
        if(!rc) {
            snprintf(buf, sizeof(buf), "%s|%.400s|%s", p->postcode, street,
                     p->housenumber);
            rc = key_add(out, "a", buf);
        }
        free(street);
        if(rc == CD_EINVALID)
            rc = 0;
    }
    for(di = -around; !rc && di <= around && p->has_coords; di++)
        for(dj = -around; !rc && dj <= around; dj++)
            rc = cell_key(out, p->lat, p->lon, di, dj);
    return rc;
}

/* ---- linking a record to a place --------------------------------------- */

/* The place (source, key) is linked to: 0 and out filled, or
 * CD_ENOTFOUND. */
static int link_get(char out[17], struct cd_store_commit *c, const char *key,
                    struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *id;
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "SELECT place_id FROM place_records"
                          " WHERE source_id = ?1 AND key = ?2", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, c->source_id);
    cd_store_bind_text(st, 2, key);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
        id = (const char *)sqlite3_column_text(st, 0);
        snprintf(out, 17, "%s", id ? id : "");
        rc = 0;
    }
    else if(rc == SQLITE_DONE)
        rc = CD_ENOTFOUND;
    else
        rc = cd_store_dberr(c->s, err, "run %lld: reading the place of '%s'",
                            (long long)c->run, key);
    sqlite3_finalize(st);
    return rc;
}

/* Link (source, key) to place id and mark the place to assemble. */
static int link_set(struct cd_store_commit *c, const char *key,
                    const char *id, struct cd_error *err)
{
    const char *a1[] = { c->source_id, key, id, c->now, NULL };
    const char *a2[] = { id, NULL };
    int rc;

    rc = exec_texts(c->s, err,
                    "INSERT INTO place_records(source_id, key, place_id,"
                    " linked_at) VALUES (?1, ?2, ?3, ?4)"
                    " ON CONFLICT(source_id, key) DO UPDATE SET"
                    " place_id = excluded.place_id", a1);
    if(!rc)
        rc = exec_texts(c->s, err,
                        "INSERT OR IGNORE INTO temp.merge_touched(id)"
                        " VALUES (?1)", a2);
    return rc;
}

/* Add the ids of places stored under key k to ids, without duplicates. */
static int candidates_of(struct cd_strlist *ids, struct cd_store_commit *c,
                         const char *k, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *id;
    size_t i;
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "SELECT place_id FROM place_keys WHERE key = ?1"
                          " ORDER BY place_id LIMIT 64", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, k);
    while(ids->n < MAX_CANDIDATES && sqlite3_step(st) == SQLITE_ROW) {
        id = (const char *)sqlite3_column_text(st, 0);
        if(!id)
            continue;
        for(i = 0; i < ids->n && strcmp(ids->v[i], id); i++)
            ;
        if(i == ids->n && cd_strlist_add(ids, id, strlen(id))) {
            rc = oom(c, err);
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/*
 * The best score of p against the records of live place `id`, or -inf
 * when the place is removed or already holds a record of the commit's
 * source (other than `key`).
 */
static int candidate_score(double *out, struct cd_store_commit *c,
                           const char *id, const char *key,
                           const struct cd_place *p, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct cd_place q;
    double sc;
    int rc;

    *out = -HUGE_VAL;
    rc = cd_store_prepare(&st, c->s,
                          "SELECT r.data, r.url FROM place_records pr"
                          " JOIN records r ON r.source_id = pr.source_id"
                          "  AND r.key = pr.key"
                          " JOIN places p ON p.id = pr.place_id"
                          " WHERE pr.place_id = ?1 AND p.deleted = 0"
                          " AND NOT EXISTS (SELECT 1 FROM place_records o"
                          "  WHERE o.place_id = ?1 AND o.source_id = ?2"
                          "  AND o.key != ?3)"
                          " LIMIT 32", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    cd_store_bind_text(st, 2, c->source_id);
    cd_store_bind_text(st, 3, key);
    while(sqlite3_step(st) == SQLITE_ROW) {
        rc = record_norm(&q, NULL,
                         (const char *)sqlite3_column_text(st, 0),
                         (const char *)sqlite3_column_text(st, 1));
        if(rc == CD_ENOMEM) {
            cd_place_dispose(&q);
            rc = oom(c, err);
            break;
        }
        rc = 0;
        sc = cd_match_score(p, &q, NULL);
        if(sc > *out)
            *out = sc;
        cd_place_dispose(&q);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The place a new record of the commit's source joins: out filled, or
 * "" when none matches. */
static int find_match(char out[17], struct cd_store_commit *c,
                      const char *key, const struct cd_place *p,
                      struct cd_error *err)
{
    struct cd_strlist keys = { NULL, 0 }, ids = { NULL, 0 };
    double best = -HUGE_VAL, sc;
    size_t i;
    int rc;

    out[0] = '\0';
    rc = keys_of(&keys, p, 1);
    if(rc)
        rc = oom(c, err);
    for(i = 0; !rc && i < keys.n; i++)
        rc = candidates_of(&ids, c, keys.v[i], err);
    for(i = 0; !rc && i < ids.n; i++) {
        rc = candidate_score(&sc, c, ids.v[i], key, p, err);
        /* ids are in first-found order; ties go to the smaller id */
        if(!rc && sc >= CD_MATCH_THRESHOLD &&
           (sc > best || (sc == best && strcmp(ids.v[i], out) < 0))) {
            best = sc;
            snprintf(out, 17, "%s", ids.v[i]);
        }
    }
    cd_strlist_dispose(&keys);
    cd_strlist_dispose(&ids);
    return rc;
}

/* Note what normalising could not read, for the run's report. */
static int notes_keep(struct cd_store_commit *c,
                      const struct cd_norm_notes *notes,
                      struct cd_error *err)
{
    const char *a[2] = { NULL, NULL };
    size_t i;
    int rc = 0;

    c->stats->hours_unreadable += notes->hours_unreadable;
    for(i = 0; !rc && i < notes->unmapped.n; i++) {
        a[0] = notes->unmapped.v[i];
        rc = exec_texts(c->s, err,
                        "INSERT OR IGNORE INTO temp.merge_unmapped(word)"
                        " VALUES (?1)", a);
    }
    return rc;
}

/* The notes as kept with a record: JSON, or NULL when there are none. */
static int notes_json(char **out, const struct cd_norm_notes *notes)
{
    json_t *o, *a;
    size_t i;

    *out = NULL;
    if(!notes->hours_unreadable && !notes->unmapped.n)
        return 0;
    o = json_object();
    a = json_array();
    for(i = 0; o && a && i < notes->unmapped.n; i++)
        if(json_array_append_new(a, json_string(notes->unmapped.v[i])))
            break;
    if(o && a && !json_object_set_new(o, "hours_unreadable",
                                      json_integer(notes->hours_unreadable))
       && !json_object_set_new(o, "unmapped", a)) {
        a = NULL;
        *out = json_dumps(o, JSON_COMPACT);
    }
    json_decref(a);
    json_decref(o);
    return *out ? 0 : CD_ENOMEM;
}

/* Count notes kept with an unchanged record (notes_json()'s form) into
 * the run's report, as if it had been normalised again. */
static int notes_replay(struct cd_store_commit *c, const char *text,
                        struct cd_error *err)
{
    struct cd_norm_notes notes;
    json_t *o, *v;
    size_t i;
    int rc = 0;

    if(!text)
        return 0;
    memset(&notes, 0, sizeof(notes));
    o = json_loads(text, 0, NULL);
    if(!o)
        return 0;   /* unreadable notes only cost the report a count */
    notes.hours_unreadable =
        (int)json_integer_value(json_object_get(o, "hours_unreadable"));
    json_array_foreach(json_object_get(o, "unmapped"), i, v) {
        if(json_is_string(v) &&
           cd_strlist_add(&notes.unmapped, json_string_value(v),
                          json_string_length(v))) {
            rc = oom(c, err);
            break;
        }
    }
    if(!rc)
        rc = notes_keep(c, &notes, err);
    cd_strlist_dispose(&notes.unmapped);
    json_decref(o);
    return rc;
}

/*
 * Link one staged record (its JSON `data`) to a place: the one it was
 * linked to, a place of other sources it matches, or a new one. The place
 * is assembled again in cd_store_place_sweep(). out_id receives the id,
 * *out_notes what normalising could not read (JSON to keep with the
 * record, malloc'd; NULL when nothing). CD_EINVALID when data is not a
 * record's JSON.
 */
int cd_store_place_merge(char out_id[17], char **out_notes,
                         struct cd_store_commit *c,
                         const char *key, const char *url, const char *data,
                         const char *fetched_at, struct cd_error *err)
{
    struct cd_norm_notes notes;
    struct cd_place p;
    char *kept = NULL;
    int rc, linked;

    (void)fetched_at;
    memset(&notes, 0, sizeof(notes));
    cd_place_init(&p);
    out_id[0] = '\0';
    *out_notes = NULL;
    if(!c->temp_ready) {
        rc = temp_setup(c->s, err);
        if(rc)
            return rc;
        c->temp_ready = 1;
    }
    /* Unchanged and still linked: its place needs no new assembly, and
     * the record no new normalising, so a re-crawl of an unchanged site
     * changes no place (nor its bytes in an export of the same version). */
    rc = link_get(out_id, c, key, err);
    linked = rc == 0;
    if(rc && rc != CD_ENOTFOUND)
        return rc;
    if(linked) {
        rc = record_same(&kept, c, key, err);
        if(rc < 0)
            return rc;
        if(rc == 1) {
            rc = notes_replay(c, kept, err);
            if(rc)
                free(kept);
            else
                *out_notes = kept;
            return rc;
        }
    }
    rc = record_norm(&p, &notes, data, url);
    if(rc == CD_EINVALID) {
        rc = cd_error_set(err, rc,
                          "%s: run %lld: staged record '%s' is not a "
                          "record's JSON", c->s->path, (long long)c->run,
                          key);
        goto out;
    }
    if(rc) {
        rc = oom(c, err);
        goto out;
    }
    rc = notes_keep(c, &notes, err);
    if(!rc && notes_json(out_notes, &notes))
        rc = oom(c, err);
    if(!rc && !linked) {
        rc = find_match(out_id, c, key, &p, err);
        if(!rc && !out_id[0] && cd_store_place_id(out_id, c->source_id, key))
            rc = oom(c, err);
    }
    if(!rc)
        rc = link_set(c, key, out_id, err);
out:
    cd_strlist_dispose(&notes.unmapped);
    cd_place_dispose(&p);
    return rc;
}

/* ---- assembling a place ------------------------------------------------ */

/* One record of a place, normalised, best first. */
struct member {
    struct cd_place p;   /* its values, normal form */
    char *source;        /* source id */
    char *url;
    char *fetched_at;
    char *license;       /* the record's own licence, else its source's */
};

/* Load the records linked to place id, best first, into m (*n of them). */
static int members_load(struct member *m, size_t *n,
                        struct cd_store_commit *c, const char *id,
                        struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    struct member *x;
    int rc;

    *n = 0;
    rc = cd_store_prepare(&st, c->s,
                          "SELECT r.source_id, r.url, r.data, r.fetched_at,"
                          " coalesce(json_extract(r.data, '$.license'),"
                          "          s.license)"
                          " FROM place_records pr"
                          " JOIN records r ON r.source_id = pr.source_id"
                          "  AND r.key = pr.key"
                          " LEFT JOIN sources s ON s.id = r.source_id"
                          " WHERE pr.place_id = ?1"
                          " ORDER BY coalesce(s.priority, 50) DESC,"
                          " r.fetched_at DESC, r.source_id, r.key", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    while(*n < MAX_RECORDS && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        x = &m[*n];
        memset(x, 0, sizeof(*x));
        rc = record_norm(&x->p, NULL,
                         (const char *)sqlite3_column_text(st, 2),
                         (const char *)sqlite3_column_text(st, 1));
        (*n)++;
        if(rc == CD_EINVALID) {
            rc = cd_error_set(err, rc, "%s: place %s: a stored record is "
                              "not a record's JSON", c->s->path, id);
            goto out;
        }
        if(!rc)
            rc = cd_store_column_dup(&x->source, st, 0);
        if(!rc)
            rc = cd_store_column_dup(&x->url, st, 1);
        if(!rc)
            rc = cd_store_column_dup(&x->fetched_at, st, 3);
        if(!rc)
            rc = cd_store_column_dup(&x->license, st, 4);
        if(rc) {
            rc = oom(c, err);
            goto out;
        }
    }
    if(rc == SQLITE_ROW || rc == SQLITE_DONE)
        rc = 0;
    else if(rc > 0)
        rc = cd_store_dberr(c->s, err, "run %lld: reading the records of "
                            "place %s", (long long)c->run, id);
out:
    sqlite3_finalize(st);
    return rc;
}

static void members_dispose(struct member *m, size_t n)
{
    size_t i;

    for(i = 0; i < n; i++) {
        cd_place_dispose(&m[i].p);
        free(m[i].source);
        free(m[i].url);
        free(m[i].fetched_at);
        free(m[i].license);
    }
}

/* The fields of a place as provenance names them, and whether member x
 * has each. */
enum pfield {
    PF_NAME, PF_CATEGORIES, PF_ADDRESS, PF_COORDINATES, PF_PHONE, PF_EMAIL,
    PF_WEBSITE, PF_OPENING_HOURS, PF_DELIVERY, PF_PICKUP, PF_ONLINE_SHOP,
    PF_WHEELCHAIR, PF_DESCRIPTION, PF__COUNT
};

static const char *const pfield_names[PF__COUNT] = {
    "name", "categories", "address", "coordinates", "phone", "email",
    "website", "opening_hours", "delivery", "pickup", "online_shop",
    "wheelchair", "description",
};

/* Whether p has field f; for opening hours, pass 0 asks for a readable
 * value, pass 1 for any text. */
static int has(const struct cd_place *p, enum pfield f, int pass)
{
    switch(f) {
    case PF_NAME: return p->name != NULL;
    case PF_CATEGORIES: return p->source_categories.n || p->categories.n;
    case PF_ADDRESS: return p->street || (pass && (p->postcode || p->city));
    case PF_COORDINATES: return p->has_coords;
    case PF_PHONE: return p->phone != NULL;
    case PF_EMAIL: return p->email != NULL;
    case PF_WEBSITE: return p->website != NULL;
    case PF_OPENING_HOURS:
        return pass ? p->opening_hours_text != NULL
                    : p->opening_hours != NULL;
    case PF_DELIVERY: return p->delivery != CD_TRI_NULL;
    case PF_PICKUP: return p->pickup != CD_TRI_NULL;
    case PF_ONLINE_SHOP: return p->online_shop != CD_TRI_NULL;
    case PF_WHEELCHAIR: return p->wheelchair != NULL;
    case PF_DESCRIPTION: return p->description != NULL;
    default: return 0;
    }
}

/* Move field f of src into dst (src loses it). */
static void take(struct cd_place *dst, struct cd_place *src, enum pfield f)
{
    struct cd_strlist t;

#define MOVE(x) do { free(dst->x); dst->x = src->x; src->x = NULL; } while(0)
    switch(f) {
    case PF_NAME: MOVE(name); break;
    case PF_CATEGORIES:
        t = dst->categories;
        dst->categories = src->categories;
        src->categories = t;
        t = dst->source_categories;
        dst->source_categories = src->source_categories;
        src->source_categories = t;
        break;
    case PF_ADDRESS:
        MOVE(street);
        MOVE(housenumber);
        MOVE(postcode);
        MOVE(city);
        break;
    case PF_COORDINATES:
        dst->has_coords = 1;
        dst->lat = src->lat;
        dst->lon = src->lon;
        break;
    case PF_PHONE: MOVE(phone); break;
    case PF_EMAIL: MOVE(email); break;
    case PF_WEBSITE: MOVE(website); break;
    case PF_OPENING_HOURS:
        MOVE(opening_hours);
        MOVE(opening_hours_text);
        break;
    case PF_DELIVERY: dst->delivery = src->delivery; break;
    case PF_PICKUP: dst->pickup = src->pickup; break;
    case PF_ONLINE_SHOP: dst->online_shop = src->online_shop; break;
    case PF_WHEELCHAIR: MOVE(wheelchair); break;
    case PF_DESCRIPTION: MOVE(description); break;
    default: break;
    }
#undef MOVE
}

/*
 * Fill out (initialised) from the members, best first, and set
 * prov[f] to the member index that gave field f (-1: none).
 */
static void assemble(struct cd_place *out, int prov[PF__COUNT],
                     struct member *m, size_t n)
{
    size_t i;
    int f, pass, passes;

    for(f = 0; f < PF__COUNT; f++) {
        prov[f] = -1;
        passes = (f == PF_OPENING_HOURS || f == PF_ADDRESS) ? 2 : 1;
        for(pass = 0; pass < passes && prov[f] < 0; pass++) {
            for(i = 0; i < n; i++) {
                if(has(&m[i].p, (enum pfield)f, pass)) {
                    take(out, &m[i].p, (enum pfield)f);
                    prov[f] = (int)i;
                    break;
                }
            }
        }
    }
}

/* A JSON array of a string list; NULL when memory is out. */
static char *list_json(const struct cd_strlist *l)
{
    json_t *a = json_array();
    char *s;
    size_t i;

    for(i = 0; a && i < l->n; i++) {
        if(json_array_append_new(a, json_string(l->v[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

/* The texts a place is written with. */
struct texts {
    char *data;        /* canonical data JSON, cd_store_place_data_json() */
    char *cats;
    char *scats;
    char *sources;     /* [{source, url, fetched_at, license}, ...] */
    char *prov;        /* {"field": "source id", ...} */
    char hash[33];
};

static void texts_dispose(struct texts *t)
{
    free(t->data);
    free(t->cats);
    free(t->scats);
    free(t->sources);
    free(t->prov);
}

/* Build the texts of place p made of members m; 0 or CD_ENOMEM. */
static int texts_make(struct texts *t, const struct cd_place *p,
                      const struct member *m, size_t n,
                      const int prov[PF__COUNT])
{
    json_t *src = json_array(), *pv = json_object(), *o;
    char *ids = NULL, *hs = NULL;
    size_t i, len = 0;
    int f, bad = !src || !pv;

    for(i = 0; !bad && i < n; i++) {
        o = json_pack("{s:s, s:s?, s:s?, s:s?}", "source", m[i].source,
                      "url", m[i].url, "fetched_at", m[i].fetched_at,
                      "license", m[i].license);
        bad = !o || json_array_append_new(src, o);
    }
    for(f = 0; !bad && f < PF__COUNT; f++) {
        if(prov[f] >= 0)
            bad = json_object_set_new(pv, pfield_names[f],
                                      json_string(m[prov[f]].source));
    }
    if(!bad) {
        t->sources = json_dumps(src, JSON_COMPACT);
        t->prov = json_dumps(pv, JSON_COMPACT | JSON_PRESERVE_ORDER);
        t->data = cd_store_place_data_json(p);
        t->cats = list_json(&p->categories);
        t->scats = list_json(&p->source_categories);
    }
    json_decref(src);
    json_decref(pv);
    if(bad || !t->sources || !t->prov || !t->data || !t->cats || !t->scats)
        return CD_ENOMEM;
    /* the hash: data fields and which sources (sorted) make the place */
    for(i = 0; i < n; i++)
        len += strlen(m[i].source) + 1;
    ids = calloc(1, len + 1);
    hs = ids ? malloc(strlen(t->data) + len + 2) : NULL;
    if(!hs) {
        free(ids);
        return CD_ENOMEM;
    }
    {
        /* members are few: a selection sort of their source ids */
        const char *prev = "", *next;
        size_t k, at = 0;

        for(k = 0; k < n; k++) {
            next = NULL;
            for(i = 0; i < n; i++) {
                if(strcmp(m[i].source, prev) > 0 &&
                   (!next || strcmp(m[i].source, next) < 0))
                    next = m[i].source;
            }
            if(!next)
                break;
            at += (size_t)snprintf(ids + at, len + 1 - at, "%s,", next);
            prev = next;
        }
    }
    snprintf(hs, strlen(t->data) + len + 2, "%s\n%s", t->data, ids);
    cd_hash_hex(t->hash, hs, strlen(hs));
    free(hs);
    free(ids);
    return 0;
}

/* Log a change of place id (fields: JSON or NULL) at the next version. */
static int change_log(struct cd_store_commit *c, const char *id,
                      const char *kind, const char *fields,
                      struct cd_error *err)
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
    cd_store_bind_text(st, 7, fields);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: logging change %lld",
                            (long long)c->run, (long long)c->version);
    cd_store_stmt_done(st);
    return rc;
}

/* *out_kind: "added" (no live place id), "changed", or NULL (same hash). */
static int compare(const char **out_kind, struct cd_store_commit *c,
                   const char *id, const char *hash, struct cd_error *err)
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
    }
    else if(rc == SQLITE_DONE)
        rc = 0;
    else
        rc = cd_store_dberr(c->s, err, "run %lld: reading place %s",
                            (long long)c->run, id);
    cd_store_stmt_done(st);
    return rc;
}

static void bind_tri(sqlite3_stmt *st, int i, int v)
{
    if(v == CD_TRI_NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int(st, i, v == CD_TRI_YES);
}

/*
 * The founding record of place id: the linked record whose hash the id is,
 * copied into *src and *key (both NULL when it left the place: the place
 * exists then, and an update does not touch them).
 */
static int founder(char **src, char **key, struct cd_store_commit *c,
                   const char *id, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *s, *k;
    char fid[17];
    int rc;

    *src = *key = NULL;
    rc = cd_store_prepare(&st, c->s,
                          "SELECT source_id, key FROM place_records"
                          " WHERE place_id = ?1", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    while(sqlite3_step(st) == SQLITE_ROW) {
        s = (const char *)sqlite3_column_text(st, 0);
        k = (const char *)sqlite3_column_text(st, 1);
        if(!s || !k || cd_store_place_id(fid, s, k) || strcmp(fid, id))
            continue;
        *src = strdup(s);
        *key = strdup(k);
        if(!*src || !*key) {
            CD_FREE(*src);
            CD_FREE(*key);
            rc = oom(c, err);
        }
        break;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Write all of place id (insert or update; source_id, key and first_seen
 * are set on insert only). */
static int write_place(struct cd_store_commit *c, const char *id,
                       const struct cd_place *p, const struct texts *t,
                       struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    char *fsrc = NULL, *fkey = NULL;
    const char *a[] = { id, t->prov, NULL };
    int rc;

    rc = founder(&fsrc, &fkey, c, id, err);
    if(!rc)
        rc = cd_store_stmt(&st, c->s, CD_ST_PLACE_UPSERT, err);
    if(rc)
        goto out;
    cd_store_bind_text(st, 1, id);
    cd_store_bind_text(st, 2, fsrc ? fsrc : c->source_id);
    cd_store_bind_text(st, 3, fkey ? fkey : id);
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
        rc = cd_store_dberr(c->s, err, "run %lld: writing place %s",
                            (long long)c->run, id);
    cd_store_stmt_done(st);
    if(!rc)
        rc = exec_texts(c->s, err,
                        "UPDATE places SET provenance = ?2 WHERE id = ?1",
                        a);
out:
    free(fsrc);
    free(fkey);
    return rc;
}

/* Store place id under the keys of its members. */
static int keys_write(struct cd_store_commit *c, const char *id,
                      const struct member *m, size_t n,
                      struct cd_error *err)
{
    struct cd_strlist keys = { NULL, 0 };
    const char *a[3] = { id, NULL, NULL };
    size_t i;
    int rc;

    rc = exec_texts(c->s, err, "DELETE FROM place_keys WHERE place_id = ?1",
                    a);
    for(i = 0; !rc && i < n; i++) {
        if(keys_of(&keys, &m[i].p, 0))
            rc = oom(c, err);
    }
    for(i = 0; !rc && i < keys.n; i++) {
        a[1] = keys.v[i];
        rc = exec_texts(c->s, err,
                        "INSERT OR IGNORE INTO place_keys(key, place_id)"
                        " VALUES (?2, ?1)", a);
    }
    cd_strlist_dispose(&keys);
    return rc;
}

/* Mark place id removed (when live), taking a version. */
static int remove_place(struct cd_store_commit *c, const char *id,
                        struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *a[] = { id, NULL };
    int rc, live = 0;

    rc = cd_store_prepare(&st, c->s,
                          "SELECT 1 FROM places WHERE id = ?1"
                          " AND deleted = 0", err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    live = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    rc = exec_texts(c->s, err, "DELETE FROM place_keys WHERE place_id = ?1",
                    a);
    if(rc || !live)
        return rc;
    c->version++;
    rc = cd_store_stmt(&st, c->s, CD_ST_PLACE_REMOVE, err);
    if(rc)
        return rc;
    cd_store_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, c->version);
    cd_store_bind_text(st, 3, c->now);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: removing place %s",
                            (long long)c->run, id);
    cd_store_stmt_done(st);
    if(!rc)
        rc = change_log(c, id, "removed", NULL, err);
    if(!rc)
        c->stats->removed++;
    return rc;
}

/* Refresh where an unchanged place was seen, without a new version. */
static int touch_sources(struct cd_store_commit *c, const char *id,
                         const struct texts *t, struct cd_error *err)
{
    const char *a[] = { id, t->sources, t->prov, NULL };

    return exec_texts(c->s, err,
                      "UPDATE places SET sources = ?2, provenance = ?3"
                      " WHERE id = ?1", a);
}

/* Assemble place id again from its records; write, change or remove it,
 * counting what it did in the run's stats. */
static int place_assemble(struct cd_store_commit *c, const char *id,
                          struct cd_error *err)
{
    struct member m[MAX_RECORDS];
    struct cd_place p;
    struct texts t;
    int prov[PF__COUNT];
    const char *kind;
    char *fields = NULL;
    size_t n = 0;
    int rc;

    memset(&t, 0, sizeof(t));
    cd_place_init(&p);
    rc = members_load(m, &n, c, id, err);
    if(rc)
        goto out;
    if(n == 0) {
        rc = remove_place(c, id, err);
        goto out;
    }
    rc = keys_write(c, id, m, n, err);
    if(rc)
        goto out;
    assemble(&p, prov, m, n);
    if(texts_make(&t, &p, m, n, prov)) {
        rc = oom(c, err);
        goto out;
    }
    rc = compare(&kind, c, id, t.hash, err);
    if(rc)
        goto out;
    if(!kind) {
        rc = touch_sources(c, id, &t, err);
        goto out;
    }
    if(!strcmp(kind, "changed")) {
        rc = cd_store_change_fields(&fields, c, id, t.data, err);
        if(rc)
            goto out;
    }
    c->version++;
    rc = write_place(c, id, &p, &t, err);
    if(!rc)
        rc = change_log(c, id, kind, fields, err);
    if(rc)
        goto out;
    if(!strcmp(kind, "added"))
        c->stats->added++;
    else
        c->stats->changed++;
out:
    free(fields);
    texts_dispose(&t);
    cd_place_dispose(&p);
    members_dispose(m, n);
    return rc;
}

/* ---- the end of a commit ----------------------------------------------- */

/* Collect the ids a query gives (one text column, ?1 = the source). */
static int ids_collect(struct cd_strlist *out, struct cd_store_commit *c,
                       const char *sql, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    const char *id;
    int rc;

    rc = cd_store_prepare(&st, c->s, sql, err);
    if(rc)
        return rc;
    if(sqlite3_bind_parameter_count(st) >= 1)
        cd_store_bind_text(st, 1, c->source_id);
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
        id = (const char *)sqlite3_column_text(st, 0);
        if(id && cd_strlist_add(out, id, strlen(id))) {
            rc = oom(c, err);
            goto out;
        }
    }
    rc = rc == SQLITE_DONE ? 0
                           : cd_store_dberr(c->s, err, "run %lld: merging",
                                            (long long)c->run);
out:
    sqlite3_finalize(st);
    return rc;
}

/*
 * Once per database: key every live place that has none (a database made
 * before merging), so that records of other sources find them.
 */
static int keys_backfill(struct cd_store_commit *c, struct cd_error *err)
{
    struct cd_strlist ids = { NULL, 0 };
    struct member m[MAX_RECORDS];
    size_t i, n;
    int rc;

    rc = ids_collect(&ids, c,
                     "SELECT p.id FROM places p WHERE p.deleted = 0"
                     " AND NOT EXISTS (SELECT 1 FROM place_keys k"
                     "  WHERE k.place_id = p.id)"
                     " AND (SELECT value FROM meta"
                     "  WHERE key = 'place_keys') = 0", err);
    for(i = 0; !rc && i < ids.n; i++) {
        rc = members_load(m, &n, c, ids.v[i], err);
        if(!rc)
            rc = keys_write(c, ids.v[i], m, n, err);
        members_dispose(m, n);
    }
    if(!rc)
        rc = cd_store_exec(c->s, "UPDATE meta SET value = 1"
                           " WHERE key = 'place_keys'", err);
    cd_strlist_dispose(&ids);
    return rc;
}

/* Keep what normalising could not read with the run. */
static int notes_store(struct cd_store_commit *c, struct cd_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = cd_store_prepare(&st, c->s,
                          "UPDATE runs SET hours_unreadable = ?2,"
                          " unmapped = (SELECT json_group_array(word) FROM"
                          "  (SELECT word FROM temp.merge_unmapped"
                          "   ORDER BY word)) WHERE id = ?1", err);
    if(rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->run);
    sqlite3_bind_int64(st, 2, c->stats->hours_unreadable);
    if(sqlite3_step(st) != SQLITE_DONE)
        rc = cd_store_dberr(c->s, err, "run %lld: keeping its notes",
                            (long long)c->run);
    sqlite3_finalize(st);
    return rc;
}

/*
 * End the merging of a commit: unlink the records of the source that are
 * gone (the removal policy dropped them), then assemble again every place
 * that gained, kept or lost a record, in the order they were touched
 * (staged key order, then removals); places left with no
 * record are removed. Additions and changes of places the commit's source
 * has records in count in its stats, as do removals.
 */
int cd_store_place_sweep(struct cd_store_commit *c, struct cd_error *err)
{
    struct cd_strlist ids = { NULL, 0 };
    size_t i;
    int rc;

    rc = temp_setup(c->s, err);
    if(!rc)
        rc = keys_backfill(c, err);
    /* records dropped by the removal policy: their places lose them */
    if(!rc)
        rc = cd_store_exec(c->s,
                           "CREATE TEMP TABLE IF NOT EXISTS merge_gone"
                           " (source_id TEXT, key TEXT);"
                           "DELETE FROM temp.merge_gone;", err);
    if(!rc)
        rc = exec_texts(c->s, err,
                        "INSERT INTO temp.merge_gone SELECT source_id, key"
                        " FROM place_records pr WHERE source_id = ?1"
                        " AND NOT EXISTS (SELECT 1 FROM records r"
                        "  WHERE r.source_id = pr.source_id"
                        "  AND r.key = pr.key)",
                        (const char *[]){ c->source_id, NULL });
    if(!rc)
        rc = cd_store_exec(c->s,
                           "INSERT OR IGNORE INTO temp.merge_touched(id)"
                           " SELECT place_id FROM place_records pr"
                           " JOIN temp.merge_gone g ON g.source_id ="
                           " pr.source_id AND g.key = pr.key;"
                           "DELETE FROM place_records WHERE EXISTS"
                           " (SELECT 1 FROM temp.merge_gone g WHERE"
                           " g.source_id = place_records.source_id"
                           " AND g.key = place_records.key);"
                           "DELETE FROM temp.merge_gone;", err);
    /* live places of the source no record refers to (older databases) */
    if(!rc)
        rc = exec_texts(c->s, err,
                        "INSERT OR IGNORE INTO temp.merge_touched(id)"
                        " SELECT id FROM places p WHERE source_id = ?1"
                        " AND deleted = 0 AND NOT EXISTS (SELECT 1 FROM"
                        " place_records pr WHERE pr.place_id = p.id)",
                        (const char *[]){ c->source_id, NULL });
    if(!rc)
        rc = ids_collect(&ids, c,
                         "SELECT id FROM temp.merge_touched ORDER BY rowid",
                         err);
    for(i = 0; !rc && i < ids.n; i++)
        rc = place_assemble(c, ids.v[i], err);
    if(!rc)
        rc = notes_store(c, err);
    if(!rc)
        rc = cd_store_exec(c->s, "DELETE FROM temp.merge_touched;"
                           "DELETE FROM temp.merge_unmapped;"
                           "DELETE FROM temp.merge_same;", err);
    cd_strlist_dispose(&ids);
    return rc;
}
