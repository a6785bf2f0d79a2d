/* SPDX-License-Identifier: MIT */
/*
 * What the export writers share (export/export.c); internal to export/.
 *
 * Each writer renders one item (a place, a source, a deleted id) into a
 * scratch buffer and then writes it to the FILE at once, so memory holds
 * one item, never the whole export. Text is written as valid UTF-8: a byte
 * that does not start a valid sequence becomes U+FFFD. Numbers are written
 * without the C locale's help, so a caller's setlocale() cannot turn
 * "51.17" into "51,17". The flat column table drives both the GeoJSON
 * properties and the CSV columns, so the two always agree.
 */
#ifndef CD_EXPORT_WRITE_H
#define CD_EXPORT_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/place.h"
#include "export/export.h"
#include "store/store.h"

/* The writers, each defined in its own file. */
extern const struct cd_exporter cd_exporter_json;     /* export/json.c */
extern const struct cd_exporter cd_exporter_geojson;  /* export/geojson.c */
extern const struct cd_exporter cd_exporter_csv;      /* export/csv.c */

/* The largest item (one place, rendered) a writer will produce. */
#define CD_EXPORT_MAX_ITEM (4u * 1024 * 1024)

/* The value of "schema" in the JSON document. */
#define CD_EXPORT_SCHEMA "citydir/1"

/* What an export says about itself, read once before the places. */
struct cd_export_meta {
    int64_t version;          /* the store's version now */
    int64_t since;            /* -1 for a full export */
    char generated_at[32];    /* RFC 3339 of `version`; "" when never */
    struct cd_place_query q;  /* the places (and deleted ids) asked for */
    struct cd_place_query sq; /* the sources: q without `since` */
};

/*
 * Read the store's version and its time and check the options: since must
 * be -1 or between 0 and the store's version. 0, CD_EINVALID (a bad
 * --since; err says why), or what the store returned.
 */
int cd_export_meta_load(struct cd_export_meta *out, struct cd_store *s,
                        const struct cd_export_opts *o, struct cd_error *err);

/* A writer's state while the store streams items to it. */
struct cd_export_out {
    FILE *f;                /* where the export goes; borrowed */
    struct cd_buf b;        /* the item being rendered */
    struct cd_buf tmp;      /* scratch for one value */
    size_t n;               /* items written to the current array */
    int rc;                 /* the first error a callback met, 0 when none */
    struct cd_error cberr;  /* its message; the store may overwrite err */
};

/* Set up (buffers empty) for writing to f. */
void cd_export_out_init(struct cd_export_out *o, FILE *f);

/* Free the buffers. */
void cd_export_out_dispose(struct cd_export_out *o);

/* Write o->b to the file and empty it. 0 or CD_EIO. */
int cd_export_flush(struct cd_export_out *o, struct cd_error *err);

/*
 * Take the result of a store foreach call: a callback's own error (kept in
 * o->cberr) wins over the CD_EUSER the store passes up. Returns the code.
 */
int cd_export_foreach_rc(struct cd_export_out *o, int rc,
                         struct cd_error *err);

/*
 * The layout of JSON and GeoJSON: top-level members indented by two,
 * each array item on a line of its own. array_open appends
 * `,\n  "name": [` to o->b and counts items from 0; item_open starts an
 * item; array_close appends `]`, on a line of its own unless the array is
 * empty. 0, CD_ENOMEM or CD_ETOOBIG.
 */
int cd_export_array_open(struct cd_export_out *o, const char *name);
int cd_export_item_open(struct cd_export_out *o);
int cd_export_array_close(struct cd_export_out *o);

/*
 * Inside a store callback: keep the first error (rc) with a message that
 * names the item ("place ID: too big"), unless rc is CD_EIO, whose message
 * cd_export_flush() already left in o->cberr. Returns rc, which stops the
 * store.
 */
int cd_export_cb_fail(struct cd_export_out *o, int rc, const char *what,
                      const char *id);

/* The shape of a JSON document the JSON and GeoJSON writers share. */
struct cd_export_doc {
    const char *format;   /* "json", for messages */
    const char *head;     /* lines after "{", before the keys ("" or
                             "  \"type\": \"FeatureCollection\",\n") */
    const char *prefix;   /* before each document key: "" or "citydir:" */
    const char *places;   /* the name of the places array */
    cd_place_fn *place;   /* writes one place as an item (payload: the
                             struct cd_export_out); MUST be set */
};

/*
 * Write a whole document: schema, generated_at, version, since, then the
 * arrays of sources, places and (for a delta) deleted ids, streamed from
 * the store one item at a time. See cd_export_fn for the rest.
 */
int cd_export_json_doc(FILE *f, struct cd_store *s,
                       const struct cd_export_opts *opts,
                       const struct cd_export_doc *d, struct cd_error *err);

/*
 * Store callbacks shared by the JSON and GeoJSON writers (payload: a
 * struct cd_export_out): a source object, or a deleted id as a JSON
 * string, as one item of the open array.
 */
int cd_export_on_source(const struct cd_source_info *si, void *payload);
int cd_export_on_deleted(const char *id, void *payload);

/* Append s (n bytes) as UTF-8, invalid bytes replaced by U+FFFD. */
int cd_export_put_utf8(struct cd_buf *b, const char *s, size_t n);

/* Append s as a JSON string with quotes, or `null` when s is NULL. */
int cd_export_json_str(struct cd_buf *b, const char *s);

/* Append `"key":` (key is trusted ASCII) after a comma unless first. */
int cd_export_json_key(struct cd_buf *b, const char *key, int first);

/* Append true, false or null for an enum cd_tri. */
int cd_export_json_tri(struct cd_buf *b, int tri);

/* Append a JSON array of strings (`[]` when empty); empty strings are
 * left out. */
int cd_export_json_strlist(struct cd_buf *b, const struct cd_strlist *l);

/* Append a place as one JSON object, keys in contract-3 order, on one
 * line. An empty string is written as null, like a missing one. */
int cd_export_json_place(struct cd_buf *b, const struct cd_place *p);

/* Append a source as {id,title,city,license,attribution,url}. */
int cd_export_json_source(struct cd_buf *b, const struct cd_source_info *si);

/*
 * Format a coordinate with at most 7 decimals, trailing zeros trimmed, no
 * exponent, "." as the decimal point: 51.17, -0.5, 7, 0.0000001.
 */
void cd_export_coord_format(char out[32], double v);

/* Whether the place has coordinates fit to write (finite, in range). */
int cd_export_coords_ok(const struct cd_place *p);

/* "yes", "no", or NULL for an enum cd_tri. */
const char *cd_export_tri_text(int tri);

/*
 * Append one CSV field (export/csv.c), after a comma unless first: bare,
 * or in double quotes with inner quotes doubled when it holds a comma, a
 * quote, CR or LF. NULL is an empty field.
 */
int cd_export_csv_field(struct cd_buf *b, const char *v, int first);

/* ---- the flat columns of GeoJSON properties and CSV ------------------- */

enum cd_export_col_kind {
    CD_COL_ID,        /* the place id */
    CD_COL_STR,       /* a char * field of struct cd_place */
    CD_COL_LIST,      /* a struct cd_strlist field, ";"-joined */
    CD_COL_TAG,       /* the values of categories with this OSM key */
    CD_COL_TRI,       /* an int (enum cd_tri) field: "yes", "no" */
    CD_COL_LAT,       /* the latitude, formatted */
    CD_COL_LON,       /* the longitude, formatted */
    CD_COL_SOURCES,   /* the ids of the place's sources, ";"-joined */
    CD_COL_LICENSES,  /* the licences of its sources, ";"-joined */
};

struct cd_export_col {
    const char *name;             /* GeoJSON property and CSV header */
    enum cd_export_col_kind kind;
    size_t off;                   /* offset in struct cd_place, by kind */
};

/* The flat columns, in CSV order; *n is set to the count. */
const struct cd_export_col *cd_export_cols(size_t *n);

/*
 * The text of column c for place p: *out points into p or into `scratch`
 * (which is reset first), or is NULL when the place has no value. Lists
 * are joined with ";", a ";" inside a value doubled (OpenStreetMap's
 * convention). 0, CD_ENOMEM or CD_ETOOBIG.
 */
int cd_export_col_value(const char **out, struct cd_buf *scratch,
                        const struct cd_export_col *c,
                        const struct cd_place *p);

#endif
