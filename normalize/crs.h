/* SPDX-License-Identifier: MIT */
/*
 * Coordinate reference systems: reading a CRS name as sources write it, and
 * turning a point of that system into WGS 84 longitude and latitude with
 * PROJ (normalize/crs.c).
 *
 * Names read: "EPSG:25832", "epsg:25832", "urn:ogc:def:crs:EPSG::25832"
 * (and with a version, "urn:ogc:def:crs:EPSG:6.9:25832"),
 * "http://www.opengis.net/def/crs/EPSG/0/25832",
 * "http://www.opengis.net/gml/srs/epsg.xml#25832", and for WGS 84 with
 * longitude first "urn:ogc:def:crs:OGC:1.3:CRS84", "CRS84", "WGS84".
 *
 * Coordinates are always passed in x/y order: easting (or longitude) first,
 * then northing (or latitude), whatever the authority's axis order (PROJ's
 * proj_normalize_for_visualization()). A record keeps x in `lon` and y in
 * `lat`. Parsers that read a format in authority order (GML with a URN
 * srsName) ask cd_crs_north_first() and swap before they emit.
 */
#ifndef CD_CRS_H
#define CD_CRS_H

#include "core/error.h"

/* EPSG code of WGS 84 (geographic, degrees). */
#define CD_CRS_WGS84 4326

/*
 * Read a CRS name into its EPSG code. *out_urn (MAY be NULL) is set to 1
 * when the name is a URN or an http URI of the OGC registry, whose
 * coordinates (in GML 3) come in the authority's axis order; 0 for
 * "EPSG:n", "epsg.xml#n" and CRS84, which are read x/y. 0 or CD_EINVALID.
 */
int cd_crs_parse(int *out_epsg, int *out_urn, const char *name);

/*
 * Whether the first axis of EPSG:epsg, in the authority's order, points
 * north (EPSG:4326 and EPSG:31467 do, EPSG:25832 does not). 0 or
 * CD_EINVALID (PROJ does not know the code).
 */
int cd_crs_north_first(int *out, int epsg);

/*
 * Transform (x, y) of EPSG:epsg to WGS 84. PROJ objects are created once
 * per code and cached (not thread-safe; citydir parses on one thread).
 * 0, CD_EINVALID (unknown code, or a point PROJ cannot transform), or
 * CD_ENOMEM.
 */
int cd_crs_to_wgs84(double *out_lon, double *out_lat, int epsg, double x,
                    double y);

/*
 * Check that `name` is a CRS that can be transformed to WGS 84, for
 * `citydir check`. err says why not, without file and line.
 * 0 or CD_EINVALID.
 */
int cd_crs_check(const char *name, struct cd_error *err);

/* Free the cached PROJ objects (at exit, or between tests). */
void cd_crs_cache_clear(void);

#endif
