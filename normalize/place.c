/* SPDX-License-Identifier: MIT */
/*
 * A record's values, normalised into a place's data fields.
 *
 * Each field goes through its normaliser; a value that cannot be read is
 * left out (NULL, or CD_TRI_NULL), never guessed, and only running out of
 * memory is an error. The address comes from the fields that name its
 * parts first: `street`, `housenumber`, `postcode` and `city` win over the
 * parts split from `address`. A `street` without a `housenumber` is split
 * when it holds one ("Hauptstr. 12"), and a `postcode` or `city` field that
 * holds "42651 Solingen" gives both parts. Opening hours keep the source's
 * text in opening_hours_text beside the OSM form. The name goes through
 * cd_norm_name() (NFC, quotes), other text through cd_norm_text().
 * cd_normalize_place_notes() also tells what could not be read: hours
 * that are not readable, category words data/categories.tsv does not map.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "normalize/normalize.h"

typedef int norm_fn(char **out, const char *s);

/* The parts of an address as one source of them gives them. */
struct addr {
    char *street;
    char *housenumber;
    char *postcode;
    char *city;
};

static void addr_dispose(struct addr *a)
{
    CD_FREE(a->street);
    CD_FREE(a->housenumber);
    CD_FREE(a->postcode);
    CD_FREE(a->city);
}

/*
 * Normalise v with fn into *dst, replacing what was there; an unreadable
 * (or absent) value leaves *dst alone. 0 or CD_ENOMEM.
 */
static int norm_into(char **dst, norm_fn *fn, const char *v)
{
    char *r = NULL;
    int rc;

    if(!v)
        return 0;
    rc = fn(&r, v);
    if(rc)
        return rc == CD_ENOMEM ? rc : 0;
    free(*dst);
    *dst = r;
    return 0;
}

/* Split v as a whole address into a. 0 or CD_ENOMEM. */
static int split_into(struct addr *a, const char *v)
{
    int rc;

    if(!v)
        return 0;
    rc = cd_norm_address(&a->street, &a->housenumber, &a->postcode, &a->city,
                         v);
    return rc == CD_ENOMEM ? rc : 0;
}

/* Move *src into *dst when *dst is still empty. */
static void fill(char **dst, char **src)
{
    if(!*dst && *src) {
        *dst = *src;
        *src = NULL;
    }
}

/*
 * Fill the address fields from the record. Sources of each part, best
 * first: its own field; a `street` field that holds a number; a `city` or
 * `postcode` field that holds "42651 Solingen"; the `address` field. A
 * house number comes with the street it was split with, or from a split
 * whose street is the same as the one taken. 0 or CD_ENOMEM.
 */
static int norm_address(struct cd_place *out, const struct cd_record *rec)
{
    const char *st = cd_record_get(rec, CD_F_STREET);
    const char *hn = cd_record_get(rec, CD_F_HOUSENUMBER);
    const char *pc = cd_record_get(rec, CD_F_POSTCODE);
    const char *ci = cd_record_get(rec, CD_F_CITY);
    struct addr split[5];
    struct addr *own = &split[0], *a;
    size_t i;
    int rc = 0;

    memset(split, 0, sizeof(split));
    CD_FREE(out->street);
    CD_FREE(out->housenumber);
    CD_FREE(out->postcode);
    CD_FREE(out->city);
    if(st && !hn) {
        rc = split_into(&split[1], st);
        if(!rc && !split[1].housenumber)
            addr_dispose(&split[1]);  /* no number in it: take it whole */
    }
    if(!rc && !split[1].street)
        rc = norm_into(&own->street, cd_norm_street, st);
    if(!rc)
        rc = norm_into(&own->housenumber, cd_norm_housenumber, hn);
    if(!rc && ci && ci[0] >= '0' && ci[0] <= '9')
        rc = split_into(&split[2], ci);               /* "42651 Solingen" */
    else if(!rc)
        rc = norm_into(&own->city, cd_norm_text, ci);
    if(!rc)
        rc = norm_into(&own->postcode, cd_norm_postcode, pc);
    if(!rc && pc && !own->postcode)
        rc = split_into(&split[3], pc);
    if(!rc)
        rc = split_into(&split[4], cd_record_get(rec, CD_F_ADDRESS));
    if(rc)
        goto out;
    for(i = 0; i < CD_ARRAY_SIZE(split); i++) {
        a = &split[i];
        if(!out->street && a->street) {
            fill(&out->street, &a->street);
            fill(&out->housenumber, &a->housenumber);
        }
        else if(out->street && a->street && !strcmp(out->street, a->street))
            fill(&out->housenumber, &a->housenumber);
        if(a == own)
            fill(&out->housenumber, &a->housenumber);
        fill(&out->postcode, &a->postcode);
        fill(&out->city, &a->city);
    }
out:
    for(i = 0; i < CD_ARRAY_SIZE(split); i++)
        addr_dispose(&split[i]);
    return rc;
}

/* A yes/no field as enum cd_tri. */
static int tri(const struct cd_record *rec, enum cd_field f)
{
    const char *v = cd_record_get(rec, f);
    int b;

    if(!v || cd_norm_bool(&b, v))
        return CD_TRI_NULL;
    return b;
}

/* lat/lon: both or neither; (0, 0) is a missing value, not a place. */
static void norm_coords(struct cd_place *out, const struct cd_record *rec)
{
    const char *la = cd_record_get(rec, CD_F_LAT);
    const char *lo = cd_record_get(rec, CD_F_LON);
    double lat, lon;

    if(!la || !lo || cd_norm_coord(&lat, la, 1) ||
       cd_norm_coord(&lon, lo, 0) || (lat == 0 && lon == 0))
        return;
    out->lat = lat;
    out->lon = lon;
    out->has_coords = 1;
}

/*
 * Fill out's data fields from rec (see normalize.h), and add to notes (MAY
 * be NULL) what could not be read. out was set up with cd_place_init();
 * string fields set here replace what was there, the category lists are
 * appended to. 0 or CD_ENOMEM (out may then be half filled;
 * cd_place_dispose() frees it).
 */
int cd_normalize_place_notes(struct cd_place *out, struct cd_norm_notes *notes,
                             const struct cd_record *rec)
{
    const struct cd_strlist *cats = &rec->fields[CD_F_CATEGORIES];
    const char *oh = cd_record_get(rec, CD_F_OPENING_HOURS);
    size_t i;
    int rc;

    rc = norm_into(&out->name, cd_norm_name, cd_record_get(rec, CD_F_NAME));
    if(!rc)
        rc = norm_into(&out->description, cd_norm_text,
                       cd_record_get(rec, CD_F_DESCRIPTION));
    if(!rc)
        rc = norm_address(out, rec);
    if(!rc)
        rc = norm_into(&out->phone, cd_norm_phone,
                       cd_record_get(rec, CD_F_PHONE));
    if(!rc)
        rc = norm_into(&out->email, cd_norm_email,
                       cd_record_get(rec, CD_F_EMAIL));
    if(!rc)
        rc = norm_into(&out->website, cd_norm_website,
                       cd_record_get(rec, CD_F_WEBSITE));
    if(!rc)
        rc = norm_into(&out->opening_hours_text, cd_norm_text, oh);
    if(!rc && oh) {
        CD_FREE(out->opening_hours);  /* stays NULL when unreadable */
        rc = norm_into(&out->opening_hours, cd_norm_hours, oh);
    }
    if(!rc && notes && out->opening_hours_text && !out->opening_hours)
        notes->hours_unreadable++;
    if(!rc)
        rc = norm_into(&out->wheelchair, cd_norm_wheelchair,
                       cd_record_get(rec, CD_F_WHEELCHAIR));
    for(i = 0; !rc && i < cats->n; i++)
        rc = cd_norm_categories(&out->source_categories, &out->categories,
                                notes ? &notes->unmapped : NULL, cats->v[i]);
    if(rc)
        return rc;
    norm_coords(out, rec);
    out->delivery = tri(rec, CD_F_DELIVERY);
    out->pickup = tri(rec, CD_F_PICKUP);
    out->online_shop = tri(rec, CD_F_ONLINE_SHOP);
    return 0;
}

/* See normalize.h. */
int cd_normalize_place(struct cd_place *out, const struct cd_record *rec)
{
    return cd_normalize_place_notes(out, NULL, rec);
}
