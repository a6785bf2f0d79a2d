/* SPDX-License-Identifier: MIT */
/*
 * The format table and what the writers share (export/write.h): reading
 * the store's version, streaming rendered items to the file, UTF-8 and
 * JSON string output, coordinates, a place as a contract-3 JSON object,
 * and the flat columns that GeoJSON properties and CSV have in common.
 *
 * Places are rendered by hand rather than through jansson: that keeps the
 * key order of contract 3, the number format (at most 7 decimals, never an
 * exponent, whatever the locale) and the byte-for-byte output under our
 * control, and it costs no allocation per value.
 */
#include "export/write.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the format table ------------------------------------------------- */

static const struct cd_exporter *const cd_exporters[] = {
    &cd_exporter_json,
    &cd_exporter_geojson,
    &cd_exporter_csv,
};

/* The exporter named `name` (export/export.h), or NULL. */
const struct cd_exporter *cd_exporter_find(const char *name)
{
    size_t i;

    if(!name)
        return NULL;
    for(i = 0; i < CD_ARRAY_SIZE(cd_exporters); i++)
        if(!strcmp(cd_exporters[i]->name, name))
            return cd_exporters[i];
    return NULL;
}

/* The table of exporters, in --help order (export/export.h). */
const struct cd_exporter *const *cd_exporter_list(size_t *n)
{
    *n = CD_ARRAY_SIZE(cd_exporters);
    return cd_exporters;
}

/* ---- version and options ---------------------------------------------- */

/* Version, time and options of one export (export/write.h). */
int cd_export_meta_load(struct cd_export_meta *out, struct cd_store *s,
                        const struct cd_export_opts *o, struct cd_error *err)
{
    int64_t ms = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    out->since = o ? o->since : -1;
    out->q.city = o ? o->city : NULL;
    out->q.since = out->since;
    out->sq.city = out->q.city;
    out->sq.since = -1;
    if(out->since < -1)
        return cd_error_set(err, CD_EINVALID,
                            "--since %" PRId64 ": not a version",
                            out->since);
    rc = cd_store_version(&out->version, s, err);
    if(rc)
        return rc;
    if(out->since > out->version)
        return cd_error_set(err, CD_EINVALID,
                            "--since %" PRId64 " is after the store's "
                            "version %" PRId64 " (a different or reset "
                            "database?)", out->since, out->version);
    if(out->version > 0) {
        rc = cd_store_version_time(&ms, s, out->version, err);
        if(rc)
            return rc;
    }
    if(ms > 0)
        cd_time_format(out->generated_at, ms);
    return 0;
}

/* ---- streaming -------------------------------------------------------- */

/* Streaming state; see export/write.h for these four. */
void cd_export_out_init(struct cd_export_out *o, FILE *f)
{
    memset(o, 0, sizeof(*o));
    o->f = f;
    cd_buf_init(&o->b, CD_EXPORT_MAX_ITEM);
    cd_buf_init(&o->tmp, CD_EXPORT_MAX_ITEM);
}

void cd_export_out_dispose(struct cd_export_out *o)
{
    cd_buf_dispose(&o->b);
    cd_buf_dispose(&o->tmp);
}

int cd_export_flush(struct cd_export_out *o, struct cd_error *err)
{
    if(o->b.len && fwrite(o->b.ptr, 1, o->b.len, o->f) != o->b.len)
        return cd_error_set(err, CD_EIO, "writing the export: %s",
                            strerror(errno));
    cd_buf_reset(&o->b);
    return 0;
}

int cd_export_foreach_rc(struct cd_export_out *o, int rc,
                         struct cd_error *err)
{
    if(o->rc) {
        if(err)
            *err = o->cberr;
        return o->rc;
    }
    return rc;
}

/* The JSON layout; see export/write.h. */
int cd_export_array_open(struct cd_export_out *o, const char *name)
{
    o->n = 0;
    return cd_buf_printf(&o->b, ",\n  \"%s\": [", name);
}

int cd_export_item_open(struct cd_export_out *o)
{
    return cd_buf_puts(&o->b, o->n++ ? ",\n    " : "\n    ");
}

int cd_export_array_close(struct cd_export_out *o)
{
    return cd_buf_puts(&o->b, o->n ? "\n  ]" : "]");
}

/* Keep a callback's error; see export/write.h. */
int cd_export_cb_fail(struct cd_export_out *o, int rc, const char *what,
                      const char *id)
{
    o->rc = rc;
    if(rc != CD_EIO)
        cd_error_set(&o->cberr, rc, "%s %s: %s", what, id ? id : "(no id)",
                     cd_strerror(rc));
    return rc;
}

int cd_export_on_source(const struct cd_source_info *si, void *payload)
{
    struct cd_export_out *o = payload;
    int rc = cd_export_item_open(o);

    if(!rc)
        rc = cd_export_json_source(&o->b, si);
    if(!rc)
        rc = cd_export_flush(o, &o->cberr);
    return rc ? cd_export_cb_fail(o, rc, "source", si->id) : 0;
}

int cd_export_on_deleted(const char *id, void *payload)
{
    struct cd_export_out *o = payload;
    int rc = cd_export_item_open(o);

    if(!rc)
        rc = cd_export_json_str(&o->b, id);
    if(!rc)
        rc = cd_export_flush(o, &o->cberr);
    return rc ? cd_export_cb_fail(o, rc, "deleted id", id) : 0;
}

/* Append `"<prefix><name>": ` as the next key of the document. */
static int doc_key(struct cd_buf *b, const char *prefix, const char *name)
{
    return cd_buf_printf(b, ",\n  \"%s%s\": ", prefix, name);
}

int cd_export_json_doc(FILE *f, struct cd_store *s,
                       const struct cd_export_opts *opts,
                       const struct cd_export_doc *d, struct cd_error *err)
{
    struct cd_export_meta m;
    struct cd_export_out o;
    char name[64];
    int rc;

    cd_export_out_init(&o, f);
    rc = cd_export_meta_load(&m, s, opts, err);
    if(rc)
        goto out;
    rc = cd_buf_printf(&o.b, "{\n%s  \"%sschema\": \"" CD_EXPORT_SCHEMA "\"",
                       d->head, d->prefix);
    if(!rc)
        rc = doc_key(&o.b, d->prefix, "generated_at");
    if(!rc)
        rc = cd_export_json_str(&o.b, m.generated_at[0] ? m.generated_at
                                                        : NULL);
    if(!rc)
        rc = doc_key(&o.b, d->prefix, "version");
    if(!rc)
        rc = cd_buf_printf(&o.b, "%" PRId64, m.version);
    if(!rc)
        rc = doc_key(&o.b, d->prefix, "since");
    if(!rc && m.since < 0)
        rc = cd_buf_puts(&o.b, "null");
    else if(!rc)
        rc = cd_buf_printf(&o.b, "%" PRId64, m.since);
    snprintf(name, sizeof(name), "%ssources", d->prefix);
    if(!rc)
        rc = cd_export_array_open(&o, name);
    if(rc)
        goto nomem;
    rc = cd_store_sources_foreach(s, &m.sq, cd_export_on_source, &o, err);
    rc = cd_export_foreach_rc(&o, rc, err);
    if(rc)
        goto out;
    rc = cd_export_array_close(&o);
    if(!rc)
        rc = cd_export_array_open(&o, d->places);
    if(rc)
        goto nomem;
    rc = cd_store_places_foreach(s, &m.q, d->place, &o, err);
    rc = cd_export_foreach_rc(&o, rc, err);
    if(rc)
        goto out;
    rc = cd_export_array_close(&o);
    snprintf(name, sizeof(name), "%sdeleted", d->prefix);
    if(!rc)
        rc = cd_export_array_open(&o, name);
    if(rc)
        goto nomem;
    if(m.since >= 0) {
        /* A full export deletes nothing: the array stays empty. */
        rc = cd_store_deleted_foreach(s, &m.q, cd_export_on_deleted, &o, err);
        rc = cd_export_foreach_rc(&o, rc, err);
        if(rc)
            goto out;
    }
    rc = cd_export_array_close(&o);
    if(!rc)
        rc = cd_buf_puts(&o.b, "\n}\n");
    if(rc)
        goto nomem;
    rc = cd_export_flush(&o, err);
    goto out;
nomem:
    cd_error_set(err, rc, "%s export: %s", d->format, cd_strerror(rc));
out:
    cd_export_out_dispose(&o);
    return rc;
}

/* ---- UTF-8 and JSON strings ------------------------------------------- */

/* The length of the valid UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, i;

    if(c < 0x80)
        return 1;
    if(c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if(c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if(c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if(n < len)
        return 0;
    if(c == 0xE0)
        lo = 0xA0;          /* no overlong forms */
    else if(c == 0xED)
        hi = 0x9F;          /* no surrogates */
    else if(c == 0xF0)
        lo = 0x90;
    else if(c == 0xF4)
        hi = 0x8F;          /* nothing past U+10FFFF */
    if(s[1] < lo || s[1] > hi)
        return 0;
    for(i = 2; i < len; i++)
        if(s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

static const char replacement[] = "\xEF\xBF\xBD";  /* U+FFFD */

/* Copy text, invalid UTF-8 replaced (export/write.h). */
int cd_export_put_utf8(struct cd_buf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0, len;
    int rc;

    while(i < n) {
        len = utf8_seq(u + i, n - i);
        if(len) {
            i += len;
            continue;
        }
        rc = cd_buf_put(b, s + run, i - run);
        if(!rc)
            rc = cd_buf_put(b, replacement, 3);
        if(rc)
            return rc;
        i++;
        run = i;
    }
    return cd_buf_put(b, s + run, n - run);
}

/* A JSON string or null (export/write.h). */
int cd_export_json_str(struct cd_buf *b, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0, n, len;
    char esc[8];
    const char *e;
    int rc;

    if(!s)
        return cd_buf_put(b, "null", 4);
    n = strlen(s);
    rc = cd_buf_putc(b, '"');
    while(!rc && i < n) {
        len = utf8_seq(u + i, n - i);
        e = NULL;
        if(len == 1) {
            switch(u[i]) {
            case '"':  e = "\\\""; break;
            case '\\': e = "\\\\"; break;
            case '\b': e = "\\b"; break;
            case '\f': e = "\\f"; break;
            case '\n': e = "\\n"; break;
            case '\r': e = "\\r"; break;
            case '\t': e = "\\t"; break;
            default:
                if(u[i] < 0x20) {
                    snprintf(esc, sizeof(esc), "\\u%04x", u[i]);
                    e = esc;
                }
            }
        } else if(len == 3 && u[i] == 0xE2 && u[i + 1] == 0x80 &&
                  (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
            /* U+2028 and U+2029 are valid JSON but not valid JavaScript
             * string literals; escaping them costs nothing. */
            e = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
        } else if(!len) {
            e = replacement;
            len = 1;
        }
        if(!e) {
            i += len;
            continue;
        }
        rc = cd_buf_put(b, s + run, i - run);
        if(!rc)
            rc = cd_buf_puts(b, e);
        i += len;
        run = i;
    }
    if(!rc)
        rc = cd_buf_put(b, s + run, n - run);
    if(!rc)
        rc = cd_buf_putc(b, '"');
    return rc;
}

/* JSON building blocks; see export/write.h. */
int cd_export_json_key(struct cd_buf *b, const char *key, int first)
{
    int rc = first ? 0 : cd_buf_putc(b, ',');

    if(!rc)
        rc = cd_buf_putc(b, '"');
    if(!rc)
        rc = cd_buf_puts(b, key);
    if(!rc)
        rc = cd_buf_put(b, "\":", 2);
    return rc;
}

const char *cd_export_tri_text(int tri)
{
    if(tri == CD_TRI_YES)
        return "yes";
    if(tri == CD_TRI_NO)
        return "no";
    return NULL;
}

int cd_export_json_tri(struct cd_buf *b, int tri)
{
    if(tri == CD_TRI_YES)
        return cd_buf_puts(b, "true");
    if(tri == CD_TRI_NO)
        return cd_buf_puts(b, "false");
    return cd_buf_puts(b, "null");
}

int cd_export_json_strlist(struct cd_buf *b, const struct cd_strlist *l)
{
    size_t i, n = 0;
    int rc = cd_buf_putc(b, '[');

    for(i = 0; !rc && i < l->n; i++) {
        if(!l->v[i] || !*l->v[i])
            continue;   /* an empty value says nothing */
        if(n++)
            rc = cd_buf_putc(b, ',');
        if(!rc)
            rc = cd_export_json_str(b, l->v[i]);
    }
    if(!rc)
        rc = cd_buf_putc(b, ']');
    return rc;
}

/* ---- coordinates ------------------------------------------------------ */

/* Locale-proof coordinate text (export/write.h). */
void cd_export_coord_format(char out[32], double v)
{
    long long n = llround(v * 1e7), ip, fp;
    int neg = n < 0, len, i;

    if(neg)
        n = -n;
    ip = n / 10000000;
    fp = n % 10000000;
    if(!fp) {
        snprintf(out, 32, "%s%lld", neg ? "-" : "", ip);
        return;
    }
    len = snprintf(out, 32, "%s%lld.%07lld", neg ? "-" : "", ip, fp);
    for(i = len - 1; out[i] == '0'; i--)
        out[i] = '\0';
}

int cd_export_coords_ok(const struct cd_place *p)
{
    return p->has_coords && isfinite(p->lat) && isfinite(p->lon) &&
           p->lat >= -90.0 && p->lat <= 90.0 &&
           p->lon >= -180.0 && p->lon <= 180.0;
}

/* ---- a place as JSON -------------------------------------------------- */

/* Append `"key":` and s as a JSON string, or null when s is NULL or
 * empty: an empty value is a missing one. */
static int json_member(struct cd_buf *b, const char *key, const char *s,
                       int first)
{
    int rc = cd_export_json_key(b, key, first);

    return rc ? rc : cd_export_json_str(b, s && *s ? s : NULL);
}

/* Append `"key":` and a coordinate, or null. */
static int json_coord(struct cd_buf *b, const char *key, double v, int ok)
{
    char num[32];
    int rc = cd_export_json_key(b, key, 0);

    if(rc)
        return rc;
    if(!ok)
        return cd_buf_puts(b, "null");
    cd_export_coord_format(num, v);
    return cd_buf_puts(b, num);
}

/* A place as one line of JSON, contract-3 key order (export/write.h). */
int cd_export_json_place(struct cd_buf *b, const struct cd_place *p)
{
    int ok = cd_export_coords_ok(p), rc;
    size_t i;

    rc = cd_buf_putc(b, '{');
    if(!rc) rc = json_member(b, "id", p->id, 1);
    if(!rc) rc = json_member(b, "name", p->name, 0);
    if(!rc) rc = cd_export_json_key(b, "categories", 0);
    if(!rc) rc = cd_export_json_strlist(b, &p->categories);
    if(!rc) rc = cd_export_json_key(b, "source_categories", 0);
    if(!rc) rc = cd_export_json_strlist(b, &p->source_categories);
    if(!rc) rc = cd_export_json_key(b, "address", 0);
    if(!rc) rc = cd_buf_putc(b, '{');
    if(!rc) rc = json_member(b, "street", p->street, 1);
    if(!rc) rc = json_member(b, "housenumber", p->housenumber, 0);
    if(!rc) rc = json_member(b, "postcode", p->postcode, 0);
    if(!rc) rc = json_member(b, "city", p->city, 0);
    if(!rc) rc = cd_buf_putc(b, '}');
    if(!rc) rc = json_coord(b, "lat", p->lat, ok);
    if(!rc) rc = json_coord(b, "lon", p->lon, ok);
    if(!rc) rc = json_member(b, "phone", p->phone, 0);
    if(!rc) rc = json_member(b, "email", p->email, 0);
    if(!rc) rc = json_member(b, "website", p->website, 0);
    if(!rc) rc = json_member(b, "opening_hours", p->opening_hours, 0);
    if(!rc) rc = json_member(b, "opening_hours_text",
                             p->opening_hours_text, 0);
    if(!rc) rc = cd_export_json_key(b, "delivery", 0);
    if(!rc) rc = cd_export_json_tri(b, p->delivery);
    if(!rc) rc = cd_export_json_key(b, "pickup", 0);
    if(!rc) rc = cd_export_json_tri(b, p->pickup);
    if(!rc) rc = cd_export_json_key(b, "online_shop", 0);
    if(!rc) rc = cd_export_json_tri(b, p->online_shop);
    if(!rc) rc = json_member(b, "wheelchair", p->wheelchair, 0);
    if(!rc) rc = json_member(b, "description", p->description, 0);
    if(!rc) rc = cd_export_json_key(b, "sources", 0);
    if(!rc) rc = cd_buf_putc(b, '[');
    for(i = 0; !rc && i < p->nsources; i++) {
        if(i)
            rc = cd_buf_putc(b, ',');
        if(!rc) rc = cd_buf_putc(b, '{');
        if(!rc) rc = json_member(b, "source", p->sources[i].source, 1);
        if(!rc) rc = json_member(b, "url", p->sources[i].url, 0);
        if(!rc) rc = json_member(b, "fetched_at",
                                 p->sources[i].fetched_at, 0);
        if(!rc) rc = json_member(b, "license", p->sources[i].license, 0);
        if(!rc) rc = cd_buf_putc(b, '}');
    }
    if(!rc) rc = cd_buf_putc(b, ']');
    if(!rc) rc = json_member(b, "first_seen", p->first_seen, 0);
    if(!rc) rc = json_member(b, "updated_at", p->updated_at, 0);
    if(!rc) rc = cd_buf_putc(b, '}');
    return rc;
}

int cd_export_json_source(struct cd_buf *b, const struct cd_source_info *si)
{
    int rc = cd_buf_putc(b, '{');

    if(!rc) rc = json_member(b, "id", si->id, 1);
    if(!rc) rc = json_member(b, "title", si->title, 0);
    if(!rc) rc = json_member(b, "city", si->city, 0);
    if(!rc) rc = json_member(b, "license", si->license, 0);
    if(!rc) rc = json_member(b, "attribution", si->attribution, 0);
    if(!rc) rc = json_member(b, "url", si->url, 0);
    if(!rc) rc = cd_buf_putc(b, '}');
    return rc;
}

/* ---- flat columns ----------------------------------------------------- */

#define PLACE_OFF(field) offsetof(struct cd_place, field)

/*
 * The OpenStreetMap keys that name what a place is. A category with one of
 * these keys also gets a column of its own ("shop": "bakery"); other
 * categories stay in "categories" only.
 */
static const struct cd_export_col cols[] = {
    { "id",                 CD_COL_ID,      0 },
    { "name",               CD_COL_STR,     PLACE_OFF(name) },
    { "categories",         CD_COL_LIST,    PLACE_OFF(categories) },
    { "source_categories",  CD_COL_LIST,    PLACE_OFF(source_categories) },
    { "amenity",            CD_COL_TAG,     0 },
    { "craft",              CD_COL_TAG,     0 },
    { "healthcare",         CD_COL_TAG,     0 },
    { "leisure",            CD_COL_TAG,     0 },
    { "office",             CD_COL_TAG,     0 },
    { "shop",               CD_COL_TAG,     0 },
    { "tourism",            CD_COL_TAG,     0 },
    { "addr:street",        CD_COL_STR,     PLACE_OFF(street) },
    { "addr:housenumber",   CD_COL_STR,     PLACE_OFF(housenumber) },
    { "addr:postcode",      CD_COL_STR,     PLACE_OFF(postcode) },
    { "addr:city",          CD_COL_STR,     PLACE_OFF(city) },
    { "lat",                CD_COL_LAT,     0 },
    { "lon",                CD_COL_LON,     0 },
    { "contact:phone",      CD_COL_STR,     PLACE_OFF(phone) },
    { "contact:email",      CD_COL_STR,     PLACE_OFF(email) },
    { "contact:website",    CD_COL_STR,     PLACE_OFF(website) },
    { "opening_hours",      CD_COL_STR,     PLACE_OFF(opening_hours) },
    { "opening_hours:text", CD_COL_STR,     PLACE_OFF(opening_hours_text) },
    { "delivery",           CD_COL_TRI,     PLACE_OFF(delivery) },
    { "pickup",             CD_COL_TRI,     PLACE_OFF(pickup) },
    { "online_shop",        CD_COL_TRI,     PLACE_OFF(online_shop) },
    { "wheelchair",         CD_COL_STR,     PLACE_OFF(wheelchair) },
    { "description",        CD_COL_STR,     PLACE_OFF(description) },
    { "citydir:sources",    CD_COL_SOURCES, 0 },
    { "citydir:license",    CD_COL_LICENSES, 0 },
    { "first_seen",         CD_COL_STR,     PLACE_OFF(first_seen) },
    { "updated_at",         CD_COL_STR,     PLACE_OFF(updated_at) },
};

/* The flat column table (export/write.h). */
const struct cd_export_col *cd_export_cols(size_t *n)
{
    *n = CD_ARRAY_SIZE(cols);
    return cols;
}

/* Append one value of a ";"-joined list, a ";" in it doubled. Empty
 * values are left out. */
static int join_one(struct cd_buf *b, const char *v)
{
    const char *semi;
    int rc = 0;

    if(!*v)
        return 0;
    if(b->len)
        rc = cd_buf_putc(b, ';');
    semi = strchr(v, ';');
    while(!rc && semi) {
        rc = cd_buf_put(b, v, (size_t)(semi - v + 1));
        if(!rc)
            rc = cd_buf_putc(b, ';');
        v = semi + 1;
        semi = strchr(v, ';');
    }
    return rc ? rc : cd_buf_puts(b, v);
}

/* One flat value of a place (export/write.h). */
int cd_export_col_value(const char **out, struct cd_buf *scratch,
                        const struct cd_export_col *c,
                        const struct cd_place *p)
{
    const char *base = (const char *)p;
    const struct cd_strlist *l;
    size_t i, j, klen;
    char num[32];
    int rc = 0, dup;

    *out = NULL;
    cd_buf_reset(scratch);
    switch(c->kind) {
    case CD_COL_ID:
        *out = p->id;
        return 0;
    case CD_COL_STR:
        *out = *(char *const *)(base + c->off);
        if(*out && !**out)
            *out = NULL;    /* an empty value is a missing one */
        return 0;
    case CD_COL_TRI:
        *out = cd_export_tri_text(*(const int *)(base + c->off));
        return 0;
    case CD_COL_LIST:
        l = (const struct cd_strlist *)(base + c->off);
        for(i = 0; !rc && i < l->n; i++)
            rc = join_one(scratch, l->v[i]);
        break;
    case CD_COL_TAG:
        klen = strlen(c->name);
        for(i = 0; !rc && i < p->categories.n; i++) {
            const char *t = p->categories.v[i];

            if(!strncmp(t, c->name, klen) && t[klen] == '=' && t[klen + 1])
                rc = join_one(scratch, t + klen + 1);
        }
        break;
    case CD_COL_LAT:
    case CD_COL_LON:
        if(!cd_export_coords_ok(p))
            return 0;
        cd_export_coord_format(num, c->kind == CD_COL_LAT ? p->lat
                                                          : p->lon);
        rc = cd_buf_puts(scratch, num);
        break;
    case CD_COL_SOURCES:
        for(i = 0; !rc && i < p->nsources; i++) {
            if(!p->sources[i].source)
                continue;
            for(dup = 0, j = 0; j < i && !dup; j++)
                dup = p->sources[j].source &&
                      !strcmp(p->sources[j].source, p->sources[i].source);
            if(!dup)
                rc = join_one(scratch, p->sources[i].source);
        }
        break;
    case CD_COL_LICENSES:
        for(i = 0; !rc && i < p->nsources; i++) {
            if(!p->sources[i].license)
                continue;
            for(dup = 0, j = 0; j < i && !dup; j++)
                dup = p->sources[j].license &&
                      !strcmp(p->sources[j].license, p->sources[i].license);
            if(!dup)
                rc = join_one(scratch, p->sources[i].license);
        }
        break;
    }
    if(rc)
        return rc;
    if(scratch->len)
        *out = scratch->ptr;
    return 0;
}
