/* SPDX-License-Identifier: MIT */
/*
 * The geojson parser: GeoJSON (RFC 7946) FeatureCollections, or a single
 * Feature, one record per feature with a name.
 *
 * Coordinates: a Point as it is; other geometries by one representative
 * point, so that every feature lands somewhere sensible on a map:
 *   - MultiPoint: its first point;
 *   - LineString: its middle vertex (MultiLineString: of the first line);
 *   - Polygon: the centroid of its outer ring (the area-weighted centroid
 *     by the shoelace formula; the mean of the vertices when the ring has
 *     no area); MultiPolygon: of the first polygon;
 *   - GeometryCollection: the point of its first geometry.
 * A centroid can fall outside a concave polygon; for shops and markets
 * (small, mostly convex buildings and squares) that is close enough.
 * Coordinates are taken as WGS 84 (longitude first). A file that declares
 * another CRS in a legacy (GeoJSON 2008) "crs" member, such as
 * {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},
 * gives its name as each record's `crs` (unless [extract] maps crs), and
 * cd_parse() turns the points into WGS 84 (parsers/emit.c); GeoJSON
 * positions are always x/y, easting first.
 *
 * Properties: each [extract] selector runs relative to the feature's
 * `properties` (json: paths, `name = json:BEZEICHNUNG`); a field without
 * a selector is read from OpenStreetMap-style property names:
 *     name, addr:street, addr:housenumber, addr:postcode, addr:city,
 *     addr:full (address), contact:phone / phone, contact:email / email,
 *     contact:website / website / url, opening_hours, wheelchair,
 *     description, delivery, takeaway (pickup), and as categories
 *     shop, amenity, craft, office, healthcare, tourism, leisure
 *     ("shop=bakery"; a value list "bakery;pastry" gives both tags).
 * `lat`/`lon` come from the geometry unless the definition maps them;
 * `ref` is the feature's "id" unless the definition maps it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf/source.h"
#include "core/record.h"
#include "parsers/decode.h"
#include "parsers/jsondoc.h"
#include "parsers/parser.h"
#include "select/json.h"
#include "select/selector.h"

/* A property read into a field when the definition has no selector. */
static const struct {
    enum cd_field field;
    const char *key;
} osm_props[] = {
    { CD_F_NAME, "name" },
    { CD_F_STREET, "addr:street" },
    { CD_F_HOUSENUMBER, "addr:housenumber" },
    { CD_F_POSTCODE, "addr:postcode" },
    { CD_F_CITY, "addr:city" },
    { CD_F_ADDRESS, "addr:full" },
    { CD_F_PHONE, "contact:phone" },
    { CD_F_PHONE, "phone" },
    { CD_F_EMAIL, "contact:email" },
    { CD_F_EMAIL, "email" },
    { CD_F_WEBSITE, "contact:website" },
    { CD_F_WEBSITE, "website" },
    { CD_F_WEBSITE, "url" },
    { CD_F_OPENING_HOURS, "opening_hours" },
    { CD_F_WHEELCHAIR, "wheelchair" },
    { CD_F_DESCRIPTION, "description" },
    { CD_F_DELIVERY, "delivery" },
    { CD_F_PICKUP, "takeaway" },
};

/* Property keys whose values are categories, as "key=value". */
static const char *const osm_category_keys[] = {
    "shop", "amenity", "craft", "office", "healthcare", "tourism",
    "leisure",
};

/* ---- representative points -------------------------------------------- */

/* A position [lon, lat, ...] into *lon, *lat. 1 when valid. */
static int position(double *lon, double *lat, const json_t *p)
{
    const json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);

    if(!json_is_number(x) || !json_is_number(y))
        return 0;
    *lon = json_number_value(x);
    *lat = json_number_value(y);
    return isfinite(*lon) && isfinite(*lat);
}

/* The centroid of a ring (an array of positions). 1 when found. */
static int ring_centroid(double *lon, double *lat, const json_t *ring)
{
    double a = 0, cx = 0, cy = 0, sx = 0, sy = 0, x0, y0, x1, y1, f;
    double ox, oy;
    size_t i, n = json_array_size(ring), used = 0;

    if(!n || !position(&ox, &oy, json_array_get(ring, 0)))
        return 0;
    /* Relative to the first vertex, so that the products keep their
     * precision. */
    for(i = 0; i < n; i++) {
        if(!position(&x0, &y0, json_array_get(ring, i)) ||
           !position(&x1, &y1, json_array_get(ring, (i + 1) % n)))
            return 0;
        x0 -= ox;
        y0 -= oy;
        x1 -= ox;
        y1 -= oy;
        f = x0 * y1 - x1 * y0;
        a += f;
        cx += (x0 + x1) * f;
        cy += (y0 + y1) * f;
        sx += x0;
        sy += y0;
        used++;
    }
    if(fabs(a) > 1e-18) {
        *lon = ox + cx / (3 * a);
        *lat = oy + cy / (3 * a);
    } else {
        *lon = ox + sx / (double)used;
        *lat = oy + sy / (double)used;
    }
    return 1;
}

/* The representative point of a geometry (see the top). depth bounds
 * nested GeometryCollections. 1 when found. */
static int geometry_point(double *lon, double *lat, const json_t *g,
                          int depth)
{
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *c = json_object_get(g, "coordinates");
    const json_t *line;

    if(!type || depth > 8)
        return 0;
    if(!strcmp(type, "Point"))
        return position(lon, lat, c);
    if(!strcmp(type, "MultiPoint"))
        return position(lon, lat, json_array_get(c, 0));
    if(!strcmp(type, "LineString") || !strcmp(type, "MultiLineString")) {
        line = strcmp(type, "LineString") ? json_array_get(c, 0) : c;
        if(!json_array_size(line))
            return 0;
        return position(lon, lat, json_array_get(
                                      line, json_array_size(line) / 2));
    }
    if(!strcmp(type, "Polygon"))
        return ring_centroid(lon, lat, json_array_get(c, 0));
    if(!strcmp(type, "MultiPolygon"))
        return ring_centroid(lon, lat,
                             json_array_get(json_array_get(c, 0), 0));
    if(!strcmp(type, "GeometryCollection"))
        return geometry_point(lon, lat,
                              json_array_get(json_object_get(g,
                                                             "geometries"),
                                             0),
                              depth + 1);
    return 0;
}

/* ---- one feature ------------------------------------------------------ */

/* Add the text of v (a scalar) to field f. 0 or CD_ENOMEM. */
static int add_scalar(struct cd_record *rec, enum cd_field f,
                      const json_t *v)
{
    char buf[CD_JSON_SCALAR_MAX];
    const char *t;
    size_t n;

    if(!cd_json_scalar_text(&t, &n, buf, v))
        return 0;
    return cd_record_add(rec, f, t, n);
}

/* "key=value" for each ';'-separated value of a category property. */
static int add_categories(struct cd_record *rec, const char *key,
                          const json_t *v)
{
    char buf[CD_JSON_SCALAR_MAX], tag[256];
    const char *t, *p, *e;
    size_t n;
    int k, rc;

    if(!cd_json_scalar_text(&t, &n, buf, v) || !json_is_string(v))
        return 0;
    for(p = t; p < t + n; p = e + 1) {
        for(e = p; e < t + n && *e != ';'; e++)
            ;
        while(p < e && *p == ' ')
            p++;
        k = snprintf(tag, sizeof(tag), "%s=%.*s", key, (int)(e - p), p);
        while(k > 0 && (size_t)k < sizeof(tag) && tag[k - 1] == ' ')
            tag[--k] = '\0';
        if(e > p && k > 0 && (size_t)k < sizeof(tag)) {
            rc = cd_record_add(rec, CD_F_CATEGORIES, tag, (size_t)k);
            if(rc)
                return rc;
        }
    }
    return 0;
}

/* Fill fields without a selector from OSM-style properties. */
static int osm_defaults(struct cd_record *rec, const struct cd_source *src,
                        const json_t *props)
{
    size_t i;
    int rc = 0;

    if(!json_is_object(props))
        return 0;
    for(i = 0; i < CD_ARRAY_SIZE(osm_props) && !rc; i++)
        if(!src->extract[osm_props[i].field])
            rc = add_scalar(rec, osm_props[i].field,
                            json_object_get(props, osm_props[i].key));
    for(i = 0; i < CD_ARRAY_SIZE(osm_category_keys) && !rc; i++)
        if(!src->extract[CD_F_CATEGORIES])
            rc = add_categories(rec, osm_category_keys[i],
                                json_object_get(props,
                                                osm_category_keys[i]));
    return rc;
}

static int one_feature(const struct cd_doc *doc, const struct cd_source *src,
                       json_t *feature, const char *crs, cd_emit_fn *emit,
                       void *payload, struct cd_error *err)
{
    struct cd_record rec;
    json_t *props = json_object_get(feature, "properties");
    double lon, lat;
    char num[32];
    int rc, k;

    if(!json_is_object(feature))
        return 0;
    memset(&rec, 0, sizeof(rec));
    rc = cd_record_init(&rec, doc->url);
    if(rc)
        goto out;
    rc = cd_jsondoc_fill(&rec, src, props ? props : json_null(), 0, doc,
                         err);
    if(!rc)
        rc = osm_defaults(&rec, src, props);
    if(!rc && crs && !cd_record_get(&rec, CD_F_CRS))
        rc = cd_record_add(&rec, CD_F_CRS, crs, strlen(crs));
    if(!rc && !src->extract[CD_F_LAT] &&
       !src->extract[CD_F_LON] &&
       geometry_point(&lon, &lat, json_object_get(feature, "geometry"),
                      0)) {
        /* Far out of range values are left out, and keep num short. */
        k = snprintf(num, sizeof(num), "%.7f", lat);
        if(k > 0 && (size_t)k < sizeof(num))
            rc = cd_record_add(&rec, CD_F_LAT, num, (size_t)k);
        k = snprintf(num, sizeof(num), "%.7f", lon);
        if(!rc && k > 0 && (size_t)k < sizeof(num))
            rc = cd_record_add(&rec, CD_F_LON, num, (size_t)k);
    }
    if(!rc && !src->extract[CD_F_REF])
        rc = add_scalar(&rec, CD_F_REF, json_object_get(feature, "id"));
    if(!rc)
        rc = cd_jsondoc_emit(&rec, emit, payload);
out:
    cd_record_dispose(&rec);
    if(rc == CD_ENOMEM)
        cd_error_set(err, rc, "%s: out of memory", cd_doc_where(doc));
    return rc;
}

/* Whether the legacy "crs" member, if any, names WGS 84. */
static int crs_is_wgs84(const json_t *root, const char **name)
{
    const json_t *crs = json_object_get(root, "crs");

    *name = json_string_value(
        json_object_get(json_object_get(crs, "properties"), "name"));
    if(!crs || !*name)
        return 1;
    return strstr(*name, "CRS84") || strstr(*name, "EPSG::4326") ||
           !strcasecmp(*name, "EPSG:4326");
}

static int geojson_parse(const struct cd_doc *doc,
                         const struct cd_source *src, cd_emit_fn *emit,
                         void *payload, struct cd_error *err)
{
    json_t *root, *features, *f;
    const char *type, *crs;
    int rc;
    size_t i;

    rc = cd_jsondoc_load(&root, doc, src, err);
    if(rc)
        return rc;
    type = json_string_value(json_object_get(root, "type"));
    if(type && !strcmp(type, "Feature"))
        return one_feature(doc, src, root, NULL, emit, payload, err);
    features = json_object_get(root, "features");
    if(!type || strcmp(type, "FeatureCollection") ||
       !json_is_array(features))
        return cd_error_set(err, CD_EINVALID, "%s: not a GeoJSON "
                            "FeatureCollection or Feature (\"type\" is "
                            "%s%.40s%s)", cd_doc_where(doc),
                            type ? "'" : "", type ? type : "missing",
                            type ? "'" : "");
    if(crs_is_wgs84(root, &crs))
        crs = NULL;
    json_array_foreach(features, i, f) {
        if(rc)
            break;
        rc = one_feature(doc, src, f, crs, emit, payload, err);
    }
    return rc;
}

static int geojson_check(const struct cd_source *src,
                         void (*report)(const char *msg, void *payload),
                         void *payload)
{
    char msg[600];

    if(src->item) {
        snprintf(msg, sizeof(msg), "%s: parser 'geojson' takes no 'item': "
                 "every feature is one record", src->path);
        report(msg, payload);
        return CD_EINVALID;
    }
    return cd_jsondoc_check(src, "geojson", report, payload);
}

const struct cd_parser cd_parser_geojson = {
    "geojson",                      /* name used in definitions */
    "GeoJSON features, OSM-style properties", /* for `citydir parsers` */
    CD_PARSER_MANY,                 /* flags, see CD_PARSER_* */
    "json const",                   /* selector kinds it takes */
    geojson_check,                  /* MAY be NULL: no extra checks */
    geojson_parse,                  /* MUST be set */
};
