/* SPDX-License-Identifier: MIT */
/*
 * The GeoJSON export: an RFC 7946 FeatureCollection with one Feature per
 * place, its geometry a Point [lon, lat] (or null without coordinates) and
 * its properties the flat, OpenStreetMap-style columns of export/export.c
 * (docs/export.md). What the citydir/1 document says beside the places
 * (schema, version, since, sources, deleted ids) travels in foreign
 * members named "citydir:...", which RFC 7946 section 6.1 allows. Streams
 * like the JSON writer; the output is the same bytes for the same version.
 */
#include <string.h>

#include "export/write.h"

/* Append a place as a Feature. */
static int feature(struct cd_export_out *o, const struct cd_place *p)
{
    struct cd_buf *b = &o->b;
    const struct cd_export_col *cols;
    const char *v;
    char num[32];
    size_t i, n;
    int rc, first = 1;

    rc = cd_buf_puts(b, "{\"type\":\"Feature\",\"id\":");
    if(!rc)
        rc = cd_export_json_str(b, p->id);
    if(!rc)
        rc = cd_buf_puts(b, ",\"geometry\":");
    if(!rc && !cd_export_coords_ok(p)) {
        rc = cd_buf_puts(b, "null");
    } else if(!rc) {
        cd_export_coord_format(num, p->lon);   /* RFC 7946: lon first */
        rc = cd_buf_printf(b, "{\"type\":\"Point\",\"coordinates\":[%s,",
                           num);
        cd_export_coord_format(num, p->lat);
        if(!rc)
            rc = cd_buf_printf(b, "%s]}", num);
    }
    if(!rc)
        rc = cd_buf_puts(b, ",\"properties\":{");
    cols = cd_export_cols(&n);
    for(i = 0; !rc && i < n; i++) {
        if(cols[i].kind == CD_COL_ID || cols[i].kind == CD_COL_LAT ||
           cols[i].kind == CD_COL_LON)
            continue;   /* the Feature's id and geometry */
        rc = cd_export_col_value(&v, &o->tmp, &cols[i], p);
        if(rc)
            break;
        if(!v && cols[i].kind == CD_COL_TAG)
            continue;   /* "shop" only where the place is a shop */
        rc = cd_export_json_key(b, cols[i].name, first);
        if(!rc)
            rc = cd_export_json_str(b, v);
        first = 0;
    }
    if(!rc)
        rc = cd_buf_puts(b, "}}");
    return rc;
}

static int on_place(const struct cd_place *p, void *payload)
{
    struct cd_export_out *o = payload;
    int rc = cd_export_item_open(o);

    if(!rc)
        rc = feature(o, p);
    if(!rc)
        rc = cd_export_flush(o, &o->cberr);
    return rc ? cd_export_cb_fail(o, rc, "place", p->id) : 0;
}

/* Write the document. See cd_export_fn. */
static int geojson_write(FILE *f, struct cd_store *s,
                         const struct cd_export_opts *opts,
                         struct cd_error *err)
{
    static const struct cd_export_doc doc = {
        "geojson", "  \"type\": \"FeatureCollection\",\n", "citydir:",
        "features", on_place,
    };

    return cd_export_json_doc(f, s, opts, &doc, err);
}

const struct cd_exporter cd_exporter_geojson = {
    "geojson",                                /* --format value */
    "an RFC 7946 FeatureCollection",          /* summary for --help */
    geojson_write,                            /* MUST be set */
};
