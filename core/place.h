/* SPDX-License-Identifier: MIT */
/*
 * A place: one entry of the exported directory (contract 3, docs/export.md).
 *
 * Places are made from records by normalisation (normalize/place.c), kept
 * by the store (store/places.c) and written by the export writers. All
 * strings are owned by the place and freed by cd_place_dispose().
 */
#ifndef CD_PLACE_H
#define CD_PLACE_H

#include <stdint.h>

#include "core/util.h"

/* A yes/no value that may be unknown. */
enum cd_tri {
    CD_TRI_NULL = -1,  /* the sources do not say */
    CD_TRI_NO = 0,
    CD_TRI_YES = 1,
};

/* Where a place's data came from. */
struct cd_place_source {
    char *source;      /* source id */
    char *url;         /* the page the record was found on */
    char *fetched_at;  /* RFC 3339 */
    char *license;     /* the licence of the data; MAY be NULL */
};

struct cd_place {
    char *id;                             /* stable across runs */
    char *name;
    struct cd_strlist categories;         /* OSM tags: "shop=bakery" */
    struct cd_strlist source_categories;  /* the sources' own words */
    char *street;
    char *housenumber;
    char *postcode;
    char *city;
    int has_coords;                       /* lat/lon are meaningful */
    double lat;                           /* WGS84 */
    double lon;
    char *phone;                          /* "+49 212 123456" */
    char *email;
    char *website;
    char *opening_hours;                  /* OSM syntax, or NULL */
    char *opening_hours_text;             /* as the source wrote it */
    int delivery;                         /* enum cd_tri */
    int pickup;                           /* enum cd_tri */
    int online_shop;                      /* enum cd_tri */
    char *wheelchair;                     /* "yes" "limited" "no" or NULL */
    char *description;
    struct cd_place_source *sources;      /* at least one */
    size_t nsources;
    char *first_seen;                     /* RFC 3339 */
    char *updated_at;                     /* RFC 3339 */
    int64_t version;                      /* store version of last change */
};

/* An empty place: strings NULL, tri-states CD_TRI_NULL. */
void cd_place_init(struct cd_place *p);

/* Free what the place holds; it is empty afterwards. */
void cd_place_dispose(struct cd_place *p);

/* Append a source entry (strings copied). 0 or CD_ENOMEM. */
int cd_place_add_source(struct cd_place *p, const char *source,
                        const char *url, const char *fetched_at);

/* The same, with the licence of what the source said (MAY be NULL). */
int cd_place_add_source_license(struct cd_place *p, const char *source,
                                const char *url, const char *fetched_at,
                                const char *license);

#endif
