/* SPDX-License-Identifier: MIT */
/*
 * Coordinate reference systems with PROJ (normalize/crs.h).
 *
 * A name is read into an EPSG code by hand (no PROJ call); the transform
 * from that code to WGS 84 is proj_create_crs_to_crs() with
 * proj_normalize_for_visualization(), so that it takes easting first and
 * gives longitude first, whatever the axis order of either system. PROJ
 * never goes to the network (its default), so where a grid would be needed
 * (DHDN for EPSG:31466/31467) it takes its best transformation without one,
 * good to a few metres.
 *
 * The PROJ objects are cached per code in a small table, created on first
 * use: every other function here is pure.
 */
#include "normalize/crs.h"

#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CACHE_MAX 16  /* codes kept; a source uses one or two, and a
                         17th replaces the oldest in turn */

struct cached {
    int epsg;
    PJ *to_wgs84;     /* normalised for visualisation */
    int north_first;  /* authority axis order of the source CRS */
};

static PJ_CONTEXT *ctx;
static struct cached cache[CACHE_MAX];
static size_t ncache;
static size_t evict;  /* the slot to reuse next when the table is full */

/* A whole decimal number (1 to 6 digits) ending s; 0 or CD_EINVALID. */
static int code_of(int *out, const char *s)
{
    int v = 0, n = 0;

    if(!*s)
        return CD_EINVALID;
    for(; *s; s++) {
        if(*s < '0' || *s > '9' || ++n > 6)
            return CD_EINVALID;
        v = v * 10 + (*s - '0');
    }
    if(!v)
        return CD_EINVALID;
    *out = v;
    return 0;
}

/* Whether s starts with the ASCII prefix p, ignoring case; moves *s. */
static int eat(const char **s, const char *p)
{
    size_t n = strlen(p);

    if(strncasecmp(*s, p, n))
        return 0;
    *s += n;
    return 1;
}

int cd_crs_parse(int *out_epsg, int *out_urn, const char *name)
{
    const char *s = name, *last;
    int urn = 0;

    if(!s)
        return CD_EINVALID;
    while(*s == ' ')
        s++;
    if(!strcasecmp(s, "CRS84") || !strcasecmp(s, "WGS84") ||
       !strcasecmp(s, "urn:ogc:def:crs:OGC:1.3:CRS84") ||
       !strcasecmp(s, "urn:ogc:def:crs:OGC::CRS84") ||
       !strcasecmp(s, "http://www.opengis.net/def/crs/OGC/1.3/CRS84")) {
        *out_epsg = CD_CRS_WGS84;
        if(out_urn)
            *out_urn = 0;
        return 0;
    }
    if(eat(&s, "EPSG:")) {
        /* "EPSG:25832" */
    } else if(eat(&s, "urn:ogc:def:crs:EPSG:") ||
              eat(&s, "urn:x-ogc:def:crs:EPSG:")) {
        /* "urn:ogc:def:crs:EPSG::25832", "...:EPSG:6.9:25832" */
        last = strrchr(s, ':');
        s = last ? last + 1 : s;
        urn = 1;
    } else if(eat(&s, "http://www.opengis.net/def/crs/EPSG/") ||
              eat(&s, "https://www.opengis.net/def/crs/EPSG/")) {
        last = strrchr(s, '/');
        if(!last)
            return CD_EINVALID;
        s = last + 1;
        urn = 1;
    } else if(eat(&s, "http://www.opengis.net/gml/srs/epsg.xml#")) {
        /* GML 2 style: x/y */
    } else {
        return CD_EINVALID;
    }
    if(code_of(out_epsg, s))
        return CD_EINVALID;
    if(out_urn)
        *out_urn = urn;
    return 0;
}

/* The cache entry of epsg, created on first use; NULL when PROJ does not
 * know the code or memory is out (*rc says which). */
static struct cached *lookup(int epsg, int *rc)
{
    char from[32];
    PJ *raw = NULL, *norm = NULL, *src = NULL, *cs = NULL;
    const char *dir = NULL;
    size_t i;

    for(i = 0; i < ncache; i++)
        if(cache[i].epsg == epsg)
            return &cache[i];
    *rc = CD_ENOMEM;
    if(!ctx) {
        ctx = proj_context_create();
        if(!ctx)
            return NULL;
        proj_log_level(ctx, PJ_LOG_NONE);
        proj_context_set_enable_network(ctx, 0);
    }
    *rc = CD_EINVALID;
    snprintf(from, sizeof(from), "EPSG:%d", epsg);
    src = proj_create(ctx, from);
    if(!src)
        goto out;
    cs = proj_crs_get_coordinate_system(ctx, src);
    if(!cs || !proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, &dir, NULL,
                                     NULL, NULL, NULL) || !dir)
        goto out;
    raw = proj_create_crs_to_crs(ctx, from, "EPSG:4326", NULL);
    if(!raw)
        goto out;
    norm = proj_normalize_for_visualization(ctx, raw);
    if(!norm)
        goto out;
    if(ncache < CACHE_MAX) {
        i = ncache++;
    } else {  /* full: reuse the slots in turn */
        i = evict;
        evict = (evict + 1) % CACHE_MAX;
        proj_destroy(cache[i].to_wgs84);
    }
    cache[i].epsg = epsg;
    cache[i].to_wgs84 = norm;
    cache[i].north_first = !strcasecmp(dir, "north");
    norm = NULL;
    *rc = 0;
out:
    proj_destroy(norm);
    proj_destroy(raw);
    proj_destroy(cs);
    proj_destroy(src);
    return *rc ? NULL : &cache[i];
}

int cd_crs_north_first(int *out, int epsg)
{
    struct cached *c;
    int rc = 0;

    c = lookup(epsg, &rc);
    if(!c)
        return rc;
    *out = c->north_first;
    return 0;
}

int cd_crs_to_wgs84(double *out_lon, double *out_lat, int epsg, double x,
                    double y)
{
    struct cached *c;
    PJ_COORD in, res;
    int rc = 0;

    if(!isfinite(x) || !isfinite(y))
        return CD_EINVALID;
    if(epsg == CD_CRS_WGS84) {
        *out_lon = x;
        *out_lat = y;
        return 0;
    }
    c = lookup(epsg, &rc);
    if(!c)
        return rc;
    in = proj_coord(x, y, 0, 0);
    res = proj_trans(c->to_wgs84, PJ_FWD, in);
    if(!isfinite(res.xy.x) || !isfinite(res.xy.y) ||
       res.xy.x == HUGE_VAL || fabs(res.xy.y) > 90 || fabs(res.xy.x) > 180)
        return CD_EINVALID;
    *out_lon = res.xy.x;
    *out_lat = res.xy.y;
    return 0;
}

int cd_crs_check(const char *name, struct cd_error *err)
{
    int epsg, rc = 0;

    if(cd_crs_parse(&epsg, NULL, name))
        return cd_error_set(err, CD_EINVALID,
                            "crs '%s' is not a CRS name citydir reads "
                            "(EPSG:25832, urn:ogc:def:crs:EPSG::25832, "
                            "CRS84, ...)", name);
    if(epsg != CD_CRS_WGS84 && !lookup(epsg, &rc))
        return cd_error_set(err, rc == CD_ENOMEM ? CD_ENOMEM : CD_EINVALID,
                            "crs '%s': PROJ has no transformation from "
                            "EPSG:%d to WGS 84", name, epsg);
    return 0;
}

void cd_crs_cache_clear(void)
{
    size_t i;

    for(i = 0; i < ncache; i++)
        proj_destroy(cache[i].to_wgs84);
    ncache = 0;
    evict = 0;
    if(ctx)
        proj_context_destroy(ctx);
    ctx = NULL;
}
