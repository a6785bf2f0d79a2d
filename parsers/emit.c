/* SPDX-License-Identifier: MIT */
/*
 * What every parser's records go through before anyone sees them
 * (cd_parse() in parsers/parser.h): the crawler, `citydir try` and the
 * golden tests all run parsers through here, so a record means the same
 * wherever it is looked at.
 *
 * For each record:
 *   1. Coordinates in another system become WGS 84. The system is the
 *      record's `crs` field (a GeoJSON crs member, a GML srsName, an
 *      [extract] crs selector), else the source's `crs` key, else WGS 84.
 *      The record keeps x (easting) in `lon` and y (northing) in `lat`;
 *      normalize/crs.c does the rest. A CRS citydir cannot read, or a
 *      point PROJ cannot transform, loses its coordinates (counted as
 *      bad_coords), not the record. `crs` is removed: a staged record is
 *      always WGS 84.
 *   2. With a `bbox` in the definition, a record whose point lies outside
 *      is dropped and counted (outside_bbox); a record without
 *      coordinates is kept.
 *   3. A record without a licence of its own gets the one the link to its
 *      document carried (a catalogue's dataset licence).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/source.h"
#include "normalize/crs.h"
#include "normalize/normalize.h"
#include "parsers/parser.h"

struct run {
    const struct cd_source *src;
    const char *license;
    cd_emit_fn *emit;
    void *payload;
    struct cd_parse_stats *stats;
    int rc;               /* CD_ENOMEM inside the callback */
};

/*
 * A projected or geographic number as sources write it: "370123.45",
 * "370123,45" (a decimal comma), "-7.08". Read by hand of strtod's C
 * locale: a comma is taken as the decimal point when there is no point.
 * 0 or CD_EINVALID.
 */
static int read_number(double *out, const char *s)
{
    char buf[64], *end;
    size_t n = strlen(s), i;

    while(n && s[n - 1] == ' ')
        n--;
    while(n && *s == ' ') {
        s++;
        n--;
    }
    if(!n || n >= sizeof(buf))
        return CD_EINVALID;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if(!strchr(buf, '.'))
        for(i = 0; i < n; i++)
            if(buf[i] == ',')
                buf[i] = '.';
    *out = strtod(buf, &end);
    return *end || end == buf ? CD_EINVALID : 0;
}

/* Copy every field of r into out except `crs`, lat and lon. */
static int copy_fields(struct cd_record *out, const struct cd_record *r)
{
    size_t i;
    int f, rc;

    rc = cd_record_init(out, r->url);
    for(f = 0; !rc && f < CD_F__COUNT; f++) {
        if(f == CD_F_CRS || f == CD_F_LAT || f == CD_F_LON)
            continue;
        for(i = 0; !rc && i < r->fields[f].n; i++)
            rc = cd_record_add(out, (enum cd_field)f, r->fields[f].v[i],
                               strlen(r->fields[f].v[i]));
    }
    return rc;
}

/* Set lat/lon of out to a WGS 84 point. */
static int set_point(struct cd_record *out, double lon, double lat)
{
    char a[40], b[40];
    int rc;

    snprintf(a, sizeof(a), "%.7f", lat);
    snprintf(b, sizeof(b), "%.7f", lon);
    rc = cd_record_add(out, CD_F_LAT, a, strlen(a));
    return rc ? rc : cd_record_add(out, CD_F_LON, b, strlen(b));
}

/*
 * Put r's point into out, in WGS 84: *keep is cleared when the point is
 * outside the bbox. 0 or CD_ENOMEM.
 */
static int place_point(struct run *x, struct cd_record *out,
                       const struct cd_record *r, int *keep)
{
    const char *la = cd_record_get(r, CD_F_LAT);
    const char *lo = cd_record_get(r, CD_F_LON);
    const char *crs = cd_record_get(r, CD_F_CRS);
    const double *bb = x->src->bbox;
    double lat, lon, y, xx;
    int epsg, rc;

    *keep = 1;
    if(!crs)
        crs = x->src->crs;
    if(!la || !lo)
        return 0;
    if(crs) {
        if(cd_crs_parse(&epsg, NULL, crs) || read_number(&y, la) ||
           read_number(&xx, lo))
            goto bad;
        rc = cd_crs_to_wgs84(&lon, &lat, epsg, xx, y);
        if(rc == CD_ENOMEM)
            return rc;
        if(rc)
            goto bad;
        rc = set_point(out, lon, lat);
    } else {
        /* as written: normalisation reads "51,17" and 51°10'N later */
        rc = cd_record_add(out, CD_F_LAT, la, strlen(la));
        if(!rc)
            rc = cd_record_add(out, CD_F_LON, lo, strlen(lo));
        if(rc || cd_norm_coord(&lat, la, 1) || cd_norm_coord(&lon, lo, 0))
            return rc;
    }
    if(!rc && x->src->has_bbox &&
       (lon < bb[0] || lat < bb[1] || lon > bb[2] || lat > bb[3]))
        *keep = 0;
    return rc;
bad:
    if(x->stats)
        x->stats->bad_coords++;
    return 0;
}

static int on_emit(const struct cd_emit *e, void *payload)
{
    struct run *x = payload;
    struct cd_record rec;
    struct cd_emit out;
    int keep = 1, rc;

    if(e->kind != CD_EMIT_RECORD || !e->record)
        return x->emit(e, x->payload);
    rc = copy_fields(&rec, e->record);
    if(!rc)
        rc = place_point(x, &rec, e->record, &keep);
    if(!rc && x->license && !cd_record_get(&rec, CD_F_LICENSE))
        rc = cd_record_add(&rec, CD_F_LICENSE, x->license,
                           strlen(x->license));
    if(rc) {
        x->rc = rc;
        cd_record_dispose(&rec);
        return 1;
    }
    if(!keep) {
        if(x->stats)
            x->stats->outside_bbox++;
        cd_record_dispose(&rec);
        return 0;
    }
    out = *e;
    out.record = &rec;
    rc = x->emit(&out, x->payload);
    cd_record_dispose(&rec);
    return rc;
}

int cd_parse(const struct cd_doc *doc, const struct cd_source *src,
             const char *license, cd_emit_fn *emit, void *payload,
             struct cd_parse_stats *stats, struct cd_error *err)
{
    struct run x;
    int rc;

    memset(&x, 0, sizeof(x));
    x.src = src;
    x.license = license;
    x.emit = emit;
    x.payload = payload;
    x.stats = stats;
    if(!src->parser || !src->parser->parse)
        return cd_error_set(err, CD_EINVALID, "%s: no parser",
                            src->path ? src->path : "(definition)");
    rc = src->parser->parse(doc, src, on_emit, &x, err);
    if(x.rc == CD_ENOMEM)
        rc = cd_error_set(err, CD_ENOMEM, "%s: out of memory",
                          doc->url ? doc->url : "(document)");
    return rc;
}
